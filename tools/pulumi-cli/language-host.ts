/**
 * A stand-in for `pulumi-language-nodejs`, the Node.js language host the `pulumi` CLI starts to run a
 * program. Used only where the official one is not installed: the CLI itself builds from Go modules here
 * (see README.md), but the language host's Go module is not served by the module proxy this project can
 * reach, so the CLI tier needs something in its place.
 *
 * It does as little as the official host does on the paths the tests take, so that what runs the program
 * is Pulumi's own code: `Run` launches `@pulumi/pulumi/cmd/run` — resolved from the program's directory,
 * which is where the entry point is looked up (Pulumi.yaml `main`, else the nearest package.json) and
 * TypeScript is compiled — with the arguments and environment the official host passes (`--monitor`,
 * `--engine`, `--project`, `--stack`, `--pwd`, `--dry-run`, `--parallel`, the entry point; `PULUMI_CONFIG`
 * in the `ns:config:key` form, `PULUMI_CONFIG_SECRET_KEYS`, `PULUMI_NODEJS_TYPESCRIPT`, …), and reports
 * its exit the same way (32: the program already printed the error). `RunPlugin` does the same with
 * `cmd/run-plugin` and `cmd/run-policy-pack`. `GetRequiredPackages` reports installed packages that
 * declare a resource plugin (`"pulumi": {"resource": true}`), as the official host does.
 *
 * Not done: the monitor proxy and synchronous-invoke pipes (the program talks to the engine's monitor
 * directly; `--sync` is omitted, which `cmd/run` allows), debugging, bun, code generation and packing.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import * as languageGrpc from "@pulumi/pulumi/proto/language_grpc_pb";
import * as language from "@pulumi/pulumi/proto/language_pb";
import * as plugin from "@pulumi/pulumi/proto/plugin_pb";

/** `cmd/run` exits with this code after it has printed an error the user can act on. */
const EXIT_ALREADY_REPORTED = 32;

const children = new Set<ChildProcess>();

/** The CLI passes flags first and the engine's address last. */
function engineAddress(argv: readonly string[]): string {
    const positional = argv.filter((arg) => !arg.startsWith("-"));
    return positional[positional.length - 1] ?? "";
}

function optionsOf(info: language.ProgramInfo | undefined): Record<string, unknown> {
    const options = info?.getOptions()?.toJavaScript();
    return options ?? {};
}

/** `typescript` defaults to true; `tsconfig` and `nodeargs` pass through, as in the official host. */
function runtimeEnv(options: Record<string, unknown>): Record<string, string> {
    const env: Record<string, string> = {};
    if (options.typescript !== false) {
        env.PULUMI_NODEJS_TYPESCRIPT = "true";
    }
    if (typeof options.tsconfig === "string" && options.tsconfig !== "") {
        env.PULUMI_NODEJS_TSCONFIG_PATH = options.tsconfig;
    }
    return env;
}

function nodeArgs(options: Record<string, unknown>): string[] {
    return typeof options.nodeargs === "string" ? options.nodeargs.split(/\s+/).filter((a) => a !== "") : [];
}

/** `require.resolve(module)` from the program's directory, as the official host does with node -e. */
function locate(module: string, programDir: string, installHint: string): string {
    try {
        return require.resolve(module, { paths: [programDir] });
    } catch {
        throw new Error(`It looks like the Pulumi SDK has not been installed. Have you run ${installHint}?`);
    }
}

/** Stack config keys `ns:key` become `ns:config:key`, the form every @pulumi/pulumi release reads. */
function configJson(request: language.RunRequest): string {
    const config: Record<string, string> = {};
    request.getConfigMap().forEach((value, key) => {
        const colon = key.indexOf(":");
        config[colon < 0 ? key : `${key.slice(0, colon)}:config:${key.slice(colon + 1)}`] = value;
    });
    return JSON.stringify(config);
}

function run(
    call: grpc.ServerUnaryCall<language.RunRequest, language.RunResponse>,
    callback: grpc.sendUnaryData<language.RunResponse>,
    engine: string,
): void {
    const request = call.request;
    const info = request.getInfo();
    const programDir = info?.getProgramDirectory() ?? request.getPwd();
    const response = new language.RunResponse();
    let runPath: string;
    try {
        runPath = locate("@pulumi/pulumi/cmd/run", programDir, "pulumi install");
    } catch (error) {
        callback(null, response.setError((error as Error).message));
        return;
    }
    const options = optionsOf(info);
    const args = [...nodeArgs(options), runPath];
    const flag = (name: string, value: string) => {
        if (value !== "") {
            args.push(`--${name}`, value);
        }
    };
    flag("monitor", request.getMonitorAddress());
    flag("engine", engine);
    flag("organization", request.getOrganization());
    flag("project", request.getProject());
    flag("root-directory", info?.getRootDirectory() ?? "");
    flag("stack", request.getStack());
    flag("pwd", programDir);
    if (request.getDryrun()) {
        args.push("--dry-run");
    }
    flag("parallel", String(request.getParallel()));
    args.push(info?.getEntryPoint() || ".", ...request.getArgsList());

    const child = spawn(process.execPath, args, {
        cwd: programDir,
        env: {
            ...process.env,
            PULUMI_CONFIG: configJson(request),
            PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(request.getConfigsecretkeysList()),
            ...runtimeEnv(options),
        },
        stdio: ["ignore", "inherit", "inherit"],
    });
    children.add(child);
    child.on("error", (error) => {
        children.delete(child);
        callback(
            null,
            response.setError(
                `Problem executing program (could not run language executor): ${error.message}`,
            ),
        );
    });
    child.on("exit", (code, signal) => {
        children.delete(child);
        if (code === 0) {
            callback(null, response);
        } else if (code === EXIT_ALREADY_REPORTED) {
            callback(null, response.setBail(true));
        } else {
            callback(
                null,
                response.setError(`Program exited with non-zero exit code: ${code ?? signal ?? "unknown"}`),
            );
        }
    });
}

function runPlugin(
    call: grpc.ServerWritableStream<language.RunPluginRequest, language.RunPluginResponse>,
): void {
    const request = call.request;
    const info = request.getInfo();
    const programDir = info?.getProgramDirectory() ?? request.getPwd();
    const analyzer = request.getKind() === "analyzer";
    const fail = (message: string) => {
        call.emit("error", { code: grpc.status.UNKNOWN, details: message });
    };
    let runPath: string;
    try {
        runPath = locate(
            analyzer ? "@pulumi/pulumi/cmd/run-policy-pack" : "@pulumi/pulumi/cmd/run-plugin",
            programDir,
            `npm install in ${programDir}`,
        );
    } catch (error) {
        fail((error as Error).message);
        return;
    }
    const options = optionsOf(info);
    // Policy packs take the program directory last; everything else takes it first.
    const args = analyzer
        ? [runPath, ...nodeArgs(options), ...request.getArgsList(), programDir]
        : [runPath, ...nodeArgs(options), programDir, ...request.getArgsList()];
    const env: Record<string, string> = {};
    for (const entry of request.getEnvList()) {
        const eq = entry.indexOf("=");
        if (eq > 0) {
            env[entry.slice(0, eq)] = entry.slice(eq + 1);
        }
    }
    const child = spawn(process.execPath, args, {
        cwd: analyzer ? programDir : request.getPwd() || programDir,
        env: { ...env, ...runtimeEnv(options) },
        stdio: ["ignore", "pipe", "pipe"],
    });
    children.add(child);
    child.stdout?.on("data", (chunk: Buffer) =>
        call.write(new language.RunPluginResponse().setStdout(chunk)),
    );
    child.stderr?.on("data", (chunk: Buffer) =>
        call.write(new language.RunPluginResponse().setStderr(chunk)),
    );
    child.on("error", (error) => {
        children.delete(child);
        fail(`Problem executing plugin program (could not run language executor): ${error.message}`);
    });
    child.on("exit", (code) => {
        children.delete(child);
        call.write(new language.RunPluginResponse().setExitcode(code ?? 1));
        call.end();
    });
    call.on("cancelled", () => child.kill("SIGINT"));
}

/** Installed packages that ship a resource plugin, found as the official host finds them. */
function requiredPackages(programDir: string): plugin.PackageDependency[] {
    const found = new Map<string, plugin.PackageDependency>();
    const visit = (modules: string, depth: number) => {
        let entries: string[];
        try {
            entries = fs.readdirSync(modules);
        } catch {
            return;
        }
        for (const entry of entries) {
            const dir = path.join(modules, entry);
            if (entry.startsWith("@")) {
                visit(dir, depth);
                continue;
            }
            let manifest: { name?: string; version?: string; pulumi?: Record<string, unknown> };
            try {
                manifest = JSON.parse(
                    fs.readFileSync(path.join(dir, "package.json"), "utf8"),
                ) as typeof manifest;
            } catch {
                continue;
            }
            const meta = manifest.pulumi;
            if (meta?.resource === true) {
                const name =
                    typeof meta.name === "string"
                        ? meta.name
                        : (manifest.name ?? entry).replace(/^@pulumi\//, "");
                const version = typeof meta.version === "string" ? meta.version : (manifest.version ?? "");
                const dependency = new plugin.PackageDependency()
                    .setKind("resource")
                    .setName(name)
                    .setVersion(version.startsWith("v") ? version : `v${version}`);
                if (typeof meta.server === "string") {
                    dependency.setServer(meta.server);
                }
                found.set(`${name}@${version}`, dependency);
            }
            if (depth < 3) {
                visit(path.join(dir, "node_modules"), depth + 1);
            }
        }
    };
    for (let dir = path.resolve(programDir); ; dir = path.dirname(dir)) {
        visit(path.join(dir, "node_modules"), 0);
        if (path.dirname(dir) === dir) {
            break;
        }
    }
    return [...found.values()];
}

function unimplemented(name: string) {
    return (_call: unknown, callback: grpc.sendUnaryData<never>) =>
        callback({
            code: grpc.status.UNIMPLEMENTED,
            details: `${name} is not implemented by this language host`,
        });
}

function main(): void {
    const engine = engineAddress(process.argv.slice(2));
    const server = new grpc.Server();
    const implementation: languageGrpc.ILanguageRuntimeServer = {
        handshake: (_call, callback) => callback(null, new language.LanguageHandshakeResponse()),
        getPluginInfo: (_call, callback) => callback(null, new plugin.PluginInfo().setVersion("3.0.0")),
        getRequiredPlugins: (_call, callback) => callback(null, new language.GetRequiredPluginsResponse()),
        getRequiredPackages: (call, callback) => {
            const dir = call.request.getInfo()?.getProgramDirectory() ?? process.cwd();
            callback(null, new language.GetRequiredPackagesResponse().setPackagesList(requiredPackages(dir)));
        },
        run: (call, callback) => run(call, callback, engine),
        runPlugin: runPlugin,
        installDependencies: (call) => call.end(),
        about: (_call, callback) =>
            callback(
                null,
                new language.AboutResponse().setExecutable(process.execPath).setVersion(process.version),
            ),
        getProgramDependencies: (_call, callback) =>
            callback(null, new language.GetProgramDependenciesResponse()),
        cancel: (_call, callback) => {
            for (const child of children) {
                child.kill("SIGINT");
            }
            callback(null, new Empty());
        },
        runtimeOptionsPrompts: unimplemented("RuntimeOptionsPrompts"),
        template: unimplemented("Template"),
        generateProject: unimplemented("GenerateProject"),
        generateProgram: unimplemented("GenerateProgram"),
        generatePackage: unimplemented("GeneratePackage"),
        pack: unimplemented("Pack"),
        link: unimplemented("Link"),
    };
    server.addService(languageGrpc.LanguageRuntimeService, implementation);
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, port) => {
        if (error !== null) {
            process.stderr.write(`could not start the language host: ${error.message}\n`);
            process.exit(1);
        }
        // The CLI reads the port from the first line.
        process.stdout.write(`${port}\n`);
    });
    const stop = () => {
        for (const child of children) {
            child.kill("SIGINT");
        }
        server.forceShutdown();
        process.exit(0);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
}

main();

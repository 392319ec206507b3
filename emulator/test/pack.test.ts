/**
 * The package as a user installs it: `npm pack` holds the bin, compiled JS, type declarations, README and
 * LICENSE; installed from the tarball into a fresh project (`npm install --offline <tarball>`, with a lockfile
 * cut from the repository's: from the npm cache alone), it compiles under strict TypeScript, starts from a
 * script through `startEmulator` and from its bin, and answers signed calls made with the real
 * `@aws-sdk/client-connectcampaignsv2`.
 *
 * In that project the README's examples run as written, extracted from README.md so that what it shows is what
 * runs: the TypeScript blocks are mocha test files, compiled by the project's own `typescript` and run by its
 * own `mocha` (under a leftover `AWS_SESSION_TOKEN` and `AWS_PROFILE`); a `js` block whose first line names a
 * file (`// read-limits.js: …`) is written to that file; the shell blocks run in bash with `npx` offline, in a
 * shell carrying what a real AWS session leaves behind (`AWS_SESSION_TOKEN`, `AWS_PROFILE`,
 * `AWS_USE_FIPS_ENDPOINT`), and each full-line comment of a shell block is a line it must print; the state file
 * example is loaded. A block marked `<!-- example: not run (reason) -->` is left out: the ones that need the
 * `pulumi` CLI or the AWS CLI, which npm does not install (these tests depend on nothing but the npm cache), and
 * the install from the registry, which the tarball stands in for. Their reasons are asserted, so no block drops
 * out unnoticed.
 */
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { ConnectCampaignsV2Client } from "@aws-sdk/client-connectcampaignsv2";
import { TEST_CREDENTIALS } from "../src";
import { readmeBlocks, MARKER, README } from "./readme-blocks";
import type { ReadmeBlock } from "./readme-blocks";
import { get, waitFor } from "./support";

const run = promisify(execFile);
const PACKAGE_ROOT = path.resolve(__dirname, "..");

/** The version installed here, so the fresh project resolves it from the npm cache. */
function installedVersion(name: string): string {
    const manifest = JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`), "utf8")) as {
        version: string;
    };
    return manifest.version;
}

const SCRIPT = `
const { startEmulator } = require("connect-campaigns-emulator");
const {
    ConnectCampaignsV2Client,
    GetInstanceCommunicationLimitsCommand,
    PutInstanceCommunicationLimitsCommand,
} = require("@aws-sdk/client-connectcampaignsv2");

(async () => {
    const emulator = await startEmulator({ instances: ["packed-1"] });
    const sdk = new ConnectCampaignsV2Client({
        endpoint: emulator.url,
        region: emulator.region,
        credentials: emulator.credentials,
    });
    const communicationLimitsConfig = {
        allChannelSubtypes: { communicationLimitsList: [{ maxCountPerRecipient: 3, frequency: 7, unit: "DAY" }] },
    };
    await sdk.send(new PutInstanceCommunicationLimitsCommand({ connectInstanceId: "packed-1", communicationLimitsConfig }));
    const read = await sdk.send(new GetInstanceCommunicationLimitsCommand({ connectInstanceId: "packed-1" }));
    process.stdout.write(JSON.stringify({
        resolved: require.resolve("connect-campaigns-emulator"),
        config: read.communicationLimitsConfig,
        log: emulator.requests().map((r) => r.operation + " " + r.status),
    }));
    sdk.destroy();
    await emulator.close();
})().catch((error) => {
    process.stderr.write(String(error && error.stack || error));
    process.exitCode = 1;
});
`;

const TYPED = `
import { startEmulator, TEST_CREDENTIALS } from "connect-campaigns-emulator";
import type { EmulatorHandle, RecordedRequest } from "connect-campaigns-emulator";

export async function typed(): Promise<RecordedRequest[]> {
    const emulator: EmulatorHandle = await startEmulator({ instances: ["t"], quota: { rate: 5, burst: 10 } });
    emulator.injectFaults("proxy-502", 1, { operation: "GetInstanceCommunicationLimits" });
    emulator.setErrorStyle({ typeHeader: "coral", messageKey: "Message" });
    const key: string = TEST_CREDENTIALS.accessKeyId;
    const env: Record<string, string | undefined> = emulator.env();
    void key;
    void env;
    await emulator.close();
    return emulator.requests();
}
`;

const ROOT_LOCKFILE = path.resolve(PACKAGE_ROOT, "..", "package-lock.json");

interface LockEntry {
    version?: string;
    resolved?: string;
    link?: boolean;
    dependencies?: Record<string, string>;
    optionalDependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
    [field: string]: unknown;
}

/**
 * A lockfile for a project depending on `names` at the versions installed here, and on the `extra` entries: the
 * repository lockfile's entries those reach, at the same places in the tree. From it npm installs each
 * name@version by integrity from the cache, as `npm ci` does, without building a tree from full registry
 * metadata, which the cache need not hold.
 */
function lockfileFor(names: readonly string[], extra: Record<string, LockEntry>): Record<string, unknown> {
    const source = (
        JSON.parse(fs.readFileSync(ROOT_LOCKFILE, "utf8")) as { packages: Record<string, LockEntry> }
    ).packages;
    const packages: Record<string, LockEntry> = {};
    const resolveFrom = (from: string, name: string): string | undefined => {
        for (let at = from; ;) {
            const candidate = `${at === "" ? "" : `${at}/`}node_modules/${name}`;
            const entry = source[candidate];
            if (entry !== undefined && entry.link !== true) {
                return candidate;
            }
            if (at === "") {
                return undefined;
            }
            const parent = at.lastIndexOf("/node_modules/");
            at = parent === -1 ? "" : at.slice(0, parent);
        }
    };
    const visit = (from: string, entry: LockEntry): void => {
        const wanted = { ...entry.peerDependencies, ...entry.optionalDependencies, ...entry.dependencies };
        for (const name of Object.keys(wanted)) {
            const at = resolveFrom(from, name);
            if (at === undefined) {
                assert.ok(
                    !(name in (entry.dependencies ?? {})),
                    `${name}, needed by ${from || "the project"}, is not in the lockfile`,
                );
                continue;
            }
            if (packages[at] === undefined) {
                const { dev, devOptional, peer, ...kept } = source[at] ?? {};
                void [dev, devOptional, peer];
                packages[at] = kept;
                visit(at, kept);
            }
        }
    };
    for (const [at, entry] of Object.entries(extra)) {
        visit(at, entry);
    }
    visit("", { dependencies: Object.fromEntries(names.map((name) => [name, "*"])) });
    const dependencies = Object.fromEntries(names.map((name) => [name, installedVersion(name)]));
    return {
        name: "emulator-consumer",
        lockfileVersion: 3,
        requires: true,
        packages: { "": { name: "emulator-consumer", dependencies }, ...packages, ...extra },
    };
}

/** The blocks the tests do not run, each for the reason its marker gives. */
const NOT_RUN = [
    "installs from the registry; the package's tests install its packed tarball",
    "needs the AWS CLI, which npm does not install",
    "needs the pulumi CLI, which npm does not install, and a Pulumi program",
    "needs the pulumi CLI, which npm does not install, and a Pulumi program",
];

/** The environment of the README's examples: no npm or AWS settings of this test run's, npm offline. */
function exampleEnv(work: string, leftovers: Record<string, string>): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [name, value] of Object.entries(process.env)) {
        if (!/^(npm_|AWS_)/i.test(name) && name !== "NODE_PATH" && name !== "INIT_CWD") {
            env[name] = value;
        }
    }
    if (process.env.npm_config_cache !== undefined) {
        env.npm_config_cache = process.env.npm_config_cache;
    }
    return {
        ...env,
        npm_config_offline: "true",
        npm_config_update_notifier: "false",
        npm_config_fund: "false",
        npm_config_audit: "false",
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
        // No shared config or credentials files of this machine's.
        AWS_CONFIG_FILE: path.join(work, "no-aws-config"),
        AWS_SHARED_CREDENTIALS_FILE: path.join(work, "no-aws-credentials"),
        ...leftovers,
    };
}

/** What a real AWS session leaves in a shell. */
const SESSION_LEFTOVERS = { AWS_SESSION_TOKEN: "left-over-session-token", AWS_PROFILE: "left-over-profile" };

function alive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
}

function describeBlock(block: ReadmeBlock): string {
    return `README.md:${block.line} (${block.language || "plain"})`;
}

describe("the packed emulator", function () {
    this.timeout(180_000);
    let work: string;
    let tarball: string;
    let files: string[];
    let project: string;

    before(async () => {
        work = fs.mkdtempSync(path.join(os.tmpdir(), "emulator-pack-"));
        const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", work], {
            cwd: PACKAGE_ROOT,
        });
        const [packed] = JSON.parse(stdout.slice(stdout.indexOf("["))) as {
            filename: string;
            files: { path: string }[];
        }[];
        assert.ok(packed);
        tarball = path.join(work, packed.filename);
        files = packed.files.map((file) => file.path).sort();

        project = path.join(work, "project");
        fs.mkdirSync(project);
        const tools = [
            "@aws-sdk/client-connectcampaignsv2",
            "@aws-sdk/client-sts",
            "@types/node",
            "@types/mocha",
            "typescript",
            "mocha",
        ];
        fs.writeFileSync(
            path.join(project, "package.json"),
            JSON.stringify({
                name: "emulator-consumer",
                private: true,
                dependencies: Object.fromEntries(tools.map((name) => [name, installedVersion(name)])),
            }),
        );
        const manifest = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as {
            version: string;
            dependencies: Record<string, string>;
        };
        fs.writeFileSync(
            path.join(project, "package-lock.json"),
            JSON.stringify(
                lockfileFor(tools, {
                    "node_modules/connect-campaigns-emulator": {
                        version: manifest.version,
                        resolved: `file:${path.relative(project, tarball)}`,
                        dependencies: manifest.dependencies,
                    },
                }),
            ),
        );
        // The tarball as `npm install <tarball>` takes it, everything from the npm cache.
        await run("npm", ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", tarball], {
            cwd: project,
            env: exampleEnv(work, {}),
        });
    });
    after(() => fs.rmSync(work, { recursive: true, force: true }));

    it("holds the bin, compiled JavaScript, declarations, README and LICENSE, and nothing else", () => {
        const other = files.filter(
            (file) =>
                !/^dist\/[a-z0-9]+\.(js|d\.ts)$/.test(file) &&
                !["LICENSE", "README.md", "package.json", "bin/connect-campaigns-emulator.js"].includes(file),
        );
        assert.deepEqual(other, []);
        for (const required of [
            "dist/index.js",
            "dist/index.d.ts",
            "dist/cli.js",
            "bin/connect-campaigns-emulator.js",
        ]) {
            assert.ok(files.includes(required), `${required} missing`);
        }
    });

    it("installs offline from its tarball into a fresh project, its runtime dependency with it", () => {
        const installed = path.join(project, "node_modules", "connect-campaigns-emulator");
        assert.equal(fs.lstatSync(installed).isSymbolicLink(), false);
        const manifest = JSON.parse(fs.readFileSync(path.join(project, "package.json"), "utf8")) as {
            dependencies: Record<string, string>;
        };
        assert.match(manifest.dependencies["connect-campaigns-emulator"] ?? "", /^file:.*\.tgz$/);
        assert.ok(
            fs.existsSync(path.join(project, "node_modules", "@smithy", "signature-v4", "package.json")),
        );
    });

    it("type-checks against its published declarations and serves signed SDK calls from a script and from its bin", async () => {
        // Strict TypeScript against the published declarations (skipLibCheck off).
        fs.writeFileSync(path.join(project, "typed.ts"), TYPED);
        fs.writeFileSync(
            path.join(project, "tsconfig.typed.json"),
            JSON.stringify({
                compilerOptions: {
                    target: "ES2022",
                    module: "node16",
                    moduleResolution: "node16",
                    strict: true,
                    exactOptionalPropertyTypes: true,
                    noUncheckedIndexedAccess: true,
                    types: ["node"],
                    noEmit: true,
                },
                files: ["typed.ts"],
            }),
        );
        await run(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.typed.json"], {
            cwd: project,
        }).catch((error: { stdout?: string }) =>
            assert.fail(`the declarations do not compile:\n${error.stdout ?? ""}`),
        );

        fs.writeFileSync(path.join(project, "use.js"), SCRIPT);
        const { stdout } = await run(process.execPath, ["use.js"], {
            cwd: project,
            env: { ...process.env, NODE_PATH: "", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
        });
        const result = JSON.parse(stdout) as { resolved: string; config: unknown; log: string[] };
        assert.ok(result.resolved.startsWith(fs.realpathSync(project)), result.resolved);
        assert.deepEqual(result.config, {
            allChannelSubtypes: {
                communicationLimitsList: [{ maxCountPerRecipient: 3, frequency: 7, unit: "DAY" }],
            },
        });
        assert.deepEqual(result.log, [
            "PutInstanceCommunicationLimits 200",
            "GetInstanceCommunicationLimits 200",
        ]);

        const bin = path.join(project, "node_modules", ".bin", "connect-campaigns-emulator");
        const child = spawn(bin, ["--instances", "packed-2", "--quiet"], {
            cwd: project,
            stdio: ["ignore", "pipe", "pipe"],
        });
        try {
            let output = "";
            child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
            child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
            const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
            await waitFor(() => /^Ctrl-C to stop\.$/m.test(output) || child.exitCode !== null, 30_000);
            const url = /^endpoint: (http:\/\/127\.0\.0\.1:\d+)$/m.exec(output)?.[1];
            assert.ok(url !== undefined, output);
            const sdk = new ConnectCampaignsV2Client({
                endpoint: url,
                region: "us-west-2",
                credentials: TEST_CREDENTIALS,
            });
            assert.equal((await get(sdk, "packed-2")).$metadata.httpStatusCode, 200);
            sdk.destroy();
            child.kill("SIGTERM");
            assert.equal(await exited, 0);
        } finally {
            if (child.exitCode === null && child.signalCode === null) {
                child.kill("SIGKILL");
            }
        }
    });

    describe("its README's examples, run as written in that project", () => {
        const blocks = readmeBlocks();
        const runnable = blocks.filter((block) => !block.marker?.startsWith("not run"));

        it("marks each block it does not run with the reason, and runs every other example", () => {
            const text = fs.readFileSync(README, "utf8");
            // Every marker sits right before a block: none is stray, so none marks nothing.
            assert.equal(
                [...text.matchAll(MARKER)].length,
                blocks.filter((block) => block.marker !== undefined).length,
            );
            const notRun = blocks
                .map((block) => /^not run \((.+)\)$/.exec(block.marker ?? "")?.[1])
                .filter((reason) => reason !== undefined);
            assert.deepEqual(notRun, NOT_RUN);
            for (const block of runnable) {
                assert.ok(
                    ["ts", "js", "sh", "json", ""].includes(block.language),
                    `${describeBlock(block)}: no way to run ${block.language}`,
                );
                assert.ok(
                    block.marker === undefined ||
                        (block.marker === "runs until Ctrl-C" && block.language === "sh"),
                    `${describeBlock(block)}: unknown marker ${block.marker ?? ""}`,
                );
            }
            assert.ok(runnable.filter((block) => block.language === "ts").length >= 2);
            assert.ok(runnable.filter((block) => block.language === "sh").length >= 3);
        });

        it("passes the TypeScript examples as mocha tests, compiled strict by the project's own tsc", async () => {
            const examples = runnable.filter((block) => block.language === "ts");
            const names = examples.map((block, i) => {
                const name = `example-${i}.test.ts`;
                fs.writeFileSync(path.join(project, name), block.code);
                return name;
            });
            fs.writeFileSync(
                path.join(project, "tsconfig.json"),
                JSON.stringify({
                    compilerOptions: {
                        target: "ES2022",
                        module: "node16",
                        moduleResolution: "node16",
                        strict: true,
                        exactOptionalPropertyTypes: true,
                        noUncheckedIndexedAccess: true,
                        types: ["node", "mocha"],
                        outDir: "out",
                    },
                    files: names,
                }),
            );
            const tsc = path.join(project, "node_modules", "typescript", "bin", "tsc");
            await run(process.execPath, [tsc, "-p", "."], { cwd: project }).catch(
                (error: { stdout?: string }) =>
                    assert.fail(`the README's examples do not compile:\n${error.stdout ?? ""}`),
            );
            const mocha = path.join(project, "node_modules", "mocha", "bin", "mocha.js");
            for (const [i, name] of names.entries()) {
                // One mocha process per example (one sets process.env), which must end on its own: no --exit.
                const { stdout } = await run(
                    process.execPath,
                    [mocha, "--reporter", "json", path.join("out", name.replace(/\.ts$/, ".js"))],
                    { cwd: project, env: exampleEnv(work, SESSION_LEFTOVERS), timeout: 30_000 },
                ).catch((error: { stdout?: string; stderr?: string; message?: string }) =>
                    assert.fail(
                        `${describeBlock(examples[i]!)} fails:\n${error.stdout ?? ""}${error.stderr ?? error.message ?? ""}`,
                    ),
                );
                const report = JSON.parse(stdout) as { stats: { tests: number; passes: number } };
                assert.ok(report.stats.tests >= 1, `${describeBlock(examples[i]!)} holds no test`);
                assert.equal(report.stats.passes, report.stats.tests, stdout);
            }
        });

        it("runs the shell examples to completion, each printing what its comments show and stopping its emulator", async () => {
            for (const block of runnable.filter((candidate) => candidate.language === "js")) {
                const file = /^\/\/ ([\w.-]+\.js)\b/.exec(block.code)?.[1];
                assert.ok(file !== undefined, `${describeBlock(block)} does not name its file`);
                fs.writeFileSync(path.join(project, file), block.code);
            }
            const shell = runnable.filter((block) => block.language === "sh" && block.marker === undefined);
            for (const block of shell) {
                const pidFile = path.join(work, "emulator.pid");
                fs.rmSync(pidFile, { force: true });
                // The pid of the emulator the block started in the background, for the check that it stopped it.
                const script = `trap 'printf %s "\${CONNECT_CAMPAIGNS_EMULATOR_PID:-}" > ${JSON.stringify(pidFile)}' EXIT\n${block.code}`;
                const result = await run("bash", ["-e", "-o", "pipefail", "-c", script], {
                    cwd: project,
                    env: exampleEnv(work, { ...SESSION_LEFTOVERS, AWS_USE_FIPS_ENDPOINT: "true" }),
                    timeout: 60_000,
                }).catch((error: { stdout?: string; stderr?: string; message?: string }) =>
                    assert.fail(
                        `${describeBlock(block)} fails:\n${error.stdout ?? ""}\n${error.stderr ?? error.message ?? ""}`,
                    ),
                );
                const pid = Number(fs.readFileSync(pidFile, "utf8"));
                assert.ok(Number.isInteger(pid) && pid > 0, `${describeBlock(block)} started no emulator`);
                try {
                    await waitFor(() => !alive(pid), 10_000);
                } catch {
                    process.kill(pid, "SIGKILL");
                    assert.fail(`${describeBlock(block)} left its emulator running`);
                }
                assert.doesNotMatch(result.stdout, /"error":/, `${describeBlock(block)}: ${result.stdout}`);
                const printed = result.stdout.split("\n");
                for (const comment of block.code.split("\n").filter((line) => line.startsWith("# "))) {
                    assert.ok(
                        printed.includes(comment.slice(2)),
                        `${describeBlock(block)} printed no line ${comment.slice(2)}:\n${result.stdout}`,
                    );
                }
            }
            assert.ok(shell.length >= 2);
        });

        it("runs the foreground bin until Ctrl-C, printing its endpoint and exports and serving the instances it names", async () => {
            const [block, ...others] = runnable.filter(
                (candidate) => candidate.marker === "runs until Ctrl-C",
            );
            assert.ok(block !== undefined && others.length === 0);
            const instances = /--instances (\S+)/.exec(block.code)?.[1]?.split(",") ?? [];
            assert.ok(instances.length >= 1);
            // Its own process group, as a terminal's foreground job: Ctrl-C signals the whole group.
            const child = spawn("bash", ["-e", "-c", block.code], {
                cwd: project,
                env: exampleEnv(work, SESSION_LEFTOVERS),
                stdio: ["ignore", "pipe", "pipe"],
                detached: true,
            });
            const group = child.pid;
            assert.ok(group !== undefined);
            let output = "";
            child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
            child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
            const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
            try {
                await waitFor(() => /^Ctrl-C to stop\.$/m.test(output) || child.exitCode !== null, 30_000);
                const url = /^endpoint: (http:\/\/127\.0\.0\.1:\d+)$/m.exec(output)?.[1];
                assert.ok(url !== undefined, output);
                assert.match(
                    output,
                    /^export AWS_ENDPOINT_URL_CONNECTCAMPAIGNSV2=http:\/\/127\.0\.0\.1:\d+ /m,
                );
                const sdk = new ConnectCampaignsV2Client({
                    endpoint: url,
                    region: "us-west-2",
                    credentials: TEST_CREDENTIALS,
                });
                for (const instance of instances) {
                    assert.equal((await get(sdk, instance)).$metadata.httpStatusCode, 200);
                }
                sdk.destroy();
                process.kill(-group, "SIGINT");
                await exited;
                assert.match(output, /^stopped \(SIGINT\)$/m);
            } finally {
                if (child.exitCode === null && child.signalCode === null) {
                    process.kill(-group, "SIGKILL");
                }
            }
        });

        it("prints the --print-env line the README shows, and loads its state file example", async () => {
            const sample = blocks.find(
                (block) =>
                    block.language === "" && block.before.startsWith("`--print-env` prints exactly one line"),
            );
            assert.ok(sample !== undefined);
            const { stdout } = await run(
                "npx",
                ["connect-campaigns-emulator", "--print-env", "--instances", "x"],
                {
                    cwd: project,
                    env: exampleEnv(work, {}),
                },
            );
            const pid = Number(/CONNECT_CAMPAIGNS_EMULATOR_PID=(\d+)/.exec(stdout)?.[1]);
            try {
                const pattern = sample.code
                    .trim()
                    .split(/(PORT|…|1234)/)
                    .map((part) =>
                        part === "PORT" || part === "1234"
                            ? "\\d+"
                            : part === "…"
                              ? "\\S+"
                              : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"),
                    )
                    .join("");
                assert.match(stdout.trim(), new RegExp(`^${pattern}$`));
            } finally {
                if (pid > 0 && alive(pid)) {
                    process.kill(pid, "SIGTERM");
                }
            }

            const state = runnable.filter((block) => block.language === "json");
            assert.equal(state.length, 1);
            const stateFile = path.join(work, "state.json");
            fs.writeFileSync(stateFile, state[0]!.code);
            const loaded = await run(
                process.execPath,
                [
                    "-e",
                    `const { startEmulator } = require("connect-campaigns-emulator");
                     startEmulator({ statePath: process.argv[1] }).then(async (emulator) => {
                         process.stdout.write(JSON.stringify(emulator.instances()));
                         await emulator.close();
                     });`,
                    stateFile,
                ],
                { cwd: project, env: exampleEnv(work, {}) },
            );
            const expected = (JSON.parse(state[0]!.code) as { instances: unknown[] }).instances;
            assert.deepEqual(JSON.parse(loaded.stdout), expected);
        });
    });
});

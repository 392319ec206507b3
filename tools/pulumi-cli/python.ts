/**
 * Python programs for the CLI tier. The official Python language host (`pulumi-language-python`) ships with
 * Pulumi's release archives and is not served by the Go module proxy, so the CLI tier cannot build it; the
 * `pulumi` Python package, though, carries a language server of its own: the one its Automation API starts
 * for inline programs and hands to the CLI as `--client=127.0.0.1:<port>` (`python/serve.py`). The CLI then
 * runs the program through that server instead of starting a host; everything else — the engine, the
 * provider plugin, state, exit codes — is the real CLI's.
 *
 * The environment is a virtual environment under `.pulumi-cli/python/`, made by `npm run cli:install` from
 * `python/requirements.txt` (exact pins, installed with `--no-deps`). A program's own packages (the SDK
 * generated from the plugin's schema) are put on PYTHONPATH by the caller.
 */
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

import { CACHE_DIR } from "./locate";
import { CliStack, transcript } from "./workspace";
import type { CliResult, CliWorkspace, RunOptions } from "./workspace";

const PYTHON_DIR = path.join(__dirname, "python");
const REQUIREMENTS = path.join(PYTHON_DIR, "requirements.txt");

function requirementsDigest(): string {
    return createHash("sha256").update(fs.readFileSync(REQUIREMENTS)).digest("hex").slice(0, 12);
}

/** The virtual environment of the current requirements.txt. */
function pythonEnvDir(): string {
    return path.join(CACHE_DIR, "python", requirementsDigest());
}

function interpreterOf(envDir: string): string {
    return path.join(envDir, "bin", "python");
}

/** The Python that makes the environment: PULUMI_PYTHON_CMD (as the official host reads it), else python3. */
function basePython(): string {
    const named = process.env.PULUMI_PYTHON_CMD;
    return named !== undefined && named !== "" ? named : "python3";
}

/** Makes the environment when it does not exist yet; returns what happened, for the installer's log. */
export function installPythonEnv(): string {
    const dir = pythonEnvDir();
    if (fs.existsSync(path.join(dir, "installed"))) {
        return `python: cached in ${dir}`;
    }
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    const python = basePython();
    execFileSync(python, ["-m", "venv", dir], { stdio: ["ignore", "inherit", "inherit"] });
    execFileSync(
        interpreterOf(dir),
        ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", "-r", REQUIREMENTS],
        { stdio: ["ignore", "inherit", "inherit"] },
    );
    // Fails here, not in a test, if the pins do not make a working environment.
    execFileSync(interpreterOf(dir), ["-c", "import pulumi.automation._server, grpc"], {
        stdio: ["ignore", "inherit", "inherit"],
    });
    fs.writeFileSync(path.join(dir, "installed"), `${fs.readFileSync(REQUIREMENTS, "utf8")}`);
    return `python: made ${dir} with ${python}`;
}

/** The environment's interpreter, or an error saying how to make it. */
function pythonInterpreter(): string {
    const dir = pythonEnvDir();
    if (!fs.existsSync(path.join(dir, "installed"))) {
        throw new Error(
            `No Python environment for the CLI tier in ${dir}: run \`npm run cli:install\` (needs python3 ≥ 3.9 ` +
                "and PyPI).",
        );
    }
    return interpreterOf(dir);
}

/**
 * `pip install` of a package folder into `target` (for PYTHONPATH), with the environment's own setuptools and
 * none of the package's dependencies (the environment has them): no download.
 */
export function installPythonPackage(source: string, target: string): void {
    execFileSync(
        pythonInterpreter(),
        [
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--target",
            target,
            source,
        ],
        { stdio: ["ignore", "inherit", "inherit"] },
    );
}

/** A running language server for one program: the address to pass as `--client`, and how to stop it. */
interface PythonServer {
    address: string;
    /** What the server and the program wrote to stderr so far. */
    stderr(): string;
    stop(): Promise<void>;
}

/** Starts `serve.py` for the program in `programDir`, with `env` (the program sees it as its environment). */
function servePythonProgram(programDir: string, env: NodeJS.ProcessEnv): Promise<PythonServer> {
    const child = spawn(pythonInterpreter(), [path.join(PYTHON_DIR, "serve.py"), programDir], {
        cwd: programDir,
        env,
        stdio: ["pipe", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
        stderr += chunk;
    });
    const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
    const stop = async (): Promise<void> => {
        child.stdin.end();
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
    };
    return new Promise((resolve, reject) => {
        let stdout = "";
        child.stdout.setEncoding("utf8");
        const onData = (chunk: string): void => {
            stdout += chunk;
            const newline = stdout.indexOf("\n");
            if (newline < 0) {
                return;
            }
            child.stdout.off("data", onData);
            const port = Number(stdout.slice(0, newline).trim());
            if (!Number.isInteger(port) || port <= 0) {
                void stop();
                reject(new Error(`serve.py printed ${JSON.stringify(stdout)} instead of a port:\n${stderr}`));
                return;
            }
            resolve({ address: `127.0.0.1:${port}`, stderr: () => stderr, stop });
        };
        child.stdout.on("data", onData);
        child.once("error", reject);
        child.once("close", (code) =>
            reject(new Error(`serve.py exited with ${code} before serving:\n${stderr}`)),
        );
    });
}

/** The commands that run the program (or, from CLI 3.181, may): each gets a server of its own. */
const RUNS_PROGRAM = new Set(["preview", "up", "update", "refresh", "destroy"]);

/**
 * A stack of a Python program: every command that runs the program gets `--client` to a fresh `serve.py`
 * (as the Automation API starts one per operation), with `pythonPath` (the program's own packages) on
 * PYTHONPATH. Whatever the server wrote to stderr is appended to the result's.
 */
export class PythonStack extends CliStack {
    constructor(
        workspace: CliWorkspace,
        programDir: string,
        name: string,
        private readonly pythonPath: string,
    ) {
        super(workspace, programDir, name);
    }

    override async run(args: string[], options: RunOptions = {}): Promise<CliResult> {
        if (!RUNS_PROGRAM.has(args[0] ?? "")) {
            return super.run(args, options);
        }
        const env = { ...options.env, PYTHONPATH: this.pythonPath };
        const server = await servePythonProgram(this.programDir, this.workspace.env(env));
        try {
            const result = await super.run([...args, `--client=${server.address}`], { ...options, env });
            const extra = server.stderr();
            return extra === "" ? result : { ...result, stderr: `${result.stderr}\n[serve.py]\n${extra}` };
        } finally {
            await server.stop();
        }
    }

    /** `pulumi stack init` of a Python program folder. */
    static async init(
        workspace: CliWorkspace,
        programDir: string,
        name: string,
        pythonPath: string,
    ): Promise<PythonStack> {
        const init = await workspace.run(["stack", "init", name], programDir);
        if (init.code !== 0) {
            throw new Error(`stack init failed:\n${transcript(init)}`);
        }
        return new PythonStack(workspace, programDir, name, pythonPath);
    }
}

/**
 * Runs the real `pulumi` CLI, offline: a temporary PULUMI_HOME and file backend, no update check, no plugin
 * downloads, every folder removed by `dispose()`. Each command's engine events are read from
 * `--event-log`, so tests assert what the engine did (the op per resource, the diffs, the diagnostics),
 * not what its progress display printed.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { locateCli, programModules } from "./locate";
import type { LocatedCli, MatrixName } from "./locate";

/** Which matrix entry this run uses: `PULUMI_TEST_MATRIX`, default "pinned". */
function matrixName(): MatrixName {
    const name = process.env.PULUMI_TEST_MATRIX ?? "pinned";
    if (name !== "pinned" && name !== "newest") {
        throw new Error(`PULUMI_TEST_MATRIX must be "pinned" or "newest"; got ${JSON.stringify(name)}`);
    }
    return name;
}

/** The CLI for this run; fails (never skips) when there is none, saying how to get one. */
export function requireCli(matrix: MatrixName = matrixName()): LocatedCli {
    const cli = locateCli(matrix);
    if (cli === undefined) {
        throw new Error(
            `No pulumi CLI for the "${matrix}" matrix entry: run \`npm run cli:install -- --matrix ${matrix}\` ` +
                "(builds it from Go modules), put an official pulumi install on PATH, or set PULUMI_CLI.",
        );
    }
    return cli;
}

/** One engine event from `--event-log`, reduced to the parts the tests read. */
interface EngineEvent {
    sequence: number;
    resourcePreEvent?: { metadata: StepMetadata; planning?: boolean };
    resOutputsEvent?: { metadata: StepMetadata; planning?: boolean };
    resOpFailedEvent?: { metadata: StepMetadata; status: number; steps: number };
    diagnosticEvent?: { urn?: string; message: string; severity: string; prefix?: string };
    summaryEvent?: {
        maybeCorrupt: boolean;
        durationSeconds: number;
        resourceChanges: Record<string, number>;
    };
    policyEvent?: { resourceUrn?: string; message: string; policyName: string; enforcementLevel: string };
}

export interface StepMetadata {
    op: string;
    urn: string;
    type: string;
    old?: { inputs?: Record<string, unknown>; outputs?: Record<string, unknown>; id?: string };
    new?: { inputs?: Record<string, unknown>; outputs?: Record<string, unknown>; id?: string };
    keys?: string[];
    diffs?: string[];
    detailedDiff?: Record<string, { kind: string; inputDiff?: boolean }>;
}

export interface CliResult {
    args: string[];
    code: number;
    stdout: string;
    stderr: string;
    events: EngineEvent[];
    durationMs: number;
}

/** The steps the engine reported, in completion order: `op` per resource name (the last URN segment). */
export function stepOps(result: CliResult, type?: string): { name: string; op: string; failed: boolean }[] {
    const ops: { name: string; op: string; failed: boolean }[] = [];
    for (const event of result.events) {
        const done = event.resOutputsEvent ?? event.resOpFailedEvent;
        if (done === undefined) {
            continue;
        }
        const meta = done.metadata;
        if (type !== undefined && meta.type !== type) {
            continue;
        }
        ops.push({ name: meta.urn.split("::").pop() ?? meta.urn, op: meta.op, failed: "status" in done });
    }
    return ops;
}

export function diagnostics(result: CliResult, severity?: string): string[] {
    return result.events
        .flatMap((e) => (e.diagnosticEvent === undefined ? [] : [e.diagnosticEvent]))
        .filter((d) => severity === undefined || d.severity === severity)
        .map((d) => d.message);
}

/** Everything the CLI wrote, for assertion messages. */
export function transcript(result: CliResult): string {
    return `$ pulumi ${result.args.join(" ")}\n(exit ${result.code})\n${result.stdout}\n${result.stderr}`;
}

function readEvents(file: string): EngineEvent[] {
    if (!fs.existsSync(file)) {
        return [];
    }
    return fs
        .readFileSync(file, "utf8")
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => JSON.parse(line) as EngineEvent);
}

const TAKES_EVENT_LOG = new Set(["preview", "up", "refresh", "destroy", "import"]);

export interface RunOptions {
    /** Extra environment over the workspace's. */
    env?: Record<string, string | undefined>;
    /** Kill the CLI after this long (default 300 s); the result then has code -1. */
    timeoutMs?: number;
    /**
     * Aborting kills the CLI and every process it started (its plugins and language host) at once with
     * SIGKILL, as a lost machine or an OOM kill would: nothing gets to finish or write state.
     */
    signal?: AbortSignal;
}

/** A temporary, offline Pulumi workspace: one PULUMI_HOME, one file backend. */
export class CliWorkspace {
    readonly dir: string;
    private readonly baseEnv: Record<string, string | undefined>;
    private counter = 0;

    private constructor(
        readonly cli: LocatedCli,
        env: Record<string, string | undefined>,
    ) {
        this.dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-cli-"));
        fs.mkdirSync(path.join(this.dir, "home"));
        fs.mkdirSync(path.join(this.dir, "state"));
        this.baseEnv = {
            ...env,
            PATH: [...cli.path, process.env.PATH ?? ""].join(path.delimiter),
            PULUMI_HOME: path.join(this.dir, "home"),
            PULUMI_BACKEND_URL: `file://${path.join(this.dir, "state")}`,
            PULUMI_CONFIG_PASSPHRASE: "cli-tier-passphrase",
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            PULUMI_SKIP_CONFIRMATIONS: "true",
            // Exposes `--event-log`, as the Automation API does.
            PULUMI_DEBUG_COMMANDS: "true",
            NO_COLOR: "1",
        };
    }

    static create(env: Record<string, string | undefined> = {}, matrix?: MatrixName): CliWorkspace {
        return new CliWorkspace(requireCli(matrix), env);
    }

    env(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
        const merged: NodeJS.ProcessEnv = { ...process.env };
        for (const [key, value] of Object.entries({ ...this.baseEnv, ...extra })) {
            if (value === undefined) {
                delete merged[key];
            } else {
                merged[key] = value;
            }
        }
        return merged;
    }

    /** Runs `pulumi <args>` in `cwd`. Operations get `--event-log`; the result carries their events. */
    run(args: string[], cwd: string, options: RunOptions = {}): Promise<CliResult> {
        const command = args[0] ?? "";
        const full = [...args, "--non-interactive", "--color", "never"];
        let eventLog: string | undefined;
        if (TAKES_EVENT_LOG.has(command)) {
            eventLog = path.join(this.dir, `events-${++this.counter}.jsonl`);
            full.push("--event-log", eventLog);
        }
        const started = Date.now();
        return new Promise((resolve, reject) => {
            const signal = options.signal;
            const child = spawn(this.cli.pulumi, full, {
                cwd,
                env: this.env(options.env),
                stdio: ["ignore", "pipe", "pipe"],
                // Its own process group, so that an abort reaches the plugins too.
                detached: signal !== undefined,
            });
            const killGroup = () => {
                if (child.pid !== undefined && child.exitCode === null) {
                    process.kill(-child.pid, "SIGKILL");
                }
            };
            signal?.addEventListener("abort", killGroup, { once: true });
            let stdout = "";
            let stderr = "";
            child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
            child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
            const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 300_000);
            child.on("error", (error) => {
                clearTimeout(timer);
                reject(error);
            });
            child.on("close", (code) => {
                clearTimeout(timer);
                signal?.removeEventListener("abort", killGroup);
                resolve({
                    args: full,
                    code: code ?? -1,
                    stdout,
                    stderr,
                    events: eventLog === undefined ? [] : readEvents(eventLog),
                    durationMs: Date.now() - started,
                });
            });
        });
    }

    /**
     * A copy of a program folder (its files, not its subfolders) in this workspace, as a user's project:
     * `node_modules` links to `modules` (default: the matrix entry's — the repository's own for the
     * development pin, where `pulumi-connect-campaign-limits` is the package itself; else a project with the
     * packed package and the entry's @pulumi/pulumi). Stack settings files (`Pulumi.<stack>.yaml`) are then
     * written there, never into the repository.
     */
    project(source: string, modules = programModules(this.cli.matrix)): string {
        const target = path.join(this.dir, "projects", `${path.basename(source)}-${++this.counter}`);
        fs.mkdirSync(target, { recursive: true });
        for (const entry of fs.readdirSync(source, { withFileTypes: true })) {
            if (entry.isFile() && !/^Pulumi\..+\.yaml$/.test(entry.name)) {
                fs.copyFileSync(path.join(source, entry.name), path.join(target, entry.name));
            }
        }
        fs.symlinkSync(modules, path.join(target, "node_modules"), "dir");
        return target;
    }

    /** `pulumi stack init` of a program folder (see `project`). */
    async stack(programDir: string, name = "dev"): Promise<CliStack> {
        const stack = new CliStack(this, programDir, name);
        const init = await this.run(["stack", "init", name], programDir);
        if (init.code !== 0) {
            throw new Error(`stack init failed:\n${transcript(init)}`);
        }
        return stack;
    }

    dispose(): void {
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}

/** One stack: every command runs in its program directory. */
export class CliStack {
    constructor(
        readonly workspace: CliWorkspace,
        readonly programDir: string,
        readonly name: string,
    ) {}

    run(args: string[], options: RunOptions = {}): Promise<CliResult> {
        return this.workspace.run([...args, "--stack", this.name], this.programDir, options);
    }

    async setConfig(values: Record<string, string>, options: RunOptions = {}): Promise<void> {
        for (const [key, value] of Object.entries(values)) {
            const result = await this.run(["config", "set", key, value], options);
            if (result.code !== 0) {
                throw new Error(`config set ${key} failed:\n${transcript(result)}`);
            }
        }
    }

    /** The stack's resources as `pulumi stack export` shows them. */
    async resources(): Promise<ExportedResource[]> {
        const result = await this.run(["stack", "export"]);
        if (result.code !== 0) {
            throw new Error(`stack export failed:\n${transcript(result)}`);
        }
        const exported = JSON.parse(result.stdout) as { deployment?: { resources?: ExportedResource[] } };
        return exported.deployment?.resources ?? [];
    }

    async remove(): Promise<CliResult> {
        return this.run(["stack", "rm", "--yes", "--force"]);
    }
}

export interface ExportedResource {
    urn: string;
    type: string;
    id?: string;
    custom: boolean;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
    initErrors?: string[];
    delete?: boolean;
    pendingReplacement?: boolean;
    taint?: boolean;
}

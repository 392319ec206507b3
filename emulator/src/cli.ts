/**
 * The `connect-campaigns-emulator` command.
 *
 * In the foreground it prints the endpoint, the key, the instances and a line of shell exports, logs one line per
 * request (unless --quiet), and runs until SIGINT or SIGTERM, then closes every socket and exits 0.
 *
 * With --print-env it starts the same server as a background process, prints one line for `eval` (the exports,
 * the unsets and the background process's pid), and exits; `kill $CONNECT_CAMPAIGNS_EMULATOR_PID` stops it.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { startEmulator } from "./emulator";
import { shellLine } from "./env";
import { checkInstanceId, validationMessage } from "./model";
import { DEFAULT_REGION, DEMO_INSTANCE_IDS } from "./types";
import type { EmulatorOptions, InstanceSpec, RecordedRequest } from "./types";

export const USAGE = `usage: connect-campaigns-emulator [options]
  --port N              port to listen on; default 0: a free one, printed
  --host ADDRESS        address to listen on; default 127.0.0.1
  --instances LIST      comma-separated instances to onboard: id, or account/region/id; default three demo ids
  --region REGION       the default region (of instances given as bare ids, and of the printed env); default ${DEFAULT_REGION}
  --rate N              quota: tokens per second per account and region (fractions allowed); default no quota
  --burst M             quota: bucket size; default max(1, ceil(rate))
  --state FILE          keep instances and stored limits in FILE across restarts (written atomically on every change)
  --print-env           start in the background and print one line for eval: exports, unsets and the pid
  --quiet               do not log requests
  -h, --help            this text`;

/** The variable --print-env adds so the background process can be stopped. */
export const PID_VARIABLE = "CONNECT_CAMPAIGNS_EMULATOR_PID";

/** Set by --print-env on the process it starts: report readiness over IPC rather than printing. */
const BACKGROUND_VARIABLE = "CONNECT_CAMPAIGNS_EMULATOR_BACKGROUND";

export interface CliArguments {
    port: number;
    host: string;
    instances: (string | InstanceSpec)[];
    region: string;
    rate?: number;
    burst?: number;
    state?: string;
    printEnv: boolean;
    quiet: boolean;
    help: boolean;
}

function numberArgument(flag: string, value: string | undefined): number {
    const parsed = Number(value);
    if (value === undefined || value.trim() === "" || !Number.isFinite(parsed)) {
        throw new Error(`${flag} needs a number, got ${value ?? "nothing"}`);
    }
    return parsed;
}

function parseInstance(entry: string): string | InstanceSpec {
    const parts = entry.split("/");
    const id = parts[parts.length - 1] ?? "";
    const problems = checkInstanceId(id);
    if (problems.length > 0) {
        throw new Error(`--instances: ${validationMessage(problems)}`);
    }
    if (parts.length === 1) {
        return id;
    }
    const [account, region] = parts;
    if (parts.length !== 3 || account === undefined || region === undefined) {
        throw new Error(`--instances: ${entry} is neither an id nor account/region/id`);
    }
    return { id, account, region };
}

export function parseArguments(argv: readonly string[]): CliArguments {
    const parsed: CliArguments = {
        port: 0,
        host: "127.0.0.1",
        instances: [...DEMO_INSTANCE_IDS],
        region: DEFAULT_REGION,
        printEnv: false,
        quiet: false,
        help: false,
    };
    for (let i = 0; i < argv.length; i++) {
        const flag = argv[i];
        const value = argv[i + 1];
        switch (flag) {
            case "--port": {
                const port = numberArgument(flag, value);
                if (!Number.isInteger(port) || port < 0 || port > 65535) {
                    throw new Error(`--port needs an integer 0..65535, got ${value ?? "nothing"}`);
                }
                parsed.port = port;
                i++;
                break;
            }
            case "--host":
            case "--region":
            case "--state":
            case "--instances": {
                if (value === undefined || value.startsWith("--")) {
                    throw new Error(`${flag} needs a value`);
                }
                if (flag === "--host") {
                    parsed.host = value;
                } else if (flag === "--region") {
                    parsed.region = value;
                } else if (flag === "--state") {
                    parsed.state = value;
                } else {
                    parsed.instances = value
                        .split(",")
                        .filter((entry) => entry !== "")
                        .map(parseInstance);
                }
                i++;
                break;
            }
            case "--rate":
                parsed.rate = numberArgument(flag, value);
                i++;
                break;
            case "--burst":
                parsed.burst = numberArgument(flag, value);
                i++;
                break;
            case "--print-env":
                parsed.printEnv = true;
                break;
            case "--quiet":
                parsed.quiet = true;
                break;
            case "--help":
            case "-h":
                parsed.help = true;
                break;
            default:
                throw new Error(`unknown argument ${flag ?? ""}`);
        }
    }
    if (parsed.burst !== undefined && parsed.rate === undefined) {
        throw new Error("--burst needs --rate");
    }
    return parsed;
}

export function emulatorOptions(args: CliArguments): EmulatorOptions {
    const options: EmulatorOptions = {
        port: args.port,
        host: args.host,
        region: args.region,
        instances: args.instances,
        keepAlive: true,
    };
    if (args.rate !== undefined) {
        options.quota =
            args.burst === undefined ? { rate: args.rate } : { rate: args.rate, burst: args.burst };
    }
    if (args.state !== undefined) {
        options.statePath = path.resolve(args.state);
    }
    return options;
}

function describe(request: RecordedRequest): string {
    const outcome = request.status === 0 ? "no response" : String(request.status);
    const parts = [`#${request.seq}`, request.method, request.path, "->", outcome];
    if (request.errorType !== undefined) {
        parts.push(request.errorType);
    }
    if (request.throttled) {
        parts.push("[throttled]");
    }
    if (request.fault !== undefined) {
        parts.push(`[fault: ${request.fault}]`);
    }
    return parts.join(" ");
}

/** Messages a background child sends its parent over IPC. */
type ChildMessage = { ready: string; pid: number; line: string } | { error: string };

/** --print-env: runs the server in a detached child and prints its line once it listens. */
async function printEnv(argv: readonly string[]): Promise<number> {
    const bin = path.join(__dirname, "..", "bin", "connect-campaigns-emulator.js");
    const child = spawn(process.execPath, [bin, ...argv.filter((arg) => arg !== "--print-env"), "--quiet"], {
        detached: true,
        stdio: ["ignore", "ignore", "ignore", "ipc"],
        env: { ...process.env, [BACKGROUND_VARIABLE]: "1" },
    });
    const message = await new Promise<ChildMessage>((resolve) => {
        child.once("message", (received: ChildMessage) => resolve(received));
        child.once("exit", (code) => resolve({ error: `the emulator exited with code ${code ?? "null"}` }));
        child.once("error", (error) => resolve({ error: error.message }));
    });
    if ("error" in message) {
        process.stderr.write(`connect-campaigns-emulator: ${message.error}\n`);
        return 1;
    }
    child.disconnect();
    child.unref();
    process.stdout.write(`${message.line}\n`);
    return 0;
}

export async function main(argv: readonly string[]): Promise<void> {
    let args: CliArguments;
    try {
        args = parseArguments(argv);
    } catch (error: unknown) {
        process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
        process.exitCode = 2;
        return;
    }
    if (args.help) {
        process.stdout.write(`${USAGE}\n`);
        return;
    }
    if (args.printEnv) {
        process.exitCode = await printEnv(argv);
        return;
    }
    // Started by --print-env: report to the parent over IPC instead of printing.
    const parent = process.env[BACKGROUND_VARIABLE] === "1" ? process.send?.bind(process) : undefined;
    delete process.env[BACKGROUND_VARIABLE];
    const options = emulatorOptions(args);
    if (!args.quiet) {
        options.onRequest = (r: RecordedRequest) => process.stdout.write(`${describe(r)}\n`);
    }
    let emulator;
    try {
        emulator = await startEmulator(options);
    } catch (error: unknown) {
        const text = error instanceof Error ? error.message : String(error);
        if (parent !== undefined) {
            parent({ error: text } satisfies ChildMessage);
            process.disconnect?.();
        }
        process.stderr.write(`connect-campaigns-emulator: ${text}\n`);
        process.exitCode = 1;
        return;
    }
    const running = emulator;
    const line = shellLine({ ...running.env(), [PID_VARIABLE]: String(process.pid) });
    if (parent !== undefined) {
        parent({ ready: running.url, pid: process.pid, line } satisfies ChildMessage);
        process.disconnect?.();
    } else {
        const instances = running.instances().map((r) => `${r.account}/${r.region}/${r.id}`);
        const lines = [
            "Amazon Connect Campaigns V2 emulator (instance communication limits; STS AssumeRole, GetCallerIdentity)",
            `endpoint: ${running.url}`,
            `port: ${new URL(running.url).port}`,
            `region: ${running.region}`,
            `account: ${running.account}`,
            `access key id: ${running.credentials.accessKeyId}`,
            `secret access key: ${running.credentials.secretAccessKey}`,
            `instances: ${instances.join(",")}`,
            `quota: ${options.quota === undefined ? "none" : `${options.quota.rate}/s, burst ${options.quota.burst ?? Math.max(1, Math.ceil(options.quota.rate))}`}`,
            `state: ${options.statePath ?? "in memory"}`,
            `admin: ${running.url}/_emulator`,
            "",
            shellLine(running.env()),
            "",
            "Ctrl-C to stop.",
        ];
        process.stdout.write(`${lines.join("\n")}\n`);
    }
    const shutdown = (signal: NodeJS.Signals): void => {
        running.close().then(
            () => {
                if (parent === undefined) {
                    process.stdout.write(`stopped (${signal})\n`);
                }
            },
            (error: unknown) => {
                process.stderr.write(`stop failed: ${String(error)}\n`);
                process.exitCode = 1;
            },
        );
    };
    process.once("SIGINT", shutdown);
    process.once("SIGTERM", shutdown);
}

/**
 * Standalone Connect Campaigns V2 emulator: `npm run emulator -- [--port N] [--instances id1,id2] [--quiet]`.
 *
 * Prints the endpoint, the test key, the seeded instances and shell exports, logs one line per request (unless
 * --quiet), and runs until SIGINT or SIGTERM, then closes every socket and exits 0.
 */
import { Emulator } from "./emulator";
import { checkInstanceId, validationMessage } from "./model";
import { DEMO_INSTANCE_IDS, TEST_CREDENTIALS } from "./types";
import type { RecordedRequest } from "./types";

const USAGE = "usage: npm run emulator -- [--port N] [--instances id1,id2,...] [--quiet]";

interface Arguments {
    port: number;
    instances: string[];
    quiet: boolean;
}

function parseArguments(argv: readonly string[]): Arguments {
    const parsed: Arguments = { port: 0, instances: [...DEMO_INSTANCE_IDS], quiet: false };
    for (let i = 0; i < argv.length; i++) {
        const flag = argv[i];
        const value = argv[i + 1];
        switch (flag) {
            case "--port": {
                const port = Number(value);
                if (value === undefined || !Number.isInteger(port) || port < 0 || port > 65535) {
                    throw new Error(`--port needs an integer 0..65535, got ${value ?? "nothing"}`);
                }
                parsed.port = port;
                i++;
                break;
            }
            case "--instances": {
                if (value === undefined) {
                    throw new Error("--instances needs a comma-separated list of instance ids");
                }
                const ids = value.split(",").filter((id) => id !== "");
                for (const id of ids) {
                    const problems = checkInstanceId(id);
                    if (problems.length > 0) {
                        throw new Error(`--instances: ${validationMessage(problems)}`);
                    }
                }
                parsed.instances = ids;
                i++;
                break;
            }
            case "--quiet":
                parsed.quiet = true;
                break;
            case "--help":
            case "-h":
                process.stdout.write(`${USAGE}\n`);
                process.exit(0);
                break;
            default:
                throw new Error(`unknown argument ${flag ?? ""}`);
        }
    }
    return parsed;
}

function describe(request: RecordedRequest): string {
    const outcome = request.status === 0 ? "no response" : String(request.status);
    const parts = [`#${request.seq}`, request.method, request.path, "->", outcome];
    if (request.errorType !== undefined) {
        parts.push(request.errorType);
    }
    if (request.fault !== undefined) {
        parts.push(`[fault: ${request.fault}]`);
    }
    return parts.join(" ");
}

async function main(): Promise<void> {
    let args: Arguments;
    try {
        args = parseArguments(process.argv.slice(2));
    } catch (error: unknown) {
        process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
        process.exitCode = 2;
        return;
    }
    const emulator = await Emulator.start({
        port: args.port,
        instances: args.instances,
        keepAlive: true,
        ...(args.quiet
            ? {}
            : { onRequest: (r: RecordedRequest) => process.stdout.write(`${describe(r)}\n`) }),
    });
    const lines = [
        "Amazon Connect Campaigns V2 emulator (instance communication limits, STS AssumeRole)",
        `endpoint: ${emulator.endpoint}`,
        `access key id: ${TEST_CREDENTIALS.accessKeyId}`,
        `secret access key: ${TEST_CREDENTIALS.secretAccessKey}`,
        `instances: ${args.instances.join(",")}`,
        "",
        `export AWS_ENDPOINT_URL_CONNECTCAMPAIGNSV2=${emulator.endpoint} AWS_ACCESS_KEY_ID=${TEST_CREDENTIALS.accessKeyId} AWS_SECRET_ACCESS_KEY=${TEST_CREDENTIALS.secretAccessKey} AWS_REGION=us-west-2`,
        "",
        "Ctrl-C to stop.",
    ];
    process.stdout.write(`${lines.join("\n")}\n`);

    const shutdown = (signal: NodeJS.Signals): void => {
        emulator.stop().then(
            () => process.stdout.write(`stopped (${signal})\n`),
            (error: unknown) => {
                process.stderr.write(`stop failed: ${String(error)}\n`);
                process.exitCode = 1;
            },
        );
    };
    process.once("SIGINT", shutdown);
    process.once("SIGTERM", shutdown);
}

main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
});

/**
 * The real `pulumi` CLI for the benchmark's sections 7 and 8: an offline workspace (temporary PULUMI_HOME
 * and file backend, removed by `dispose`) whose programs and provider hosts reach the benchmark's emulator,
 * and one operation run with what the emulator saw during it, read from its request log.
 */
import type { RecordedRequest } from "connect-campaigns-emulator";
import { emulatorEnv } from "../../test/support/env";
import { CliWorkspace, stepOps, transcript } from "../pulumi-cli/workspace";
import type { CliResult, CliStack } from "../pulumi-cli/workspace";
import type { BenchContext } from "./context";

/** The two Connect operations: what the service's quota applies to (STS is not under it). */
const CONNECT = new Set(["GetInstanceCommunicationLimits", "PutInstanceCommunicationLimits"]);

/** What the emulator's log says about the requests of one run (or several runs of one operation). */
export interface RequestCounts {
    /** Connect requests answered without throttling: the requests the operation needed. */
    connect: number;
    /** Connect requests answered 429 because the quota's bucket was empty. */
    throttled: number;
    /** STS GetCallerIdentity requests. */
    sts: number;
}

export function countRequests(requests: readonly RecordedRequest[]): RequestCounts {
    let connect = 0;
    let throttled = 0;
    let sts = 0;
    for (const request of requests) {
        if (request.operation === "GetCallerIdentity") {
            sts++;
        } else if (CONNECT.has(request.operation)) {
            if (request.throttled) {
                throttled++;
            } else {
                connect++;
            }
        }
    }
    return { connect, throttled, sts };
}

/** One CLI command: its result, its requests, and the resource operations the engine reported failed. */
export interface CliRun {
    result: CliResult;
    counts: RequestCounts;
    failedOps: number;
}

export class BenchCli {
    private constructor(
        private readonly context: BenchContext,
        readonly workspace: CliWorkspace,
    ) {}

    /** Fails, saying how to get one, when no CLI is installed (`npm run cli:install`). */
    static create(context: BenchContext): BenchCli {
        const workspace = CliWorkspace.create(emulatorEnv(context.emulator.url));
        return new BenchCli(context, workspace);
    }

    /** A new stack of a copy of `programDir` with `config` set. */
    async stack(programDir: string, name: string, config: Record<string, string>): Promise<CliStack> {
        const stack = await this.workspace.stack(this.workspace.project(programDir), name);
        await stack.setConfig(config);
        return stack;
    }

    /**
     * `pulumi <args>` on `stack`, with the emulator's log cleared first: the counts are this command's.
     * A failing command is returned, not thrown: the quota section counts failures.
     */
    async run(
        stack: CliStack,
        args: string[],
        env: Record<string, string | undefined> = {},
    ): Promise<CliRun> {
        this.context.emulator.clearRequests();
        // A fleet of 500 at 5 requests a second takes minutes; a hang does not end on its own.
        const result = await stack.run(args, { env, timeoutMs: 3_600_000 });
        const counts = countRequests(this.context.emulator.requests());
        const failedOps = stepOps(result).filter((step) => step.failed).length;
        return { result, counts, failedOps };
    }

    /** As `run`, and anything but success is a broken benchmark. */
    async runOk(
        stack: CliStack,
        args: string[],
        env: Record<string, string | undefined> = {},
    ): Promise<CliRun> {
        const run = await this.run(stack, args, env);
        if (run.result.code !== 0) {
            throw new Error(`pulumi ${args.join(" ")} failed:\n${transcript(run.result)}`);
        }
        return run;
    }

    dispose(): void {
        this.workspace.dispose();
    }
}

/**
 * Section 7: a fleet under the service's quota, through the real `pulumi` CLI. The emulator throttles at a
 * quota (5 requests a second, burst 10); `pulumi up` creates the fleet, `pulumi refresh` reads it and
 * `pulumi destroy` resets it, at the CLI's default parallelism. Each operation's wall time is divided by
 * its physical floor: the Connect requests it needed (counted in the emulator's log, throttled ones and
 * STS left out) over the quota's rate — no client can do better. The baseline, in the same run, is the
 * same fleet under a dynamic provider written the obvious way (test/fixtures/bench/plain).
 */
import * as path from "node:path";

import type { CliStack } from "../pulumi-cli/workspace";
import { BenchCli } from "./cli";
import type { CliRun } from "./cli";
import { ROOT } from "./options";
import type { BenchContext } from "./context";
import type { BenchOptions } from "./options";
import { Status } from "./report";
import type { Row, SectionReport } from "./report";
import { formatMs, formatRatio } from "./stats";

const QUOTA_HEADING = "7. Fleet under the service's quota";

const LIMITS_PROGRAM = path.join(ROOT, "test", "fixtures", "bench", "limits");
const PLAIN_PROGRAM = path.join(ROOT, "test", "fixtures", "bench", "plain");
const RATIO_TARGET = 1.15;
const THROTTLED_TARGET = 0.05;
/** `--skip-preview`: a preview makes no write and is not what the floor is about (see the notes). */
const OPERATIONS = [
    { name: "up", what: "create", args: ["up", "--yes", "--skip-preview"] },
    { name: "refresh", what: "read", args: ["refresh", "--yes", "--skip-preview"] },
    { name: "destroy", what: "reset", args: ["destroy", "--yes", "--skip-preview"] },
] as const;
type OperationName = (typeof OPERATIONS)[number]["name"];

/** One operation on one fleet, run until it succeeded or `maxRuns` runs failed. */
interface Outcome {
    runs: number;
    finished: boolean;
    wallMs: number;
    connect: number;
    throttled: number;
    failedOps: number;
}

interface Side {
    name: string;
    stack: CliStack;
}

async function operate(
    cli: BenchCli,
    side: Side,
    args: readonly string[],
    maxRuns: number,
    progress: (message: string) => void,
): Promise<Outcome> {
    const outcome: Outcome = { runs: 0, finished: false, wallMs: 0, connect: 0, throttled: 0, failedOps: 0 };
    while (!outcome.finished && outcome.runs < maxRuns) {
        const run: CliRun = await cli.run(side.stack, [...args]);
        outcome.runs++;
        outcome.wallMs += run.result.durationMs;
        outcome.connect += run.counts.connect;
        outcome.throttled += run.counts.throttled;
        outcome.failedOps += run.failedOps;
        outcome.finished = run.result.code === 0;
        if (!outcome.finished) {
            // What an operator does: run it again; what was done stays done.
            progress(`${side.name}: pulumi ${args[0] ?? ""} failed (run ${outcome.runs}), running it again`);
        }
    }
    return outcome;
}

function floorMs(outcome: Outcome, rate: number): number {
    return (outcome.connect / rate) * 1000;
}

function ratioOf(outcome: Outcome, rate: number): number {
    return outcome.wallMs / floorMs(outcome, rate);
}

function perSuccess(outcome: Outcome): number {
    return outcome.connect === 0 ? 0 : outcome.throttled / outcome.connect;
}

function runsText(outcome: Outcome, maxRuns: number): string {
    if (!outcome.finished) {
        return `did not finish in ${maxRuns} runs`;
    }
    return outcome.runs === 1 ? "1 run" : `${outcome.runs} runs`;
}

export async function measureQuota(
    context: BenchContext,
    options: BenchOptions,
    progress: (message: string) => void,
): Promise<SectionReport> {
    const { quota, quotaFleet: size, maxRuns } = options;
    const cli = BenchCli.create(context);
    const results = new Map<OperationName, { ours: Outcome; plain: Outcome }>();
    try {
        const oursIds = context.onboard("quota-ours", size);
        const plainIds = context.onboard("quota-plain", size);
        const ours: Side = {
            name: "this provider",
            stack: await cli.stack(LIMITS_PROGRAM, "quota-ours", {
                "bench-limits:instances": JSON.stringify(oursIds),
                "connect-campaign-limits:requestsPerSecond": String(quota.rate),
                "connect-campaign-limits:requestBurst": String(quota.burst),
            }),
        };
        const plain: Side = {
            name: "plain provider",
            stack: await cli.stack(PLAIN_PROGRAM, "quota-plain", {
                "bench-plain:instances": JSON.stringify(plainIds),
            }),
        };
        for (const operation of OPERATIONS) {
            const outcomes: Outcome[] = [];
            for (const side of [ours, plain]) {
                progress(`${side.name}: pulumi ${operation.name} of ${size} instances at ${quota.rate}/s`);
                // Each side starts with the quota's bucket full, as after any quiet minute.
                context.emulator.setQuota(quota);
                try {
                    outcomes.push(await operate(cli, side, operation.args, maxRuns, progress));
                } finally {
                    context.emulator.setQuota(undefined);
                }
            }
            const [oursOutcome, plainOutcome] = outcomes;
            if (oursOutcome === undefined || plainOutcome === undefined) {
                throw new Error(`no outcome of ${operation.name}`);
            }
            results.set(operation.name, { ours: oursOutcome, plain: plainOutcome });
        }
    } finally {
        cli.dispose();
    }

    const rows: Row[] = [];
    for (const operation of OPERATIONS) {
        const result = results.get(operation.name);
        if (result === undefined) {
            continue;
        }
        const { ours, plain } = result;
        if (!ours.finished) {
            throw new Error(
                `pulumi ${operation.name} of ${size} instances under the quota did not finish in ${maxRuns} runs`,
            );
        }
        const ratio = ratioOf(ours, quota.rate);
        const plainRatio = plain.connect === 0 ? "—" : formatRatio(ratioOf(plain, quota.rate));
        const label = `pulumi ${operation.name} ×${size} (${operation.what})`;
        rows.push(
            {
                measure: `${label}: wall time ÷ floor`,
                result: `${formatMs(ours.wallMs)}; floor ${formatMs(floorMs(ours, quota.rate))} (${ours.connect} requests)`,
                ratio: formatRatio(ratio),
                baseline:
                    `plain provider: ${plainRatio} (${formatMs(plain.wallMs)}, floor ` +
                    `${formatMs(floorMs(plain, quota.rate))}, ${runsText(plain, maxRuns)})`,
                target: `≤ ${formatRatio(RATIO_TARGET)}`,
                status: ratio <= RATIO_TARGET ? Status.Pass : Status.Miss,
            },
            {
                measure: `${label}: failed operations`,
                result: String(ours.failedOps),
                ratio: "—",
                baseline: `plain provider: ${plain.failedOps} in ${runsText(plain, maxRuns)}`,
                target: "0",
                status: ours.failedOps === 0 ? Status.Pass : Status.Miss,
            },
            {
                measure: `${label}: throttled per successful request`,
                result: `${perSuccess(ours).toFixed(3)} (${ours.throttled} of ${ours.connect + ours.throttled})`,
                ratio: "—",
                baseline:
                    `plain provider: ${perSuccess(plain).toFixed(3)} ` +
                    `(${plain.throttled} of ${plain.connect + plain.throttled})`,
                target: `≤ ${THROTTLED_TARGET.toFixed(2)}`,
                status: perSuccess(ours) <= THROTTLED_TARGET ? Status.Pass : Status.Miss,
            },
        );
    }
    return {
        heading: QUOTA_HEADING,
        rows,
        notes: [
            `The emulator throttles Connect requests at ${quota.rate} per second, burst ${quota.burst}, per account ` +
                "and region (answering 429 ThrottlingException), with its bucket full at the start of each " +
                `operation. ${size} onboarded instances per fleet, never configured before the create. Every ` +
                "command is the real `pulumi` CLI with its default `--parallel` (4 × cores), `--yes --skip-preview`: " +
                "a preview sends no write (and a refresh's preview would read every instance a second time), so " +
                "the floor is about the deployment alone.",
            `This provider's budget is set to the quota (connect-campaign-limits:requestsPerSecond ${quota.rate}, ` +
                `requestBurst ${quota.burst}): this stack is the only caller of the account's quota here, so the ` +
                "whole quota is its to use, and a burst equal to the quota's lets the first requests go as the " +
                "service would let them. With other callers sharing the quota, set requestsPerSecond to this " +
                "stack's share; the budget also slows down by itself when the service throttles.",
            "Floor: the Connect requests the operation needed — answered without throttling, counted in the " +
                "emulator's log; STS GetCallerIdentity (once per host, not under the Connect quota) and throttled " +
                `requests left out — divided by ${quota.rate}/s. Wall time: the CLI command from start to exit, ` +
                "engine start-up and program included.",
            "Baseline: test/fixtures/bench/plain, a dynamic provider written the obvious way — a default " +
                "ConnectCampaignsV2Client per call (the SDK's standard retries: 3 attempts), no pacing; get, put, " +
                "get in create, get in read, put in delete. When a command fails, it is run again, as an operator " +
                "would, until it succeeds; its figures add up every run (wall time, requests, failed operations).",
        ],
    };
}

/**
 * Section 6: the fleet refresh when the service throttles. The emulator answers a seeded share of the Connect
 * requests with 429 ThrottlingException; the provider's SDK client retries them (standard strategy,
 * exponential backoff with jitter). Each repetition refreshes without faults, then with them, and the
 * figure is the ratio of the two. Every refresh must succeed: a failure means the retries did not hold.
 */
import { FaultKind, Operation } from "connect-campaigns-emulator";
import type { BenchContext, Deployed } from "./context";
import type { BenchOptions } from "./options";
import { Status } from "./report";
import type { Row, SectionReport } from "./report";
import { formatMs, formatRatio, formatSummary, summarize } from "./stats";

const FAULTS_HEADING = "6. Under faults";

interface Pass {
    ms: number;
    gets: number;
    throttled: number;
}

async function refresh(
    context: BenchContext,
    fleet: Deployed,
    parallel: number,
    what: string,
): Promise<Pass> {
    const before = context.emulator.stats();
    context.emulator.clearRequests();
    const result = await context.run(what, context.stack(fleet, parallel).refresh());
    const after = context.emulator.stats();
    return {
        ms: result.timings.totalMs,
        gets: context.emulator.count(Operation.GetInstanceCommunicationLimits),
        throttled: after.faults.throttle - before.faults.throttle,
    };
}

export async function measureFaults(
    context: BenchContext,
    fleet: Deployed,
    options: BenchOptions,
): Promise<SectionReport> {
    const parallel = options.faultParallelism;
    const percent = `${Math.round(options.throttleRate * 100)}%`;
    const clean: Pass[] = [];
    const faulted: Pass[] = [];
    try {
        for (let repetition = 0; repetition < options.repetitions; repetition++) {
            context.emulator.setFaultProfile(undefined);
            clean.push(await refresh(context, fleet, parallel, `refresh of ${fleet.size} resources`));
            context.emulator.setFaultProfile({
                seed: 6000 + repetition,
                rate: options.throttleRate,
                kinds: [FaultKind.Throttle],
            });
            faulted.push(
                await refresh(
                    context,
                    fleet,
                    parallel,
                    `refresh of ${fleet.size} resources, ${percent} throttled`,
                ),
            );
        }
    } finally {
        context.emulator.setFaultProfile(undefined);
    }
    const ratio = (pick: (pass: Pass) => number): number[] =>
        faulted.map((pass, index) => pick(pass) / pick(clean[index] ?? pass));
    const perResource = (passes: Pass[]): number[] => passes.map((pass) => pass.gets / fleet.size);
    const rows: Row[] = [
        {
            measure: `refresh ×${fleet.size}, parallel ${parallel}, ${percent} throttled`,
            result: formatSummary(summarize(faulted.map((pass) => pass.ms)), formatMs),
            ratio: formatSummary(summarize(ratio((pass) => pass.ms)), formatRatio),
            baseline: `same refresh without faults: ${formatSummary(summarize(clean.map((pass) => pass.ms)), formatMs)}`,
            target: "—",
            status: Status.None,
        },
        {
            measure: "Get requests per resource (retries included)",
            result: formatSummary(summarize(perResource(faulted)), (value) => value.toFixed(2)),
            ratio: formatSummary(summarize(ratio((pass) => pass.gets)), formatRatio),
            baseline: `without faults: ${formatSummary(summarize(perResource(clean)), (value) => value.toFixed(2))}`,
            target: "—",
            status: Status.None,
        },
        {
            measure: "throttled requests per refresh",
            result: formatSummary(summarize(faulted.map((pass) => pass.throttled)), (value) =>
                value.toFixed(0),
            ),
            ratio: "—",
            baseline: `${percent} of Connect requests, seeded per repetition`,
            target: "every refresh succeeds",
            status: Status.Pass,
        },
    ];
    return {
        heading: FAULTS_HEADING,
        rows,
        notes: [
            `Each repetition refreshes the ${fleet.size}-resource stack through the harness at parallel ` +
                `${parallel} without faults, then with ${percent} of Connect requests throttled (a seeded ` +
                "profile, so retries are throttled at the same rate); the ratio is faulted over clean.",
            "The provider's client retries throttling with the SDK's standard strategy (exponential backoff with " +
                "full jitter, from a longer base for throttling than for other errors), so the added time is " +
                "mostly backoff waits, which other resources' calls overlap at this parallelism.",
        ],
    };
}

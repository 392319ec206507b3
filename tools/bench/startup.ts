/**
 * Section 4: how long the engine waits before the first answer from a new host process. Timed from the
 * spawn of `@pulumi/pulumi/cmd/dynamic-provider` to the first Check answered (the port line, the gRPC
 * connection, Configure, then a Check that deserializes and configures the provider), with this provider
 * and with the trivial fixture provider, alternately, in the same host code.
 */
import { performance } from "node:perf_hooks";

import { PROVIDER_KEY } from "../harness";
import type { PropertyMap } from "../harness";
import { ProviderHost } from "../harness/host";
import { messageOf } from "../shared";
import { LIMITS_PROGRAM, LIMITS_TYPE, TRIVIAL_PROGRAM, TRIVIAL_TYPE, programInputs, urnOf } from "./context";
import type { BenchOptions } from "./options";
import { Status } from "./report";
import type { Row, SectionReport } from "./report";
import { formatBytes, formatMs, formatRatio, formatSummary, median, summarize } from "./stats";

const STARTUP_HEADING = "4. Host start-up";
const TARGET = 1.3;

interface Subject {
    programDir: string;
    urn: string;
    news: PropertyMap;
}

interface Start {
    /** Spawn to the first Check answered. */
    totalMs: number;
    /** Spawn to the port line: the host's own loading, the same for every provider. */
    listeningMs: number;
}

async function startOnce(subject: Subject): Promise<Start> {
    let stderr = "";
    const started = performance.now();
    const host = await ProviderHost.start({
        programDir: subject.programDir,
        env: process.env,
        onStderr: (text) => (stderr += text),
    });
    try {
        const listeningMs = performance.now() - started;
        await host.configure({});
        const checked = await host.check(subject.urn, {}, subject.news);
        const totalMs = performance.now() - started;
        if (checked.failures.length > 0) {
            throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
        }
        return { totalMs, listeningMs };
    } catch (error) {
        throw new Error(`first Check in ${subject.programDir} failed: ${messageOf(error)}\n${stderr}`, {
            cause: error,
        });
    } finally {
        await host.stop();
    }
}

export async function measureStartup(
    providerText: string,
    trivialText: string,
    options: BenchOptions,
): Promise<SectionReport> {
    const ours: Subject = {
        programDir: LIMITS_PROGRAM,
        urn: urnOf("bench-limits", LIMITS_TYPE, "startup"),
        news: programInputs(providerText, "startup-0000"),
    };
    const trivial: Subject = {
        programDir: TRIVIAL_PROGRAM,
        urn: urnOf("bench-trivial", TRIVIAL_TYPE, "startup"),
        news: { [PROVIDER_KEY]: trivialText, value: "startup" },
    };
    const totals = { ratios: [] as number[], ours: [] as number[], trivial: [] as number[] };
    const afterListening = { ratios: [] as number[], ours: [] as number[], trivial: [] as number[] };
    for (let repetition = 0; repetition < options.repetitions; repetition++) {
        const runs = { ours: [] as Start[], trivial: [] as Start[] };
        for (let i = 0; i < options.startsPerRepetition; i++) {
            // Alternating which goes first keeps a warming page cache from favouring one side.
            if ((repetition + i) % 2 === 0) {
                runs.ours.push(await startOnce(ours));
                runs.trivial.push(await startOnce(trivial));
            } else {
                runs.trivial.push(await startOnce(trivial));
                runs.ours.push(await startOnce(ours));
            }
        }
        const oursTotal = median(runs.ours.map((run) => run.totalMs));
        const trivialTotal = median(runs.trivial.map((run) => run.totalMs));
        totals.ours.push(oursTotal);
        totals.trivial.push(trivialTotal);
        totals.ratios.push(oursTotal / trivialTotal);
        const oursAfter = median(runs.ours.map((run) => run.totalMs - run.listeningMs));
        const trivialAfter = median(runs.trivial.map((run) => run.totalMs - run.listeningMs));
        afterListening.ours.push(oursAfter);
        afterListening.trivial.push(trivialAfter);
        afterListening.ratios.push(oursAfter / trivialAfter);
    }
    const ratio = summarize(totals.ratios);
    const rows: Row[] = [
        {
            measure: "spawn → first Check answered",
            result: formatSummary(summarize(totals.ours), formatMs),
            ratio: formatSummary(ratio, formatRatio),
            baseline: `trivial dynamic provider: ${formatSummary(summarize(totals.trivial), formatMs)}`,
            target: `≤ ${formatRatio(TARGET)}`,
            status: ratio.median <= TARGET ? Status.Pass : Status.Miss,
        },
        {
            measure: "of which: host listening → first Check answered",
            result: formatSummary(summarize(afterListening.ours), formatMs),
            ratio: formatSummary(summarize(afterListening.ratios), formatRatio),
            baseline: `trivial dynamic provider: ${formatSummary(summarize(afterListening.trivial), formatMs)}`,
            target: "—",
            status: Status.None,
        },
    ];
    return {
        heading: STARTUP_HEADING,
        rows,
        notes: [
            `Per repetition: ${options.startsPerRepetition} start(s) of each, alternating; a repetition's ` +
                "figure is the median of this provider over the median of the trivial one.",
            "The same host code (`@pulumi/pulumi/cmd/dynamic-provider`, cwd = the fixture program's " +
                `directory) serves both; the trivial provider's \`__provider\` is ${formatBytes(Buffer.byteLength(trivialText))}` +
                " and loads nothing. The second row leaves out the host's own loading (spawn to port line): " +
                "what remains is Configure and the first Check, where this provider's stub loads the installed " +
                "package.",
        ],
    };
}

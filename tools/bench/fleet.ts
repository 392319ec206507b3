/**
 * Section 5: a fleet of instances in one stack. Check and diff are pure CPU: timed in-process against the
 * cost of carrying the same properties over the host's wire format (through the host: section 8). Refresh is timed end to end through the harness at several parallelisms, and as bare
 * Read+Diff RPCs to one host, each at the mid size and the fleet size, to show how the cost per resource
 * grows with the fleet.
 */
import * as path from "node:path";

import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { InstanceCommunicationLimitsProvider } from "pulumi-connect-campaign-limits/provider";

import { PROVIDER_KEY } from "../harness";
import type { PropertyMap, StateResource } from "../harness";
import type { ProviderHost } from "../harness/host";
import { writeState } from "../harness/state";
import { pool } from "../shared";
import { LIMITS_PROGRAM, connectInstanceIdOf, programInputs, providerTextOf } from "./context";
import type { BenchContext, Deployed } from "./context";
import type { BenchOptions } from "./options";
import { Status } from "./report";
import type { Row, SectionReport } from "./report";
import { formatMs, formatRatio, formatSummary, median, summarize, timed } from "./stats";
import type { Summary } from "./stats";

const FLEET_HEADING = "5. Fleet scale";
/** Cost per resource at the fleet size over the cost at the mid size: linear growth gives 1. */
const LINEAR_TARGET = 1.25;
/** In-process loops are repeated until they have handled at least this many resources, for a readable time. */
const MIN_IN_PROCESS_RESOURCES = 5000;

type Stacks = { one: Deployed; mid: Deployed; fleet: Deployed };

function roundTrip(props: PropertyMap): unknown {
    return Struct.fromJavaScript(props).toJavaScript();
}

function growthRow(
    measure: string,
    fleetSize: number,
    midSize: number,
    perResource: { mid: number[]; fleet: number[] },
): Row {
    const ratios = perResource.fleet.map((value, index) => value / (perResource.mid[index] ?? Number.NaN));
    const growth = summarize(ratios);
    return {
        measure,
        result: `${formatSummary(summarize(perResource.fleet), formatMs)} per resource`,
        ratio: formatSummary(growth, formatRatio),
        baseline: `×${midSize}: ${formatSummary(summarize(perResource.mid), formatMs)} per resource`,
        target: `≤ ${formatRatio(LINEAR_TARGET)} (linear) at ×${fleetSize}`,
        status: growth.median <= LINEAR_TARGET ? Status.Pass : Status.Miss,
    };
}

/** check then diff for every resource, in this process, against the Struct round trips of the same data. */
async function inProcess(stacks: Stacks, options: BenchOptions): Promise<Row> {
    const provider = new InstanceCommunicationLimitsProvider();
    const text = providerTextOf(stacks.fleet.resources[0]);
    const work = stacks.fleet.resources.map((resource) => ({
        id: resource.id,
        news: programInputs(text, connectInstanceIdOf(resource)),
        inputs: resource.inputs,
        outputs: resource.outputs,
    }));
    const passes = Math.max(1, Math.ceil(MIN_IN_PROCESS_RESOURCES / work.length));
    const ours = async (): Promise<void> => {
        for (let pass = 0; pass < passes; pass++) {
            for (const item of work) {
                const checked = await provider.check({}, item.news);
                if (checked.failures !== undefined && checked.failures.length > 0) {
                    throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
                }
                await provider.diff(item.id, item.outputs, { ...checked.inputs, [PROVIDER_KEY]: text });
            }
        }
    };
    const marshalling = (): Promise<void> => {
        for (let pass = 0; pass < passes; pass++) {
            for (const item of work) {
                // Check's news, then Diff's old inputs, old outputs and new inputs.
                roundTrip(item.news);
                roundTrip(item.inputs);
                roundTrip(item.outputs);
                roundTrip(item.inputs);
            }
        }
        return Promise.resolve();
    };
    // One untimed pass each, so that both are compiled by the JIT before they are timed.
    await ours();
    await marshalling();
    const handled = passes * work.length;
    const oursMs: number[] = [];
    const baseMs: number[] = [];
    const ratios: number[] = [];
    for (let repetition = 0; repetition < options.repetitions; repetition++) {
        const a = (await timed(ours)) / handled;
        const b = (await timed(marshalling)) / handled;
        oursMs.push(a);
        baseMs.push(b);
        ratios.push(a / b);
    }
    return {
        measure: `check+diff ×${work.length} in-process (pure CPU)`,
        result: `${formatSummary(summarize(oursMs), formatMs)} per resource`,
        ratio: formatSummary(summarize(ratios), formatRatio),
        baseline: `gRPC Struct encode+decode of the same properties: ${formatSummary(summarize(baseMs), formatMs)} per resource`,
        target: "—",
        status: Status.None,
    };
}

interface RefreshTimes {
    /** Per parallelism: per-repetition times of the one-resource, mid and fleet refreshes. */
    byParallel: Map<number, { one: number[]; mid: number[]; fleet: number[] }>;
}

/** `refresh` of the three stacks through the harness, interleaved: repetition → parallelism → size. */
async function harnessRefreshes(
    context: BenchContext,
    stacks: Stacks,
    options: BenchOptions,
): Promise<RefreshTimes> {
    const byParallel = new Map(
        options.parallelism.map((p) => [
            p,
            { one: [] as number[], mid: [] as number[], fleet: [] as number[] },
        ]),
    );
    for (let repetition = 0; repetition < options.repetitions; repetition++) {
        for (const parallel of options.parallelism) {
            const times = byParallel.get(parallel);
            for (const size of ["one", "mid", "fleet"] as const) {
                const stack = stacks[size];
                // The emulator's log is only needed for counting; kept short so it costs the same every time.
                context.emulator.clearRequests();
                const result = await context.run(
                    `refresh of ${stack.size} resources at parallel ${parallel}`,
                    context.stack(stack, parallel).refresh(),
                );
                times?.[size].push(result.timings.totalMs);
            }
        }
    }
    return { byParallel };
}

/** Read then Diff (what a refresh asks of the provider) for every resource, `parallel` at once, one warm host. */
async function rpcRefreshes(
    context: BenchContext,
    stacks: Stacks,
    options: BenchOptions,
): Promise<Map<number, { mid: number[]; fleet: number[] }>> {
    const refresh = (host: ProviderHost, resources: StateResource[], parallel: number): Promise<void> =>
        pool(resources, parallel, async (resource) => {
            const read = await host.read(resource.urn, resource.id, resource.inputs, resource.outputs);
            if (read.id !== resource.id) {
                throw new Error(`${resource.urn}: read answered id ${JSON.stringify(read.id)}`);
            }
            await host.diff(
                resource.urn,
                read.id,
                read.inputs ?? resource.inputs,
                read.outputs,
                resource.inputs,
            );
        });
    return context.withHost(LIMITS_PROGRAM, async (host) => {
        await refresh(host, stacks.mid.resources, 8);
        const byParallel = new Map(
            options.parallelism.map((p) => [p, { mid: [] as number[], fleet: [] as number[] }]),
        );
        for (let repetition = 0; repetition < options.repetitions; repetition++) {
            for (const parallel of options.parallelism) {
                const times = byParallel.get(parallel);
                for (const size of ["mid", "fleet"] as const) {
                    const resources = stacks[size].resources;
                    context.emulator.clearRequests();
                    times?.[size].push(
                        (await timed(() => refresh(host, resources, parallel))) / resources.length,
                    );
                }
            }
        }
        return byParallel;
    });
}

/** One write of the fleet's state file, as the harness does after every step. */
async function stateWriteMs(context: BenchContext, stacks: Stacks, options: BenchOptions): Promise<Summary> {
    const file = path.join(context.dir, "state-write-probe.json");
    const times: number[] = [];
    for (let repetition = 0; repetition < Math.max(3, options.repetitions); repetition++) {
        times.push(
            await timed(() => {
                writeState(file, stacks.fleet.state.resources);
                return Promise.resolve();
            }),
        );
    }
    return summarize(times);
}

export async function measureFleet(
    context: BenchContext,
    stacks: Stacks,
    options: BenchOptions,
    progress: (message: string) => void,
): Promise<SectionReport> {
    const { one, mid, fleet } = stacks;
    progress(`check+diff of ${fleet.size} resources in-process`);
    const rows: Row[] = [await inProcess(stacks, options)];

    progress(`refreshes of ${one.size}, ${mid.size} and ${fleet.size} resources through the harness`);
    const harness = await harnessRefreshes(context, stacks, options);
    const totals: string[] = [];
    for (const [parallel, times] of harness.byParallel) {
        // A refresh of one resource is the fixed part (host start, first call); what remains is per resource.
        const marginal = (size: "mid" | "fleet"): number[] =>
            times[size].map(
                (ms, index) => Math.max(ms - (times.one[index] ?? 0), 1) / (stacks[size].size - one.size),
            );
        rows.push(
            growthRow(
                `refresh ×${fleet.size} through the harness, parallel ${parallel}`,
                fleet.size,
                mid.size,
                {
                    mid: marginal("mid"),
                    fleet: marginal("fleet"),
                },
            ),
        );
        totals.push(`parallel ${parallel}: ${formatMs(median(times.fleet))}`);
    }

    progress(`Read+Diff RPCs of ${mid.size} and ${fleet.size} resources through one host`);
    const rpc = await rpcRefreshes(context, stacks, options);
    for (const [parallel, times] of rpc) {
        rows.push(
            growthRow(
                `Read+Diff ×${fleet.size} through one host, ${parallel} at once`,
                fleet.size,
                mid.size,
                times,
            ),
        );
    }
    const write = await stateWriteMs(context, stacks, options);

    return {
        heading: FLEET_HEADING,
        rows,
        notes: [
            `check+diff: the provider's own check and diff, loaded from the installed package, over the ` +
                `${fleet.size} resources' program inputs and stored outputs (repeated to at least ` +
                `${MIN_IN_PROCESS_RESOURCES} resources per repetition); the baseline encodes and decodes as ` +
                "protobuf Structs the four property maps the Check and Diff requests carry, the least the host does.",
            "Check+Diff through the host, against the trivial provider, is in section 8 with where its time goes.",
            `Refresh through the harness: \`refresh\` of the whole stack (a new host, Read and Diff per resource, ` +
                `state written after each step). Per resource = (time of ×N − time of ×${one.size}) / ` +
                `(N − ${one.size}); the ratio is the cost per resource at ×${fleet.size} over the cost at ` +
                `×${mid.size}. Whole refresh of ${fleet.size}: ${totals.join(", ")}.`,
            `The harness writes the whole state file after every step, as a checkpoint does: one write of the ` +
                `${fleet.size}-resource state takes ${formatSummary(write, formatMs)} here, about ` +
                `${formatMs(write.median * fleet.size)} over a refresh: a cost that grows with N², and with the ` +
                "bytes each resource holds in state (section 2). Read+Diff through one host leaves the " +
                "harness out: the same RPCs, `parallel` at once, to a host that is already running.",
            "The emulator runs in the benchmark's own process, next to the harness and the gRPC clients: on a " +
                "machine with few cores that one process can limit what parallelism gains.",
        ],
    };
}

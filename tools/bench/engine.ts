/**
 * Section 8: what the engine spends on a fleet of this provider's resources, against a fleet of the trivial
 * dynamic provider in the same program shape (one resource per config entry), with no quota and the
 * request budget lifted. `pulumi up`, `preview` and `refresh` through the real CLI; then the Check and Diff
 * RPCs a preview makes, through one warm host, with the host's CPU profiled to say where the difference
 * goes.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";

import { PROVIDER_KEY } from "../harness";
import type { PropertyMap } from "../harness";
import type { ProviderHost } from "../harness/host";
import type { CliStack } from "../pulumi-cli/workspace";
import { BenchCli } from "./cli";
import {
    LIMITS_PROGRAM,
    TRIVIAL_PROGRAM,
    TRIVIAL_TYPE,
    UNPACED,
    connectInstanceIdOf,
    programInputs,
    providerTextOf,
    urnOf,
} from "./context";
import type { BenchContext, Deployed } from "./context";
import type { BenchOptions } from "./options";
import { CATEGORIES, Category, hookEnv, profiled, totalMs, writeHook } from "./profile";
import type { Breakdown } from "./profile";
import { Status } from "./report";
import type { Row, SectionReport } from "./report";
import { formatMs, formatRatio, formatSummary, summarize } from "./stats";

const ENGINE_HEADING = "8. The engine's own cost";
const CLI_TARGET = 1.3;
const CHECK_DIFF_TARGET = 1.2;

interface Timing {
    ours: number[];
    trivial: number[];
    ratios: number[];
}

function timing(): Timing {
    return { ours: [], trivial: [], ratios: [] };
}

function record(into: Timing, ours: number, trivial: number): void {
    into.ours.push(ours);
    into.trivial.push(trivial);
    into.ratios.push(ours / trivial);
}

function cliRow(measure: string, times: Timing, target: number | undefined): Row {
    const ratio = summarize(times.ratios);
    return {
        measure,
        result: formatSummary(summarize(times.ours), formatMs),
        ratio: formatSummary(ratio, formatRatio),
        baseline: `trivial dynamic provider: ${formatSummary(summarize(times.trivial), formatMs)}`,
        target: target === undefined ? "—" : `≤ ${formatRatio(target)}`,
        status: target === undefined ? Status.None : ratio.median <= target ? Status.Pass : Status.Miss,
    };
}

/** up, preview, refresh (timed) and destroy, each repetition, alternating which provider goes first. */
async function throughCli(
    context: BenchContext,
    options: BenchOptions,
    progress: (message: string) => void,
): Promise<Row[]> {
    const size = options.engineFleet;
    const cli = BenchCli.create(context);
    const up = timing();
    const preview = timing();
    const refresh = timing();
    const upNoCheckpoints = timing();
    try {
        const ids = context.onboard("engine", size);
        const ours = await cli.stack(LIMITS_PROGRAM, "engine-ours", {
            "bench-limits:instances": JSON.stringify(ids),
            ...UNPACED,
        });
        const trivial = await cli.stack(TRIVIAL_PROGRAM, "engine-trivial", {
            "bench-trivial:count": String(size),
        });
        const both = async (
            repetition: number,
            args: string[],
            into: Timing | undefined,
            env: Record<string, string> = {},
        ): Promise<void> => {
            const ms = new Map<CliStack, number>();
            const order = repetition % 2 === 0 ? [ours, trivial] : [trivial, ours];
            for (const stack of order) {
                ms.set(stack, (await cli.runOk(stack, args, env)).result.durationMs);
            }
            if (into !== undefined) {
                record(into, ms.get(ours) ?? Number.NaN, ms.get(trivial) ?? Number.NaN);
            }
        };
        for (let repetition = 0; repetition < options.repetitions; repetition++) {
            progress(
                `pulumi up, preview, refresh and destroy of ${size} resources (repetition ${repetition + 1})`,
            );
            await both(repetition, ["up", "--yes", "--skip-preview"], up);
            await both(repetition, ["preview"], preview);
            await both(repetition, ["refresh", "--yes", "--skip-preview"], refresh);
            await both(repetition, ["destroy", "--yes", "--skip-preview"], undefined);
            // The same create without the checkpoint the engine writes after every step: its share of `up`.
            await both(repetition, ["up", "--yes", "--skip-preview"], upNoCheckpoints, {
                PULUMI_SKIP_CHECKPOINTS: "true",
            });
            await both(repetition, ["destroy", "--yes", "--skip-preview"], undefined);
        }
    } finally {
        cli.dispose();
    }
    return [
        cliRow(`pulumi up ×${size} (create)`, up, CLI_TARGET),
        cliRow(`pulumi preview ×${size} (no changes)`, preview, CLI_TARGET),
        cliRow(`pulumi refresh ×${size} (no drift)`, refresh, CLI_TARGET),
        cliRow(`pulumi up ×${size} with PULUMI_SKIP_CHECKPOINTS=true`, upNoCheckpoints, undefined),
    ];
}

/** What a Check and a Diff RPC of one resource carry. */
interface RpcItem {
    urn: string;
    id: string;
    news: PropertyMap;
    inputs: PropertyMap;
    outputs: PropertyMap;
}

async function pass(host: ProviderHost, work: readonly RpcItem[], count: number): Promise<void> {
    for (const item of work.slice(0, count)) {
        const checked = await host.check(item.urn, item.inputs, item.news);
        if (checked.failures.length > 0) {
            throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
        }
        const diff = await host.diff(item.urn, item.id, item.inputs, item.outputs, checked.inputs);
        if (diff.changes !== "none") {
            throw new Error(`${item.urn}: diff of unchanged inputs gave ${diff.changes}`);
        }
    }
}

interface Measured {
    /** Per repetition, per resource: wall time, and the CPU this (the engine's) side spent. */
    wall: number[];
    client: number[];
    /** One profiled pass of the host, per resource. */
    host: Breakdown;
}

function cpuMs(since: NodeJS.CpuUsage): number {
    const used = process.cpuUsage(since);
    return (used.user + used.system) / 1000;
}

/** Timed passes to a warm host, then one more pass to another host with its profiler on. */
async function measureHost(
    context: BenchContext,
    programDir: string,
    work: readonly RpcItem[],
    repetitions: number,
    hook: string,
    label: string,
): Promise<Measured> {
    const measured: Measured = { wall: [], client: [], host: new Map() };
    await context.withHost(programDir, async (host) => {
        // Warm-up: the first Check loads the provider; a few dozen more let the JIT settle on both sides.
        await pass(host, work, 50);
        for (let repetition = 0; repetition < repetitions; repetition++) {
            const cpu = process.cpuUsage();
            const started = performance.now();
            await pass(host, work, work.length);
            measured.wall.push((performance.now() - started) / work.length);
            measured.client.push(cpuMs(cpu) / work.length);
        }
    });
    const profileFile = path.join(context.dir, `${label}.cpuprofile`);
    await context.withHost(
        programDir,
        async (host) => {
            await pass(host, work, 50);
            const pid = host.pid;
            if (pid === undefined) {
                throw new Error("the provider host has no pid");
            }
            const breakdown = await profiled(pid, profileFile, () => pass(host, work, work.length));
            measured.host = new Map([...breakdown].map(([category, ms]) => [category, ms / work.length]));
        },
        hookEnv(hook, profileFile),
    );
    fs.rmSync(profileFile, { force: true });
    return measured;
}

async function throughHost(
    context: BenchContext,
    fleet: Deployed,
    trivialText: string,
    options: BenchOptions,
): Promise<Row[]> {
    const text = providerTextOf(fleet.resources[0]);
    const ours = fleet.resources.map((resource): RpcItem => ({
        urn: resource.urn,
        id: resource.id,
        news: programInputs(text, connectInstanceIdOf(resource)),
        inputs: resource.inputs,
        outputs: resource.outputs,
    }));
    const trivial = ours.map((_, index): RpcItem => {
        const props = { [PROVIDER_KEY]: trivialText, value: `trivial-${index}` };
        return {
            urn: urnOf("bench-trivial", TRIVIAL_TYPE, `trivial-${index}`),
            id: `trivial-${index}`,
            news: props,
            inputs: props,
            outputs: props,
        };
    });
    const hook = writeHook(context.dir);
    const a = await measureHost(context, LIMITS_PROGRAM, ours, options.repetitions, hook, "ours");
    const b = await measureHost(context, TRIVIAL_PROGRAM, trivial, options.repetitions, hook, "trivial");
    const ratios = a.wall.map((value, index) => value / (b.wall[index] ?? Number.NaN));
    const ratio = summarize(ratios);
    const perResource = (values: number[]) => `${formatSummary(summarize(values), formatMs)} per resource`;
    const rows: Row[] = [
        {
            measure: `Check+Diff ×${ours.length} through the host`,
            result: perResource(a.wall),
            ratio: formatSummary(ratio, formatRatio),
            baseline: `trivial dynamic provider: ${perResource(b.wall)}`,
            target: `≤ ${formatRatio(CHECK_DIFF_TARGET)}`,
            status: ratio.median <= CHECK_DIFF_TARGET ? Status.Pass : Status.Miss,
        },
        {
            measure: "of which: the engine's side (the harness encodes requests, decodes answers)",
            result: `${formatMs(summarize(a.client).median)} CPU per resource`,
            ratio: formatRatio(summarize(a.client).median / summarize(b.client).median),
            baseline: `trivial dynamic provider: ${formatMs(summarize(b.client).median)} CPU per resource`,
            target: "—",
            status: Status.None,
        },
    ];
    const hostA = totalMs(a.host);
    const hostB = totalMs(b.host);
    rows.push({
        measure: "of which: the host process (profiled)",
        result: `${formatMs(hostA)} CPU per resource`,
        ratio: formatRatio(hostA / hostB),
        baseline: `trivial dynamic provider: ${formatMs(hostB)} CPU per resource`,
        target: "—",
        status: Status.None,
    });
    for (const category of CATEGORIES) {
        const mine = a.host.get(category) ?? 0;
        const theirs = b.host.get(category) ?? 0;
        rows.push({
            measure: `host: ${category}`,
            result: `${formatMs(mine)} per resource (${((100 * mine) / hostA).toFixed(0)}%)`,
            ratio: category === Category.Provider || theirs === 0 ? "—" : formatRatio(mine / theirs),
            baseline: `trivial dynamic provider: ${formatMs(theirs)} per resource`,
            target: "—",
            status: Status.None,
        });
    }
    return rows;
}

export async function measureEngine(
    context: BenchContext,
    fleet: Deployed,
    trivialText: string,
    options: BenchOptions,
    progress: (message: string) => void,
): Promise<SectionReport> {
    const rows = await throughCli(context, options, progress);
    progress(`Check+Diff of ${fleet.size} resources through the host, timed and profiled`);
    rows.push(...(await throughHost(context, fleet, trivialText, options)));
    return {
        heading: ENGINE_HEADING,
        rows,
        notes: [
            `CLI rows: the real \`pulumi\` CLI (default \`--parallel\`, file backend) on two stacks of ` +
                `${options.engineFleet} resources in the same program shape, one resource per config entry: ` +
                "test/fixtures/bench/limits (this provider; the emulator has no quota, the budget is lifted) and " +
                "test/fixtures/bench/trivial (create returns its inputs, no AWS call). Per repetition: up " +
                "(create), preview (nothing changed), refresh (nothing drifted), destroy, then up again with " +
                "PULUMI_SKIP_CHECKPOINTS=true and destroy; a repetition's ratio is this provider's time over the " +
                "trivial one's. This provider's create makes 3 Connect calls (and one STS call per host) that " +
                "the trivial one does not; its state holds more per resource (section 2), which every " +
                "checkpoint the engine writes after each step re-encodes.",
            `Check+Diff: the two RPCs a preview makes per unchanged resource, one resource after the other, to ` +
                `a warm host, ${fleet.size} resources per repetition; for the trivial provider the host answers ` +
                "Check itself and its diff compares one string. The engine's side is this process's CPU per " +
                "resource while the RPCs run (the harness's JavaScript protobuf; the real engine is Go).",
            "Host rows: one more pass, to another host with V8's sampling profiler on (loaded with " +
                "NODE_OPTIONS=--require, tools/bench/profile-hook.ts), each sample given to this provider's code " +
                "when any frame of its stack is in the package's dist/ (what that code calls included), else to " +
                "the module of its deepest frame. Idle time is left out; the profiler's own cost is in the " +
                "figures, alike on both sides.",
        ],
    };
}

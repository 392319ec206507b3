/**
 * `npm run bench`: cost per operation, state size, host start-up and fleet scale of the provider, against
 * the local emulator through Pulumi's real dynamic-provider host, as ratios against baselines measured in
 * the same run. Prints the table and writes it, with the machine and versions, as markdown (BENCHMARKS.md
 * unless `--out` says otherwise).
 *
 * Exit code: 0 whenever every operation worked, targets met or not (timings never fail a build); 1 when
 * something is broken (an operation failed, a fixture is wrong); 2 for bad arguments; 130 when interrupted.
 * Progress goes to stderr, the report to stdout.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";

import { measureCalls } from "./calls";
import {
    BenchContext,
    LIMITS_PROGRAM,
    LIMITS_TYPE,
    TRIVIAL_PROGRAM,
    TRIVIAL_TYPE,
    providerTextOf,
} from "./context";
import type { Deployed } from "./context";
import { measureFaults } from "./faults";
import { measureFleet } from "./fleet";
import { measureFootprint } from "./footprint";
import { ROOT, parseOptions } from "./options";
import type { BenchOptions } from "./options";
import { measureOverhead } from "./overhead";
import { describeMachine, renderMarkdown, renderText } from "./report";
import type { SectionReport } from "./report";
import { measureStartup } from "./startup";

function progress(message: string): void {
    process.stderr.write(`bench: ${message}\n`);
}

async function deployStacks(
    context: BenchContext,
    options: BenchOptions,
): Promise<{ one: Deployed; mid: Deployed; fleet: Deployed; trivial: Deployed }> {
    const limits = async (name: string, size: number): Promise<Deployed> => {
        progress(`up of ${size} resource(s)`);
        const ids = context.onboard(name, size);
        return context.deploy(
            name,
            LIMITS_PROGRAM,
            { "bench-limits:instances": JSON.stringify(ids) },
            size,
            LIMITS_TYPE,
        );
    };
    const { one: oneSize, mid: midSize, fleet: fleetSize } = options.stackSizes;
    const one = await limits("one", oneSize);
    const mid = await limits("mid", midSize);
    const fleet = await limits("fleet", fleetSize);
    progress("up of the trivial provider's program");
    const trivial = await context.deploy(
        "trivial",
        TRIVIAL_PROGRAM,
        { "bench-trivial:count": "1" },
        1,
        TRIVIAL_TYPE,
    );
    return { one, mid, fleet, trivial };
}

async function run(options: BenchOptions, context: BenchContext): Promise<void> {
    const started = new Date();
    const clock = performance.now();
    const machine = describeMachine(ROOT, started);

    const stacks = await deployStacks(context, options);
    const providerText = providerTextOf(stacks.fleet.resources[0]);
    const trivialText = providerTextOf(stacks.trivial.resources[0]);

    const footprint = measureFootprint(stacks, stacks.trivial);
    progress("AWS calls per operation");
    const calls = await measureCalls(context, providerText, options.repetitions);
    progress("overhead of read and update through the host");
    const overhead = await measureOverhead(context, providerText, options);
    progress("host start-up");
    const startup = await measureStartup(providerText, trivialText, options);
    const fleet = await measureFleet(context, stacks, trivialText, options, progress);
    progress(`refreshes of ${stacks.fleet.size} resources with and without throttling`);
    const faults = await measureFaults(context, stacks.fleet, options);

    const sections: SectionReport[] = [calls, footprint, overhead, startup, fleet, faults];
    const info = {
        machine,
        size: options.size,
        repetitions: options.repetitions,
        elapsedMs: performance.now() - clock,
    };
    process.stdout.write(renderText(info, sections));
    fs.mkdirSync(path.dirname(options.out), { recursive: true });
    fs.writeFileSync(options.out, renderMarkdown(info, sections));
    process.stdout.write(`\nWrote ${options.out}\n`);
}

async function main(): Promise<number> {
    let options: BenchOptions;
    try {
        options = parseOptions(process.argv.slice(2), process.env);
    } catch (error) {
        process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
        return 2;
    }
    const context = await BenchContext.start();
    // Interrupted: stop the emulator and let the harness's exit hook kill the hosts and programs it started.
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
        process.once(signal, () => {
            progress(`${signal}: stopping`);
            void context.close().finally(() => process.exit(130));
        });
    }
    try {
        await run(options, context);
        return 0;
    } catch (error) {
        const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
        process.stderr.write(`bench: broken, no report written:\n${text}\n`);
        return 1;
    } finally {
        await context.close();
    }
}

main().then(
    (code) => {
        process.exitCode = code;
    },
    (error: unknown) => {
        process.stderr.write(
            `bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
        );
        process.exitCode = 1;
    },
);

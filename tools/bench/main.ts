/**
 * `npm run bench`: cost per operation, state size, host start-up and fleet scale of the provider, against
 * the local emulator through Pulumi's real dynamic-provider host, and a fleet under the service's quota and
 * the engine's own cost through the real `pulumi` CLI, as ratios against baselines measured in the same run. Prints the table and writes it, with the machine and versions, as markdown (BENCHMARKS.md
 * unless `--out` says otherwise).
 *
 * Exit code: 0 whenever every operation worked, targets met or not (timings never fail a build); 1 when
 * something is broken (an operation failed, a fixture is wrong); 2 for bad arguments; 130 when interrupted.
 * Progress goes to stderr, the report to stdout.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";

import { messageOf } from "../shared";
import { measureCalls } from "./calls";
import { measureEngine } from "./engine";
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
import { measureQuota } from "./quota";
import { describeMachine, renderMarkdown, renderText } from "./report";
import type { SectionReport } from "./report";
import { measureStartup } from "./startup";

function progress(message: string): void {
    process.stderr.write(`bench: ${message}\n`);
}

interface Stacks {
    one: Deployed;
    mid: Deployed;
    fleet: Deployed;
    trivial: Deployed;
}

async function deployStacks(context: BenchContext, options: BenchOptions): Promise<Stacks> {
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

    // The harness stacks, deployed once, for every section that uses them.
    let deployed: Stacks | undefined;
    const stacks = async (): Promise<Stacks> => {
        deployed ??= await deployStacks(context, options);
        return deployed;
    };
    const texts = async (): Promise<{ provider: string; trivial: string }> => {
        const { fleet, trivial } = await stacks();
        return {
            provider: providerTextOf(fleet.resources[0]),
            trivial: providerTextOf(trivial.resources[0]),
        };
    };

    const sections: SectionReport[] = [];
    for (const name of options.sections) {
        switch (name) {
            case "calls":
                progress("AWS calls per operation, a host per operation");
                sections.push(await measureCalls(context, (await texts()).provider, options.repetitions));
                break;
            case "footprint": {
                const all = await stacks();
                sections.push(measureFootprint(all, all.trivial));
                break;
            }
            case "overhead":
                progress("overhead of read and update through the host");
                sections.push(await measureOverhead(context, (await texts()).provider, options));
                break;
            case "startup": {
                progress("host start-up");
                const { provider, trivial } = await texts();
                sections.push(await measureStartup(provider, trivial, options));
                break;
            }
            case "fleet":
                sections.push(await measureFleet(context, await stacks(), options, progress));
                break;
            case "faults": {
                const { fleet } = await stacks();
                progress(`refreshes of ${fleet.size} resources with and without throttling`);
                sections.push(await measureFaults(context, fleet, options));
                break;
            }
            case "quota":
                sections.push(await measureQuota(context, options, progress));
                break;
            case "engine": {
                const { fleet } = await stacks();
                sections.push(
                    await measureEngine(context, fleet, (await texts()).trivial, options, progress),
                );
                break;
            }
        }
    }
    const info = {
        machine,
        size: options.full ? `${options.size} (--full)` : options.size,
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
        process.stderr.write(`bench: ${messageOf(error)}\n`);
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

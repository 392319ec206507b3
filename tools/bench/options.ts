/**
 * What one benchmark run measures: sizes, repetitions and where the report goes.
 *
 *     npm run bench -- [--size tiny|full] [--repetitions N] [--out FILE]
 *
 * The same settings can come from BENCH_SIZE, BENCH_REPETITIONS and BENCH_OUT; flags win.
 * `tiny` keeps every section but shrinks the counts so that a test can run it in about a minute.
 */
import * as path from "node:path";

export const Size = { Tiny: "tiny", Full: "full" } as const;
export type Size = (typeof Size)[keyof typeof Size];

export interface BenchOptions {
    size: Size;
    /** Repetitions of every timed figure; the table shows their median, min and max. */
    repetitions: number;
    /** Where the markdown report is written. */
    out: string;
    /** The three stack sizes of the state footprint: one resource, a mid-size and the fleet. */
    stackSizes: { one: number; mid: number; fleet: number };
    /** Parallelism (harness `parallel`, or concurrent RPCs) of the fleet refreshes. */
    parallelism: readonly number[];
    /** Parallelism of the refreshes with and without injected throttling. */
    faultParallelism: number;
    /** Share of Connect requests answered with ThrottlingException in the fault section. */
    throttleRate: number;
    /** Overhead section: calls made before measuring, and calls per repetition and path. */
    warmupIterations: number;
    iterations: number;
    /** Host start-up section: spawns per repetition and provider. */
    startsPerRepetition: number;
}

export const USAGE = "usage: npm run bench -- [--size tiny|full] [--repetitions N] [--out FILE]";

/** Repository root: the default report lands here. */
export const ROOT = path.resolve(__dirname, "..", "..");

function parseSize(value: string | undefined, from: string): Size {
    if (value === Size.Tiny || value === Size.Full) {
        return value;
    }
    throw new Error(`${from} must be "tiny" or "full", got ${JSON.stringify(value ?? "")}. ${USAGE}`);
}

function parseRepetitions(value: string | undefined, from: string): number {
    const n = Number(value);
    if (value !== undefined && value !== "" && Number.isInteger(n) && n >= 1) {
        return n;
    }
    throw new Error(
        `${from} must be a whole number of at least 1, got ${JSON.stringify(value ?? "")}. ${USAGE}`,
    );
}

/** Reads flags (`--size tiny`, `--size=tiny`) over environment variables over the defaults of the size. */
export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions {
    let size: Size = env.BENCH_SIZE === undefined ? Size.Full : parseSize(env.BENCH_SIZE, "BENCH_SIZE");
    let repetitions: number | undefined =
        env.BENCH_REPETITIONS === undefined
            ? undefined
            : parseRepetitions(env.BENCH_REPETITIONS, "BENCH_REPETITIONS");
    let out = env.BENCH_OUT ?? path.join(ROOT, "BENCHMARKS.md");

    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i] ?? "";
        const equals = arg.indexOf("=");
        const flag = equals < 0 ? arg : arg.slice(0, equals);
        const inline = equals < 0 ? undefined : arg.slice(equals + 1);
        const value = (): string | undefined => {
            if (inline !== undefined) {
                return inline;
            }
            i++;
            return argv[i];
        };
        switch (flag) {
            case "--size":
                size = parseSize(value(), "--size");
                break;
            case "--repetitions":
                repetitions = parseRepetitions(value(), "--repetitions");
                break;
            case "--out": {
                const file = value();
                if (file === undefined || file === "") {
                    throw new Error(`--out needs a file name. ${USAGE}`);
                }
                out = file;
                break;
            }
            default:
                throw new Error(`unknown argument ${JSON.stringify(arg)}. ${USAGE}`);
        }
    }

    const tiny = size === Size.Tiny;
    return {
        size,
        repetitions: repetitions ?? (tiny ? 2 : 3),
        out: path.resolve(out),
        stackSizes: tiny ? { one: 1, mid: 5, fleet: 10 } : { one: 1, mid: 50, fleet: 500 },
        parallelism: [1, 8, 32],
        faultParallelism: 8,
        throttleRate: 0.2,
        warmupIterations: tiny ? 5 : 50,
        iterations: tiny ? 20 : 300,
        startsPerRepetition: tiny ? 1 : 3,
    };
}

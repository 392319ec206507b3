/**
 * What one benchmark run measures: sizes, repetitions, sections and where the report goes.
 *
 *     npm run bench -- [--size tiny|full] [--full] [--repetitions N] [--sections a,b] [--out FILE]
 *
 * The same settings can come from BENCH_SIZE, BENCH_REPETITIONS, BENCH_SECTIONS and BENCH_OUT; flags win.
 * `tiny` keeps every section but shrinks the counts so that a test can run it in a few minutes. `--full`
 * runs the quota section's fleet at 500 instances instead of 200. Sections 7 and 8 drive the real
 * `pulumi` CLI (`npm run cli:install` builds it); `--sections` picks sections by name.
 */
import * as path from "node:path";

const Size = { Tiny: "tiny", Full: "full" } as const;
type Size = (typeof Size)[keyof typeof Size];

/** Section names for `--sections`, in report order. */
const SECTIONS = ["calls", "footprint", "overhead", "startup", "fleet", "faults", "quota", "engine"] as const;
type SectionName = (typeof SECTIONS)[number];

/** A token bucket: requests per second and how many may go at once. */
interface Quota {
    rate: number;
    burst: number;
}

export interface BenchOptions {
    size: Size;
    /** `--full`: the quota section's fleet at its large size. */
    full: boolean;
    /** Repetitions of every timed figure; the table shows their median, min and max. */
    repetitions: number;
    /** Sections to run, in report order. */
    sections: readonly SectionName[];
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
    /** Quota section: instances per fleet, and the service's quota (the provider's budget is set to it). */
    quotaFleet: number;
    quota: Quota;
    /** Quota section: most runs of one operation before the baseline is reported as not finishing. */
    maxRuns: number;
    /** Engine section: resources per stack. */
    engineFleet: number;
}

const USAGE =
    "usage: npm run bench -- [--size tiny|full] [--full] [--repetitions N] [--sections " +
    `${SECTIONS.join(",")}] [--out FILE]`;

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

function parseSections(value: string | undefined, from: string): SectionName[] {
    const names = (value ?? "")
        .split(",")
        .map((name) => name.trim())
        .filter((name) => name !== "");
    const unknown = names.filter((name) => !(SECTIONS as readonly string[]).includes(name));
    if (names.length === 0 || unknown.length > 0) {
        throw new Error(
            `${from} must list sections among ${SECTIONS.join(", ")}, got ${JSON.stringify(value ?? "")}. ${USAGE}`,
        );
    }
    // Report order, whatever order they were given in.
    return SECTIONS.filter((name) => names.includes(name));
}

/** Reads flags (`--size tiny`, `--size=tiny`) over environment variables over the defaults of the size. */
export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions {
    let size: Size = env.BENCH_SIZE === undefined ? Size.Full : parseSize(env.BENCH_SIZE, "BENCH_SIZE");
    let repetitions: number | undefined =
        env.BENCH_REPETITIONS === undefined
            ? undefined
            : parseRepetitions(env.BENCH_REPETITIONS, "BENCH_REPETITIONS");
    let sections: SectionName[] =
        env.BENCH_SECTIONS === undefined
            ? [...SECTIONS]
            : parseSections(env.BENCH_SECTIONS, "BENCH_SECTIONS");
    let out = env.BENCH_OUT ?? path.join(ROOT, "BENCHMARKS.md");
    let full = false;

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
            case "--full":
                if (inline !== undefined) {
                    throw new Error(`--full takes no value. ${USAGE}`);
                }
                full = true;
                break;
            case "--repetitions":
                repetitions = parseRepetitions(value(), "--repetitions");
                break;
            case "--sections":
                sections = parseSections(value(), "--sections");
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
        full,
        repetitions: repetitions ?? (tiny ? 2 : 3),
        sections,
        out: path.resolve(out),
        stackSizes: tiny ? { one: 1, mid: 5, fleet: 10 } : { one: 1, mid: 50, fleet: 500 },
        parallelism: [1, 8, 32],
        faultParallelism: 8,
        throttleRate: 0.2,
        warmupIterations: tiny ? 5 : 50,
        iterations: tiny ? 20 : 300,
        startsPerRepetition: tiny ? 1 : 3,
        quotaFleet: tiny ? 10 : full ? 500 : 200,
        quota: tiny ? { rate: 20, burst: 10 } : { rate: 5, burst: 10 },
        maxRuns: tiny ? 10 : 40,
        engineFleet: tiny ? 10 : 500,
    };
}

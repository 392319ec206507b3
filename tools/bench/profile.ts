/**
 * Where a dynamic-provider host spends its CPU: V8's sampling profiler inside the host process (started and
 * stopped around the work by profile-hook.ts), each sample's time given to one category by its stack.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

import * as ts from "typescript";

import { ROOT } from "./options";

/** The parts of a V8 `.cpuprofile` read here. */
interface CpuProfile {
    nodes: { id: number; callFrame: { functionName: string; url: string }; children?: number[] }[];
    samples: number[];
    timeDeltas: number[];
}

export const Category = {
    Provider: "this provider's code (dist/), with what it calls",
    Protobuf: "protobuf: Struct ↔ JavaScript, message encoding",
    Grpc: "gRPC and HTTP/2",
    Host: "the host's own code (@pulumi/pulumi)",
    Gc: "garbage collection",
    Other: "other (Node.js internals, V8)",
} as const;
export type Category = (typeof Category)[keyof typeof Category];
export const CATEGORIES: readonly Category[] = Object.values(Category);

/** CPU milliseconds per category; idle time left out. */
export type Breakdown = Map<Category, number>;

export function totalMs(breakdown: Breakdown): number {
    let total = 0;
    for (const ms of breakdown.values()) {
        total += ms;
    }
    return total;
}

const PRODUCT = `${path.join(ROOT, "dist")}${path.sep}`;

function fileOf(url: string): string {
    if (url.startsWith("file://")) {
        return fileURLToPath(url);
    }
    return url;
}

function categoryOfFile(file: string): Category | undefined {
    if (file === "") {
        return undefined;
    }
    if (
        file.includes(`${path.sep}google-protobuf${path.sep}`) ||
        file.includes(`@pulumi${path.sep}pulumi${path.sep}proto${path.sep}`)
    ) {
        return Category.Protobuf;
    }
    if (
        file.includes(`@grpc${path.sep}`) ||
        file.startsWith("node:internal/http2") ||
        file.startsWith("node:net")
    ) {
        return Category.Grpc;
    }
    if (file.includes(`@pulumi${path.sep}pulumi${path.sep}`)) {
        return Category.Host;
    }
    return Category.Other;
}

/**
 * Every sample's time to one category: this provider's code when any frame of its stack is in `dist/`
 * (what it calls included); garbage collection; else the module of the deepest frame that names a file.
 */
function attribute(profile: CpuProfile): Breakdown {
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    const parent = new Map<number, number>();
    for (const node of profile.nodes) {
        for (const child of node.children ?? []) {
            parent.set(child, node.id);
        }
    }
    const memo = new Map<number, Category | null>();
    const categoryOf = (id: number): Category | null => {
        const known = memo.get(id);
        if (known !== undefined) {
            return known;
        }
        const node = byId.get(id);
        let category: Category | null = null;
        if (node !== undefined) {
            const name = node.callFrame.functionName;
            if (name === "(idle)") {
                category = null;
            } else if (name === "(garbage collector)") {
                category = Category.Gc;
            } else {
                let leaf: Category | undefined;
                let inProduct = false;
                for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
                    const file = fileOf(byId.get(at)?.callFrame.url ?? "");
                    if (file.startsWith(PRODUCT)) {
                        inProduct = true;
                        break;
                    }
                    leaf ??= categoryOfFile(file);
                }
                category = inProduct ? Category.Provider : (leaf ?? Category.Other);
            }
        }
        memo.set(id, category);
        return category;
    };
    const breakdown: Breakdown = new Map(CATEGORIES.map((category) => [category, 0]));
    profile.samples.forEach((id, index) => {
        const category = categoryOf(id);
        if (category !== null) {
            breakdown.set(category, (breakdown.get(category) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000);
        }
    });
    return breakdown;
}

/** The hook, as the JavaScript a host can `--require`, written into `dir`. */
export function writeHook(dir: string): string {
    const source = fs.readFileSync(path.join(__dirname, "profile-hook.ts"), "utf8");
    const output = ts.transpileModule(source, {
        compilerOptions: {
            module: ts.ModuleKind.CommonJS,
            target: ts.ScriptTarget.ES2022,
            esModuleInterop: true,
        },
    });
    const file = path.join(dir, "profile-hook.js");
    fs.writeFileSync(file, output.outputText);
    return file;
}

/** The environment that loads the hook into a host, with its profile written to `profileFile`. */
export function hookEnv(hookFile: string, profileFile: string): Record<string, string> {
    return { NODE_OPTIONS: `--require ${hookFile}`, BENCH_CPU_PROFILE: profileFile };
}

async function waitForFile(file: string, what: string): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (!fs.existsSync(file)) {
        if (Date.now() > deadline) {
            throw new Error(`the host's profiler did not ${what} within a minute (${file})`);
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
    }
}

/** Profiles the host `pid` (started with `hookEnv`) while `work` runs. */
export async function profiled(
    pid: number,
    profileFile: string,
    work: () => Promise<void>,
): Promise<Breakdown> {
    process.kill(pid, "SIGUSR2");
    await waitForFile(`${profileFile}.started`, "start");
    await work();
    process.kill(pid, "SIGUSR2");
    await waitForFile(profileFile, "write its profile");
    const parsed = JSON.parse(fs.readFileSync(profileFile, "utf8")) as CpuProfile | { error: string };
    if ("error" in parsed) {
        throw new Error(`the host's profiler failed: ${parsed.error}`);
    }
    return attribute(parsed);
}

/**
 * The benchmark keeps working: run at its tiny size (a few resources, two repetitions) it exits 0, prints
 * every section it runs through the harness with a ratio, counts exactly the AWS calls of the lifecycle
 * table, and writes its markdown report. Sections 7 and 8 need the real `pulumi` CLI: the CLI tier runs them
 * (test/cli/bench.test.ts). Timings are never asserted: they belong to the machine, not to the code.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");

const HEADINGS = [
    "1. AWS calls per operation",
    "2. State footprint",
    "3. Overhead per operation",
    "4. Host start-up",
    "5. Fleet scale",
    "6. Under faults",
];
/** Every heading the report can hold, to find where a section ends. */
const ALL_HEADINGS = [...HEADINGS, "7. Fleet under the service's quota", "8. The engine's own cost"];

/**
 * The lifecycle table, each method in a host of its own: Connect calls, and STS GetCallerIdentity calls
 * (create records the account: once per host).
 */
const CALLS: Record<string, { connect: number; sts: number }> = {
    check: { connect: 0, sts: 0 },
    diff: { connect: 0, sts: 0 },
    create: { connect: 3, sts: 1 },
    read: { connect: 1, sts: 0 },
    "update: limits changed": { connect: 3, sts: 0 },
    "update: live limits already match": { connect: 1, sts: 0 },
    "update: only deletionPolicy changed": { connect: 0, sts: 0 },
    "delete: reset": { connect: 1, sts: 0 },
    "delete: restore": { connect: 1, sts: 0 },
    "delete: retain": { connect: 0, sts: 0 },
};

const RATIO = /\d+\.\d\d×/;

interface Run {
    code: number | null;
    stdout: string;
    stderr: string;
}

/** The text of one section: from its heading to the next one. */
function section(text: string, heading: string): string {
    const start = text.indexOf(heading);
    assert.ok(start >= 0, `no section "${heading}" in:\n${text}`);
    const rest = text.slice(start + heading.length);
    const ends = ALL_HEADINGS.map((next) => rest.indexOf(next)).filter((index) => index >= 0);
    return rest.slice(0, ends.length > 0 ? Math.min(...ends) : undefined);
}

/** The cells of the table row whose Measure cell is `measure`. */
function rowOf(table: string, measure: string): { result: string; detail: string } | undefined {
    for (const line of table.split("\n")) {
        const cells = line.split("|").map((cell) => cell.trim());
        if (cells[1] === measure) {
            return { result: cells[2] ?? "", detail: cells[4] ?? "" };
        }
    }
    return undefined;
}

describe("the benchmark at tiny size", function () {
    // Dozens of short stacks, hosts and refreshes: about a minute on a quiet two-core machine.
    this.timeout(600_000);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-test-"));
    const out = path.join(dir, "BENCHMARKS.md");
    let child: ChildProcess | undefined;
    let run: Run;

    before(async () => {
        run = await new Promise<Run>((resolve, reject) => {
            const started = spawn(
                process.execPath,
                [
                    "-r",
                    require.resolve("ts-node/register/transpile-only"),
                    path.join(ROOT, "tools", "bench", "main.ts"),
                    "--size",
                    "tiny",
                    "--sections",
                    "calls,footprint,overhead,startup,fleet,faults",
                    "--out",
                    out,
                ],
                { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
            );
            child = started;
            let stdout = "";
            let stderr = "";
            started.stdout.setEncoding("utf8");
            started.stderr.setEncoding("utf8");
            started.stdout.on("data", (chunk: string) => {
                stdout += chunk;
            });
            started.stderr.on("data", (chunk: string) => {
                stderr += chunk;
            });
            started.once("error", reject);
            started.once("close", (code) => resolve({ code, stdout, stderr }));
        });
    });

    after(() => {
        // Only if the run was cut short: the benchmark stops its own emulator and hosts on SIGTERM.
        if (child !== undefined && child.exitCode === null && child.signalCode === null) {
            child.kill("SIGTERM");
        }
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("exits with code 0", () => {
        assert.equal(run.code, 0, `stderr:\n${run.stderr}\nstdout:\n${run.stdout}`);
    });

    it("prints every section's heading, and a ratio in every section that compares with a baseline", () => {
        for (const heading of HEADINGS) {
            assert.ok(run.stdout.includes(heading), `no "${heading}"`);
        }
        // Section 1 counts calls; every other section divides by a baseline of the same run.
        for (const heading of HEADINGS.slice(1)) {
            assert.match(section(run.stdout, heading), RATIO, `no ratio in section "${heading}"`);
        }
    });

    it("counts exactly the Connect and STS calls of the lifecycle table, each operation in a host of its own", () => {
        const table = section(run.stdout, "1. AWS calls per operation");
        for (const [operation, calls] of Object.entries(CALLS)) {
            const row = rowOf(table, operation);
            assert.equal(row?.result, String(calls.connect), `${operation} in:\n${table}`);
            assert.match(row?.detail ?? "", new RegExp(`; STS: ${calls.sts}$`), `${operation} in:\n${table}`);
        }
    });

    it("leaves out the sections it was not asked for", () => {
        for (const heading of ALL_HEADINGS.slice(HEADINGS.length)) {
            assert.ok(!run.stdout.includes(heading), `"${heading}" was printed`);
        }
    });

    it("writes the markdown report with the machine, the versions and the same sections", () => {
        const markdown = fs.readFileSync(out, "utf8");
        assert.match(markdown, /^# Benchmarks/);
        assert.match(markdown, /CPU: .+, \d+ cores; memory/);
        assert.match(markdown, /Node v\d+/);
        assert.match(
            markdown,
            /@pulumi\/pulumi \d+\.\d+\.\d+; @aws-sdk\/client-connectcampaignsv2 \d+\.\d+\.\d+/,
        );
        assert.match(markdown, /ratio against a baseline measured in the same run/);
        for (const heading of HEADINGS) {
            assert.ok(markdown.includes(`## ${heading}`), `no "## ${heading}" in the report`);
        }
        assert.equal(rowOf(section(markdown, "1. AWS calls per operation"), "create")?.result, "3");
    });
});

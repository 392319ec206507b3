/**
 * The benchmark keeps working: run at its tiny size (a few resources, two repetitions) it exits 0, prints
 * every section with a ratio, counts exactly the AWS calls of the lifecycle table, and writes its markdown
 * report. Timings are never asserted: they belong to the machine, not to the code.
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

/** The lifecycle table: AWS calls per method with the default deletionPolicy (reset). */
const CALLS: Record<string, number> = { check: 0, diff: 0, create: 3, read: 1, update: 2, delete: 1 };

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
    const ends = HEADINGS.map((next) => rest.indexOf(next)).filter((index) => index >= 0);
    return rest.slice(0, ends.length > 0 ? Math.min(...ends) : undefined);
}

/** The Result cell of a table row whose Measure cell is `measure`. */
function resultOf(table: string, measure: string): string | undefined {
    for (const line of table.split("\n")) {
        const cells = line.split("|").map((cell) => cell.trim());
        if (cells[1] === measure) {
            return cells[2];
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
            started.stdout.on("data", (chunk: string) => (stdout += chunk));
            started.stderr.on("data", (chunk: string) => (stderr += chunk));
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

    it("counts exactly the AWS calls of the lifecycle table for every operation", () => {
        const table = section(run.stdout, "1. AWS calls per operation");
        for (const [operation, calls] of Object.entries(CALLS)) {
            assert.equal(resultOf(table, operation), String(calls), `${operation} in:\n${table}`);
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
        assert.equal(
            resultOf(section(markdown, "1. AWS calls per operation"), "create"),
            String(CALLS.create),
        );
    });
});

/**
 * The benchmark's sections that drive the real `pulumi` CLI keep working: run at tiny size (10 instances, a
 * quota of 20 requests a second) they exit 0, measure this provider's fleet and the plain baseline's under
 * the quota with every operation succeeding for this provider, compare the engine's cost with the trivial
 * provider's, and say where the host's time goes. Timings are never asserted.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");
const QUOTA = "7. Fleet under the service's quota";
const ENGINE = "8. The engine's own cost";
const RATIO = /\d+\.\d\d×/;

interface Run {
    code: number | null;
    stdout: string;
    stderr: string;
}

/** The rows of a section's table, as cells by column title. */
function rows(text: string, heading: string): Map<string, Record<string, string>> {
    const start = text.indexOf(heading);
    assert.ok(start >= 0, `no section "${heading}" in:\n${text}`);
    const lines = text
        .slice(start + heading.length)
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => line.startsWith("|"));
    const table = new Map<string, Record<string, string>>();
    let titles: string[] | undefined;
    for (const line of lines) {
        const cells = line
            .slice(1, -1)
            .split("|")
            .map((cell) => cell.trim());
        if (titles === undefined) {
            titles = cells;
            continue;
        }
        if (cells.every((cell) => /^-*$/.test(cell))) {
            continue;
        }
        if (cells[0] === "Measure") {
            // The next section's table.
            break;
        }
        const row: Record<string, string> = {};
        titles.forEach((title, index) => {
            row[title] = cells[index] ?? "";
        });
        table.set(cells[0] ?? "", row);
    }
    return table;
}

describe("the benchmark's real-CLI sections at tiny size", function () {
    // Two fleets of 10 through up, refresh and destroy under a quota, two stacks through up, preview,
    // refresh and destroy twice: a few minutes on a quiet two-core machine.
    this.timeout(1_200_000);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-cli-test-"));
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
                    "quota,engine",
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
        // Only if the run was cut short: the benchmark stops its own emulator, CLI and hosts on SIGTERM.
        if (child !== undefined && child.exitCode === null && child.signalCode === null) {
            child.kill("SIGTERM");
        }
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("exits with code 0", () => {
        assert.equal(run.code, 0, `stderr:\n${run.stderr}\nstdout:\n${run.stdout}`);
    });

    it("measures up, refresh and destroy under the quota against its floor, with no failed operation, beside the plain baseline", () => {
        const table = rows(run.stdout, QUOTA);
        for (const operation of ["up ×10 (create)", "refresh ×10 (read)", "destroy ×10 (reset)"]) {
            const ratio = table.get(`pulumi ${operation}: wall time ÷ floor`);
            assert.ok(ratio !== undefined, `no ratio row for ${operation}`);
            assert.match(ratio.Ratio ?? "", RATIO);
            assert.match(ratio.Result ?? "", /floor .+ \(\d+ requests\)/);
            assert.match(ratio["Baseline (same run) or detail"] ?? "", /^plain provider: /);
            assert.equal(table.get(`pulumi ${operation}: failed operations`)?.Result, "0", operation);
            assert.match(
                table.get(`pulumi ${operation}: throttled per successful request`)?.Result ?? "",
                /^\d+\.\d{3} \(\d+ of \d+\)$/,
            );
        }
        // Create needs get, put, get per instance: the floor counts exactly the requests needed.
        assert.match(table.get("pulumi up ×10 (create): wall time ÷ floor")?.Result ?? "", /\(30 requests\)/);
    });

    it("compares up, preview, refresh and Check+Diff with the trivial provider, and splits the host's CPU", () => {
        const table = rows(run.stdout, ENGINE);
        for (const measure of [
            "pulumi up ×10 (create)",
            "pulumi preview ×10 (no changes)",
            "pulumi refresh ×10 (no drift)",
            "Check+Diff ×10 through the host",
            "of which: the host process (profiled)",
        ]) {
            assert.match(table.get(measure)?.Ratio ?? "", RATIO, measure);
        }
        const categories = [...table.keys()].filter((measure) => measure.startsWith("host: "));
        assert.ok(
            categories.includes("host: this provider's code (dist/), with what it calls"),
            categories.join(),
        );
        assert.ok(categories.length >= 5, categories.join());
    });

    it("writes both sections into the markdown report", () => {
        const markdown = fs.readFileSync(out, "utf8");
        assert.ok(markdown.includes(`## ${QUOTA}`));
        assert.ok(markdown.includes(`## ${ENGINE}`));
        assert.match(markdown, /Baseline: test\/fixtures\/bench\/plain/);
    });
});

/**
 * `npm run demo` as a new user runs it: its entry in a fresh process whose environment holds nothing but
 * PATH (no AWS account, no Pulumi CLI), after `npm run build`. It must succeed silently on stderr and tell
 * the story it promises; and its own checks must fail it when a step does not do what it says.
 */
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as path from "node:path";

import { DEMO_STEPS, DemoStepError, runDemo } from "../../tools/demo/story";

const ROOT = path.resolve(__dirname, "..", "..");
const LIST = "communicationLimitsConfig.allChannelSubtypes.communicationLimitsList";

interface Finished {
    code: number | null;
    stdout: string;
    stderr: string;
}

/** `npm run demo` without the build: the entry, as package.json runs it. */
function runEntry(): Promise<Finished> {
    return new Promise((resolve, reject) => {
        const child = spawn(
            process.execPath,
            ["-r", "ts-node/register/transpile-only", path.join("tools", "demo", "main.ts")],
            { cwd: ROOT, env: { PATH: process.env["PATH"] ?? "" }, stdio: ["ignore", "pipe", "pipe"] },
        );
        let stdout = "";
        let stderr = "";
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
        child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
        child.once("error", reject);
        child.once("close", (code) => resolve({ code, stdout, stderr }));
    });
}

/** The text under each step's heading, keyed by step id. */
function sections(stdout: string): Map<string, string> {
    const found = new Map<string, string>();
    const lines = stdout.split("\n");
    let current: string | undefined;
    for (const line of lines) {
        const heading = /^── (\d+)\/\d+ {2}/.exec(line);
        if (heading) {
            current = DEMO_STEPS[Number(heading[1]) - 1]?.id;
        }
        if (current !== undefined) {
            found.set(current, `${found.get(current) ?? ""}${line}\n`);
        }
    }
    return found;
}

describe("npm run demo", function () {
    this.timeout(180_000);
    let demo: Finished;

    before(async () => {
        demo = await runEntry();
    });

    it("exits 0, and writes nothing to stderr but the AWS SDK's own warning on a Node.js it will stop supporting", () => {
        // The demo does not hide the SDK's warning: a user running it on Node.js 20 sees it, as in their own programs.
        const warning =
            /\(node:\d+\) Warning: NodeVersionSupportWarning: [\s\S]*?to show where the warning was created\)\n/g;
        const rest = demo.stderr.replace(warning, "");
        assert.equal(rest, "");
        assert.equal(demo.code, 0, demo.stdout);
    });

    it("prints every step's heading, numbered, in order, and nothing after the closing line", () => {
        const headings = demo.stdout.split("\n").filter((line) => line.startsWith("── "));
        assert.deepEqual(
            headings.map((line) => line.replace(/ ─+$/, "")),
            DEMO_STEPS.map((step, index) => `── ${index + 1}/${DEMO_STEPS.length}  ${step.title}`),
        );
        assert.match(
            demo.stdout,
            /\nAll 7 steps did what they say\. The emulator and every provider host are stopped\.\n$/,
        );
    });

    it("creates the limits with Get, Put, Get and records what the instance had before", () => {
        const up = sections(demo.stdout).get("up") ?? "";
        assert.match(up, /\+ {2}\S+InstanceCommunicationLimits contact-center created\n/);
        assert.match(up, /\+ communicationLimitsConfig: 1 per 1 DAY, 3 per 7 DAY\n/);
        assert.match(up, /previous: 10 per 30 DAY\n/);
        assert.match(up, /emulator holds: 1 per 1 DAY, 3 per 7 DAY\n/);
        assert.match(up, /AWS calls: {6}GetCallerIdentity → Get → Put → Get\n/);
    });

    it("shows the console edit as drift in refresh, with old → new values", () => {
        const refresh = sections(demo.stdout).get("refresh") ?? "";
        assert.match(refresh, /contact-center refreshed \(drift\)\n/);
        for (const line of [
            `~ ${LIST}[0].frequency: 1 → 7`,
            `~ ${LIST}[0].maxCountPerRecipient: 1 → 5`,
            `- ${LIST}[1].maxCountPerRecipient: 3`,
            "that is: 1 per 1 DAY, 3 per 7 DAY  →  5 per 7 DAY",
        ]) {
            assert.ok(refresh.includes(`${line}\n`), `refresh does not show "${line}":\n${refresh}`);
        }
        assert.match(refresh, /AWS calls: {6}Get\n/);
    });

    it("fails the CI drift check with exit code 7 and repairs the drift with one Put", () => {
        const check = sections(demo.stdout).get("drift-check") ?? "";
        assert.match(check, /error: no changes were expected for preview but changes were proposed\n/);
        assert.match(check, /\(exit code 7\)\n/);
        assert.match(check, /that is: 5 per 7 DAY {2}→ {2}1 per 1 DAY, 3 per 7 DAY\n/);
        const repair = sections(demo.stdout).get("repair") ?? "";
        assert.match(repair, /contact-center updated\n/);
        assert.match(repair, /AWS calls: {6}Get → Put → Get\n/);
        assert.match(repair, /emulator holds: 1 per 1 DAY, 3 per 7 DAY\n/);
    });

    it("ends with destroy resetting the instance to an empty list", () => {
        const destroy = sections(demo.stdout).get("destroy") ?? "";
        assert.match(destroy, /contact-center deleted\n/);
        assert.match(destroy, /AWS calls: {6}Put\n/);
        assert.match(destroy, /emulator holds: no limits \(empty list\)\n/);
    });

    it("stays under 150 lines", () => {
        const lines = demo.stdout.split("\n").length - 1;
        assert.ok(lines < 150, `the demo printed ${lines} lines`);
    });
});

describe("the demo's own checks", function () {
    this.timeout(180_000);

    it("fail the demo at the step that misbehaves, and the emulator is stopped all the same", async () => {
        const printed: string[] = [];
        let endpoint = "";
        await assert.rejects(
            runDemo({
                write: (line) => printed.push(line),
                beforeStep: (step, emulator, instanceId) => {
                    endpoint = emulator.url;
                    // Undo the console edit just before refresh: there is no drift left to report.
                    if (step === "refresh") {
                        emulator.setLimits(instanceId, {
                            allChannelSubtypes: {
                                communicationLimitsList: [
                                    { maxCountPerRecipient: 1, frequency: 1, unit: "DAY" },
                                    { maxCountPerRecipient: 3, frequency: 7, unit: "DAY" },
                                ],
                            },
                        });
                    }
                },
            }),
            (error: unknown) => {
                assert.ok(error instanceof DemoStepError, String(error));
                assert.equal(error.step, "refresh");
                assert.equal(error.message, "step 4 (pulumi refresh): refresh did not report drift");
                return true;
            },
        );
        assert.equal(printed.filter((line) => line.includes("✔")).length, 3, printed.join("\n"));
        await assert.rejects(fetch(endpoint), "the emulator still answers");
    });
});

/**
 * The demo's story: `examples/basic` taken through a stack's life — preview, up, a console edit, refresh,
 * the CI drift check, the repair, destroy — against an in-process emulator of the Connect Campaigns V2 API,
 * with Pulumi's own dynamic-provider host driven by the engine harness. No AWS account and no Pulumi CLI.
 *
 * Each step prints what `pulumi` would show, then what the emulator holds and the AWS calls the step made,
 * and then checks that the step did what its heading says. A step that does not throws `DemoStepError`, so
 * the demo is also an end-to-end check. The emulator is stopped and the state removed whatever happens;
 * the harness stops the host and program of every run itself.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";

import { startEmulator, DEMO_INSTANCE_IDS } from "connect-campaigns-emulator";
import type { EmulatorHandle, RecordedRequest } from "connect-campaigns-emulator";
import { EXIT_NO_CHANGES_EXPECTED, Stack, pidAlive } from "../harness";
import type { RunResult, StepResult } from "../harness";
import { emulatorEnv, setEnv, stackEnv } from "../../test/support/env";
import { describeLimits, renderCalls, renderRun } from "./render";
import type { RenderOptions } from "./render";

const EXAMPLE = path.resolve(__dirname, "..", "..", "examples", "basic");
const RESOURCE = "contact-center";
const INSTANCE = DEMO_INSTANCE_IDS[0] ?? "8f0c2a4e-6b1d-4e3f-9a57-1c2d3e4f5a61";

type Limits = { allChannelSubtypes: { communicationLimitsList: Limit[] } };
interface Limit {
    maxCountPerRecipient: number;
    frequency: number;
    unit: "DAY";
}

function limits(...list: [number, number][]): Limits {
    return {
        allChannelSubtypes: {
            communicationLimitsList: list.map(([maxCountPerRecipient, frequency]) => ({
                maxCountPerRecipient,
                frequency,
                unit: "DAY",
            })),
        },
    };
}

/** What the instance already has before the stack exists: what "restore" would give back. */
const PREEXISTING = limits([10, 30]);
/** examples/basic's limits (3 per 7 days and 1 per day), in the order the provider writes them. */
const DESIRED = limits([1, 1], [3, 7]);
/** The console edit: 5 per 7 days, and the daily cap removed. */
const EDITED = limits([5, 7]);
/** What destroy writes under the example's deletionPolicy "reset". */
const EMPTY = limits();

/** The steps, in order; `title` is the heading printed for each. */
export const DEMO_STEPS = [
    { id: "preview", title: "pulumi preview" },
    { id: "up", title: "pulumi up" },
    { id: "console-edit", title: "someone edits the limits in the Amazon Connect console" },
    { id: "refresh", title: "pulumi refresh" },
    { id: "drift-check", title: "pulumi preview --refresh --expect-no-changes   (the CI drift check)" },
    { id: "repair", title: "pulumi up   (repair)" },
    { id: "destroy", title: "pulumi destroy" },
] as const;
export type DemoStepId = (typeof DEMO_STEPS)[number]["id"];

/** A step did not do what it says. */
export class DemoStepError extends Error {
    override readonly name = "DemoStepError";

    constructor(
        readonly step: DemoStepId,
        message: string,
    ) {
        const index = DEMO_STEPS.findIndex((s) => s.id === step);
        super(`step ${index + 1} (${DEMO_STEPS[index]?.title ?? step}): ${message}`);
    }
}

export interface DemoOptions {
    /** Receives the demo's text, one line at a time. */
    write: (line: string) => void;
    /**
     * Called just before each step acts. Lets a test make a step misbehave (e.g. undo the console edit
     * before refresh) and see the demo fail; the demo itself passes none.
     */
    beforeStep?: (step: DemoStepId, emulator: EmulatorHandle, instanceId: string) => void;
}

/** Same JSON value; object key order does not matter (outputs come back with sorted keys). */
function equal(a: unknown, b: unknown): boolean {
    return isDeepStrictEqual(a, b);
}

function limitsStep(result: RunResult, phase: StepResult["phase"]): StepResult | undefined {
    return result.steps.find((step) => step.name === RESOURCE && step.phase === phase);
}

export async function runDemo(options: DemoOptions): Promise<void> {
    const emulator = await startEmulator({ instances: [INSTANCE] });
    let restoreEnv = (): void => undefined;
    let stateDir: string | undefined;
    try {
        emulator.setLimits(INSTANCE, PREEXISTING);
        // The hosts inherit this process's environment: none of the machine's own AWS setup may take part.
        restoreEnv = setEnv(emulatorEnv(emulator.url));
        stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "connect-limits-demo-"));
        const env = stackEnv(emulator.url);
        const stack = new Stack({
            programDir: EXAMPLE,
            statePath: path.join(stateDir, "state.json"),
            config: { "connect-limits-basic:connectInstanceId": INSTANCE },
            env,
        });
        await tell(options.write, emulator, stack, options.beforeStep);
    } finally {
        restoreEnv();
        await emulator.close();
        if (stateDir !== undefined) {
            fs.rmSync(stateDir, { recursive: true, force: true });
        }
    }
    options.write("");
    options.write(
        `All ${DEMO_STEPS.length} steps did what they say. The emulator and every provider host are stopped.`,
    );
}

async function tell(
    write: (line: string) => void,
    emulator: EmulatorHandle,
    stack: Stack,
    beforeStep: DemoOptions["beforeStep"],
): Promise<void> {
    const indent = (lines: string[]): void => lines.forEach((line) => write(`    ${line}`));
    const storedLimits = (): unknown =>
        stack.state().resources.find((resource) => resource.name === RESOURCE)?.outputs[
            "communicationLimitsConfig"
        ];

    let current: DemoStepId = "preview";
    function check(condition: boolean, failure: string): asserts condition {
        if (!condition) {
            throw new DemoStepError(current, failure);
        }
    }

    const heading = (id: DemoStepId, why: string[]): void => {
        current = id;
        const index = DEMO_STEPS.findIndex((s) => s.id === id);
        const title = `── ${index + 1}/${DEMO_STEPS.length}  ${DEMO_STEPS[index]?.title ?? id} `;
        write("");
        write(title.padEnd(100, "─"));
        why.forEach((line) => write(line));
        beforeStep?.(id, emulator, INSTANCE);
    };

    /** Runs one `pulumi` operation, prints it, the emulator's value and the calls; returns them to check. */
    const pulumi = async (
        operation: () => Promise<RunResult>,
        render: (before: unknown) => RenderOptions = () => ({}),
    ): Promise<{ result: RunResult; requests: RecordedRequest[] }> => {
        const mark = emulator.requests().length;
        const before = storedLimits();
        const result = await operation();
        const requests = emulator.requests().slice(mark);
        write("");
        indent(renderRun(result, render(before)));
        write("");
        indent([
            `emulator holds: ${describeLimits(emulator.limits(INSTANCE))}`,
            `AWS calls:      ${renderCalls(requests)}`,
        ]);
        check(
            result.hostPid !== undefined && !pidAlive(result.hostPid),
            `the provider host (pid ${result.hostPid}) is still running`,
        );
        check(
            result.programPid === undefined || !pidAlive(result.programPid),
            `the program (pid ${result.programPid}) is still running`,
        );
        return { result, requests };
    };
    const methods = (requests: RecordedRequest[]): string =>
        requests.map((r) => `${r.instanceId === undefined ? r.operation : r.method} ${r.status}`).join(", ");
    const done = (what: string): void => indent([`✔ ${what}`]);

    write("Amazon Connect outbound campaign limits as Pulumi desired state: one stack's life, step by step.");
    write("AWS is a local emulator of the Connect Campaigns V2 API; Pulumi's own dynamic-provider host runs");
    write(
        "the provider, driven the way `pulumi` drives it. Limits read as `3 per 7 DAY`: at most 3 contacts",
    );
    write("per recipient in any 7 days. AWS calls: Get/Put = Get/PutInstanceCommunicationLimits.");
    write("");
    write(`    program:  examples/basic (${describeLimits(DESIRED)}; deletionPolicy "reset")`);
    write(`    instance: ${INSTANCE}, onboarded, already limited to ${describeLimits(PREEXISTING)}`);

    heading("preview", [
        "What would `pulumi up` do? The provider only checks the inputs: a preview makes no AWS call.",
    ]);
    {
        const { result, requests } = await pulumi(() => stack.preview());
        check(result.ok, `the preview failed: ${result.errors.join("; ")}`);
        check(limitsStep(result, "update")?.op === "create", "the preview does not plan a create");
        check(requests.length === 0, `the preview called AWS: ${methods(requests)}`);
        done("plans one create; no AWS call");
    }

    heading("up", [
        "Create: note the AWS account (STS GetCallerIdentity), read the instance's limits (kept as `previous`,",
        'what "restore" would write back), write the program\'s, and read them back to confirm.',
    ]);
    {
        const { result, requests } = await pulumi(() => stack.up());
        check(result.ok, `up failed: ${result.errors.join("; ")}`);
        check(limitsStep(result, "update")?.op === "create", "up did not create the resource");
        check(
            methods(requests) === "GetCallerIdentity 200, GET 200, PUT 200, GET 200",
            `expected GetCallerIdentity, Get, Put, Get; got ${methods(requests)}`,
        );
        check(
            equal(emulator.limits(INSTANCE), DESIRED),
            `the instance holds ${describeLimits(emulator.limits(INSTANCE))}`,
        );
        check(equal(result.outputs["previous"], PREEXISTING), "`previous` is not what the instance had");
        done(`created; the instance now holds the program's limits (${describeLimits(DESIRED)})`);
    }

    heading("console-edit", [
        "Out of band, nothing to do with Pulumi: 5 per 7 DAY, and the daily cap removed. The stack still",
        "records the program's limits; nobody has told it.",
    ]);
    {
        emulator.setLimits(INSTANCE, EDITED);
        write("");
        indent([
            `emulator holds: ${describeLimits(emulator.limits(INSTANCE))}`,
            "AWS calls:      none by Pulumi",
        ]);
        check(equal(emulator.limits(INSTANCE), EDITED), "the edit did not land");
        check(equal(storedLimits(), DESIRED), "the stack's state changed without a Pulumi operation");
        done("the live limits now differ from the program");
    }

    heading("refresh", [
        "Read the live limits into the state. The provider compares them with what the program wants, so the",
        "console edit shows up as drift, property by property (old → new = recorded → live).",
    ]);
    {
        const { result, requests } = await pulumi(
            () => stack.refresh(),
            (before) => ({ limitsChange: { [RESOURCE]: { from: before, to: storedLimits() } } }),
        );
        const step = limitsStep(result, "refresh");
        check(result.ok, `refresh failed: ${result.errors.join("; ")}`);
        check(step?.drift === true, "refresh did not report drift");
        check(
            step.changes.some((change) => change.path.startsWith("communicationLimitsConfig")),
            "the drift names no communicationLimitsConfig property",
        );
        check(methods(requests) === "GET 200", `expected one Get; got ${methods(requests)}`);
        check(equal(emulator.limits(INSTANCE), EDITED), "refresh changed the live limits");
        done("drift reported; the state now records the live limits; nothing written to AWS");
    }

    heading("drift-check", [
        "What a CI job runs to catch drift: refresh, then plan; any planned change fails it with a non-zero",
        "exit code (7 on current `pulumi` releases).",
    ]);
    {
        const { result, requests } = await pulumi(
            () => stack.preview({ refresh: true, expectNoChanges: true }),
            (before) => ({ limitsChange: { [RESOURCE]: { from: before, to: DESIRED } } }),
        );
        check(
            result.exitCode === EXIT_NO_CHANGES_EXPECTED,
            `expected exit code ${EXIT_NO_CHANGES_EXPECTED}; got ${result.exitCode}`,
        );
        check(limitsStep(result, "update")?.op === "update", "the check does not plan the repair");
        check(methods(requests) === "GET 200", `expected one Get; got ${methods(requests)}`);
        check(equal(emulator.limits(INSTANCE), EDITED), "a preview changed the live limits");
        done(`fails with exit code ${result.exitCode}, and shows the update that would repair it`);
    }

    heading("repair", [
        "Put the program's limits back: a Get (nothing it cannot represent is overwritten), one Put, a Get to confirm.",
    ]);
    {
        const { result, requests } = await pulumi(
            () => stack.up(),
            (before) => ({ limitsChange: { [RESOURCE]: { from: before, to: storedLimits() } } }),
        );
        check(result.ok, `up failed: ${result.errors.join("; ")}`);
        check(limitsStep(result, "update")?.op === "update", "up did not update the resource");
        check(
            methods(requests) === "GET 200, PUT 200, GET 200",
            `expected Get, Put, Get; got ${methods(requests)}`,
        );
        check(
            equal(emulator.limits(INSTANCE), DESIRED),
            `the instance holds ${describeLimits(emulator.limits(INSTANCE))}`,
        );
        done("repaired with exactly one Put; live limits and program agree again");
    }

    heading("destroy", [
        'deletionPolicy "reset": destroy leaves the instance with no limits ("restore" would write back',
        '`previous`, "retain" would leave them).',
    ]);
    {
        const { result, requests } = await pulumi(() => stack.destroy());
        check(result.ok, `destroy failed: ${result.errors.join("; ")}`);
        check(methods(requests) === "PUT 200", `expected one Put; got ${methods(requests)}`);
        check(
            equal(emulator.limits(INSTANCE), EMPTY),
            `the instance holds ${describeLimits(emulator.limits(INSTANCE))}, not an empty list`,
        );
        check(stack.state().resources.length === 0, "the state still holds resources");
        done("the instance's limits are reset to an empty list; the stack's state is empty");
    }
}

/**
 * The resource's whole lifecycle as `pulumi` drives it: Pulumi's own dynamic-provider host, through the engine
 * harness, against the Connect Campaigns V2 emulator.
 *
 * Modelled on the checks terraform-plugin-testing makes after every apply step: the plan after an apply is
 * empty, with and without refresh; an out-of-band edit is reported by refresh and repaired by the next up;
 * an instance that disappears is dropped and re-created; destroy leaves the service as the deletion policy
 * says. Every step asserts the exact plan (operation, changed property paths with old → new values), the
 * exact AWS calls the emulator received, and what the emulator holds afterwards.
 *
 * Each instance id is used by one story only, so `emulator.count(…, instance)` counts that story's calls.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { startEmulator, FaultKind, Operation, TEST_CREDENTIALS } from "connect-campaigns-emulator";
import type { EmulatorHandle, EmulatorCredential, RecordedRequest } from "connect-campaigns-emulator";
import {
    EXIT_FAILURE,
    EXIT_NO_CHANGES_EXPECTED,
    Stack,
    UNKNOWN_DISPLAY,
    formatRun,
    pidAlive,
    type PropertyChange,
    type RunResult,
    type StateResource,
    type StepResult,
} from "../../tools/harness";
import { emulatorEnv, setEnv, stackEnv } from "../support/env";
import { assertRunOk } from "../support/reliability";

const FIXTURE = path.join(__dirname, "..", "fixtures", "lifecycle");
const FROM_OUTPUT = path.join(FIXTURE, "from-output");
const TYPE = "pulumi-nodejs:dynamic/connectcampaignsv2:InstanceCommunicationLimits";
const LIST = "communicationLimitsConfig.allChannelSubtypes.communicationLimitsList";
const REGION = "us-west-2";
const PUT = Operation.PutInstanceCommunicationLimits;
const GET = Operation.GetInstanceCommunicationLimits;

interface Limit {
    maxCountPerRecipient: number;
    frequency: number;
    unit: "DAY";
}

function limit(maxCountPerRecipient: number, frequency: number): Limit {
    return { maxCountPerRecipient, frequency, unit: "DAY" };
}

function limitsConfig(...list: Limit[]): { allChannelSubtypes: { communicationLimitsList: Limit[] } } {
    return { allChannelSubtypes: { communicationLimitsList: list } };
}

/** What every instance holds before a stack first touches it, so that "restore" has something to restore. */
const PREEXISTING = limitsConfig(limit(10, 30));
/** The program's limits, in the order the program lists them. */
const DESIRED = [limit(3, 7), limit(1, 1)];
/** The same limits as the provider writes and records them: sorted by unit, frequency, maxCountPerRecipient. */
const DESIRED_CANONICAL = limitsConfig(limit(1, 1), limit(3, 7));
/** What "reset" writes. */
const EMPTY = limitsConfig();

/** A key the emulator accepts that may only read the limits. */
const READ_ONLY: EmulatorCredential = {
    accessKeyId: "AKIAEMULATORREADONLY",
    secretAccessKey: "readOnlySecretKey00000000000000000000000",
    allowedActions: [`connect-campaigns:${GET}`],
};

/** The changes `up` reports for a create: every leaf of the checked inputs, as new. */
function created(
    instance: string,
    list: Limit[],
    deletionPolicy = "reset",
    region = REGION,
): PropertyChange[] {
    return [
        ...list.flatMap((l, i) => [
            { path: `${LIST}[${i}].frequency`, new: l.frequency },
            { path: `${LIST}[${i}].maxCountPerRecipient`, new: l.maxCountPerRecipient },
            { path: `${LIST}[${i}].unit`, new: l.unit },
        ]),
        { path: "connectInstanceId", new: instance },
        { path: "deletionPolicy", new: deletionPolicy },
        { path: "region", new: region },
    ];
}

/** From the edited limits (5 per 7 DAY) back to DESIRED_CANONICAL, leaf by leaf. */
const REPAIR: PropertyChange[] = [
    { path: `${LIST}[0].frequency`, old: 7, new: 1 },
    { path: `${LIST}[0].maxCountPerRecipient`, old: 5, new: 1 },
    { path: `${LIST}[1].frequency`, new: 7 },
    { path: `${LIST}[1].maxCountPerRecipient`, new: 3 },
    { path: `${LIST}[1].unit`, new: "DAY" },
];

describe("InstanceCommunicationLimits lifecycle through the Pulumi engine against the emulator", function () {
    this.timeout(180_000);

    let emulator: EmulatorHandle;
    let restoreEnv: () => void;
    let stateRoot: string;
    let stacks = 0;
    let instances = 0;
    /** Lets a test react to each request the emulator has answered. */
    let onRequest: ((request: RecordedRequest) => void) | undefined;

    before(async () => {
        emulator = await startEmulator({
            credentials: [TEST_CREDENTIALS, READ_ONLY],
            onRequest: (request) => onRequest?.(request),
        });
        // The hosts inherit this process's environment: no AWS setup of the machine's user may take part.
        restoreEnv = setEnv(emulatorEnv(emulator.url));
        stateRoot = fs.mkdtempSync(path.join(os.tmpdir(), "lifecycle-test-"));
    });

    after(async () => {
        restoreEnv();
        await emulator.close();
        fs.rmSync(stateRoot, { recursive: true, force: true });
    });

    afterEach(() => {
        onRequest = undefined;
    });

    /** A fresh instance onboarded in `region` (an instance lives in one region), holding `config`. */
    function newInstance(config: unknown = PREEXISTING, region = REGION): string {
        instances += 1;
        const id = `c0ffee00-0000-4000-8000-${String(instances).padStart(12, "0")}`;
        emulator.addInstance(id, { region, limits: config });
        return id;
    }

    /** A stack of the lifecycle fixture; its config is the program. */
    function lifecycleStack(args: {
        instance: string;
        limits?: unknown[];
        deletionPolicy?: string;
        region?: string;
        config?: Record<string, string>;
    }): Stack {
        const config: Record<string, string> = {
            "lifecycle:connectInstanceId": args.instance,
            "lifecycle:limits": JSON.stringify(args.limits ?? DESIRED),
            ...args.config,
        };
        if (args.deletionPolicy !== undefined) {
            config["lifecycle:deletionPolicy"] = args.deletionPolicy;
        }
        if (args.region !== undefined) {
            config["lifecycle:region"] = args.region;
        }
        stacks += 1;
        return new Stack({
            programDir: FIXTURE,
            statePath: path.join(stateRoot, `stack-${stacks}.json`),
            config,
            env: stackEnv(emulator.url),
        });
    }

    /** Runs one operation; returns its result and the AWS calls it made. No process may outlive it. */
    async function run(
        operation: () => Promise<RunResult>,
    ): Promise<{ result: RunResult; calls: string[]; requests: RecordedRequest[] }> {
        const mark = emulator.requests().length;
        const result = await operation();
        assert.ok(result.hostPid !== undefined, "the run started a provider host");
        assert.equal(pidAlive(result.hostPid), false, `host ${result.hostPid} is still running`);
        if (result.programPid !== undefined) {
            assert.equal(pidAlive(result.programPid), false, `program ${result.programPid} is still running`);
        }
        const requests = emulator.requests().slice(mark);
        // The Connect calls; the one STS GetCallerIdentity per host that records the account is not counted here.
        return {
            result,
            calls: requests.filter((r) => r.instanceId !== undefined).map(describeCall),
            requests,
        };
    }

    /** `GET <id>`, with the status and error when the call failed. */
    function describeCall(request: RecordedRequest): string {
        const call = `${request.method} ${request.instanceId ?? request.path}`;
        return request.status === 200 ? call : `${call} → ${request.status} ${request.errorType ?? ""}`;
    }

    /** The bodies of the writes among `requests`, in order. */
    function putBodies(requests: readonly RecordedRequest[]): unknown[] {
        return requests.filter((r) => r.method === "PUT").map((r) => r.body);
    }

    /** Every step as `<op> <name>`, in order. */
    function plan(result: RunResult): string[] {
        return result.steps.map((step) => `${step.op} ${step.name}`);
    }

    function limitsStep(result: RunResult, phase: StepResult["phase"] = "update"): StepResult {
        const found = result.steps.find((step) => step.type === TYPE && step.phase === phase);
        assert.ok(found, `no ${phase} step for the limits in:\n${formatRun(result)}`);
        return found;
    }

    function stored(stack: Stack): StateResource | undefined {
        return stack.state().resources.find((resource) => resource.type === TYPE);
    }

    /** The checks after every apply: the plan is empty without refresh, and with refresh as CI runs it. */
    async function assertConverged(stack: Stack, instance: string): Promise<void> {
        const preview = await run(() => stack.preview());
        assertRunOk(preview.result);
        assert.ok(
            preview.result.steps.every((step) => step.op === "same"),
            `the plan is not empty:\n${formatRun(preview.result)}`,
        );
        assert.deepEqual(
            preview.result.calls.map((call) => call.rpc).filter((rpc) => rpc !== "Check" && rpc !== "Diff"),
            [],
        );
        assert.deepEqual(preview.calls, []);

        const refreshed = await run(() => stack.preview({ refresh: true, expectNoChanges: true }));
        assert.equal(refreshed.result.exitCode, 0, formatRun(refreshed.result));
        assert.deepEqual(refreshed.calls, [`GET ${instance}`]);
    }

    describe("a stack that creates the limits and is then left alone", () => {
        let instance: string;
        let stack: Stack;

        before(() => {
            instance = newInstance();
            stack = lifecycleStack({ instance });
        });

        it("up reads the limits already there, writes the program's and reads them back", async () => {
            const { result, calls, requests } = await run(() => stack.up());
            assertRunOk(result);
            assert.deepEqual(plan(result), ["create lifecycle-dev", "create limits"]);
            const step = limitsStep(result);
            assert.deepEqual(step.rpc, ["Check", "Create"]);
            assert.equal(step.id, instance);
            assert.deepEqual(
                step.changes,
                created(instance, DESIRED_CANONICAL.allChannelSubtypes.communicationLimitsList),
            );
            assert.deepEqual(calls, [`GET ${instance}`, `PUT ${instance}`, `GET ${instance}`]);
            assert.deepEqual(putBodies(requests), [{ communicationLimitsConfig: DESIRED_CANONICAL }]);
            assert.deepEqual(emulator.limits(instance), DESIRED_CANONICAL);
            assert.deepEqual(result.outputs, { live: DESIRED_CANONICAL, previous: PREEXISTING });
            assert.deepEqual(stored(stack)?.outputs["previousConfig"], PREEXISTING);
        });

        it("a preview right after up plans no change and makes no AWS call", async () => {
            const { result, calls } = await run(() => stack.preview());
            assertRunOk(result);
            assert.deepEqual(plan(result), ["same lifecycle-dev", "same limits"]);
            assert.deepEqual(limitsStep(result).rpc, ["Check", "Diff"]);
            assert.deepEqual(limitsStep(result).changes, []);
            assert.deepEqual(calls, []);
        });

        it("a second up changes nothing, so the instance was written exactly once", async () => {
            const { result, calls } = await run(() => stack.up());
            assertRunOk(result);
            assert.deepEqual(plan(result), ["same lifecycle-dev", "same limits"]);
            assert.deepEqual(calls, []);
            assert.equal(emulator.count(PUT, instance), 1);
        });

        it("refresh reads the instance, finds no drift and leaves the state as it was", async () => {
            const before = stored(stack);
            const { result, calls } = await run(() => stack.refresh({ expectNoChanges: true }));
            assertRunOk(result);
            assert.deepEqual(plan(result), ["same lifecycle-dev", "same limits"]);
            const step = limitsStep(result, "refresh");
            assert.deepEqual(step.rpc, ["Read", "Diff"]);
            assert.equal(step.drift, false);
            assert.deepEqual(step.changes, []);
            assert.deepEqual(calls, [`GET ${instance}`]);
            assert.deepEqual(stored(stack), before);
        });

        it("the service answering with the limits in another order is not drift", async () => {
            emulator.setLimits(instance, limitsConfig(...DESIRED));
            const { result, calls } = await run(() => stack.refresh({ expectNoChanges: true }));
            assertRunOk(result);
            assert.equal(limitsStep(result, "refresh").drift, false);
            assert.deepEqual(limitsStep(result, "refresh").changes, []);
            assert.deepEqual(calls, [`GET ${instance}`]);
            assert.deepEqual(stored(stack)?.outputs["communicationLimitsConfig"], DESIRED_CANONICAL);
        });

        it("after the refresh the plan is still empty, and the CI drift check passes", async () => {
            await assertConverged(stack, instance);
            assert.equal(emulator.count(PUT, instance), 1);
        });
    });

    describe("an out-of-band edit of the limits, as in the console", () => {
        let instance: string;
        let stack: Stack;
        /** Five contacts per recipient in any 7 days, and no daily cap. */
        const EDITED = limitsConfig(limit(5, 7));

        before(async () => {
            instance = newInstance();
            stack = lifecycleStack({ instance });
            assertRunOk((await run(() => stack.up())).result);
            emulator.setLimits(instance, EDITED);
        });

        it("fails the CI drift check: preview --refresh --expect-no-changes exits 7, plans the repair and saves nothing", async () => {
            const before = fs.readFileSync(stack.statePath, "utf8");
            const { result, calls } = await run(() =>
                stack.preview({ refresh: true, expectNoChanges: true }),
            );
            assert.equal(result.ok, false);
            assert.equal(result.exitCode, EXIT_NO_CHANGES_EXPECTED);
            assert.ok(
                result.errors.includes(
                    "error: no changes were expected for preview but changes were proposed",
                ),
                result.errors.join("\n"),
            );
            // The refresh pass of a preview shows refresh steps; a refresh of its own, their outcomes.
            assert.deepEqual(plan(result), [
                "refresh lifecycle-dev",
                "refresh limits",
                "same lifecycle-dev",
                "update limits",
            ]);
            assert.equal(limitsStep(result, "refresh").drift, true);
            assert.deepEqual(limitsStep(result).changes, REPAIR);
            assert.deepEqual(calls, [`GET ${instance}`]);
            assert.equal(fs.readFileSync(stack.statePath, "utf8"), before);
            assert.deepEqual(emulator.limits(instance), EDITED);
        });

        it("refresh reports the drift as communicationLimitsConfig paths with old → new values", async () => {
            const { result, calls } = await run(() => stack.refresh());
            assertRunOk(result);
            assert.deepEqual(plan(result), ["same lifecycle-dev", "update limits"]);
            const step = limitsStep(result, "refresh");
            assert.equal(step.drift, true);
            assert.deepEqual(step.changes, [
                { path: `${LIST}[0].frequency`, old: 1, new: 7 },
                { path: `${LIST}[0].maxCountPerRecipient`, old: 1, new: 5 },
                { path: `${LIST}[1].frequency`, old: 7 },
                { path: `${LIST}[1].maxCountPerRecipient`, old: 3 },
                { path: `${LIST}[1].unit`, old: "DAY" },
            ]);
            assert.match(formatRun(result), / limits updated \(drift\) \[diff: ~communicationLimitsConfig\]/);
            assert.deepEqual(calls, [`GET ${instance}`]);
            assert.deepEqual(stored(stack)?.outputs["communicationLimitsConfig"], EDITED);
            assert.deepEqual(emulator.limits(instance), EDITED, "refresh writes nothing to AWS");
        });

        it("the preview after the refresh plans an update back to the program's limits", async () => {
            const { result, calls } = await run(() => stack.preview());
            assertRunOk(result);
            assert.deepEqual(plan(result), ["same lifecycle-dev", "update limits"]);
            assert.deepEqual(limitsStep(result).changes, REPAIR);
            assert.deepEqual(calls, []);
        });

        it("up repairs the drift with exactly one PUT and its read-back", async () => {
            const { result, calls, requests } = await run(() => stack.up());
            assertRunOk(result);
            assert.deepEqual(plan(result), ["same lifecycle-dev", "update limits"]);
            assert.deepEqual(limitsStep(result).rpc, ["Check", "Diff", "Update"]);
            assert.deepEqual(limitsStep(result).changes, REPAIR);
            // The update reads first (to refuse what it cannot represent), writes, and reads back.
            assert.deepEqual(calls, [`GET ${instance}`, `PUT ${instance}`, `GET ${instance}`]);
            assert.deepEqual(putBodies(requests), [{ communicationLimitsConfig: DESIRED_CANONICAL }]);
            assert.deepEqual(emulator.limits(instance), DESIRED_CANONICAL);
            // What "restore" gives back is still what was there before the stack, not the console edit.
            assert.deepEqual(result.outputs, { live: DESIRED_CANONICAL, previous: PREEXISTING });
        });

        it("after the repair the plan is empty, with and without refresh", async () => {
            await assertConverged(stack, instance);
            assert.equal(emulator.count(PUT, instance), 2);
        });
    });

    describe("changes to the program", () => {
        let instance: string;
        let stack: Stack;

        before(async () => {
            instance = newInstance();
            stack = lifecycleStack({ instance });
            assertRunOk((await run(() => stack.up())).result);
        });

        it("listing the same limits in another order plans nothing and writes nothing", async () => {
            stack.setConfig("lifecycle:limits", JSON.stringify([...DESIRED].reverse()));
            const preview = await run(() => stack.preview());
            assertRunOk(preview.result);
            assert.deepEqual(plan(preview.result), ["same lifecycle-dev", "same limits"]);

            const up = await run(() => stack.up());
            assertRunOk(up.result);
            assert.deepEqual(plan(up.result), ["same lifecycle-dev", "same limits"]);
            assert.deepEqual([...preview.calls, ...up.calls], []);
            assert.equal(emulator.count(PUT, instance), 1);
        });

        it("changing one value plans that one property and updates with exactly one PUT and one GET", async () => {
            stack.setConfig("lifecycle:limits", JSON.stringify([limit(4, 7), limit(1, 1)]));
            const change = [{ path: `${LIST}[1].maxCountPerRecipient`, old: 3, new: 4 }];
            const preview = await run(() => stack.preview());
            assertRunOk(preview.result);
            assert.deepEqual(plan(preview.result), ["same lifecycle-dev", "update limits"]);
            assert.deepEqual(limitsStep(preview.result).changes, change);
            assert.deepEqual(preview.calls, []);

            const { result, calls, requests } = await run(() => stack.up());
            assertRunOk(result);
            assert.deepEqual(plan(result), ["same lifecycle-dev", "update limits"]);
            assert.deepEqual(limitsStep(result).changes, change);
            assert.deepEqual(calls, [`GET ${instance}`, `PUT ${instance}`, `GET ${instance}`]);
            const written = limitsConfig(limit(1, 1), limit(4, 7));
            assert.deepEqual(putBodies(requests), [{ communicationLimitsConfig: written }]);
            assert.deepEqual(emulator.limits(instance), written);
            await assertConverged(stack, instance);
        });

        it("changing only the deletion policy updates the state without any AWS call", async () => {
            stack.setConfig("lifecycle:deletionPolicy", "retain");
            const change = [{ path: "deletionPolicy", old: "reset", new: "retain" }];
            const preview = await run(() => stack.preview());
            assertRunOk(preview.result);
            assert.deepEqual(plan(preview.result), ["same lifecycle-dev", "update limits"]);
            assert.deepEqual(limitsStep(preview.result).changes, change);

            const { result, calls } = await run(() => stack.up());
            assertRunOk(result);
            assert.deepEqual(plan(result), ["same lifecycle-dev", "update limits"]);
            assert.deepEqual(limitsStep(result).rpc, ["Check", "Diff", "Update"]);
            assert.deepEqual(limitsStep(result).changes, change);
            assert.deepEqual([...preview.calls, ...calls], []);
            assert.equal(stored(stack)?.outputs["deletionPolicy"], "retain");
            assert.deepEqual(emulator.limits(instance), limitsConfig(limit(1, 1), limit(4, 7)));

            const after = await run(() => stack.preview());
            assert.deepEqual(plan(after.result), ["same lifecycle-dev", "same limits"]);
        });

        it("destroy then follows the new policy: retain leaves the limits untouched", async () => {
            const { result, calls } = await run(() => stack.destroy());
            assertRunOk(result);
            assert.deepEqual(calls, []);
            assert.deepEqual(emulator.limits(instance), limitsConfig(limit(1, 1), limit(4, 7)));
            assert.deepEqual(stack.state().resources, []);
        });
    });

    describe("changing connectInstanceId replaces the resource", () => {
        /** What the new instance holds before the replacement writes it. */
        const NEW_HELD = limitsConfig(limit(2, 3));

        /** A stack on a fresh instance under `policy`, up, then pointed at a second fresh instance. */
        async function pointedElsewhere(
            policy: string,
        ): Promise<{ stack: Stack; oldInstance: string; next: string }> {
            const oldInstance = newInstance();
            const next = newInstance(NEW_HELD);
            const stack = lifecycleStack({ instance: oldInstance, deletionPolicy: policy });
            assertRunOk((await run(() => stack.up())).result);
            stack.setConfig("lifecycle:connectInstanceId", next);
            return { stack, oldInstance, next };
        }

        /**
         * Up after the change: the new instance written (get, put, read back) and the old one deleted — the new
         * one first, except under "restore", which deletes first (the resource sets deleteBeforeReplace so that
         * an engine-forced replacement of the same instance can hand its previousConfig on).
         */
        async function replaced(
            stack: Stack,
            next: string,
            deleteFirst = false,
        ): Promise<{ oldInstanceCalls: string[]; requests: RecordedRequest[] }> {
            const { result, requests } = await run(() => stack.up());
            assertRunOk(result);
            assert.deepEqual(plan(result), ["same lifecycle-dev", "replace limits"]);
            assert.deepEqual(
                limitsStep(result).rpc,
                deleteFirst
                    ? ["Check", "Diff", "Check", "Delete", "Create"]
                    : ["Check", "Diff", "Check", "Create", "Delete"],
            );
            const connect = requests.filter((r) => r.instanceId !== undefined);
            const ofNext = connect.filter((r) => r.instanceId === next);
            const ofOld = connect.filter((r) => r.instanceId !== next);
            assert.deepEqual(ofNext.map(describeCall), [`GET ${next}`, `PUT ${next}`, `GET ${next}`]);
            if (ofOld[0] !== undefined && ofNext[0] !== undefined) {
                const oldFirst = connect.indexOf(ofOld[0]) < connect.indexOf(ofNext[0]);
                assert.equal(oldFirst, deleteFirst, "the order of the two halves");
            }
            assert.deepEqual(emulator.limits(next), DESIRED_CANONICAL);
            const resources = stack.state().resources.filter((resource) => resource.type === TYPE);
            assert.deepEqual(
                resources.map((resource) => resource.id),
                [next],
            );
            assert.deepEqual(resources[0]?.outputs["previousConfig"], NEW_HELD);
            return { oldInstanceCalls: ofOld.map(describeCall), requests: ofOld };
        }

        it("a replacement onto an instance that is not onboarded fails before the old instance is touched", async () => {
            const oldInstance = newInstance();
            // Never onboarded: newInstance() ids all start with c0ffee00.
            const missing = "deadbeef-0000-4000-8000-000000000000";
            const stack = lifecycleStack({ instance: oldInstance });
            assertRunOk((await run(() => stack.up())).result);
            stack.setConfig("lifecycle:connectInstanceId", missing);

            const { result, calls } = await run(() => stack.up());
            assert.equal(result.ok, false);
            assert.equal(result.exitCode, EXIT_FAILURE);
            assert.deepEqual(plan(result), ["same lifecycle-dev", "replace limits"]);
            assert.deepEqual(limitsStep(result).rpc, ["Check", "Diff", "Check", "Create"]);
            assert.match(limitsStep(result).error ?? "", /ResourceNotFoundException/);
            assert.deepEqual(calls, [`GET ${missing} → 404 ResourceNotFoundException`]);
            assert.deepEqual(emulator.limits(oldInstance), DESIRED_CANONICAL);
            assert.equal(stored(stack)?.id, oldInstance);
        });

        it('under "reset": preview plans a create-first replacement, up writes the new instance and then empties the old one', async () => {
            const { stack, oldInstance, next } = await pointedElsewhere("reset");
            const preview = await run(() => stack.preview());
            assertRunOk(preview.result);
            assert.deepEqual(plan(preview.result), ["same lifecycle-dev", "replace limits"]);
            const step = limitsStep(preview.result);
            assert.deepEqual(step.replaceKeys, ["connectInstanceId"]);
            assert.equal(step.deleteBeforeReplace, false);
            assert.deepEqual(step.changes, [{ path: "connectInstanceId", old: oldInstance, new: next }]);
            assert.deepEqual(preview.calls, []);

            const { oldInstanceCalls, requests } = await replaced(stack, next);
            assert.deepEqual(oldInstanceCalls, [`PUT ${oldInstance}`]);
            assert.deepEqual(requests[0]?.body, { communicationLimitsConfig: EMPTY });
            assert.deepEqual(emulator.limits(oldInstance), EMPTY);
            await assertConverged(stack, next);
        });

        it('under "restore": up writes back the limits the old instance had before, then writes the new one', async () => {
            const { stack, oldInstance, next } = await pointedElsewhere("restore");
            const { oldInstanceCalls, requests } = await replaced(stack, next, true);
            assert.deepEqual(oldInstanceCalls, [`PUT ${oldInstance}`]);
            assert.deepEqual(requests[0]?.body, { communicationLimitsConfig: PREEXISTING });
            assert.deepEqual(emulator.limits(oldInstance), PREEXISTING);
        });

        it(`under "retain": up writes the new instance and leaves the old instance's limits as they are`, async () => {
            const { stack, oldInstance, next } = await pointedElsewhere("retain");
            const { oldInstanceCalls } = await replaced(stack, next);
            assert.deepEqual(oldInstanceCalls, []);
            assert.deepEqual(emulator.limits(oldInstance), DESIRED_CANONICAL);
        });
    });
    describe("the instance disappears", () => {
        const ELSEWHERE = "eu-central-1";
        let instance: string;
        let stack: Stack;

        before(async () => {
            instance = newInstance(PREEXISTING, ELSEWHERE);
            stack = lifecycleStack({ instance, region: ELSEWHERE });
            assertRunOk((await run(() => stack.up())).result);
        });

        it("refresh drops the resource from state when the instance answers not found", async () => {
            emulator.removeInstance(instance);
            const { result, calls, requests } = await run(() => stack.refresh());
            assertRunOk(result);
            assert.deepEqual(plan(result), ["same lifecycle-dev", "delete limits"]);
            assert.deepEqual(limitsStep(result, "refresh").rpc, ["Read"]);
            assert.deepEqual(calls, [`GET ${instance} → 404 ResourceNotFoundException`]);
            assert.deepEqual(
                requests.filter((r) => r.instanceId !== undefined).map((request) => request.region),
                [ELSEWHERE],
            );
            assert.equal(stored(stack), undefined);
        });

        it("the next up plans a create and fails with ResourceNotFoundException naming the instance, its region and onboarding", async () => {
            const { result, calls } = await run(() => stack.up());
            assert.equal(result.ok, false);
            assert.equal(result.exitCode, EXIT_FAILURE);
            assert.deepEqual(plan(result), ["same lifecycle-dev", "create limits"]);
            const error = limitsStep(result).error ?? "";
            assert.ok(
                error.includes(
                    `GetInstanceCommunicationLimits for Amazon Connect instance ${instance} in ${ELSEWHERE} ` +
                        "failed: ResourceNotFoundException",
                ),
                error,
            );
            assert.match(error, /is not onboarded to Amazon Connect outbound campaigns/);
            assert.deepEqual(calls, [`GET ${instance} → 404 ResourceNotFoundException`]);
            assert.equal(stored(stack), undefined);
        });

        it("once the instance is onboarded again, up creates the limits on it", async () => {
            emulator.addInstance(instance, { region: ELSEWHERE });
            const { result, calls } = await run(() => stack.up());
            assertRunOk(result);
            assert.deepEqual(plan(result), ["same lifecycle-dev", "create limits"]);
            assert.deepEqual(
                limitsStep(result).changes,
                created(
                    instance,
                    DESIRED_CANONICAL.allChannelSubtypes.communicationLimitsList,
                    "reset",
                    ELSEWHERE,
                ),
            );
            assert.deepEqual(calls, [`GET ${instance}`, `PUT ${instance}`, `GET ${instance}`]);
            assert.deepEqual(emulator.limits(instance), DESIRED_CANONICAL);
            // A re-onboarded instance has never been configured: restore would write no limits.
            assert.deepEqual(result.outputs["previous"], EMPTY);
            await assertConverged(stack, instance);
        });
    });

    describe("invalid limits in the program", () => {
        const INVALID = [
            { maxCountPerRecipient: 0, frequency: 7, unit: "DAY" },
            { maxCountPerRecipient: 2, frequency: 31, unit: "day" },
            { maxCountPerRecipient: 1, frequency: 7, unit: "DAY" },
        ];
        // Each reason names the rule broken and the value given; the rules' exact wording is validate.ts's.
        const FAILURES: [string, RegExp][] = [
            [LIST, /at most 2 limits \(the service's rule\); got 3\./],
            [`${LIST}[0].maxCountPerRecipient`, /^maxCountPerRecipient must be a whole number .*; got 0\.$/],
            [`${LIST}[1].frequency`, /^frequency .* from 1 to 30; got 31\.$/],
            [`${LIST}[1].unit`, /^unit must be "DAY".*; got the string "day"/],
            [`${LIST}[2]`, /communicationLimitsList\[0\] and \[2\] both have frequency 7 DAY/],
        ];

        function assertRejected(result: RunResult): void {
            assert.equal(result.ok, false);
            assert.equal(result.exitCode, EXIT_FAILURE);
            const step = limitsStep(result);
            assert.equal(step.op, "create");
            assert.deepEqual(step.rpc, ["Check"]);
            assert.deepEqual(
                step.checkFailures.map((failure) => failure.property),
                FAILURES.map(([property]) => property),
            );
            for (const [index, [property, pattern]] of FAILURES.entries()) {
                const reason = step.checkFailures[index]?.reason ?? "";
                assert.match(reason, pattern);
                assert.ok(
                    result.errors.some((line) => line.includes(property) && line.endsWith(reason)),
                    `no diagnostic names ${property}:\n${result.errors.join("\n")}`,
                );
            }
        }

        it("preview fails with every failure and its property path, before any AWS call", async () => {
            const instance = newInstance();
            const stack = lifecycleStack({ instance, limits: INVALID });
            const { result, calls } = await run(() => stack.preview());
            assertRejected(result);
            assert.deepEqual(calls, []);
        });

        it("up fails the same way, writes nothing and records nothing", async () => {
            const instance = newInstance();
            const stack = lifecycleStack({ instance, limits: INVALID });
            const { result, calls } = await run(() => stack.up());
            assertRejected(result);
            assert.deepEqual(calls, []);
            assert.equal(stored(stack), undefined);
            assert.deepEqual(emulator.limits(instance), PREEXISTING);
        });
    });

    describe("an instance id known only once another resource is created", () => {
        let instance: string;
        let stack: Stack;

        before(() => {
            instance = newInstance();
            stacks += 1;
            stack = new Stack({
                programDir: FROM_OUTPUT,
                statePath: path.join(stateRoot, `stack-${stacks}.json`),
                config: {
                    "lifecycle-from-output:connectInstanceId": instance,
                    "lifecycle-from-output:limits": JSON.stringify(DESIRED),
                },
                env: stackEnv(emulator.url),
            });
        });

        it("preview plans the create with the id unknown, lets it through check, and calls nothing", async () => {
            const { result, calls } = await run(() => stack.preview());
            assertRunOk(result);
            assert.deepEqual(plan(result), [
                "create lifecycle-from-output-dev",
                "create instance",
                "create limits",
            ]);
            const step = limitsStep(result);
            assert.deepEqual(step.rpc, ["Check"]);
            assert.deepEqual(
                step.changes,
                created(UNKNOWN_DISPLAY, DESIRED_CANONICAL.allChannelSubtypes.communicationLimitsList),
            );
            assert.deepEqual(calls, []);
        });

        it("up creates the instance, then writes the limits on its id", async () => {
            const { result, calls } = await run(() => stack.up());
            assertRunOk(result);
            assert.deepEqual(plan(result), [
                "create lifecycle-from-output-dev",
                "create instance",
                "create limits",
            ]);
            assert.deepEqual(
                limitsStep(result).changes,
                created(instance, DESIRED_CANONICAL.allChannelSubtypes.communicationLimitsList),
            );
            assert.deepEqual(calls, [`GET ${instance}`, `PUT ${instance}`, `GET ${instance}`]);
            assert.deepEqual(emulator.limits(instance), DESIRED_CANONICAL);

            const after = await run(() => stack.preview());
            assertRunOk(after.result);
            assert.ok(
                after.result.steps.every((step) => step.op === "same"),
                formatRun(after.result),
            );
            assert.deepEqual(after.calls, []);
        });
    });

    describe("destroy", () => {
        const instanceEnds = {
            reset: { says: "empties the instance's limits", holds: EMPTY, calls: 1 },
            restore: { says: "writes back the limits the instance had before", holds: PREEXISTING, calls: 1 },
            retain: { says: "leaves the instance's limits untouched", holds: DESIRED_CANONICAL, calls: 0 },
        } as const;

        for (const [policy, expected] of Object.entries(instanceEnds)) {
            it(`under "${policy}" ${expected.says} and empties the state`, async () => {
                const instance = newInstance();
                const stack = lifecycleStack({ instance, deletionPolicy: policy });
                assertRunOk((await run(() => stack.up())).result);

                const { result, calls, requests } = await run(() => stack.destroy());
                assertRunOk(result);
                assert.deepEqual(plan(result), ["delete limits", "delete lifecycle-dev"]);
                assert.deepEqual(limitsStep(result, "destroy").rpc, ["Delete"]);
                assert.deepEqual(calls, expected.calls === 1 ? [`PUT ${instance}`] : []);
                if (expected.calls === 1) {
                    assert.deepEqual(putBodies(requests), [{ communicationLimitsConfig: expected.holds }]);
                }
                assert.deepEqual(emulator.limits(instance), expected.holds);
                assert.deepEqual(stack.state().resources, []);
            });
        }

        it("succeeds when the instance is already gone: there is nothing left to reset", async () => {
            const instance = newInstance();
            const stack = lifecycleStack({ instance });
            assertRunOk((await run(() => stack.up())).result);
            emulator.removeInstance(instance);

            const { result, calls } = await run(() => stack.destroy());
            assertRunOk(result);
            assert.deepEqual(calls, [`PUT ${instance} → 404 ResourceNotFoundException`]);
            assert.deepEqual(stack.state().resources, []);
        });

        it("a reset that the service fails fails the destroy and keeps the resource; the next destroy resets", async () => {
            const instance = newInstance();
            // One attempt per call, so a single fault is the call's outcome.
            const stack = lifecycleStack({
                instance,
                config: { "connect-campaign-limits:maxAttempts": "1" },
            });
            assertRunOk((await run(() => stack.up())).result);

            emulator.injectFaults(FaultKind.Internal, 1, { operation: PUT, instanceId: instance });
            const failed = await run(() => stack.destroy());
            assert.equal(failed.result.ok, false);
            assert.equal(failed.result.exitCode, EXIT_FAILURE);
            assert.match(
                limitsStep(failed.result, "destroy").error ?? "",
                new RegExp(
                    `PutInstanceCommunicationLimits for Amazon Connect instance ${instance} in ${REGION} failed: ` +
                        "InternalServerException",
                ),
            );
            assert.deepEqual(failed.calls, [`PUT ${instance} → 500 InternalServerException`]);
            assert.equal(stored(stack)?.id, instance);
            assert.deepEqual(emulator.limits(instance), DESIRED_CANONICAL);

            const retried = await run(() => stack.destroy());
            assertRunOk(retried.result);
            assert.deepEqual(retried.calls, [`PUT ${instance}`]);
            assert.deepEqual(emulator.limits(instance), EMPTY);
            assert.deepEqual(stack.state().resources, []);
        });

        it("a credential that may not put the limits fails the destroy naming the IAM action; the right one succeeds", async () => {
            const instance = newInstance();
            const stack = lifecycleStack({ instance });
            assertRunOk((await run(() => stack.up())).result);

            stack.setEnv("AWS_ACCESS_KEY_ID", READ_ONLY.accessKeyId);
            stack.setEnv("AWS_SECRET_ACCESS_KEY", READ_ONLY.secretAccessKey);
            const denied = await run(() => stack.destroy());
            assert.equal(denied.result.ok, false);
            assert.equal(denied.result.exitCode, EXIT_FAILURE);
            const error = limitsStep(denied.result, "destroy").error ?? "";
            assert.match(error, /failed: AccessDeniedException/);
            assert.match(
                error,
                /allow connect-campaigns:PutInstanceCommunicationLimits for the identity Pulumi runs as, with "Resource": "\*"/,
            );
            assert.deepEqual(denied.calls, [`PUT ${instance} → 403 AccessDeniedException`]);
            assert.equal(stored(stack)?.id, instance);

            stack.setEnv("AWS_ACCESS_KEY_ID", TEST_CREDENTIALS.accessKeyId);
            stack.setEnv("AWS_SECRET_ACCESS_KEY", TEST_CREDENTIALS.secretAccessKey);
            const allowed = await run(() => stack.destroy());
            assertRunOk(allowed.result);
            assert.deepEqual(allowed.calls, [`PUT ${instance}`]);
            assert.deepEqual(emulator.limits(instance), EMPTY);
            assert.deepEqual(stack.state().resources, []);
        });
    });

    describe("a create whose read-back fails after the write succeeded", () => {
        let instance: string;
        let stack: Stack;

        before(() => {
            instance = newInstance();
            stack = lifecycleStack({ instance, config: { "connect-campaign-limits:maxAttempts": "1" } });
        });

        it("records the resource as a partial failure, with __provider, so nothing is orphaned", async () => {
            onRequest = (request) => {
                if (request.operation === PUT && request.instanceId === instance && request.status === 200) {
                    onRequest = undefined;
                    emulator.injectFaults(FaultKind.Internal, 1, { operation: GET, instanceId: instance });
                }
            };
            const { result, calls } = await run(() => stack.up());
            assert.equal(result.ok, false);
            assert.equal(result.exitCode, EXIT_FAILURE);
            assert.deepEqual(plan(result), ["create lifecycle-dev", "create limits"]);
            const error = limitsStep(result).error ?? "";
            assert.match(error, /GetInstanceCommunicationLimits .* failed: InternalServerException/);
            assert.match(
                error,
                /The limits may have been written, so the resource stays in state with previousConfig kept/,
            );
            assert.deepEqual(calls, [
                `GET ${instance}`,
                `PUT ${instance}`,
                `GET ${instance} → 500 InternalServerException`,
            ]);

            const resource = stored(stack);
            assert.ok(resource, "the resource is in state");
            assert.equal(resource.id, instance);
            assert.equal(resource.initErrors?.length, 1);
            assert.match(resource.initErrors[0] ?? "", /InternalServerException/);
            assert.equal(typeof resource.outputs["__provider"], "string");
            assert.deepEqual(resource.outputs["communicationLimitsConfig"], DESIRED_CANONICAL);
            assert.deepEqual(resource.outputs["previousConfig"], PREEXISTING);
            assert.deepEqual(emulator.limits(instance), DESIRED_CANONICAL);
        });

        it("the next up confirms with a read that the limits are there, clears the init error, and the plan after it is empty", async () => {
            const { result, calls } = await run(() => stack.up());
            assertRunOk(result);
            assert.deepEqual(plan(result), ["same lifecycle-dev", "update limits"]);
            assert.deepEqual(limitsStep(result).rpc, ["Check", "Diff", "Update"]);
            assert.deepEqual(limitsStep(result).changes, []);
            // The write had succeeded before the read-back failed: the guard read finds the limits in place.
            assert.deepEqual(calls, [`GET ${instance}`]);
            assert.equal(stored(stack)?.initErrors, undefined);
            assert.deepEqual(stored(stack)?.outputs["previousConfig"], PREEXISTING);
            assert.deepEqual(emulator.limits(instance), DESIRED_CANONICAL);
            await assertConverged(stack, instance);
        });

        it("destroy resets the instance and empties the state", async () => {
            const { result, calls } = await run(() => stack.destroy());
            assertRunOk(result);
            assert.deepEqual(calls, [`PUT ${instance}`]);
            assert.deepEqual(emulator.limits(instance), EMPTY);
            assert.deepEqual(stack.state().resources, []);
        });
    });
});

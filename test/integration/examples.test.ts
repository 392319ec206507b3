/**
 * Every example is a complete Pulumi project that works: each runs through the real host against the
 * emulator, up to destroy, and does what its README says.
 */
import assert from "node:assert/strict";
import * as path from "node:path";

import { startEmulator, TEST_CREDENTIALS } from "connect-campaigns-emulator";
import type { EmulatorHandle, RecordedRequest } from "connect-campaigns-emulator";
import { Stack } from "../../tools/harness";
import type { RunResult } from "../../tools/harness";
import { stackEnv } from "../support/env";

const EXAMPLES = path.resolve(__dirname, "..", "..", "examples");

function ok(run: RunResult): RunResult {
    assert.ok(run.ok, `${run.kind} failed:\n${run.errors.join("\n")}\n${run.hostStderr}`);
    return run;
}

/** Steps of our resources (the stack and components aside), by operation. */
function ops(run: RunResult): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const step of run.steps) {
        if (!step.type.endsWith(":InstanceCommunicationLimits")) {
            continue;
        }
        counts[step.op] = (counts[step.op] ?? 0) + 1;
    }
    return counts;
}

/** Asserts the steps by operation, showing the whole run when they differ. */
function expectOps(run: RunResult, expected: Record<string, number>): void {
    const summary = run.steps.map(
        (s) => `${s.op} ${s.name} ${s.error ?? ""} ${s.changes.map((c) => c.path).join(",")}`,
    );
    assert.deepEqual(ops(run), expected, `${run.kind}:\n${summary.join("\n")}\n${run.errors.join("\n")}`);
}

function puts(requests: readonly RecordedRequest[]): string[] {
    return requests.filter((r) => r.method === "PUT").map((r) => r.instanceId ?? "");
}

const list = (...limits: [number, number][]) => ({
    allChannelSubtypes: {
        communicationLimitsList: limits.map(([maxCountPerRecipient, frequency]) => ({
            maxCountPerRecipient,
            frequency,
            unit: "DAY",
        })),
    },
});

describe("examples", () => {
    let emulator: EmulatorHandle;
    afterEach(() => emulator.close());

    it("basic: up writes the limits, a second preview is empty, destroy resets them", async () => {
        const id = "0f5a1b2c-3d4e-5f60-7182-93a4b5c6d7e8";
        emulator = await startEmulator({ instances: [id] });
        const stack = new Stack({
            programDir: path.join(EXAMPLES, "basic"),
            config: { "connect-limits-basic:connectInstanceId": id },
            env: stackEnv(emulator.url),
        });
        const up = ok(await stack.up());
        expectOps(up, { create: 1 });
        assert.deepEqual(up.outputs.live, list([1, 1], [3, 7]));
        assert.deepEqual(emulator.limits(id), list([1, 1], [3, 7]));
        expectOps(ok(await stack.preview()), { same: 1 });
        ok(await stack.destroy());
        assert.deepEqual(emulator.limits(id), list());
    });

    it("adopt-existing: records the limits found, reads another instance without managing it, and restores on destroy", async () => {
        const adopted = "0f5a1b2c-3d4e-5f60-7182-93a4b5c6d7e8";
        const observed = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
        emulator = await startEmulator({ instances: [adopted, observed] });
        emulator.setLimits(adopted, list([10, 30], [2, 1]));
        emulator.setLimits(observed, list([6, 7]));
        const stack = new Stack({
            programDir: path.join(EXAMPLES, "adopt-existing"),
            config: {
                "connect-limits-adopt:connectInstanceId": adopted,
                "connect-limits-adopt:observedInstanceId": observed,
            },
            env: stackEnv(emulator.url),
        });
        const up = ok(await stack.up());
        assert.deepEqual(up.outputs.limitsBeforeAdoption, list([2, 1], [10, 30]));
        assert.deepEqual(up.outputs.previousConfig, list([2, 1], [10, 30]));
        assert.deepEqual(up.outputs.live, list([4, 7]));
        assert.deepEqual(up.outputs.observedLimits, list([6, 7]));
        assert.equal(up.steps.find((s) => s.name === "observed")?.op, "read");
        assert.deepEqual(puts(emulator.requests()), [adopted]);
        ok(await stack.destroy());
        // Restored as written back: the same limits, in canonical order.
        assert.deepEqual(emulator.limits(adopted), list([2, 1], [10, 30]));
        assert.deepEqual(emulator.limits(observed), list([6, 7]));
        assert.deepEqual(puts(emulator.requests()), [adopted, adopted]);
    });

    it("cross-account: each instance is written with the credentials of its own role", async () => {
        const home = "0f5a1b2c-3d4e-5f60-7182-93a4b5c6d7e8";
        const partner = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
        const homeRole = "arn:aws:iam::111111111111:role/connect-limits";
        const partnerRole = "arn:aws:iam::222222222222:role/connect-limits";
        emulator = await startEmulator({
            // Each instance exists only in its own account and region: a call through the wrong role answers 404.
            instances: [
                { id: home, account: "111111111111", region: "us-west-2" },
                { id: partner, account: "222222222222", region: "us-east-1" },
            ],
            credentials: [{ ...TEST_CREDENTIALS, allowedActions: ["sts:AssumeRole"] }],
            roles: [{ roleArn: homeRole }, { roleArn: partnerRole }],
        });
        const stack = new Stack({
            programDir: path.join(EXAMPLES, "cross-account"),
            config: {
                "aws:region": "us-west-2",
                "aws:assumeRole": JSON.stringify({ roleArn: homeRole }),
                "connect-limits-cross-account:homeInstanceId": home,
                "connect-limits-cross-account:partnerInstanceId": partner,
                "connect-limits-cross-account:partnerRoleArn": partnerRole,
            },
            env: stackEnv(emulator.url),
        });
        const up = ok(await stack.up());
        assert.deepEqual(up.outputs, { homeRole, partnerRole, partnerRegion: "us-east-1" });
        // Every Connect call is signed with a temporary key from STS (the base key may only assume roles),
        // one key per instance, and the two instances' keys differ: each went through its own role.
        const keysBy = (id: string) =>
            new Set(
                emulator
                    .requests()
                    .filter((r) => r.instanceId === id)
                    .map((r) => r.accessKeyId),
            );
        assert.equal(keysBy(home).size, 1);
        assert.equal(keysBy(partner).size, 1);
        assert.notDeepEqual([...keysBy(home)], [...keysBy(partner)]);
        for (const key of [...keysBy(home), ...keysBy(partner)]) {
            assert.match(key ?? "", /^ASIA/);
        }
        const regions = (id: string) =>
            new Set(
                emulator
                    .requests()
                    .filter((r) => r.instanceId === id)
                    .map((r) => r.region),
            );
        assert.deepEqual([...regions(home)], ["us-west-2"]);
        assert.deepEqual([...regions(partner)], ["us-east-1"]);
        const accounts = (id: string) =>
            new Set(
                emulator
                    .requests()
                    .filter((r) => r.instanceId === id)
                    .map((r) => r.account),
            );
        assert.deepEqual([...accounts(home)], ["111111111111"]);
        assert.deepEqual([...accounts(partner)], ["222222222222"]);
        ok(await stack.destroy());
    });
});

describe("example fleet: one policy over fifty instances", function () {
    this.timeout(300_000);
    const ids = Array.from({ length: 52 }, (_, i) => `instance-${String(i).padStart(2, "0")}`);
    const fifty = ids.slice(0, 50);
    let emulator: EmulatorHandle;
    let stack: Stack;

    before(async () => {
        emulator = await startEmulator({ instances: ids });
        for (const id of ids) {
            emulator.setLimits(id, list([9, 30]));
        }
        stack = new Stack({
            programDir: path.join(EXAMPLES, "fleet"),
            config: { "connect-limits-fleet:instanceIds": JSON.stringify(fifty) },
            env: stackEnv(emulator.url),
            parallel: 8,
        });
        const up = ok(await stack.up());
        expectOps(up, { create: 50 });
    });
    after(async () => {
        ok(await stack.destroy());
        for (const id of fifty) {
            assert.deepEqual(emulator.limits(id), list([9, 30]), id);
        }
        await emulator.close();
    });

    it("exports every instance's live limits by instance id", async () => {
        const preview = ok(await stack.preview());
        expectOps(preview, { same: 50 });
        const limits = preview.outputs.limits as Record<string, unknown>;
        assert.deepEqual(Object.keys(limits).sort(), fifty);
        for (const id of fifty) {
            assert.deepEqual(limits[id], list([1, 1], [2, 7]));
        }
    });

    it("adding an instance in the middle of the list creates only that instance's limits", async () => {
        const withNew = [...fifty.slice(0, 25), ids[50] ?? "", ...fifty.slice(25)];
        stack.setConfig("connect-limits-fleet:instanceIds", JSON.stringify(withNew));
        emulator.clearRequests();
        const up = ok(await stack.up());
        expectOps(up, { create: 1, same: 50 });
        assert.deepEqual(puts(emulator.requests()), [ids[50]]);
    });

    it("removing an instance from the middle of the list deletes only that instance's limits", async () => {
        const without = [...fifty.slice(0, 10), ...fifty.slice(11), ids[50] ?? ""];
        stack.setConfig("connect-limits-fleet:instanceIds", JSON.stringify(without));
        emulator.clearRequests();
        const up = ok(await stack.up());
        expectOps(up, { delete: 1, same: 50 });
        // deletionPolicy "restore": the removed instance gets back what it had before.
        assert.deepEqual(puts(emulator.requests()), [fifty[10]]);
        assert.deepEqual(emulator.limits(fifty[10] ?? ""), list([9, 30]));
        stack.setConfig("connect-limits-fleet:instanceIds", JSON.stringify(fifty));
        ok(await stack.up());
    });

    it("overriding one instance updates only that instance", async () => {
        const special = fifty[7] ?? "";
        stack.setConfig("connect-limits-fleet:overrides", JSON.stringify({ [special]: list([5, 7]) }));
        emulator.clearRequests();
        const up = ok(await stack.up());
        expectOps(up, { update: 1, same: 49 });
        assert.deepEqual(puts(emulator.requests()), [special]);
        assert.deepEqual((up.outputs.limits as Record<string, unknown>)[special], list([5, 7]));
    });

    it("changing the shared limits updates every instance without an override", async () => {
        // The example's shared limits are code; an override applied to all stands for editing them.
        const everyone = Object.fromEntries(fifty.map((id) => [id, list([2, 14])]));
        stack.setConfig("connect-limits-fleet:overrides", JSON.stringify(everyone));
        emulator.clearRequests();
        const up = ok(await stack.up());
        expectOps(up, { update: 50 });
        assert.equal(puts(emulator.requests()).length, 50);
        for (const id of fifty) {
            assert.deepEqual(emulator.limits(id), list([2, 14]));
        }
    });

    it("rejects overrides for an instance that is not in the list, before any call", async () => {
        stack.setConfig("connect-limits-fleet:overrides", JSON.stringify({ "not-in-list": list([1, 1]) }));
        emulator.clearRequests();
        const preview = await stack.preview();
        assert.equal(preview.ok, false);
        assert.match(
            preview.errors.join("\n") + preview.programOutput,
            /overrides name not-in-list, which is not in instanceIds/,
        );
        assert.equal(emulator.requests().length, 0);
        stack.removeConfig("connect-limits-fleet:overrides");
    });
});

/**
 * Seeded fault profiles are reproducible under parallelism: a decision depends on the seed, the instance id and
 * that instance's request sequence number, never on the order in which requests from different instances arrive.
 */
import assert from "node:assert/strict";
import { FaultPlan } from "../src/faults";
import { client, get, start } from "./support";
import type { FaultKind } from "../src";

const INSTANCES = ["par-a", "par-b", "par-c", "par-d"];
const PER_INSTANCE = 40;

/** Every instance's requests in order; instances interleave as `order` says (a shuffled schedule). */
async function parallelRun(seed: number, order: number): Promise<string[]> {
    const emulator = await start({ instances: INSTANCES });
    emulator.setFaultProfile({ seed, rate: 0.3, kinds: ["throttle", "internal", "conflict"] });
    const sdk = client(emulator);
    // Each instance is driven by its own sequential loop; the loops start staggered in an order that differs
    // between runs, so arrival order across instances differs too.
    const rotated = [...INSTANCES.slice(order), ...INSTANCES.slice(0, order)];
    await Promise.all(
        rotated.map(async (id, index) => {
            await new Promise((resolve) => setTimeout(resolve, index * 3));
            for (let i = 0; i < PER_INSTANCE; i++) {
                await get(sdk, id).catch(() => undefined);
            }
        }),
    );
    return emulator
        .requests()
        .filter((r) => r.fault !== undefined)
        .map((r) => `${r.instanceId ?? ""}#${r.instanceSeq ?? 0}:${r.fault ?? ""}`)
        .sort();
}

describe("seeded fault profiles", () => {
    it("fault the same (instance, sequence number) pairs in every parallel run with the same seed, whatever the interleaving", async () => {
        const first = await parallelRun(11, 0);
        const second = await parallelRun(11, 1);
        const third = await parallelRun(11, 3);
        assert.ok(first.length > 10, `only ${first.length} faults`);
        assert.deepEqual(second, first);
        assert.deepEqual(third, first);
        assert.notDeepEqual(await parallelRun(12, 0), first);
    });

    it("number each instance's requests from 1 in the log, apart from other instances", async () => {
        const emulator = await start({ instances: ["x", "y"] });
        const sdk = client(emulator);
        for (const id of ["x", "y", "x", "x", "y"]) {
            await get(sdk, id);
        }
        assert.deepEqual(
            emulator.requests().map((r) => `${r.instanceId ?? ""}${r.instanceSeq ?? 0}`),
            ["x1", "y1", "x2", "x3", "y2"],
        );
    });

    it("decide as a pure function of seed, instance and sequence number", () => {
        const decide = (plan: FaultPlan, id: string, n: number): FaultKind | undefined =>
            plan.next("GetInstanceCommunicationLimits", id, n)?.kind;
        const one = new FaultPlan();
        const other = new FaultPlan();
        const profile = { seed: 5, rate: 0.5, kinds: ["throttle", "drop"] as FaultKind[] };
        one.setProfile(profile);
        other.setProfile(profile);
        const forward = Array.from({ length: 200 }, (_, n) => decide(one, "i", n + 1));
        const backward = Array.from({ length: 200 }, (_, n) => decide(other, "i", 200 - n)).reverse();
        assert.deepEqual(backward, forward);
        const share = forward.filter((kind) => kind !== undefined).length / forward.length;
        assert.ok(share > 0.35 && share < 0.65, `share ${share}`);
        assert.notDeepEqual(
            Array.from({ length: 200 }, (_, n) => decide(one, "j", n + 1)),
            forward,
        );
    });

    it("never draw a GET-body fault for a PUT, and apply queued GET-body faults to GETs only", () => {
        const plan = new FaultPlan();
        plan.setProfile({ seed: 1, rate: 1, kinds: ["empty-body"] });
        assert.equal(plan.next("PutInstanceCommunicationLimits", "i", 1), undefined);
        assert.equal(plan.next("GetInstanceCommunicationLimits", "i", 2)?.kind, "empty-body");
        plan.setProfile(undefined);
        plan.inject("json-string", 1);
        assert.equal(plan.next("PutInstanceCommunicationLimits", "i", 3), undefined);
        assert.equal(plan.next("GetInstanceCommunicationLimits", "i", 4)?.kind, "json-string");
    });

    it("reject unknown fault kinds", async () => {
        const emulator = await start();
        assert.throws(() => emulator.injectFaults("meteor" as FaultKind, 1), /unknown fault kind "meteor"/);
        assert.throws(
            () => emulator.setFaultProfile({ seed: 1, rate: 0.5, kinds: ["meteor" as FaultKind] }),
            /unknown fault kind/,
        );
    });
});

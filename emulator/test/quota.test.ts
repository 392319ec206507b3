/**
 * Quotas: a token bucket per account and region, off unless configured, answering 429 ThrottlingException when
 * empty; the log shows which requests were throttled and which SDK call and attempt each was.
 */
import assert from "node:assert/strict";
import { TEST_CREDENTIALS } from "../src";
import { client, errorOf, get, header, rawGet, serviceError, start, UUID } from "./support";

// So slow a refill that no token comes back within a test, however loaded the machine.
const SLOW = 0.001;

describe("quotas", () => {
    it("applies no quota unless one is configured", async () => {
        const emulator = await start();
        for (let i = 0; i < 50; i++) {
            assert.equal((await rawGet(emulator)).status, 200);
        }
        assert.equal(emulator.stats().throttled, 0);
    });

    it("answers 429 ThrottlingException once the burst is spent, in the service's wire format", async () => {
        const emulator = await start({ quota: { rate: SLOW, burst: 3 } });
        const statuses: number[] = [];
        for (let i = 0; i < 5; i++) {
            statuses.push((await rawGet(emulator)).status);
        }
        assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
        const throttled = await rawGet(emulator);
        assert.deepEqual(errorOf(throttled), { type: "ThrottlingException", message: "Rate exceeded" });
        assert.match(header(throttled, "x-amzn-requestid") ?? "", UUID);
        assert.deepEqual(
            emulator.requests().map((r) => r.throttled),
            [false, false, false, true, true, true],
        );
        assert.equal(emulator.stats().throttled, 3);
        const error = await serviceError(get(client(emulator)));
        assert.equal(error.name, "ThrottlingException");
        assert.equal(error.$metadata.httpStatusCode, 429);
    });

    it("keeps one bucket per account and region, shared by both operations", async () => {
        const other = {
            accessKeyId: "AKIAOTHERACCOUNT0001",
            secretAccessKey: "other",
            account: "210987654321",
        };
        const emulator = await start({
            quota: { rate: SLOW, burst: 1 },
            credentials: [TEST_CREDENTIALS, other],
            instances: [
                "inst-1",
                { id: "inst-1", region: "eu-west-2" },
                { id: "inst-1", account: other.account },
            ],
        });
        assert.equal((await rawGet(emulator)).status, 200);
        assert.equal((await rawGet(emulator)).status, 429);
        assert.equal((await rawGet(emulator, "inst-1", TEST_CREDENTIALS, "eu-west-2")).status, 200);
        assert.equal((await rawGet(emulator, "inst-1", other)).status, 200);
        assert.equal((await rawGet(emulator, "inst-1", other)).status, 429);
    });

    it("refills at the configured rate", async () => {
        const emulator = await start({ quota: { rate: 20, burst: 1 } });
        assert.equal((await rawGet(emulator)).status, 200);
        // A token comes back every 50 ms; poll until one has (no upper bound is asserted).
        let status = 0;
        while (status !== 200) {
            await new Promise((resolve) => setTimeout(resolve, 25));
            status = (await rawGet(emulator)).status;
        }
        assert.equal(status, 200);
        emulator.setQuota(undefined);
        for (let i = 0; i < 10; i++) {
            assert.equal((await rawGet(emulator)).status, 200);
        }
    });

    it("records each attempt's amz-sdk-invocation-id and amz-sdk-request, so attempts per call can be counted", async () => {
        const emulator = await start({ quota: { rate: SLOW, burst: 1 } });
        const sdk = client(emulator, { maxAttempts: 3 });
        await get(sdk);
        const error = await serviceError(get(sdk));
        assert.equal(error.name, "ThrottlingException");
        assert.equal(error.$metadata.attempts, 3);
        const log = emulator.requests();
        assert.deepEqual(
            log.map((r) => [r.status, r.throttled, r.sdkRequest]),
            [
                [200, false, "attempt=1; max=3"],
                [429, true, "attempt=1; max=3"],
                [429, true, "attempt=2; max=3"],
                [429, true, "attempt=3; max=3"],
            ],
        );
        const calls = new Map<string, number>();
        for (const r of log) {
            assert.match(r.invocationId ?? "", UUID);
            calls.set(r.invocationId ?? "", (calls.get(r.invocationId ?? "") ?? 0) + 1);
        }
        assert.deepEqual([...calls.values()], [1, 3]);
    });

    it("rejects a quota with a rate that is not positive or a burst below one", async () => {
        await assert.rejects(
            start({ quota: { rate: 0 } }),
            /quota rate must be a number of requests per second > 0/,
        );
        const emulator = await start();
        assert.throws(() => emulator.setQuota({ rate: 5, burst: 0 }), /quota burst must be an integer >= 1/);
    });
});

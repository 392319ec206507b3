/**
 * The request budget (provider/budget.ts) as a deployment meets it: one dynamic-provider host, started by the
 * harness as the engine starts it, serving every resource of a stack, against the emulator's quota. What is
 * asserted is what the service sees — the emulator's request log: counts, order, and how many requests
 * fall in a window of time; a clock is involved only in the windows, and they get slack for it.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

import { startEmulator } from "connect-campaigns-emulator";
import type { EmulatorHandle, EmulatorOptions, RecordedRequest } from "connect-campaigns-emulator";
import { Stack } from "../../tools/harness";
import type { RunResult } from "../../tools/harness";
import { stackEnv } from "../support/env";
import {
    CONNECT,
    FIRST_REQUEST_MS,
    JITTER_MS,
    connectRequests,
    mostInWindow,
    spanMs,
} from "../support/pacing";
import { LIMITS_PROGRAM, REGION, assertRunOk, limits, tempDir } from "../support/reliability";

const DESIRED = limits([3, 7], [1, 1]);

interface Fleet {
    ids: string[];
    stack: Stack;
}

/** `count` onboarded instances and a stack declaring one resource for each, with `config` on top. */
function fleet(
    emulator: EmulatorHandle,
    name: string,
    count: number,
    config: Record<string, string>,
    parallel: number,
    dirs: string[],
): Fleet {
    const ids = Array.from({ length: count }, (_, index) => `${name}-${String(index).padStart(3, "0")}`);
    for (const id of ids) {
        emulator.addInstance(id);
    }
    const dir = tempDir(name);
    dirs.push(dir);
    const stack = new Stack({
        programDir: LIMITS_PROGRAM,
        stack: name,
        statePath: path.join(dir, "state.json"),
        env: stackEnv(emulator.url, REGION),
        parallel,
        timeoutMs: 600_000,
        config: {
            "reliability:resources": JSON.stringify(
                ids.map((id, index) => ({
                    name: `limits-${index}`,
                    connectInstanceId: id,
                    limits: [
                        [3, 7],
                        [1, 1],
                    ],
                })),
            ),
            ...config,
        },
    });
    return { ids, stack };
}

function assertAllWritten(emulator: EmulatorHandle, ids: readonly string[]): void {
    for (const id of ids) {
        assert.deepEqual(emulator.limits(id), DESIRED, id);
    }
}

function failedSteps(result: RunResult): string[] {
    return result.steps.flatMap((step) => (step.error === undefined ? [] : [`${step.name}: ${step.error}`]));
}

describe("the request budget of one dynamic-provider host", function () {
    this.timeout(300_000);
    const dirs: string[] = [];
    const emulators: EmulatorHandle[] = [];

    async function emulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
        const started = await startEmulator(options);
        emulators.push(started);
        return started;
    }

    after(async () => {
        for (const started of emulators) {
            await started.close();
        }
        for (const dir of dirs) {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("is shared by two resources: their requests interleave at the budget's rate, not each at its own", async () => {
        const service = await emulator();
        // One request a second, one at once: two budgets would send both resources' first requests together.
        const { ids, stack } = fleet(
            service,
            "shared",
            2,
            { "connect-campaign-limits:requestsPerSecond": "1", "connect-campaign-limits:requestBurst": "1" },
            2,
            dirs,
        );
        assertRunOk(await stack.up());
        assertAllWritten(service, ids);

        const requests = connectRequests(service);
        const order = requests.map((request) => request.instanceId);
        assert.equal(requests.length, 6, `create is get, put, get for each: ${order.join(", ")}`);
        const [a = "", b = ""] = ids;
        // Interleaved: each resource's first request comes before the other's last one.
        assert.ok(order.indexOf(a) < order.lastIndexOf(b), order.join(", "));
        assert.ok(order.indexOf(b) < order.lastIndexOf(a), order.join(", "));
        // At the shared rate: burst 1 + 1 per second in any second (two budgets: 4), six requests over at least
        // five seconds (two budgets: two).
        assert.ok(
            mostInWindow(requests, 1000) <= 2,
            `${mostInWindow(requests, 1000)} requests in one second`,
        );
        assert.ok(spanMs(requests) >= 5000 - FIRST_REQUEST_MS, `six requests in ${spanMs(requests)} ms`);
    });

    it("keeps one host serving 200 resources within its rate plus its burst in every one-second window", async () => {
        const service = await emulator();
        const rate = 25;
        const burst = 5;
        const { ids, stack } = fleet(
            service,
            "window",
            200,
            {
                "connect-campaign-limits:requestsPerSecond": String(rate),
                "connect-campaign-limits:requestBurst": String(burst),
            },
            64,
            dirs,
        );
        assertRunOk(await stack.up());
        assertAllWritten(service, ids);

        const requests = connectRequests(service);
        assert.equal(requests.length, 600);
        // Slack for the clock only: a request that reached the emulator late lets the next ones look bunched.
        const allowed = burst + Math.ceil(rate * (1 + JITTER_MS / 1000));
        const most = mostInWindow(requests, 1000);
        assert.ok(most <= allowed, `${most} requests in one second; the budget allows ${burst} + ${rate}/s`);
        // Paced, not merely slow to start: 600 requests at 25 a second after a burst of 5 take 23.8 s at least.
        const floor = ((600 - burst) / rate) * 1000;
        assert.ok(spanMs(requests) >= floor - FIRST_REQUEST_MS, `600 requests in ${spanMs(requests)} ms`);
    });

    it("slows down under a quota below it, fails nothing, and speeds up again when throttling stops", async () => {
        // Someone else shares the account: the service allows 5 a second, the budget is set to 20.
        const quota = { rate: 5, burst: 10 };
        let lifted: number | undefined;
        let answered = 0;
        const service = await emulator({
            quota,
            onRequest: (request) => {
                if (CONNECT.has(request.operation) && !request.throttled && ++answered === 90) {
                    // The other caller stops: from here on nothing is throttled.
                    lifted = request.receivedAt;
                    service.setQuota(undefined);
                }
            },
        });
        const { ids, stack } = fleet(
            service,
            "adapt",
            60,
            {
                "connect-campaign-limits:requestsPerSecond": "20",
                "connect-campaign-limits:requestBurst": "10",
            },
            8,
            dirs,
        );
        const result = await stack.up();
        assertRunOk(result);
        assert.deepEqual(failedSteps(result), []);
        assertAllWritten(service, ids);
        assert.ok(lifted !== undefined, "the quota was never lifted");
        const liftedAt = lifted;

        const requests = connectRequests(service);
        const before = requests.filter((request) => request.receivedAt <= liftedAt);
        const after = requests.filter((request) => request.receivedAt > liftedAt);
        const throttled = before.filter((request) => request.throttled).length;
        const answeredBefore = before.length - throttled;
        assert.ok(throttled > 0, "the quota never throttled: nothing to adapt to");
        // A budget that kept sending at 20 a second would have 3 throttled requests for each answered one.
        assert.ok(
            throttled <= answeredBefore,
            `${throttled} throttled for ${answeredBefore} answered while the quota held`,
        );
        // After the quota's own burst, the attempts settle far below the budget's 20 a second.
        const start = Math.min(...before.map((request) => request.receivedAt));
        const settled = before.filter((request) => request.receivedAt >= start + 3000);
        const seconds = (liftedAt - (start + 3000)) / 1000;
        assert.ok(seconds > 5, `the quota held for only ${seconds + 3} s`);
        assert.ok(
            settled.length / seconds <= 2 * quota.rate,
            `${(settled.length / seconds).toFixed(1)} attempts a second while throttled`,
        );
        // Back up: nothing throttled any more, and more answers in some second than the quota ever allowed.
        assert.equal(after.filter((request) => request.throttled).length, 0);
        const most = mostInWindow(after, 1000);
        assert.ok(most >= 2 * quota.rate, `at most ${most} requests a second after the quota was lifted`);
    });

    it("fails a run the quota cannot serve, naming the quota, the attempts and what to change", async () => {
        // One request every five seconds, three attempts per call, three resources at once.
        const service = await emulator({ quota: { rate: 0.2, burst: 1 } });
        const { stack } = fleet(
            service,
            "starved",
            3,
            { "connect-campaign-limits:maxAttempts": "3" },
            3,
            dirs,
        );
        const result = await stack.up();
        assert.equal(result.ok, false, "a run the quota cannot serve succeeded");
        const failures = result.steps.filter((step) => step.error !== undefined);
        assert.ok(failures.length > 0, "no step failed");
        const nextStep =
            "Next step: the service kept throttling through all 3 attempts: the account's request quota in " +
            `${REGION} is shared with everything else calling it. Run again later, lower ` +
            "connect-campaign-limits:requestsPerSecond (now 2), or raise connect-campaign-limits:maxAttempts (or " +
            "AWS_MAX_ATTEMPTS).";
        for (const step of failures) {
            const error = step.error ?? "";
            assert.match(
                error,
                /(Get|Put)InstanceCommunicationLimits for Amazon Connect instance starved-\d{3} in us-west-2 failed: ThrottlingException: Rate exceeded \(HTTP 429, request id [-0-9a-f]+, 3 attempts, endpoint http:\/\/127\.0\.0\.1:\d+\)\./,
            );
            assert.ok(error.includes(nextStep), `${step.name}: ${error}`);
        }
        // Each failed call was attempted three times, every attempt throttled.
        const byCall = new Map<string, RecordedRequest[]>();
        for (const request of connectRequests(service)) {
            const attempts = byCall.get(request.invocationId ?? "") ?? [];
            attempts.push(request);
            byCall.set(request.invocationId ?? "", attempts);
        }
        const exhausted = [...byCall.values()].filter((attempts) => attempts.every((a) => a.throttled));
        assert.equal(exhausted.length, failures.length, "one call out of attempts per failed step");
        for (const attempts of exhausted) {
            assert.equal(attempts.length, 3);
        }
    });
});

/**
 * Transient faults: every operation converges, nothing is lost, nothing hangs.
 *
 * - A seeded fault profile makes a fixed share of Connect requests fail (429, 500, 409, dropped connection) or
 *   answer late; the provider's methods, driven directly with the settings a user's environment yields, must
 *   still finish every create, read, update and delete, and the emulator must end holding the desired limits.
 * - The retry budget (attempts per call, backoff) is the documented one, from the documented settings.
 * - A hung endpoint fails within a bound, directly and through `pulumi up`.
 * - Errors that retrying cannot fix are not retried.
 * - A read-back that differs from what was just written is re-read, and reported if it never matches.
 */
import assert from "node:assert/strict";

import { PartialFailureError } from "../../provider/errors";
import { resetLedger } from "../../provider/ledger";
import type { CallFailedError } from "../../provider/errors";
import { InstanceCommunicationLimitsProvider } from "../../provider/provider";
import type { CreateResult } from "../../provider/provider";
import type { InstanceCommunicationLimitsOutputs } from "../../provider/types";
import { startEmulator, FAULT_KINDS, TEST_CREDENTIALS } from "connect-campaigns-emulator";
import type { EmulatorHandle, FaultKind, RecordedRequest } from "connect-campaigns-emulator";
import { EXIT_FAILURE, Stack } from "../../tools/harness";
import { pool } from "../../tools/shared";
import { emulatorEnv, setEnv } from "../support/env";
import { PROVIDER_TEXT, checked } from "../support/provider";
import {
    LIMITS_PROGRAM,
    NO_LIMITS,
    REGION,
    assertRunOk,
    awsCalls,
    limits,
    rejection,
    settingsFromEnv,
    stepError,
    tempDir,
} from "../support/reliability";
import type { LimitsConfig } from "../support/reliability";

const INSTANCES = 64;
/** Instances served at once; each instance's own operations run one after another, as the engine runs them. */
const CONCURRENCY = 8;
const FAULT_RATE = 0.35;
const SEED = 20_240_423;
const POLICIES = ["reset", "restore", "retain"] as const;

type Policy = (typeof POLICIES)[number];
type OperationKind = "create" | "read" | "update" | "delete";

/** The story one instance goes through, and the limits the emulator must hold at the end. */
interface Plan {
    instanceId: string;
    initial: LimitsConfig;
    first: LimitsConfig;
    second: LimitsConfig;
    third: LimitsConfig;
    policy: Policy;
    /** Set when the instance is adopted again after the delete. */
    again?: LimitsConfig;
    expected: LimitsConfig;
    /** The AWS calls the story makes, retries collapsed: what the emulator must have seen, in order. */
    calls: string[];
}

function plan(index: number): Plan {
    const n = index + 1;
    const policy = POLICIES[index % POLICIES.length] ?? "reset";
    const initial = limits([30 + n, 30]);
    const first = limits([1 + (n % 9), 1 + (n % 30)]);
    const second = limits([2 + (n % 7), 1], [5 + (n % 11), 2 + (n % 29)]);
    const third = n % 4 === 0 ? NO_LIMITS : limits([100 + n, 7]);
    // create (get, put, read-back), read; twice an update (guard read, put, read-back) and a read.
    const calls = ["GET", "PUT", "GET", "GET", "GET", "PUT", "GET", "GET", "GET", "PUT", "GET", "GET"];
    if (policy !== "retain") {
        calls.push("PUT");
    }
    const result: Plan = {
        instanceId: `fault-run-${String(n).padStart(3, "0")}`,
        initial,
        first,
        second,
        third,
        policy,
        expected: policy === "reset" ? NO_LIMITS : policy === "restore" ? initial : third,
        calls,
    };
    if (index % 2 === 0) {
        result.again = limits([n, 14]);
        result.expected = result.again;
        calls.push("GET", "PUT", "GET", "GET");
    }
    return result;
}

describe("transient faults", function () {
    this.timeout(240_000);
    let emulator: EmulatorHandle;
    let restoreEnv: () => void;

    before(async () => {
        emulator = await startEmulator();
        restoreEnv = setEnv(emulatorEnv(emulator.url));
    });
    after(async () => {
        restoreEnv();
        await emulator.close();
    });

    it("every create, read, update and delete of a 500-operation run succeeds with 35% of requests faulted, and the emulator ends in the desired state", async () => {
        const plans = Array.from({ length: INSTANCES }, (_, index) => plan(index));
        for (const p of plans) {
            emulator.addInstance(p.instanceId, { limits: p.initial });
        }
        emulator.clearRequests();
        emulator.setFaultProfile({
            seed: SEED,
            rate: FAULT_RATE,
            kinds: ["throttle", "internal", "conflict", "drop", "latency"],
            latencyMs: 40,
        });
        // One provider for the whole run, as one host serves every resource of a stack: its clients, and
        // any retry state they keep, are shared by all operations.
        const provider = new InstanceCommunicationLimitsProvider(settingsFromEnv());
        const operations: Record<OperationKind, number> = { create: 0, read: 0, update: 0, delete: 0 };
        const failures: string[] = [];
        const started = Date.now();

        // Each phase is one deployment: one pass over every instance, as one `pulumi up` or `destroy` touches
        // the whole stack. A new deployment is a new host process, with nothing yet written (see ledger.ts).
        const args = (p: Plan, config: LimitsConfig, deletionPolicy: Policy) => ({
            connectInstanceId: p.instanceId,
            communicationLimitsConfig: config,
            deletionPolicy,
        });
        const step = <T>(kind: OperationKind, work: () => Promise<T>): Promise<T> => {
            operations[kind]++;
            return work();
        };
        const create = async (
            p: Plan,
            config: LimitsConfig,
            previous: LimitsConfig,
        ): Promise<CreateResult> => {
            const inputs = await checked(provider, args(p, config, "reset"));
            const created = await step("create", () => provider.create(inputs));
            assert.deepEqual(created.outs.communicationLimitsConfig, config);
            assert.deepEqual(created.outs.previousConfig, previous);
            return created;
        };
        const read = async (p: Plan, outs: InstanceCommunicationLimitsOutputs, config: LimitsConfig) => {
            const live = await step("read", () => provider.read(p.instanceId, outs));
            assert.deepEqual(live.props, { ...outs, communicationLimitsConfig: config });
        };
        const update = async (
            p: Plan,
            outs: InstanceCommunicationLimitsOutputs,
            config: LimitsConfig,
            policy: Policy,
        ): Promise<InstanceCommunicationLimitsOutputs> => {
            const news = await checked(provider, args(p, config, policy));
            const updated = await step("update", () =>
                provider.update(p.instanceId, { ...outs, __provider: news.__provider }, news),
            );
            assert.deepEqual(updated.outs.communicationLimitsConfig, config);
            return updated.outs;
        };

        const outs = new Map<string, InstanceCommunicationLimitsOutputs>();
        const live = plans.filter((p) => !failures.some((f) => f.startsWith(`${p.instanceId}:`)));
        // A failed operation or a wrong result ends that instance's story; the others go on.
        const deployment = async (
            work: (p: Plan) => Promise<void>,
            which: (p: Plan) => boolean = () => true,
        ) => {
            resetLedger();
            await pool(
                live.filter((p) => which(p) && !failures.some((f) => f.startsWith(`${p.instanceId}:`))),
                CONCURRENCY,
                (p) =>
                    work(p).catch((error: unknown) => {
                        failures.push(`${p.instanceId}: ${String(error)}`);
                    }),
            );
        };
        const stored = (p: Plan) => {
            const found = outs.get(p.instanceId);
            assert.ok(found, `${p.instanceId} has no state`);
            return found;
        };
        await deployment(async (p) => {
            const created = await create(p, p.first, p.initial);
            await read(p, created.outs, p.first);
            outs.set(p.instanceId, created.outs);
        });
        await deployment(async (p) => {
            const second = await update(p, stored(p), p.second, "reset");
            await read(p, second, p.second);
            outs.set(p.instanceId, second);
        });
        await deployment(async (p) => {
            const third = await update(p, stored(p), p.third, p.policy);
            await read(p, third, p.third);
            outs.set(p.instanceId, third);
        });
        await deployment((p) => step("delete", () => provider.delete(p.instanceId, stored(p))));
        await deployment(
            async (p) => {
                const again = p.again as LimitsConfig;
                const afterDelete =
                    p.policy === "reset" ? NO_LIMITS : p.policy === "restore" ? p.initial : p.third;
                const created = await create(p, again, afterDelete);
                await read(p, created.outs, again);
            },
            (p) => p.again !== undefined,
        );
        const elapsedMs = Date.now() - started;
        emulator.setFaultProfile(undefined);

        assert.deepEqual(failures, []);
        for (const p of plans) {
            assert.deepEqual(emulator.limits(p.instanceId), p.expected, p.instanceId);
        }

        // The figures, derived from the emulator's log.
        const requests = emulator.requests();
        const calls = awsCalls(requests);
        const faults = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>;
        for (const r of requests) {
            if (r.fault !== undefined) {
                faults[r.fault]++;
            }
        }
        const faulted = requests.filter((r) => r.fault !== undefined).length;
        const failedAttempts = requests.filter((r) => r.fault !== undefined && r.fault !== "latency").length;
        const attempts = calls.map((c) => c.attempts.length);
        const maxAttempts = Math.max(...attempts);
        const totalOperations = Object.values(operations).reduce((a, b) => a + b, 0);
        const figures = {
            operations: totalOperations,
            byKind: operations,
            instances: INSTANCES,
            awsCalls: calls.length,
            requests: requests.length,
            faulted: `${faulted} (${((100 * faulted) / requests.length).toFixed(1)}%)`,
            faults,
            retries: requests.length - calls.length,
            maxAttemptsForOneCall: maxAttempts,
            // First to last attempt of the slowest call: throttles back off from a 1 s base, so a rare call
            // throttled several times in a row dominates the run's length.
            longestCallMs: Math.max(
                ...calls.map((c) => (c.attempts.at(-1)?.receivedAt ?? 0) - (c.attempts[0]?.receivedAt ?? 0)),
            ),
            callsNeedingRetries: attempts.filter((a) => a > 1).length,
            elapsedMs,
        };
        console.log(`      fault run: ${JSON.stringify(figures, null, 2).replace(/\n/g, "\n      ")}`);

        assert.ok(totalOperations >= 500, `only ${totalOperations} operations`);
        assert.ok(faulted / requests.length >= 0.3, `only ${faulted} of ${requests.length} requests faulted`);
        for (const kind of ["throttle", "internal", "conflict", "drop", "latency"] as const) {
            assert.ok(faults[kind] > 0, `no ${kind} fault was injected`);
        }
        // Every failed attempt was retried: one retry per failed attempt, no more, no fewer.
        assert.equal(requests.length - calls.length, failedAttempts);
        assert.ok(maxAttempts <= 10, `a call made ${maxAttempts} attempts`);
        // Retries collapsed, each instance saw exactly the calls its story makes: nothing lost, nothing extra.
        for (const p of plans) {
            const seen = calls.filter((c) => c.instanceId === p.instanceId).map((c) => c.method);
            assert.deepEqual(seen, p.calls, p.instanceId);
        }
    });

    describe("retry budget", () => {
        // Each test has its own instance, so faults a test leaves queued never reach another test.
        let I = "";
        let next = 0;
        const readI = (provider: InstanceCommunicationLimitsProvider) =>
            provider.read(I, { connectInstanceId: I, region: REGION });

        beforeEach(() => {
            I = `retry-budget-${++next}`;
            emulator.addInstance(I, { limits: NO_LIMITS });
            emulator.clearRequests();
        });

        /** Queues `times` internal errors for this test's instance, runs `work`, and returns its failure and requests. */
        async function exhaust(
            times: number,
            work: () => Promise<unknown>,
        ): Promise<{ error: CallFailedError; requests: RecordedRequest[] }> {
            emulator.injectFaults("internal", times, { instanceId: I });
            const error = await rejection(work());
            return { error: error as CallFailedError, requests: [...emulator.requests()] };
        }

        it("makes 10 attempts per call by default, then reports all 10 and the last AWS error", async () => {
            const settings = settingsFromEnv();
            assert.equal(settings.maxAttempts, 10);
            const { error, requests } = await exhaust(10, () =>
                readI(new InstanceCommunicationLimitsProvider(settings)),
            );
            assert.equal(requests.length, 10);
            assert.equal(error.failure.attempts, 10);
            assert.equal(error.failure.awsError, "InternalServerException");
            assert.equal(error.failure.requestId, requests.at(-1)?.requestId);
            assert.match(error.message, /\(HTTP 500, request id [-0-9a-f]+, 10 attempts, endpoint /);
        });

        it("takes the budget from AWS_MAX_ATTEMPTS", async () => {
            const restore = setEnv({ AWS_MAX_ATTEMPTS: "3" });
            try {
                const { error, requests } = await exhaust(5, () =>
                    readI(new InstanceCommunicationLimitsProvider(settingsFromEnv())),
                );
                assert.equal(requests.length, 3);
                assert.match(
                    error.message,
                    /, 3 attempts, .*Next step: the fault lasted through all 3 attempts;/,
                );
            } finally {
                restore();
            }
        });

        it("takes the budget from the stack config connect-campaign-limits:maxAttempts over AWS_MAX_ATTEMPTS", async () => {
            const restore = setEnv({ AWS_MAX_ATTEMPTS: "4" });
            try {
                const settings = settingsFromEnv({}, { "connect-campaign-limits:maxAttempts": "2" });
                const { error, requests } = await exhaust(5, () =>
                    readI(new InstanceCommunicationLimitsProvider(settings)),
                );
                assert.equal(requests.length, 2);
                assert.equal(error.failure.attempts, 2);
            } finally {
                restore();
            }
        });

        it("succeeds on the last attempt of the budget", async () => {
            const restore = setEnv({ AWS_MAX_ATTEMPTS: "3" });
            try {
                emulator.injectFaults("conflict", 2, { instanceId: I });
                const read = await readI(new InstanceCommunicationLimitsProvider(settingsFromEnv()));
                assert.equal(read.id, I);
                assert.deepEqual(
                    emulator.requests().map((r) => r.status),
                    [409, 409, 200],
                );
            } finally {
                restore();
            }
        });

        it("backs off exponentially with jitter between attempts, within the SDK's bounds", async () => {
            // Eight calls at once, each failing 5 times before it succeeds: 5 gaps per call. The SDK's standard
            // backoff waits a uniform random time in [0, 50 ms × 2^(n-1)] before retry n (20 s cap).
            const ids = Array.from({ length: 8 }, (_, i) => `backoff-${i}`);
            for (const id of ids) {
                emulator.addInstance(id, { limits: NO_LIMITS });
                emulator.injectFaults("internal", 5, { instanceId: id });
            }
            emulator.clearRequests();
            const provider = new InstanceCommunicationLimitsProvider(settingsFromEnv());
            await Promise.all(ids.map((id) => provider.read(id, { connectInstanceId: id, region: REGION })));
            const gaps = ids.map((id) => {
                const times = emulator
                    .requests()
                    .filter((r) => r.instanceId === id)
                    .map((r) => r.receivedAt);
                assert.equal(times.length, 6, id);
                return times.slice(1).map((t, n) => t - (times[n] ?? t));
            });
            // Scheduling on a loaded machine adds to every wait; the bound still rules out the 20 s cap.
            const SLACK_MS = 1000;
            for (const callGaps of gaps) {
                callGaps.forEach((gap, n) =>
                    assert.ok(gap <= 50 * 2 ** n + SLACK_MS, `retry ${n + 1} waited ${gap} ms`),
                );
            }
            const mean = (n: number) => gaps.reduce((sum, g) => sum + (g[n] ?? 0), 0) / gaps.length;
            const means = [0, 1, 2, 3, 4].map(mean);
            const totals = gaps.map((g) => g.reduce((a, b) => a + b, 0));
            console.log(
                `      backoff: mean wait before retry 1..5 = ${means.map((m) => m.toFixed(0)).join(", ")} ms; ` +
                    `total per call ${Math.min(...totals)}..${Math.max(...totals)} ms (bound ${50 * 31 + 5 * SLACK_MS} ms)`,
            );
            // Grows: the fifth wait (up to 800 ms) is on average far longer than the first (up to 50 ms).
            assert.ok((means[4] ?? 0) > (means[0] ?? 0) + 100, `means ${means.join(", ")}`);
            // Jitter: eight fifth waits drawn from [0, 800 ms] do not all coincide.
            const fifth = gaps.map((g) => g[4] ?? 0);
            assert.ok(Math.max(...fifth) - Math.min(...fifth) > 50, `fifth waits ${fifth.join(", ")}`);
        });

        it("honours AWS_RETRY_MODE=adaptive: retries throttles, then slows the client's later calls", async () => {
            const followUps = async (mode: string): Promise<number> => {
                const restore = setEnv({ AWS_RETRY_MODE: mode });
                try {
                    const settings = settingsFromEnv();
                    assert.equal(settings.retryMode, mode);
                    const provider = new InstanceCommunicationLimitsProvider(settings);
                    emulator.clearRequests();
                    emulator.injectFaults("throttle", 2, { instanceId: I });
                    await readI(provider);
                    assert.deepEqual(
                        emulator.requests().map((r) => r.status),
                        [429, 429, 200],
                    );
                    const started = Date.now();
                    for (let i = 0; i < 4; i++) {
                        await readI(provider);
                    }
                    return Date.now() - started;
                } finally {
                    restore();
                }
            };
            const standard = await followUps("standard");
            const adaptive = await followUps("adaptive");
            console.log(`      4 calls after 2 throttles: standard ${standard} ms, adaptive ${adaptive} ms`);
            // The adaptive rate limiter, shared by the client's calls, holds them back after the throttles.
            assert.ok(adaptive > standard + 400, `adaptive ${adaptive} ms, standard ${standard} ms`);
        });

        it("fails ValidationException, AccessDeniedException and ResourceNotFoundException after one request, with 10 attempts allowed", async () => {
            const denied = {
                accessKeyId: "AKIARELIABILITYNOTHING",
                secretAccessKey: "nothing/000000000000000000000",
            };
            const strict = await startEmulator({
                instances: [I],
                credentials: [TEST_CREDENTIALS, { ...denied, allowedActions: [] }],
            });
            const restore = setEnv({ AWS_ENDPOINT_URL_CONNECTCAMPAIGNSV2: strict.url });
            try {
                const cases: [
                    string,
                    Record<string, string>,
                    (p: InstanceCommunicationLimitsProvider) => Promise<unknown>,
                ][] = [
                    ["ValidationException", {}, (p) => p.read(`${I}%`, { region: REGION })],
                    [
                        "AccessDeniedException",
                        {
                            AWS_ACCESS_KEY_ID: denied.accessKeyId,
                            AWS_SECRET_ACCESS_KEY: denied.secretAccessKey,
                        },
                        readI,
                    ],
                    [
                        "ResourceNotFoundException",
                        {},
                        // A refresh's read (state recorded, in this account): not found means gone.
                        (p) =>
                            p.read("not-onboarded", {
                                region: REGION,
                                communicationLimitsConfig: NO_LIMITS,
                                accountId: strict.account,
                            }),
                    ],
                ];
                for (const [name, env, act] of cases) {
                    strict.clearRequests();
                    const undo = setEnv(env);
                    try {
                        const settings = settingsFromEnv();
                        assert.equal(settings.maxAttempts, 10);
                        const outcome = act(new InstanceCommunicationLimitsProvider(settings));
                        // A not-found read is the resource being gone: an empty id, not an error.
                        if (name === "ResourceNotFoundException") {
                            assert.deepEqual(await outcome, { id: "", props: {} });
                        } else {
                            const error = (await rejection(outcome)) as CallFailedError;
                            assert.equal(error.failure.awsError, name);
                            assert.equal(error.failure.attempts, 1);
                        }
                        assert.deepEqual(
                            strict
                                .requests()
                                .filter((r) => r.operation !== "GetCallerIdentity")
                                .map((r) => r.errorType),
                            [name],
                            name,
                        );
                    } finally {
                        undo();
                    }
                }
            } finally {
                restore();
                await strict.close();
            }
        });
    });

    describe("timeouts", () => {
        const I = "timeout-instance";

        beforeEach(() => {
            emulator.addInstance(I, { limits: NO_LIMITS });
            emulator.clearRequests();
        });

        it("a hung endpoint fails within attempts × requestTimeoutMs plus backoff, naming the operation and the endpoint", async () => {
            emulator.injectFaults("hang", 3, { instanceId: I });
            const settings = settingsFromEnv(
                {},
                {
                    "connect-campaign-limits:requestTimeoutMs": "250",
                    "connect-campaign-limits:maxAttempts": "3",
                },
            );
            const started = Date.now();
            const error = await rejection(
                new InstanceCommunicationLimitsProvider(settings).delete(I, {
                    connectInstanceId: I,
                    region: REGION,
                    deletionPolicy: "reset",
                }),
            );
            const elapsed = Date.now() - started;
            // 3 × 250 ms plus at most 50 + 100 ms of backoff; the rest is slack for a loaded machine. A hang
            // would never end: what matters is that it ends, after three timed-out attempts.
            const bound = 3 * 250 + 150 + 4000;
            console.log(`      hung endpoint: failed after ${elapsed} ms (bound ${bound} ms)`);
            assert.ok(elapsed >= 3 * 250, `failed after only ${elapsed} ms`);
            assert.ok(elapsed < bound, `took ${elapsed} ms`);
            assert.equal(emulator.requests().length, 3);
            assert.match(
                error.message,
                new RegExp(
                    `^PutInstanceCommunicationLimits for Amazon Connect instance ${I} in ${REGION} failed: TimeoutError: .*` +
                        `endpoint ${emulator.url}\\)\\. Next step: ${emulator.url} did not answer completely within 250 ms, on all 3 attempts;`,
                ),
            );
        });

        it("pulumi up against a hung endpoint fails within a bound set by the stack config, and records nothing", async function () {
            this.timeout(60_000);
            emulator.injectFaults("hang", 10, { instanceId: I });
            const stack = new Stack({
                programDir: LIMITS_PROGRAM,
                statePath: `${tempDir("timeout")}/state.json`,
                config: {
                    "reliability:resources": JSON.stringify([
                        { name: "hung", connectInstanceId: I, limits: [[3, 7]] },
                    ]),
                    "connect-campaign-limits:requestTimeoutMs": "300",
                    "connect-campaign-limits:maxAttempts": "2",
                },
                timeoutMs: 45_000,
            });
            const up = await stack.up();
            console.log(
                `      pulumi up against a hung endpoint: failed after ${up.timings.totalMs} ms in all`,
            );
            assert.equal(up.ok, false);
            assert.equal(up.exitCode, EXIT_FAILURE);
            const message = stepError(up, "hung");
            assert.match(
                message,
                new RegExp(
                    `^GetInstanceCommunicationLimits for Amazon Connect instance ${I} in ${REGION} failed: TimeoutError: ` +
                        `.*2 attempts, endpoint ${emulator.url}\\)\\. Next step: ${emulator.url} did not answer completely within 300 ms`,
                ),
            );
            assert.equal(emulator.requests().filter((r) => r.instanceId === I).length, 2);
            // The run's own deadline (45 s) was not what ended it.
            assert.ok(!up.errors.some((e) => e.includes("timed out after")), up.errors.join("\n"));
            assert.ok(up.timings.totalMs < 30_000, `took ${up.timings.totalMs} ms`);
            assert.deepEqual(
                stack.state().resources.filter((r) => r.custom),
                [],
            );
        });
    });

    describe("read-after-write", () => {
        const I = "read-after-write-instance";
        const WRITTEN = limits([3, 7], [1, 1]);
        const BEFORE = limits([9, 30]);

        beforeEach(() => {
            emulator.addInstance(I, { limits: BEFORE });
            emulator.setStaleReads(0);
            emulator.clearRequests();
        });
        after(() => emulator.setStaleReads(0));

        it("re-reads a stale read-back until it matches what was written", async () => {
            emulator.setStaleReads(3);
            const provider = new InstanceCommunicationLimitsProvider(
                settingsFromEnv({ readBackDelaysMs: [5, 5, 5, 5] }),
            );
            const inputs = await checked(provider, {
                connectInstanceId: I,
                communicationLimitsConfig: WRITTEN,
            });
            const created = await provider.create(inputs);
            assert.deepEqual(created.outs.communicationLimitsConfig, WRITTEN);
            assert.deepEqual(
                emulator
                    .requests()
                    .filter((r) => r.instanceId === I)
                    .map((r) => r.method),
                ["GET", "PUT", "GET", "GET", "GET", "GET"],
            );
        });

        it("fails a read-back that never matches with a message saying so, keeping the resource as a partial failure", async () => {
            emulator.setStaleReads(100);
            const provider = new InstanceCommunicationLimitsProvider(
                settingsFromEnv({ readBackDelaysMs: [5, 5] }),
            );
            const inputs = await checked(provider, {
                connectInstanceId: I,
                communicationLimitsConfig: WRITTEN,
            });
            const error = await rejection(provider.create(inputs));
            assert.ok(error instanceof PartialFailureError, String(error));
            assert.equal(
                error.message,
                `GetInstanceCommunicationLimits for Amazon Connect instance ${I} in ${REGION} failed: ReadBackMismatch: ` +
                    "the limits read back (9 per 30 DAY) differ from the limits just written (1 per 1 DAY, 3 per 7 DAY) " +
                    `on all 3 reads (HTTP 200, request id ${emulator.requests().at(-1)?.requestId ?? ""}). Next step: another ` +
                    "writer may be changing these limits, or the service rewrote them; run `pulumi up` again to see the " +
                    "difference and re-apply. The limits may have been written, so the resource stays in state with " +
                    "previousConfig kept; the next `pulumi up` writes and reads them back again.",
            );
            assert.equal(error.id, I);
            assert.equal(error.properties.__provider, PROVIDER_TEXT);
            assert.deepEqual(error.properties.communicationLimitsConfig, BEFORE);
            assert.deepEqual(emulator.limits(I), WRITTEN);
        });

        it("through pulumi up, a read-back that never matches leaves the resource in state, and the next up repairs it", async function () {
            this.timeout(90_000);
            emulator.setStaleReads(1000);
            const stack = new Stack({
                programDir: LIMITS_PROGRAM,
                statePath: `${tempDir("read-after-write")}/state.json`,
                config: {
                    "reliability:resources": JSON.stringify([
                        {
                            name: "stale",
                            connectInstanceId: I,
                            limits: [
                                [3, 7],
                                [1, 1],
                            ],
                        },
                    ]),
                },
            });
            const first = await stack.up();
            assert.equal(first.ok, false);
            assert.match(
                stepError(first, "stale"),
                /ReadBackMismatch: the limits read back \(9 per 30 DAY\) differ/,
            );
            const [recorded] = stack.state().resources.filter((r) => r.custom);
            assert.equal(recorded?.id, I);
            assert.equal(recorded?.initErrors?.length, 1);

            emulator.setStaleReads(0);
            const second = await stack.up();
            assertRunOk(second);
            assert.equal(second.steps.find((s) => s.name === "stale")?.op, "update");
            assert.deepEqual(second.outputs.live, { stale: WRITTEN });
            const [repaired] = stack.state().resources.filter((r) => r.custom);
            assert.deepEqual(repaired?.initErrors ?? [], []);
        });
    });
});

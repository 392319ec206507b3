/**
 * Shared by the reliability tests: provider settings as a user's environment yields them, limit
 * configurations, and the emulator's request log read back as AWS calls (a call is every attempt of
 * one SDK `send`, the failed ones and the final one).
 */
import assert from "node:assert/strict";
import * as path from "node:path";

import { resolveSettings } from "../../provider/settings";
import type { ProviderSettings } from "../../provider/settings";
import type { EmulatorCredential, RecordedRequest } from "connect-campaigns-emulator";
import type { RunResult } from "../../tools/harness";
import { formatRun, tempFolder } from "../../tools/harness";

export const REGION = "us-west-2";
export const ACCOUNT = "123456789012";
export const FIXTURES = path.join(__dirname, "..", "fixtures", "reliability");
/** The fixture program that declares one InstanceCommunicationLimits per entry of `reliability:resources`. */
export const LIMITS_PROGRAM = path.join(FIXTURES, "limits");

/** The two IAM actions the provider calls. */
export const GET_ACTION = "connect-campaigns:GetInstanceCommunicationLimits";
export const PUT_ACTION = "connect-campaigns:PutInstanceCommunicationLimits";
/** A key the emulator accepts that may only read the limits. */
export const GET_ONLY: EmulatorCredential = {
    accessKeyId: "AKIARELIABILITYGETONLY",
    secretAccessKey: "getOnlySecret/0000000000000000000000000",
    allowedActions: [GET_ACTION],
};
/** A key the emulator accepts that may only write the limits. */
export const PUT_ONLY: EmulatorCredential = {
    accessKeyId: "AKIARELIABILITYPUTONLY",
    secretAccessKey: "putOnlySecret/0000000000000000000000000",
    allowedActions: [PUT_ACTION],
};

interface Limit {
    maxCountPerRecipient: number;
    frequency: number;
    unit: "DAY";
}

export interface LimitsConfig {
    allChannelSubtypes: { communicationLimitsList: Limit[] };
}

/** A canonical limits configuration (sorted by frequency, then count) from [maxCountPerRecipient, frequency] pairs. */
export function limits(...pairs: [number, number][]): LimitsConfig {
    const list = pairs
        .map(([maxCountPerRecipient, frequency]): Limit => ({ maxCountPerRecipient, frequency, unit: "DAY" }))
        .sort((a, b) => a.frequency - b.frequency || a.maxCountPerRecipient - b.maxCountPerRecipient);
    return { allChannelSubtypes: { communicationLimitsList: list } };
}

export const NO_LIMITS: LimitsConfig = limits();

/**
 * Settings exactly as `configure` derives them from this process's environment, with short read-back
 * delays so that a stale read-back costs milliseconds, not seconds.
 */
export function settingsFromEnv(
    overrides: Partial<ProviderSettings> = {},
    config: Record<string, string> = {},
): ProviderSettings {
    // The emulator in these tests has no quota unless a test sets one, and pacing has tests of its own: the
    // request budget is lifted unless the stack config given sets it.
    const unpaced =
        config["connect-campaign-limits:requestsPerSecond"] === undefined
            ? { requestsPerSecond: 10_000, requestBurst: 10_000 }
            : {};
    return {
        ...resolveSettings((key) => config[key], process.env),
        readBackDelaysMs: [5, 10],
        ...unpaced,
        ...overrides,
    };
}

/** The error a promise rejects with; fails the test if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
    const outcome: unknown = await promise.then(
        () => assert.fail("expected a failure, but the call succeeded"),
        (error: unknown) => error,
    );
    assert.ok(outcome instanceof Error, `rejected with a non-Error: ${String(outcome)}`);
    return outcome;
}

/** One SDK call as the emulator saw it: its attempts, in order. */
export interface AwsCall {
    instanceId: string;
    method: string;
    attempts: RecordedRequest[];
}

/**
 * Splits the log into AWS calls. Valid only when each instance's calls are sequential (the provider never
 * has two calls for one instance in flight): then, per instance, a call is a run of requests of one method
 * that ends at the first answered, non-faulted response, or at the end of the log.
 */
export function awsCalls(requests: readonly RecordedRequest[]): AwsCall[] {
    const calls: AwsCall[] = [];
    const open = new Map<string, AwsCall>();
    for (const request of requests) {
        const instanceId = request.instanceId ?? "";
        let call = open.get(instanceId);
        if (call === undefined || call.method !== request.method) {
            assert.equal(call, undefined, `a ${call?.method ?? ""} call on ${instanceId} ended unanswered`);
            call = { instanceId, method: request.method, attempts: [] };
            calls.push(call);
            open.set(instanceId, call);
        }
        call.attempts.push(request);
        const settled = request.status !== 0 && (request.fault === undefined || request.fault === "latency");
        if (settled) {
            open.delete(instanceId);
        }
    }
    return calls;
}

/** Every string in `secrets` that occurs in `text`, by name. */
export function leaks(text: string, secrets: Record<string, string>): string[] {
    return Object.entries(secrets)
        .filter(([, value]) => text.includes(value))
        .map(([name]) => name);
}

/** A fresh directory for a state file and any files a test writes, removed when the test process exits. */
export function tempDir(prefix: string): string {
    return tempFolder(`${prefix}-`);
}

/** Fails the test, showing the run, the host's stderr and the program's output, unless the run exited 0. */
export function assertRunOk(result: RunResult): void {
    assert.ok(
        result.ok,
        `${result.kind} failed:\n${formatRun(result)}\n${result.hostStderr}\n${result.programOutput}`,
    );
    assert.equal(result.exitCode, 0);
}

/** The run's error text for the resource `name` (the message the CLI would print for its step). */
export function stepError(result: RunResult, name: string): string {
    const step = result.steps.find((s) => s.name === name && s.error !== undefined);
    assert.ok(step?.error !== undefined, `no failed step for ${name}:\n${formatRun(result)}`);
    return step.error;
}

/**
 * The request budget under the real `pulumi` CLI, at its default `--parallel`, against the emulator's quota:
 * one host's resources never outrun the budget; a quota the budget overshoots is met by slowing down, with no
 * failed operation; a quota nothing can serve fails with the message that says what to change. Asserted on
 * the emulator's request log (counts and one-second windows, with slack for the clock only) and on the
 * engine's own events.
 */
import assert from "node:assert/strict";
import * as path from "node:path";

import { CliWorkspace, diagnostics, ok, stepOps, transcript } from "./support/cli";
import { limitsOf } from "./support/front-doors";
import type { CliStack } from "./support/cli";
import { serviceEnv, startService } from "./support/service";
import type { Service } from "./support/service";
import { FIRST_REQUEST_MS, JITTER_MS, connectRequests, mostInWindow, spanMs } from "../support/pacing";

const TYPE = "pulumi-nodejs:dynamic/connectcampaignsv2:InstanceCommunicationLimits";
const PROGRAM = path.join(__dirname, "fixtures", "instances");
const REGION = "us-west-2";
const QUOTA = { rate: 5, burst: 10 };

/** Throttled and answered Connect requests of the last command, from the emulator's log. */
function throttling(service: Service): { throttled: number; answered: number } {
    const requests = connectRequests(service);
    const throttled = requests.filter((request) => request.throttled).length;
    return { throttled, answered: requests.length - throttled };
}

describe("the request budget through the real pulumi CLI", function () {
    this.timeout(1_800_000);
    let service: Service;
    let workspace: CliWorkspace;
    let next = 0;

    before(async () => {
        service = await startService();
        workspace = CliWorkspace.create(serviceEnv(service));
    });
    after(async () => {
        workspace?.dispose();
        await service?.close();
    });

    /** `count` onboarded instances and a stack declaring one resource for each, with `config` on top. */
    async function fleet(
        prefix: string,
        count: number,
        config: Record<string, string>,
    ): Promise<{ ids: string[]; stack: CliStack }> {
        const ids = Array.from(
            { length: count },
            (_, index) => `${prefix}-${String(index).padStart(3, "0")}`,
        );
        for (const id of ids) {
            service.addInstance(id);
        }
        const stack = await workspace.stack(workspace.project(PROGRAM), `${prefix}-${++next}`);
        await stack.setConfig({
            instances: JSON.stringify(
                ids.map((id) => ({
                    name: id,
                    id,
                    limits: [
                        [2, 7],
                        [1, 1],
                    ],
                })),
            ),
            ...config,
        });
        return { ids, stack };
    }

    it("keeps 200 resources of one host within the budget's rate plus its burst in every second", async () => {
        const rate = 25;
        const burst = 5;
        const { ids, stack } = await fleet("window", 200, {
            "connect-campaign-limits:requestsPerSecond": String(rate),
            "connect-campaign-limits:requestBurst": String(burst),
        });
        service.clearRequests();
        const up = ok(await stack.run(["up", "--yes"]));
        assert.equal(stepOps(up, TYPE).filter((step) => step.op === "create" && !step.failed).length, 200);
        for (const id of ids) {
            assert.deepEqual(limitsOf(service.limits(id)), ["1/1", "2/7"], id);
        }
        const requests = connectRequests(service);
        assert.equal(requests.length, 600, "create is get, put, get");
        const most = mostInWindow(requests, 1000);
        const allowed = burst + Math.ceil(rate * (1 + JITTER_MS / 1000));
        assert.ok(most <= allowed, `${most} requests in one second; the budget allows ${burst} + ${rate}/s`);
        const floor = ((600 - burst) / rate) * 1000;
        assert.ok(spanMs(requests) >= floor - FIRST_REQUEST_MS, `600 requests in ${spanMs(requests)} ms`);
    });

    it("serves 40 resources under a quota of 5/s, burst 10, at the default budget without one throttled request", async () => {
        service.setQuota(QUOTA);
        try {
            const { ids, stack } = await fleet("default-budget", 40, {});
            for (const args of [
                ["up", "--yes"],
                ["destroy", "--yes"],
            ]) {
                service.clearRequests();
                const result = ok(await stack.run(args));
                assert.equal(stepOps(result, TYPE).filter((step) => step.failed).length, 0);
                // The default budget, 2 a second and 5 at once, stays inside the quota: nothing is throttled.
                assert.deepEqual(throttling(service).throttled, 0, `pulumi ${args[0] ?? ""}`);
            }
            for (const id of ids) {
                assert.deepEqual(limitsOf(service.limits(id)), [], id);
            }
        } finally {
            service.setQuota(undefined);
        }
    });

    it("finishes up, refresh and destroy of 50 resources under a quota a quarter of the budget, failing nothing", async () => {
        // Someone else shares the account's quota: the service allows 5 a second, the budget is set to 20.
        service.setQuota(QUOTA);
        try {
            const { ids, stack } = await fleet("shared-quota", 50, {
                "connect-campaign-limits:requestsPerSecond": "20",
                "connect-campaign-limits:requestBurst": "10",
            });
            const expected = { up: "create", refresh: "same", destroy: "delete" } as const;
            for (const command of ["up", "refresh", "destroy"] as const) {
                service.clearRequests();
                const result = ok(await stack.run([command, "--yes", "--skip-preview"]));
                const steps = stepOps(result, TYPE);
                assert.deepEqual(
                    steps.filter((step) => step.failed),
                    [],
                    `pulumi ${command}`,
                );
                assert.equal(
                    steps.filter((step) => step.op === expected[command]).length,
                    50,
                    transcript(result),
                );
                const { throttled, answered } = throttling(service);
                // A budget that kept sending at 20 a second would have 3 throttled requests per answered one;
                // this one slows down at the first throttled answer.
                assert.ok(
                    throttled <= answered,
                    `pulumi ${command}: ${throttled} throttled, ${answered} answered`,
                );
                if (command === "up") {
                    assert.ok(throttled > 0, "the quota never throttled: nothing to adapt to");
                    for (const id of ids) {
                        assert.deepEqual(limitsOf(service.limits(id)), ["1/1", "2/7"], id);
                    }
                }
            }
            for (const id of ids) {
                assert.deepEqual(limitsOf(service.limits(id)), [], id);
            }
        } finally {
            service.setQuota(undefined);
        }
    });

    it("fails a run the quota cannot serve with the message naming the quota, the attempts and what to change", async () => {
        // One request every five seconds, three attempts per call, three resources at once.
        service.setQuota({ rate: 0.2, burst: 1 });
        try {
            const { stack } = await fleet("starved", 3, { "connect-campaign-limits:maxAttempts": "3" });
            const up = await stack.run(["up", "--yes", "--skip-preview"]);
            assert.notEqual(up.code, 0, transcript(up));
            const failed = stepOps(up, TYPE).filter((step) => step.failed);
            assert.ok(failed.length > 0, transcript(up));
            const nextStep =
                "Next step: the service kept throttling through all 3 attempts: the account's request quota in " +
                `${REGION} is shared with everything else calling it. Run again later, lower ` +
                "connect-campaign-limits:requestsPerSecond (now 2), or raise connect-campaign-limits:maxAttempts " +
                "(or AWS_MAX_ATTEMPTS).";
            const errors = up.events.flatMap((event) =>
                event.diagnosticEvent?.severity === "error" &&
                event.diagnosticEvent.urn?.includes(`::${TYPE}::`)
                    ? [event.diagnosticEvent]
                    : [],
            );
            for (const step of failed) {
                const own = errors.filter((error) => error.urn?.endsWith(`::${step.name}`));
                assert.ok(
                    own.some(
                        (error) =>
                            /ThrottlingException: Rate exceeded \(HTTP 429, request id [-0-9a-f]+, 3 attempts,/.test(
                                error.message,
                            ) && error.message.includes(nextStep),
                    ),
                    `${step.name}:\n${own.map((error) => error.message).join("\n")}\n${diagnostics(up).join("\n")}`,
                );
            }
        } finally {
            service.setQuota(undefined);
        }
    });
});

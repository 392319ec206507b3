/**
 * `CommunicationLimitsPolicy` under Pulumi's mocks: the children it declares, their names and arguments, and
 * the errors a fleet list can have — no engine, no AWS.
 */
import assert from "node:assert/strict";

import * as pulumi from "@pulumi/pulumi";

import { CommunicationLimitsPolicy } from "../../provider/policy";

interface Registered {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
}

const WEEKLY = {
    allChannelSubtypes: {
        communicationLimitsList: [{ maxCountPerRecipient: 2, frequency: 7, unit: "DAY" as const }],
    },
};
const NONE = { allChannelSubtypes: { communicationLimitsList: [] } };

async function declare(
    build: () => CommunicationLimitsPolicy,
): Promise<{ registered: Registered[]; error?: unknown }> {
    const registered: Registered[] = [];
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                registered.push({
                    type: args.type,
                    name: args.name,
                    inputs: args.inputs as Record<string, unknown>,
                });
                return { id: `${args.name}-id`, state: args.inputs as Record<string, unknown> };
            },
            call: () => ({}),
        },
        "policy-test",
        "dev",
        false,
    );
    try {
        const policy = build();
        await new Promise<void>((resolve) => policy.limits.apply(() => resolve()));
        return { registered };
    } catch (error) {
        return { registered, error };
    }
}

describe("CommunicationLimitsPolicy (policy)", () => {
    it("declares one child per instance, named after the policy and the instance id, with the shared limits unless overridden", async () => {
        const { registered } = await declare(
            () =>
                new CommunicationLimitsPolicy("outbound", {
                    instanceIds: ["b-2", "a-1"],
                    communicationLimitsConfig: WEEKLY,
                    overrides: { "a-1": NONE },
                    deletionPolicy: "restore",
                    region: "eu-west-2",
                }),
        );
        const children = registered.filter((r) => r.type.endsWith("InstanceCommunicationLimits"));
        assert.deepEqual(children.map((c) => c.name).sort(), ["outbound-a-1", "outbound-b-2"]);
        const byName = Object.fromEntries(children.map((c) => [c.name, c.inputs]));
        assert.deepEqual(byName["outbound-b-2"]?.communicationLimitsConfig, WEEKLY);
        assert.deepEqual(byName["outbound-a-1"]?.communicationLimitsConfig, NONE);
        assert.equal(byName["outbound-a-1"]?.deletionPolicy, "restore");
        assert.equal(byName["outbound-a-1"]?.region, "eu-west-2");
    });

    it("refuses an instance listed twice, naming it, without a stack trace", async () => {
        const { error } = await declare(
            () =>
                new CommunicationLimitsPolicy("dup", {
                    instanceIds: ["a-1", "a-1"],
                    communicationLimitsConfig: WEEKLY,
                }),
        );
        assert.ok(error instanceof pulumi.ResourceError, String(error));
        assert.equal(
            error.message,
            "CommunicationLimitsPolicy dup: instance a-1 is listed twice in instanceIds; list each instance once.",
        );
        assert.equal((error as unknown as { hideStack?: boolean }).hideStack, true);
    });

    it("refuses an override for an instance not in the list, saying what to do", async () => {
        const { error } = await declare(
            () =>
                new CommunicationLimitsPolicy("stray", {
                    instanceIds: ["a-1"],
                    communicationLimitsConfig: WEEKLY,
                    overrides: { "z-9": NONE },
                }),
        );
        assert.ok(error instanceof pulumi.ResourceError, String(error));
        assert.equal(
            error.message,
            "CommunicationLimitsPolicy stray: overrides name z-9, which is not in instanceIds; add it to instanceIds or remove the override.",
        );
    });
});

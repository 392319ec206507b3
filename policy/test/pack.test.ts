import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import * as policySdk from "@pulumi/policy";
import type {
    PolicyResource,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
} from "@pulumi/policy";

import { PolicyConfigError } from "../src/config";
import {
    CannotCheckYet,
    DEFAULT_ENFORCEMENT,
    PACK_NAME,
    allowedDeletionPolicies,
    isUnknownValueError,
    maxContactsPerWindow,
    packArgs,
    plain,
    requiredWindow,
    singleManagerPerInstance,
    stackOf,
} from "../src/pack";
import { UNKNOWN_SENTINELS } from "../src/resource";
import type { Declared } from "./support";
import { INSTANCE, UNKNOWN, config, declared, inputs, limit, urnOf } from "./support";

// The server's own proxy (exported at run time; its typings are stripped), so these tests read properties
// exactly as a policy does inside the policy server.
const { unknownCheckingProxy, UnknownValueError } = policySdk as unknown as {
    unknownCheckingProxy: <T extends object>(props: T) => T;
    UnknownValueError: new (...args: never[]) => Error;
};

class NotApplicable extends Error {}

const LABEL = `InstanceCommunicationLimits "contact-center" on instance ${INSTANCE} in us-west-2`;

function resourceArgs(resource: Declared, policyConfig: object = {}): ResourceValidationArgs {
    return {
        type: resource.type,
        name: resource.name,
        urn: resource.urn,
        props: unknownCheckingProxy(resource.props),
        opts: {
            protect: false,
            ignoreChanges: [],
            aliases: [],
            customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
            additionalSecretOutputs: [],
        },
        stackTags: new Map(),
        isType: () => false,
        asType: () => undefined,
        getConfig: <T extends object>() => policyConfig as T,
        notApplicable: (reason?: string): never => {
            throw new NotApplicable(reason);
        },
    };
}

/** Runs a resource policy as the server does; returns what it reported and what it threw. */
async function validate(
    policy: ResourceValidationPolicy,
    resource: Declared,
    policyConfig: object = {},
): Promise<{ reported: string[]; thrown: unknown }> {
    const reported: string[] = [];
    const validation = policy.validateResource;
    if (typeof validation !== "function") {
        throw new Error(`test set-up: ${policy.name} has no single validateResource`);
    }
    try {
        await validation(resourceArgs(resource, policyConfig), (message) => reported.push(message));
        return { reported, thrown: undefined };
    } catch (error) {
        return { reported, thrown: error };
    }
}

function stackResource(resource: Declared): PolicyResource {
    const args = resourceArgs(resource);
    return { ...args, dependencies: [], propertyDependencies: {}, asType: () => undefined };
}

async function validateStack(
    resources: Declared[],
    policyConfig: object = {},
): Promise<{ reported: { message: string; urn: string | undefined }[]; thrown: unknown }> {
    const reported: { message: string; urn: string | undefined }[] = [];
    const args: StackValidationArgs = {
        resources: resources.map(stackResource),
        stackTags: new Map(),
        getConfig: <T extends object>() => policyConfig as T,
        notApplicable: (reason?: string): never => {
            throw new NotApplicable(reason);
        },
    };
    try {
        await singleManagerPerInstance.validateStack(args, (message, urn) => reported.push({ message, urn }));
        return { reported, thrown: undefined };
    } catch (error) {
        return { reported, thrown: error };
    }
}

function assertCannotCheckYet(thrown: unknown, message: string): void {
    assert.ok(thrown instanceof CannotCheckYet, String(thrown));
    // The server reports any UnknownValueError as an advisory "can't run policy … during preview: <message>".
    assert.ok(thrown instanceof UnknownValueError);
    assert.equal(thrown.message, message);
}

describe("the policy pack's policies", () => {
    it('is named "connect-campaign-limits" and holds the four policies, in order', () => {
        assert.equal(PACK_NAME, "connect-campaign-limits");
        assert.deepEqual(
            packArgs.policies.map((p) => p.name),
            [
                "max-contacts-per-window",
                "required-window",
                "allowed-deletion-policies",
                "single-manager-per-instance",
            ],
        );
    });

    it("defaults to mandatory for the caps, the required window and duplicates, advisory for deletion policies", () => {
        assert.deepEqual(Object.fromEntries(packArgs.policies.map((p) => [p.name, p.enforcementLevel])), {
            "max-contacts-per-window": "mandatory",
            "required-window": "mandatory",
            "allowed-deletion-policies": "advisory",
            "single-manager-per-instance": "mandatory",
        });
        assert.deepEqual(
            DEFAULT_ENFORCEMENT,
            Object.fromEntries(packArgs.policies.map((p) => [p.name, p.enforcementLevel])),
        );
    });

    it("gives every policy a config schema without enforcementLevel, which the server would refuse", () => {
        for (const policy of packArgs.policies) {
            assert.ok(policy.configSchema, policy.name);
            assert.equal("enforcementLevel" in policy.configSchema.properties, false, policy.name);
        }
    });

    describe("reading the server's proxied properties", () => {
        it("copies them into plain data, each unknown value as the engine's sentinel", () => {
            const props = inputs(config(limit(UNKNOWN_SENTINELS.number, 7)), { region: UNKNOWN });
            const proxied = unknownCheckingProxy(props);
            assert.throws(
                () => proxied.region,
                (error: unknown) => isUnknownValueError(error),
            );
            assert.deepEqual(plain(proxied), props);
        });

        it("copies lists as lists", () => {
            const copy = plain(
                unknownCheckingProxy({ list: [1, UNKNOWN, { a: [UNKNOWN_SENTINELS.array] }] }),
            );
            assert.deepEqual(copy, { list: [1, UNKNOWN, { a: [UNKNOWN_SENTINELS.array] }] });
            assert.ok(Array.isArray((copy as { list: unknown }).list));
        });

        it("lets other errors through", () => {
            const exploding = new Proxy(
                {},
                {
                    ownKeys: () => ["boom"],
                    getOwnPropertyDescriptor: () => ({ enumerable: true, configurable: true }),
                    get: () => {
                        throw new RangeError("boom");
                    },
                },
            );
            assert.throws(() => plain(exploding), RangeError);
        });
    });

    describe("max-contacts-per-window", () => {
        it("reports each window the limits exceed", async () => {
            const { reported, thrown } = await validate(
                maxContactsPerWindow,
                declared("contact-center", inputs(config(limit(1, 1)))),
            );
            assert.equal(thrown, undefined);
            assert.deepEqual(reported, [
                `${LABEL}: 1 per 1 DAY allows up to 1 × 7 = 7 per 7 days; the organisation allows 3.`,
                `${LABEL}: 1 per 1 DAY allows up to 1 × 30 = 30 per 30 days; the organisation allows 8.`,
            ]);
        });

        it("uses the windows of the policy's config", async () => {
            const { reported } = await validate(
                maxContactsPerWindow,
                declared("contact-center", inputs(config(limit(1, 1)))),
                { maxCountPerRecipient: { "7": 7 } },
            );
            assert.deepEqual(reported, []);
        });

        it("throws what it cannot check yet as an UnknownValueError carrying its message", async () => {
            const { reported, thrown } = await validate(
                maxContactsPerWindow,
                declared("contact-center", inputs(config(limit(UNKNOWN_SENTINELS.number, 1)))),
            );
            assert.deepEqual(reported, []);
            assertCannotCheckYet(
                thrown,
                `${LABEL}: communicationLimitsConfig.allChannelSubtypes.communicationLimitsList[0].maxCountPerRecipient is not known until apply, so the organisation's caps of 1 per 1 day, 3 per 7 days and 8 per 30 days cannot be checked yet; the policy runs again once the values are known, before anything is written.`,
            );
        });

        it("fails on a config it cannot run with", async () => {
            const { thrown } = await validate(
                maxContactsPerWindow,
                declared("contact-center", inputs(config(limit(1, 1)))),
                { maxCountPerRecipient: { week: 3 } },
            );
            assert.ok(thrown instanceof PolicyConfigError);
        });

        it("is not applicable to other resources, and does not read their config", async () => {
            const { reported, thrown } = await validate(
                maxContactsPerWindow,
                declared("bucket", {}, { type: "aws:s3/bucket:Bucket" }),
                { maxCountPerRecipient: "not even parsed" },
            );
            assert.deepEqual(reported, []);
            assert.ok(thrown instanceof NotApplicable);
            assert.equal(
                thrown.message,
                "applies only to pulumi-nodejs:dynamic/connectcampaignsv2:InstanceCommunicationLimits and connect-campaign-limits:connectcampaignsv2:InstanceCommunicationLimits",
            );
        });
    });

    describe("required-window", () => {
        it("reports a resource without the required window", async () => {
            const { reported } = await validate(
                requiredWindow,
                declared("contact-center", inputs(config(limit(2, 7)))),
            );
            assert.deepEqual(reported, [
                `${LABEL} sets no limit with a frequency of 1 DAY; the organisation requires one. Its limits: 2 per 7 DAY.`,
            ]);
        });

        it("uses the frequencies of the policy's config", async () => {
            const { reported } = await validate(
                requiredWindow,
                declared("contact-center", inputs(config(limit(2, 7)))),
                { frequencies: [7] },
            );
            assert.deepEqual(reported, []);
        });
    });

    describe("allowed-deletion-policies", () => {
        it("reads the stack from the resource's URN", async () => {
            const { reported } = await validate(
                allowedDeletionPolicies,
                declared("contact-center", inputs(config()), { stack: "prod" }),
            );
            assert.deepEqual(reported, [
                `${LABEL} has deletionPolicy "reset"; in stack "prod" (rule "prod*") the organisation allows only "restore" or "retain".`,
            ]);
            const { reported: dev } = await validate(
                allowedDeletionPolicies,
                declared("contact-center", inputs(config()), { stack: "dev" }),
            );
            assert.deepEqual(dev, []);
        });

        it("falls back to the stack the CLI names (PULUMI_NODEJS_STACK) for a URN without one", () => {
            assert.equal(stackOf(urnOf("x", "prod-eu")), "prod-eu");
            assert.equal(stackOf("not-a-urn"), pulumi.getStack());
        });
    });

    describe("single-manager-per-instance", () => {
        const twice = (name: string, other: string) =>
            `InstanceCommunicationLimits "${name}" on instance ${INSTANCE} in us-west-2 is also managed by "${other}" in this stack; an instance's limits may be managed by one resource only, or each update overwrites the other's limits.`;

        it("reports each duplicate against its own URN, ignoring other resources", async () => {
            const { reported, thrown } = await validateStack([
                declared("b", inputs(config())),
                declared("bucket", { connectInstanceId: INSTANCE }, { type: "aws:s3/bucket:Bucket" }),
                declared("a", inputs(config()), {
                    type: "connect-campaign-limits:connectcampaignsv2:InstanceCommunicationLimits",
                }),
            ]);
            assert.equal(thrown, undefined);
            assert.deepEqual(reported, [
                {
                    urn: urnOf(
                        "a",
                        "dev",
                        "connect-campaign-limits:connectcampaignsv2:InstanceCommunicationLimits",
                    ),
                    message: twice("a", "b"),
                },
                { urn: urnOf("b"), message: twice("b", "a") },
            ]);
        });

        it("reports what it knows, then throws what it cannot check yet", async () => {
            const { reported, thrown } = await validateStack([
                declared("a", inputs(config())),
                declared("b", inputs(config())),
                declared("c", inputs(config(), { connectInstanceId: UNKNOWN })),
            ]);
            assert.equal(reported.length, 2);
            assertCannotCheckYet(
                thrown,
                'InstanceCommunicationLimits "c" on an instance not known until apply in us-west-2 may manage an instance another resource in this stack manages; whether an instance is managed twice is checked again at the end of the update, once the values are known.',
            );
        });

        it("is not applicable to a stack without communication limits", async () => {
            const { thrown } = await validateStack([
                declared("bucket", {}, { type: "aws:s3/bucket:Bucket" }),
            ]);
            assert.ok(thrown instanceof NotApplicable);
        });

        it("fails on a config property it does not have", async () => {
            const { thrown } = await validateStack([declared("a", inputs(config()))], { regions: [] });
            assert.ok(thrown instanceof PolicyConfigError);
        });
    });
});

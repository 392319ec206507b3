/**
 * `InstanceCommunicationLimits` under Pulumi's mocks: what it registers (type token, arguments, options),
 * which properties become its outputs, and what `.get()` reads — no engine, no AWS. What the serialized
 * `__provider` holds is in stub.test.ts and, for the built package, test/integration/serialization.test.ts.
 */
import assert from "node:assert/strict";

import * as pulumi from "@pulumi/pulumi";

import { InstanceCommunicationLimits } from "../../provider/resource";
import type { InstanceCommunicationLimitsArgs } from "../../provider/resource";

const TYPE = "pulumi-nodejs:dynamic/connectcampaignsv2:InstanceCommunicationLimits";
const ID = "0f5a1b2c-3d4e-5f60-7182-93a4b5c6d7e8";
const ROLE = "arn:aws:iam::210987654321:role/connect-limits";
const WEEKLY = {
    allChannelSubtypes: {
        communicationLimitsList: [{ maxCountPerRecipient: 2, frequency: 7, unit: "DAY" as const }],
    },
};

interface Registered {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
    /** The id of a resource read rather than managed. */
    id: string | undefined;
}

/** Mocks whose engine answers with the inputs plus `extra`, recording what was registered. */
async function mock(extra: Record<string, unknown> = {}): Promise<Registered[]> {
    const registered: Registered[] = [];
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                const inputs = args.inputs as Record<string, unknown>;
                registered.push({ type: args.type, name: args.name, inputs, id: args.id });
                return { id: args.id ?? `${args.name}-id`, state: { ...inputs, ...extra } };
            },
            call: () => ({}),
        },
        "resource-test",
        "dev",
        false,
    );
    return registered;
}

function value<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply(resolve));
}

/** The options the resource hands to Pulumi's constructor, as a transformation sees them. */
async function optionsOf(args: InstanceCommunicationLimitsArgs, opts: pulumi.CustomResourceOptions = {}) {
    await mock();
    let seen: pulumi.CustomResourceOptions | undefined;
    const resource = new InstanceCommunicationLimits("limits", args, {
        ...opts,
        transformations: [
            (t) => {
                seen = t.opts;
                return undefined;
            },
        ],
    });
    await value(resource.urn);
    assert.ok(seen !== undefined, "the transformation ran");
    return seen;
}

describe("InstanceCommunicationLimits (resource)", () => {
    it("registers under the dynamic type token with every argument passed through, a misspelt one included, and a provider text", async () => {
        const registered = await mock();
        // A program in JavaScript, or one that spreads an object of its own, can pass any key.
        const args = { connectInstanceId: ID, communicationLimitsConfig: WEEKLY, deletionpolicy: "retain" };
        const resource = new InstanceCommunicationLimits("limits", args);
        await value(resource.urn);
        assert.equal(registered.length, 1);
        const { type, name, inputs } = registered[0] ?? assert.fail("nothing registered");
        assert.deepEqual([type, name], [TYPE, "limits"]);
        // So that check can name it, instead of the argument being dropped without a word.
        assert.equal(inputs.deletionpolicy, "retain");
        assert.deepEqual(inputs.communicationLimitsConfig, WEEKLY);
        assert.equal(inputs.connectInstanceId, ID);
        assert.equal(typeof inputs.__provider, "string");
    });

    it("exposes what the provider returns as outputs, the output-only properties and the defaulted arguments included", async () => {
        const state = {
            region: "us-west-2",
            deletionPolicy: "reset",
            assumeRoleArn: ROLE,
            accountId: "210987654321",
            previousConfig: { allChannelSubtypes: { communicationLimitsList: [] } },
            previousConfigMatchedDesired: false,
        };
        await mock(state);
        const resource = new InstanceCommunicationLimits("limits", {
            connectInstanceId: ID,
            communicationLimitsConfig: WEEKLY,
        });
        assert.deepEqual(
            {
                region: await value(resource.region),
                deletionPolicy: await value(resource.deletionPolicy),
                assumeRoleArn: await value(resource.assumeRoleArn),
                accountId: await value(resource.accountId),
                previousConfig: await value(resource.previousConfig),
                previousConfigMatchedDesired: await value(resource.previousConfigMatchedDesired),
            },
            state,
        );
        assert.deepEqual(await value(resource.communicationLimitsConfig), WEEKLY);
        assert.equal(await value(resource.connectInstanceId), ID);
    });

    it('deletes first on a replacement under "restore", so the old copy can hand its previousConfig over', async () => {
        const args = {
            connectInstanceId: ID,
            communicationLimitsConfig: WEEKLY,
            deletionPolicy: "restore" as const,
        };
        assert.equal((await optionsOf(args)).deleteBeforeReplace, true);
    });

    it("keeps a program's own deleteBeforeReplace, and creates first under the other policies", async () => {
        const restore = {
            connectInstanceId: ID,
            communicationLimitsConfig: WEEKLY,
            deletionPolicy: "restore" as const,
        };
        assert.equal((await optionsOf(restore, { deleteBeforeReplace: false })).deleteBeforeReplace, false);
        for (const deletionPolicy of [undefined, "reset", "retain"] as const) {
            const args: InstanceCommunicationLimitsArgs = {
                connectInstanceId: ID,
                communicationLimitsConfig: WEEKLY,
            };
            if (deletionPolicy !== undefined) {
                args.deletionPolicy = deletionPolicy;
            }
            assert.equal(
                (await optionsOf(args)).deleteBeforeReplace,
                undefined,
                deletionPolicy ?? "no policy",
            );
        }
    });

    it(".get() reads the instance by its id, with only the region and role it is given and no limits to manage", async () => {
        const registered = await mock();
        const read = InstanceCommunicationLimits.get("observed", ID, {
            region: "eu-west-2",
            assumeRoleArn: ROLE,
        });
        const bare = InstanceCommunicationLimits.get("bare", ID);
        await value(pulumi.all([read.urn, bare.urn]));
        const inputs = (name: string) => {
            const found = registered.find((r) => r.name === name) ?? assert.fail(`${name} not read`);
            assert.equal(found.id, ID);
            assert.equal(found.type, TYPE);
            const { __provider: text, ...rest } = found.inputs;
            assert.equal(typeof text, "string");
            return rest;
        };
        assert.deepEqual(inputs("observed"), {
            connectInstanceId: ID,
            region: "eu-west-2",
            assumeRoleArn: ROLE,
        });
        assert.deepEqual(inputs("bare"), { connectInstanceId: ID });
    });
});

import assert from "node:assert/strict";

import { checkInputs, validateInputs } from "../../provider/validate";
import { UNKNOWN } from "../../provider/unknowns";
import { INSTANCE_ID, INVALID_CASES } from "../fixtures/invalid-inputs";

const VALID = {
    connectInstanceId: INSTANCE_ID,
    communicationLimitsConfig: {
        allChannelSubtypes: {
            communicationLimitsList: [
                { maxCountPerRecipient: 3, frequency: 7, unit: "DAY" },
                { maxCountPerRecipient: 1, frequency: 1, unit: "DAY" },
            ],
        },
    },
};

describe("check (validate)", () => {
    describe("rejects each invalid input with its property path and the rule it breaks", () => {
        for (const c of INVALID_CASES) {
            it(`rejects ${c.title}`, () => {
                assert.deepEqual(validateInputs(c.inputs), [{ property: c.property, reason: c.reason }]);
            });
        }
    });

    it("holds at least forty distinct invalid inputs in its corpus", () => {
        assert.ok(INVALID_CASES.length >= 40, `only ${INVALID_CASES.length} cases`);
        assert.equal(new Set(INVALID_CASES.map((c) => c.title)).size, INVALID_CASES.length);
    });

    it("reports every failure at once, in property order", () => {
        const failures = validateInputs({
            connectInstanceId: "arn:aws:connect:us-west-2:123456789012:instance/x",
            communicationLimitsConfig: {
                allChannelSubtypes: {
                    communicationLimitsList: [
                        { maxCountPerRecipient: 0, frequency: 31, unit: "WEEK" },
                        { maxCountPerRecipient: 2, frequency: 0, unit: "DAY" },
                        { maxCountPerRecipient: 1, frequency: 1, unit: "DAY" },
                    ],
                },
            },
            deletionPolicy: "keep",
        });
        assert.deepEqual(
            failures.map((f) => f.property),
            [
                "connectInstanceId",
                "communicationLimitsConfig.allChannelSubtypes.communicationLimitsList",
                "communicationLimitsConfig.allChannelSubtypes.communicationLimitsList[0].maxCountPerRecipient",
                "communicationLimitsConfig.allChannelSubtypes.communicationLimitsList[0].frequency",
                "communicationLimitsConfig.allChannelSubtypes.communicationLimitsList[0].unit",
                "communicationLimitsConfig.allChannelSubtypes.communicationLimitsList[1].frequency",
                "deletionPolicy",
            ],
        );
    });

    it("accepts the largest valid values the model allows", () => {
        const failures = validateInputs({
            connectInstanceId: "a".repeat(256),
            communicationLimitsConfig: {
                allChannelSubtypes: {
                    communicationLimitsList: [
                        { maxCountPerRecipient: 2_147_483_647, frequency: 30, unit: "DAY" },
                        { maxCountPerRecipient: 1, frequency: 1, unit: "DAY" },
                    ],
                },
            },
            deletionPolicy: "retain",
            region: "us-gov-west-1",
            assumeRoleArn: "arn:aws-us-gov:iam::123456789012:role/path/connect-limits",
        });
        assert.deepEqual(failures, []);
    });

    it("accepts no limits written as {}, as an empty list, or as an absent list member", () => {
        for (const config of [{}, { allChannelSubtypes: { communicationLimitsList: [] } }]) {
            assert.deepEqual(
                validateInputs({ connectInstanceId: INSTANCE_ID, communicationLimitsConfig: config }),
                [],
            );
        }
    });

    it("ignores the __provider key that the Pulumi runtime adds", () => {
        assert.deepEqual(validateInputs({ ...VALID, __provider: "exports.handler = …" }), []);
    });

    it("lets unknown preview values through at every level", () => {
        for (const inputs of [
            { connectInstanceId: UNKNOWN, communicationLimitsConfig: UNKNOWN },
            { ...VALID, connectInstanceId: UNKNOWN, deletionPolicy: UNKNOWN, region: UNKNOWN },
            { ...VALID, communicationLimitsConfig: { allChannelSubtypes: UNKNOWN } },
            {
                ...VALID,
                communicationLimitsConfig: { allChannelSubtypes: { communicationLimitsList: UNKNOWN } },
            },
            {
                ...VALID,
                communicationLimitsConfig: {
                    allChannelSubtypes: {
                        communicationLimitsList: [
                            UNKNOWN,
                            { maxCountPerRecipient: UNKNOWN, frequency: 7, unit: "DAY" },
                        ],
                    },
                },
            },
        ]) {
            const result = checkInputs(inputs);
            assert.ok(result.ok, JSON.stringify(inputs));
        }
    });

    it("still rejects the known parts of an input that is partly unknown", () => {
        const result = checkInputs({ ...VALID, connectInstanceId: UNKNOWN, deletionPolicy: "never" });
        assert.ok(!result.ok);
        assert.deepEqual(
            result.failures.map((f) => f.property),
            ["deletionPolicy"],
        );
    });

    it("returns canonical inputs: limits sorted, default deletion policy, nothing undefined", () => {
        const result = checkInputs(VALID);
        assert.ok(result.ok);
        assert.deepEqual(result.inputs, {
            connectInstanceId: INSTANCE_ID,
            communicationLimitsConfig: {
                allChannelSubtypes: {
                    communicationLimitsList: [
                        { maxCountPerRecipient: 1, frequency: 1, unit: "DAY" },
                        { maxCountPerRecipient: 3, frequency: 7, unit: "DAY" },
                    ],
                },
            },
            deletionPolicy: "reset",
        });
        assert.ok(!JSON.stringify(result.inputs).includes("undefined"));
        assert.ok(Object.values(result.inputs).every((v) => v !== undefined));
    });

    it("fills region and role from the provider's defaults, and the resource's own values win", () => {
        const defaults = { region: "eu-west-2", assumeRoleArn: "arn:aws:iam::111111111111:role/default" };
        const fromDefaults = checkInputs(VALID, defaults);
        assert.ok(fromDefaults.ok);
        assert.equal(fromDefaults.inputs.region, "eu-west-2");
        assert.equal(fromDefaults.inputs.assumeRoleArn, "arn:aws:iam::111111111111:role/default");
        const own = checkInputs(
            { ...VALID, region: "us-west-2", assumeRoleArn: "arn:aws:iam::222222222222:role/own" },
            defaults,
        );
        assert.ok(own.ok);
        assert.equal(own.inputs.region, "us-west-2");
        assert.equal(own.inputs.assumeRoleArn, "arn:aws:iam::222222222222:role/own");
    });

    it("leaves region and role out of the inputs when neither the resource nor the provider sets them", () => {
        const result = checkInputs(VALID);
        assert.ok(result.ok);
        assert.ok(!("region" in result.inputs));
        assert.ok(!("assumeRoleArn" in result.inputs));
    });
});

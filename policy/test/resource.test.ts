import * as assert from "node:assert/strict";

import {
    RESOURCE_TYPES,
    UNKNOWN_SENTINELS,
    describeResource,
    isLimitsResource,
    isUnknown,
    readLimitsResource,
    stackOfUrn,
} from "../src/resource";
import { INSTANCE, UNKNOWN, config, declared, inputs, limit, read } from "./support";

describe("reading a resource's properties", () => {
    describe("which resources are governed", () => {
        const cases: [string, boolean][] = [
            ["pulumi-nodejs:dynamic/connectcampaignsv2:InstanceCommunicationLimits", true],
            ["connect-campaign-limits:connectcampaignsv2:InstanceCommunicationLimits", true],
            ["pulumi-nodejs:dynamic:Resource", false],
            ["pulumi-nodejs:dynamic/connectcampaignsv2:SomethingElse", false],
            ["aws:connect/instance:Instance", false],
            ["pulumi:pulumi:Stack", false],
        ];
        for (const [type, governed] of cases) {
            it(`${governed ? "governs" : "ignores"} ${type}`, () => {
                assert.equal(isLimitsResource(type), governed);
            });
        }

        it("returns nothing for a resource of another type", () => {
            assert.equal(readLimitsResource(declared("x", {}, { type: "aws:s3/bucket:Bucket" })), undefined);
        });
    });

    describe("unknown values", () => {
        for (const [kind, sentinel] of Object.entries(UNKNOWN_SENTINELS)) {
            it(`treats the engine's unknown ${kind} sentinel as not known`, () => {
                assert.equal(isUnknown(sentinel), true);
            });
        }

        it("treats ordinary strings, numbers and nothing as known", () => {
            for (const value of ["04da6b54", "", 0, undefined, null, {}]) {
                assert.equal(isUnknown(value), false, JSON.stringify(value));
            }
        });
    });

    describe("limits", () => {
        it("reads known limits sorted by frequency, whatever their order", () => {
            const resource = read("a", inputs(config(limit(3, 7), limit(1, 1))));
            assert.deepEqual(resource.limits, {
                state: "known",
                limits: [
                    { maxCountPerRecipient: 1, frequency: 1 },
                    { maxCountPerRecipient: 3, frequency: 7 },
                ],
                partial: [],
            });
        });

        const empty = { state: "known", limits: [], partial: [] };
        const noLimits: [string, unknown][] = [
            ["an empty list", config()],
            ["an empty config", {}],
            ["an empty union", { allChannelSubtypes: {} }],
            ["no config at all", undefined],
        ];
        for (const [what, value] of noLimits) {
            it(`reads ${what} as no limits`, () => {
                assert.deepEqual(read("a", inputs(value)).limits, empty);
            });
        }

        const wholeUnknown: [string, unknown, string][] = [
            ["the config", UNKNOWN, "communicationLimitsConfig"],
            ["the union", { allChannelSubtypes: UNKNOWN }, "communicationLimitsConfig.allChannelSubtypes"],
            [
                "the list",
                { allChannelSubtypes: { communicationLimitsList: UNKNOWN_SENTINELS.array } },
                "communicationLimitsConfig.allChannelSubtypes.communicationLimitsList",
            ],
        ];
        for (const [what, value, path] of wholeUnknown) {
            it(`reads an unknown ${what.replace("the ", "")} as limits not known, at ${path}`, () => {
                assert.deepEqual(read("a", inputs(value)).limits, { state: "unknown", path });
            });
        }

        it("keeps a limit with an unknown field as partial, with its first unknown field and known frequency", () => {
            const resource = read(
                "a",
                inputs(
                    config(
                        limit(1, 1),
                        limit(UNKNOWN_SENTINELS.number, 7),
                        limit(2, UNKNOWN),
                        UNKNOWN_SENTINELS.object,
                    ),
                ),
            );
            assert.deepEqual(resource.limits, {
                state: "known",
                limits: [{ maxCountPerRecipient: 1, frequency: 1 }],
                partial: [
                    {
                        unknownPath:
                            "communicationLimitsConfig.allChannelSubtypes.communicationLimitsList[1].maxCountPerRecipient",
                        frequency: 7,
                    },
                    {
                        unknownPath:
                            "communicationLimitsConfig.allChannelSubtypes.communicationLimitsList[2].frequency",
                        frequency: undefined,
                    },
                    {
                        unknownPath:
                            "communicationLimitsConfig.allChannelSubtypes.communicationLimitsList[3]",
                        frequency: undefined,
                    },
                ],
            });
        });

        it("leaves out limits the service would reject, which never reach it", () => {
            const resource = read(
                "a",
                inputs(
                    config(
                        limit(0, 1),
                        limit(2, 31),
                        limit(2, 7, "WEEK"),
                        limit("3", 7),
                        limit(1.5, 2),
                        "x",
                        limit(4, 14),
                    ),
                ),
            );
            assert.deepEqual(resource.limits, {
                state: "known",
                limits: [{ maxCountPerRecipient: 4, frequency: 14 }],
                partial: [],
            });
        });
    });

    describe("other properties", () => {
        it("reads the instance, region and deletion policy, ignoring the dynamic provider's __provider", () => {
            const resource = read(
                "a",
                inputs(config(), { __provider: "exports.handler = …", previousConfig: {} }),
            );
            assert.deepEqual(
                [resource.connectInstanceId, resource.region, resource.deletionPolicy],
                [
                    { state: "known", value: INSTANCE },
                    { state: "known", value: "us-west-2" },
                    { state: "known", value: "reset" },
                ],
            );
        });

        it("tells absent, unknown and malformed values apart", () => {
            const resource = read("a", {
                connectInstanceId: UNKNOWN,
                deletionPolicy: 3,
                communicationLimitsConfig: config(),
            });
            assert.deepEqual(
                [resource.connectInstanceId, resource.region, resource.deletionPolicy],
                [
                    { state: "unknown", path: "connectInstanceId" },
                    { state: "absent" },
                    { state: "invalid", path: "deletionPolicy" },
                ],
            );
        });
    });

    describe("naming the resource in messages", () => {
        const cases: [string, Record<string, unknown>, string][] = [
            [
                "names the type, the resource, the instance and the region",
                inputs(config()),
                `InstanceCommunicationLimits "contact-center" on instance ${INSTANCE} in us-west-2`,
            ],
            [
                "leaves the region out when the resource names none",
                { connectInstanceId: INSTANCE },
                `InstanceCommunicationLimits "contact-center" on instance ${INSTANCE}`,
            ],
            [
                "says when the instance is not known yet",
                { connectInstanceId: UNKNOWN, region: UNKNOWN },
                `InstanceCommunicationLimits "contact-center" on an instance not known until apply`,
            ],
        ];
        for (const [title, props, expected] of cases) {
            it(title, () => {
                assert.equal(describeResource(read("contact-center", props)), expected);
            });
        }

        it("names the plugin provider's resource the same way", () => {
            const resource = read("contact-center", inputs(config()), { type: RESOURCE_TYPES.plugin });
            assert.equal(
                describeResource(resource),
                `InstanceCommunicationLimits "contact-center" on instance ${INSTANCE} in us-west-2`,
            );
        });
    });

    describe("the stack named in a URN", () => {
        const cases: [string, string, string | undefined][] = [
            [
                "reads the stack of a resource's URN",
                "urn:pulumi:prod-eu::app::pulumi-nodejs:dynamic/connectcampaignsv2:InstanceCommunicationLimits::a",
                "prod-eu",
            ],
            [
                "reads the stack of a component child's URN, whose type holds its parent's",
                "urn:pulumi:dev::app::pkg:index:CommunicationLimitsPolicy$pulumi-nodejs:dynamic/connectcampaignsv2:InstanceCommunicationLimits::outbound-i-1",
                "dev",
            ],
            ["finds no stack in something that is not a URN", "not-a-urn", undefined],
            ["finds no stack in an empty string", "", undefined],
        ];
        for (const [title, urn, stack] of cases) {
            it(title, () => {
                assert.equal(stackOfUrn(urn), stack);
            });
        }
    });
});

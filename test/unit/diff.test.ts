import assert from "node:assert/strict";

import { diffLimits } from "../../provider/diff";
import { UNKNOWN } from "../../provider/unknowns";

const ID = "0f5a1b2c-3d4e-5f60-7182-93a4b5c6d7e8";
const LIST = [
    { maxCountPerRecipient: 1, frequency: 1, unit: "DAY" },
    { maxCountPerRecipient: 3, frequency: 7, unit: "DAY" },
];
const OLDS = {
    connectInstanceId: ID,
    region: "us-west-2",
    communicationLimitsConfig: { allChannelSubtypes: { communicationLimitsList: LIST } },
    deletionPolicy: "reset",
    previousConfig: { allChannelSubtypes: { communicationLimitsList: [] } },
};
const NEWS = {
    connectInstanceId: ID,
    communicationLimitsConfig: { allChannelSubtypes: { communicationLimitsList: LIST } },
    deletionPolicy: "reset",
};

interface Row {
    title: string;
    olds?: Record<string, unknown>;
    news: Record<string, unknown>;
    changes: boolean;
    replaces: string[];
    changed: string[];
}

const ROWS: Row[] = [
    { title: "the same limits", news: NEWS, changes: false, replaces: [], changed: [] },
    {
        title: "the same limits in another order",
        news: {
            ...NEWS,
            communicationLimitsConfig: {
                allChannelSubtypes: { communicationLimitsList: [...LIST].reverse() },
            },
        },
        changes: false,
        replaces: [],
        changed: [],
    },
    {
        title: "a changed maxCountPerRecipient",
        news: {
            ...NEWS,
            communicationLimitsConfig: {
                allChannelSubtypes: {
                    communicationLimitsList: [LIST[0], { ...LIST[1], maxCountPerRecipient: 4 }],
                },
            },
        },
        changes: true,
        replaces: [],
        changed: ["communicationLimitsConfig"],
    },
    {
        title: "one limit removed",
        news: {
            ...NEWS,
            communicationLimitsConfig: { allChannelSubtypes: { communicationLimitsList: [LIST[0]] } },
        },
        changes: true,
        replaces: [],
        changed: ["communicationLimitsConfig"],
    },
    {
        title: "no limits as {} against live empty limits",
        olds: { ...OLDS, communicationLimitsConfig: { allChannelSubtypes: { communicationLimitsList: [] } } },
        news: { ...NEWS, communicationLimitsConfig: {} },
        changes: false,
        replaces: [],
        changed: [],
    },
    {
        title: "no limits as [] against a live config the service returned without a list",
        olds: { ...OLDS, communicationLimitsConfig: {} },
        news: { ...NEWS, communicationLimitsConfig: { allChannelSubtypes: { communicationLimitsList: [] } } },
        changes: false,
        replaces: [],
        changed: [],
    },
    {
        title: "another instance",
        news: { ...NEWS, connectInstanceId: "other-instance" },
        changes: true,
        replaces: ["connectInstanceId"],
        changed: ["connectInstanceId"],
    },
    {
        title: "another region",
        news: { ...NEWS, region: "eu-west-2" },
        changes: true,
        replaces: ["region"],
        changed: ["region"],
    },
    {
        title: "the same region, now explicit",
        news: { ...NEWS, region: "us-west-2" },
        changes: false,
        replaces: [],
        changed: [],
    },
    {
        title: "only the deletion policy",
        news: { ...NEWS, deletionPolicy: "retain" },
        changes: true,
        replaces: [],
        changed: ["deletionPolicy"],
    },
    {
        title: "the default deletion policy against a state without one",
        olds: { ...OLDS, deletionPolicy: undefined },
        news: NEWS,
        changes: false,
        replaces: [],
        changed: [],
    },
    {
        title: "a role to assume",
        news: { ...NEWS, assumeRoleArn: "arn:aws:iam::123456789012:role/x" },
        changes: true,
        replaces: [],
        changed: ["assumeRoleArn"],
    },
    {
        title: "an instance id not known yet",
        news: { ...NEWS, connectInstanceId: UNKNOWN },
        changes: true,
        replaces: ["connectInstanceId"],
        changed: ["connectInstanceId"],
    },
    {
        title: "limits not known yet",
        news: { ...NEWS, communicationLimitsConfig: UNKNOWN },
        changes: true,
        replaces: [],
        changed: ["communicationLimitsConfig"],
    },
    {
        title: "one limit value not known yet",
        news: {
            ...NEWS,
            communicationLimitsConfig: {
                allChannelSubtypes: {
                    communicationLimitsList: [LIST[0], { ...LIST[1], frequency: UNKNOWN }],
                },
            },
        },
        changes: true,
        replaces: [],
        changed: ["communicationLimitsConfig"],
    },
];

describe("diff", () => {
    for (const row of ROWS) {
        it(`reports ${row.changes ? (row.replaces.length > 0 ? "a replacement" : "an update") : "no change"} for ${row.title}`, () => {
            const result = diffLimits(row.olds ?? OLDS, row.news);
            assert.equal(result.changes, row.changes);
            assert.deepEqual(result.replaces, row.replaces);
            assert.deepEqual(result.changedProperties, row.changed);
        });
    }

    it("always answers changes with a boolean, never undefined", () => {
        for (const row of ROWS) {
            assert.equal(typeof diffLimits(row.olds ?? OLDS, row.news).changes, "boolean");
        }
    });

    it("never asks to delete first: a replacement it plans moves the limits, and the old ones stay until the new ones are written", () => {
        assert.equal(diffLimits(OLDS, { ...NEWS, connectInstanceId: "other" }).deleteBeforeReplace, false);
        assert.equal(diffLimits(OLDS, { ...NEWS, region: "eu-west-2" }).deleteBeforeReplace, false);
        assert.equal(diffLimits(OLDS, NEWS).deleteBeforeReplace, false);
    });

    it("reads stored limits strictly: state it cannot read counts as a change, never as equal", () => {
        const odd = {
            ...OLDS,
            communicationLimitsConfig: { allChannelSubtypes: { communicationLimitsList: "none" } },
        };
        assert.deepEqual(diffLimits(odd, NEWS).changedProperties, ["communicationLimitsConfig"]);
    });

    it("detects drift: live outputs that a refresh changed differ from unchanged desired inputs", () => {
        const drifted = {
            ...OLDS,
            communicationLimitsConfig: {
                allChannelSubtypes: {
                    communicationLimitsList: [{ maxCountPerRecipient: 9, frequency: 7, unit: "DAY" }],
                },
            },
        };
        assert.deepEqual(diffLimits(drifted, NEWS).changedProperties, ["communicationLimitsConfig"]);
    });
});

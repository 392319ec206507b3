import assert from "node:assert/strict";

import { formatConfig, normalizeConfig, sameConfig } from "../../provider/normalize";

const EMPTY = { allChannelSubtypes: { communicationLimitsList: [] } };

describe("normalize", () => {
    it("reads an absent config, {}, an absent list, a null list and [] as the same empty list", () => {
        for (const config of [
            undefined,
            null,
            {},
            { allChannelSubtypes: undefined },
            { allChannelSubtypes: {} },
            { allChannelSubtypes: { communicationLimitsList: null } },
            { allChannelSubtypes: { communicationLimitsList: [] } },
        ]) {
            assert.deepEqual(normalizeConfig(config), EMPTY, JSON.stringify(config));
        }
    });

    it("sorts limits by unit, then frequency, then maxCountPerRecipient", () => {
        const config = normalizeConfig({
            allChannelSubtypes: {
                communicationLimitsList: [
                    { maxCountPerRecipient: 3, frequency: 7, unit: "DAY" as const },
                    { maxCountPerRecipient: 1, frequency: 1, unit: "DAY" as const },
                ],
            },
        });
        assert.deepEqual(config.allChannelSubtypes.communicationLimitsList, [
            { maxCountPerRecipient: 1, frequency: 1, unit: "DAY" as const },
            { maxCountPerRecipient: 3, frequency: 7, unit: "DAY" as const },
        ]);
    });

    it("keeps only the three fields of each limit, dropping undefined holes and anything else an SDK response carries", () => {
        const config = normalizeConfig({
            allChannelSubtypes: {
                communicationLimitsList: [
                    { maxCountPerRecipient: 2, frequency: 3, unit: "DAY", extra: undefined } as never,
                ],
            },
        });
        assert.deepEqual(JSON.parse(JSON.stringify(config)), config);
        assert.deepEqual(Object.keys(config.allChannelSubtypes.communicationLimitsList[0] ?? {}), [
            "maxCountPerRecipient",
            "frequency",
            "unit",
        ]);
    });

    it("treats the same limits in another order as the same configuration, and different values as different", () => {
        const a = {
            allChannelSubtypes: {
                communicationLimitsList: [
                    { maxCountPerRecipient: 3, frequency: 7, unit: "DAY" as const },
                    { maxCountPerRecipient: 1, frequency: 1, unit: "DAY" as const },
                ],
            },
        };
        const b = {
            allChannelSubtypes: {
                communicationLimitsList: [
                    { maxCountPerRecipient: 1, frequency: 1, unit: "DAY" as const },
                    { maxCountPerRecipient: 3, frequency: 7, unit: "DAY" as const },
                ],
            },
        };
        const c = {
            allChannelSubtypes: {
                communicationLimitsList: [
                    { maxCountPerRecipient: 4, frequency: 7, unit: "DAY" as const },
                    { maxCountPerRecipient: 1, frequency: 1, unit: "DAY" as const },
                ],
            },
        };
        assert.equal(sameConfig(a, b), true);
        assert.equal(sameConfig(a, c), false);
        assert.equal(sameConfig(undefined, EMPTY), true);
        assert.equal(sameConfig(a, EMPTY), false);
    });

    it("formats limits for people", () => {
        assert.equal(formatConfig(undefined), "no limits");
        assert.equal(
            formatConfig({
                allChannelSubtypes: {
                    communicationLimitsList: [
                        { maxCountPerRecipient: 3, frequency: 7, unit: "DAY" as const },
                        { maxCountPerRecipient: 1, frequency: 1, unit: "DAY" as const },
                    ],
                },
            }),
            "1 per 1 DAY, 3 per 7 DAY",
        );
    });
});

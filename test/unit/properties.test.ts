import assert from "node:assert/strict";
import fc from "fast-check";

import { diffLimits } from "../../provider/diff";
import { normalizeConfig, sameConfig } from "../../provider/normalize";
import { checkInputs } from "../../provider/validate";

const LIST_PATH = "communicationLimitsConfig.allChannelSubtypes.communicationLimitsList";

const limit = fc.record({
    maxCountPerRecipient: fc.integer({ min: 1, max: 1_000_000 }),
    frequency: fc.integer({ min: 1, max: 30 }),
    unit: fc.constant("DAY" as const),
});
/** At most two limits, never two with the same window. */
const list = fc.uniqueArray(limit, { maxLength: 2, selector: (l) => l.frequency });
const config = fc.oneof(
    list.map((l) => ({ allChannelSubtypes: { communicationLimitsList: l } })),
    fc.constant({}),
);
const instanceId = fc.stringMatching(/^[-_.a-zA-Z0-9]{1,256}$/).filter((id) => !/^\.+$/.test(id));
const validInputs = fc.record({
    connectInstanceId: instanceId,
    communicationLimitsConfig: config,
    deletionPolicy: fc.constantFrom("reset", "restore", "retain"),
});

/** A valid input with exactly one thing broken, and the path check must name. */
const invalidInputs = fc
    .tuple(
        instanceId,
        fc
            .array(limit, { minLength: 1, maxLength: 2 })
            .filter((l) => new Set(l.map((x) => x.frequency)).size === l.length),
        fc.nat(),
        fc.oneof(
            fc.record({
                field: fc.constant("maxCountPerRecipient"),
                value: fc.oneof(
                    fc.integer({ max: 0 }),
                    fc.double({ min: 1.01, max: 100, noNaN: true }).filter((d) => !Number.isInteger(d)),
                    fc.string(),
                ),
            }),
            fc.record({
                field: fc.constant("frequency"),
                value: fc.oneof(
                    fc.integer({ max: 0 }),
                    fc.integer({ min: 31 }),
                    fc.constant(7.5),
                    fc.constant("7"),
                ),
            }),
            fc.record({ field: fc.constant("unit"), value: fc.string().filter((s) => s !== "DAY") }),
        ),
    )
    .map(([id, limits, index, broken]) => {
        const at = index % limits.length;
        const list = limits.map((l, i) => (i === at ? { ...l, [broken.field]: broken.value } : l));
        return {
            inputs: {
                connectInstanceId: id,
                communicationLimitsConfig: { allChannelSubtypes: { communicationLimitsList: list } },
            },
            path: `${LIST_PATH}[${at}].${broken.field}`,
        };
    });

function shuffled<T>(items: readonly T[], seed: number): T[] {
    const copy = [...items];
    if (seed % 2 === 1) {
        copy.reverse();
    }
    return copy;
}

describe("properties of check, normalize and diff", () => {
    it("normalize is idempotent", () => {
        fc.assert(
            fc.property(config, (c) =>
                assert.deepEqual(normalizeConfig(normalizeConfig(c)), normalizeConfig(c)),
            ),
        );
    });

    it("normalize ignores the order of the limits", () => {
        fc.assert(
            fc.property(list, fc.nat(), (l, seed) =>
                assert.deepEqual(
                    normalizeConfig({ allChannelSubtypes: { communicationLimitsList: l } }),
                    normalizeConfig({ allChannelSubtypes: { communicationLimitsList: shuffled(l, seed) } }),
                ),
            ),
        );
    });

    it("every generated valid input passes check, and its canonical form passes again unchanged", () => {
        fc.assert(
            fc.property(validInputs, (inputs) => {
                const first = checkInputs(inputs);
                assert.ok(first.ok, JSON.stringify(first));
                const second = checkInputs(first.inputs);
                assert.ok(second.ok);
                assert.deepEqual(second.inputs, first.inputs);
            }),
        );
    });

    it("every generated invalid input fails check, naming the broken property's path", () => {
        fc.assert(
            fc.property(invalidInputs, ({ inputs, path }) => {
                const result = checkInputs(inputs);
                assert.ok(!result.ok, `accepted ${JSON.stringify(inputs)}`);
                assert.ok(
                    result.failures.some((f) => f.property === path),
                    `${path} not in ${JSON.stringify(result.failures)}`,
                );
            }),
        );
    });

    it("diff of a configuration against itself, or against itself reordered, reports no change", () => {
        fc.assert(
            fc.property(validInputs, fc.nat(), (inputs, seed) => {
                const checked = checkInputs(inputs);
                assert.ok(checked.ok);
                const outs = {
                    ...checked.inputs,
                    region: "us-west-2",
                    previousConfig: normalizeConfig(undefined),
                };
                assert.equal(diffLimits(outs, checked.inputs).changes, false);
                const list = normalizeConfig(inputs.communicationLimitsConfig).allChannelSubtypes
                    .communicationLimitsList;
                const reordered = {
                    ...checked.inputs,
                    communicationLimitsConfig: {
                        allChannelSubtypes: { communicationLimitsList: shuffled(list, seed) },
                    },
                };
                assert.equal(diffLimits(outs, reordered).changes, false);
            }),
        );
    });

    it("diff reports a change exactly when the canonical limits differ", () => {
        fc.assert(
            fc.property(config, config, (a, b) => {
                const olds = {
                    connectInstanceId: "i",
                    region: "us-west-2",
                    deletionPolicy: "reset",
                    communicationLimitsConfig: normalizeConfig(a),
                };
                const news = {
                    connectInstanceId: "i",
                    deletionPolicy: "reset",
                    communicationLimitsConfig: normalizeConfig(b),
                };
                assert.equal(diffLimits(olds, news).changes, !sameConfig(a, b));
            }),
        );
    });
});

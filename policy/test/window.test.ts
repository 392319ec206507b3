import * as assert from "node:assert/strict";
import fc from "fast-check";

import type { KnownLimit } from "../src/resource";
import { effectiveCap, explainCap, impliedCap } from "../src/window";

const arbLimit = fc.record({
    maxCountPerRecipient: fc.integer({ min: 1, max: 50 }),
    frequency: fc.integer({ min: 1, max: 30 }),
});
const arbWindow = fc.integer({ min: 1, max: 365 });

/** Contacts per day over `days` days that never exceed `limit` in any `frequency` consecutive days. */
function arbSchedule(limit: KnownLimit, days: number): fc.Arbitrary<number[]> {
    return fc
        .array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: days, maxLength: days })
        .map((draws) => {
            const schedule: number[] = [];
            for (const draw of draws) {
                // The previous frequency − 1 days and this one form a stretch of `frequency` days.
                const previous = limit.frequency === 1 ? [] : schedule.slice(-(limit.frequency - 1));
                const room = limit.maxCountPerRecipient - previous.reduce((a, b) => a + b, 0);
                schedule.push(Math.min(room, Math.floor(draw * (room + 1))));
            }
            return schedule;
        });
}

function mostInAnyWindow(schedule: readonly number[], window: number): number {
    let most = 0;
    for (let start = 0; start < schedule.length; start++) {
        most = Math.max(
            most,
            schedule.slice(start, start + window).reduce((a, b) => a + b, 0),
        );
    }
    return most;
}

describe("the implied-limit rule", () => {
    describe("the cap one limit implies over a window", () => {
        const cases: [number, number, number, number][] = [
            // c, f, W, cap
            [1, 1, 7, 7],
            [3, 7, 7, 3],
            [3, 7, 30, 15],
            [3, 7, 8, 6],
            [8, 30, 7, 8],
            [8, 30, 30, 8],
            [2, 10, 30, 6],
            [1, 4, 30, 8],
        ];
        for (const [c, f, w, cap] of cases) {
            it(`${c} per ${f} days allows up to ${cap} in ${w} days`, () => {
                assert.equal(impliedCap({ maxCountPerRecipient: c, frequency: f }, w), cap);
            });
        }
    });

    describe("the arithmetic a message shows", () => {
        const cases: [number, number, number, string][] = [
            [1, 1, 7, "1 per 1 DAY allows up to 1 × 7 = 7 per 7 days"],
            [3, 7, 30, "3 per 7 DAY allows up to 3 × ceil(30/7) = 15 per 30 days"],
            [3, 7, 7, "3 per 7 DAY allows up to 3 per 7 days"],
            [8, 30, 7, "8 per 30 DAY allows up to 8 per 7 days"],
            [2, 10, 30, "2 per 10 DAY allows up to 2 × 3 = 6 per 30 days"],
        ];
        for (const [c, f, w, text] of cases) {
            it(`shows "${text}"`, () => {
                assert.equal(explainCap({ maxCountPerRecipient: c, frequency: f }, w), text);
            });
        }
    });

    describe("the effective cap of several limits", () => {
        it("is the least of the caps each limit implies", () => {
            const limits = [
                { maxCountPerRecipient: 1, frequency: 1 },
                { maxCountPerRecipient: 3, frequency: 7 },
            ];
            assert.deepEqual(
                [1, 7, 30].map((w) => effectiveCap(limits, w)),
                [1, 3, 15],
            );
        });

        it("is unbounded with no limits", () => {
            assert.equal(effectiveCap([], 7), Infinity);
        });

        it("never rises when a limit is added (so limits not known yet can only tighten it)", () => {
            fc.assert(
                fc.property(
                    fc.array(arbLimit, { maxLength: 3 }),
                    arbLimit,
                    arbWindow,
                    (limits, added, window) => {
                        assert.ok(effectiveCap([...limits, added], window) <= effectiveCap(limits, window));
                    },
                ),
            );
        });

        it("never falls as the window grows", () => {
            fc.assert(
                fc.property(
                    fc.array(arbLimit, { minLength: 1, maxLength: 2 }),
                    arbWindow,
                    (limits, window) => {
                        assert.ok(effectiveCap(limits, window + 1) >= effectiveCap(limits, window));
                    },
                ),
            );
        });
    });

    describe("is a bound no schedule exceeds, and one schedule reaches", () => {
        it("no schedule that keeps a limit has more contacts in any window than the limit implies", () => {
            fc.assert(
                fc.property(
                    arbLimit.chain((limit) =>
                        fc.tuple(fc.constant(limit), fc.integer({ min: 1, max: 60 }), arbSchedule(limit, 90)),
                    ),
                    ([limit, window, schedule]) => {
                        assert.ok(mostInAnyWindow(schedule, window) <= impliedCap(limit, window));
                    },
                ),
            );
        });

        it("bunching the limit's contacts at the start of each stretch of its frequency reaches the cap", () => {
            fc.assert(
                fc.property(arbLimit, fc.integer({ min: 1, max: 60 }), (limit, window) => {
                    const schedule = Array.from({ length: window }, (_, day) =>
                        day % limit.frequency === 0 ? limit.maxCountPerRecipient : 0,
                    );
                    // The schedule keeps the limit in every stretch of `frequency` days …
                    assert.ok(mostInAnyWindow(schedule, limit.frequency) <= limit.maxCountPerRecipient);
                    // … and has exactly the implied cap in the window.
                    assert.equal(mostInAnyWindow(schedule, window), impliedCap(limit, window));
                }),
            );
        });
    });
});

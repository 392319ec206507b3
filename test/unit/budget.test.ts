import assert from "node:assert/strict";

import { RequestBudget } from "../../provider/budget";

/** A clock that only moves when the budget sleeps: waits are exact, and the test takes no time. */
function virtualClock() {
    let now = 0;
    const slept: number[] = [];
    return {
        now: () => now,
        sleep: (ms: number) => {
            slept.push(ms);
            now += ms;
            return Promise.resolve();
        },
        slept,
        advance: (ms: number) => {
            now += ms;
        },
    };
}

describe("the request budget (budget)", () => {
    it("lets a burst through at once, then one request per 1/rate seconds, in arrival order", async () => {
        const clock = virtualClock();
        const budget = new RequestBudget({ rate: 5, burst: 3, now: clock.now, sleep: clock.sleep });
        const sentAt: number[] = [];
        await Promise.all(
            Array.from({ length: 8 }, async () => {
                await budget.acquire();
                sentAt.push(clock.now());
            }),
        );
        assert.deepEqual(sentAt, [0, 0, 0, 200, 400, 600, 800, 1000]);
        assert.equal(budget.stats().granted, 8);
    });

    it("never lets more than burst + rate × t requests through in any window of t seconds", async () => {
        const clock = virtualClock();
        const budget = new RequestBudget({ rate: 5, burst: 10, now: clock.now, sleep: clock.sleep });
        const sentAt: number[] = [];
        for (let i = 0; i < 200; i++) {
            await budget.acquire();
            sentAt.push(clock.now());
        }
        for (const start of sentAt) {
            const inWindow = sentAt.filter((t) => t >= start && t < start + 1000).length;
            assert.ok(inWindow <= 10 + 5, `${inWindow} requests in the second from ${start} ms`);
        }
        // 200 requests at 5/s after a burst of 10: the last goes at (200 - 10) / 5 = 38 s.
        assert.equal(sentAt.at(-1), 38_000);
    });

    it("refills while idle, up to the burst and no further", async () => {
        const clock = virtualClock();
        const budget = new RequestBudget({ rate: 2, burst: 2, now: clock.now, sleep: clock.sleep });
        await budget.acquire();
        await budget.acquire();
        clock.advance(60_000);
        await budget.acquire();
        await budget.acquire();
        assert.deepEqual(clock.slept, []);
        await budget.acquire();
        assert.deepEqual(clock.slept, [500]);
    });

    it("slows to 70% on each throttled answer, never below a tenth, and recovers 5% per answer that is not", () => {
        const budget = new RequestBudget({ rate: 10, burst: 1 });
        budget.throttled();
        assert.equal(budget.stats().rate, 7);
        for (let i = 0; i < 20; i++) {
            budget.throttled();
        }
        assert.equal(budget.stats().rate, 1);
        budget.succeeded();
        assert.equal(budget.stats().rate, 1.5);
        for (let i = 0; i < 100; i++) {
            budget.succeeded();
        }
        assert.equal(budget.stats().rate, 10);
        assert.equal(budget.stats().throttled, 21);
    });

    it("spaces requests at the lowered rate after throttling", async () => {
        const clock = virtualClock();
        const budget = new RequestBudget({ rate: 10, burst: 1, now: clock.now, sleep: clock.sleep });
        await budget.acquire();
        budget.throttled();
        budget.throttled();
        await budget.acquire();
        // 10 × 0.7 × 0.7 = 4.9 per second: about 205 ms until the next token.
        assert.deepEqual(clock.slept, [Math.ceil(1000 / 4.9)]);
    });
});

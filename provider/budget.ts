/**
 * One request budget per region and credentials, shared by every call the host process makes.
 *
 * AWS throttles per account and region. One dynamic-provider host serves every resource of a stack, and the
 * engine runs many resources at once (`--parallel`, default 4 × cores), so without a shared budget every
 * resource fires at once, most requests are throttled, and retries pile up until calls run out of
 * attempts. Here every attempt — first or retried — first takes a token from its budget: a token bucket
 * holding `burst` tokens, refilled at `rate` per second, served in arrival order.
 *
 * It adapts: a throttled answer means someone else (another stack, another tool, the console) shares the
 * quota, so the rate drops to 70% (never below 10% of the configured rate); each answer that is not
 * throttled gives back 5% of the configured rate, up to the configured rate. Waiting for a token costs no
 * attempt, so a slow budget never fails a call: only throttled or failed attempts count.
 */

export interface BudgetOptions {
    /** Tokens per second. */
    rate: number;
    /** Bucket size: how many requests may go at once after a quiet spell. */
    burst: number;
    /** Clock and timer, replaceable in tests. */
    now?: () => number;
    sleep?: (ms: number) => Promise<void>;
}

export interface BudgetStats {
    /** Requests that took a token. */
    granted: number;
    /** Answers that were throttled. */
    throttled: number;
    /** Total milliseconds requests waited for a token. */
    waitedMs: number;
    /** The rate now, after adaptation. */
    rate: number;
}

const DECREASE = 0.7;
const FLOOR = 0.1;
const RECOVERY = 0.05;

export class RequestBudget {
    private readonly configured: number;
    private rate: number;
    private readonly burst: number;
    private tokens: number;
    private last: number;
    private readonly now: () => number;
    private readonly sleep: (ms: number) => Promise<void>;
    /** Serialises waiters: each acquire waits for the one before it. */
    private tail: Promise<void> = Promise.resolve();
    private readonly counts = { granted: 0, throttled: 0, waitedMs: 0 };

    constructor(options: BudgetOptions) {
        this.configured = options.rate;
        this.rate = options.rate;
        this.burst = Math.max(1, options.burst);
        this.tokens = this.burst;
        this.now = options.now ?? (() => Date.now());
        this.sleep =
            options.sleep ??
            ((ms) =>
                new Promise((resolve) => {
                    setTimeout(resolve, ms);
                }));
        this.last = this.now();
    }

    /** Resolves when this request may be sent. */
    acquire(): Promise<void> {
        const turn = this.tail.then(() => this.take());
        this.tail = turn.catch(() => undefined);
        return turn;
    }

    /** The answer was throttled: slow down. */
    throttled(): void {
        this.counts.throttled++;
        this.rate = Math.max(this.configured * FLOOR, this.rate * DECREASE);
    }

    /** The answer was not throttled: recover towards the configured rate. */
    succeeded(): void {
        this.rate = Math.min(this.configured, this.rate + this.configured * RECOVERY);
    }

    stats(): BudgetStats {
        return { ...this.counts, rate: this.rate };
    }

    private refill(): void {
        const now = this.now();
        this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
        this.last = now;
    }

    private async take(): Promise<void> {
        this.refill();
        if (this.tokens < 1) {
            const wait = Math.ceil(((1 - this.tokens) / this.rate) * 1000);
            this.counts.waitedMs += wait;
            await this.sleep(wait);
            this.refill();
        }
        this.tokens = Math.max(0, this.tokens - 1);
        this.counts.granted++;
    }
}

/** Budgets of this process, by key (region and credentials). Shared by every provider object in the host. */
const budgets = new Map<string, RequestBudget>();

/**
 * The budget for `key` at `rate` and `burst`. Provider objects of one host share the stack config (the
 * engine starts another host for another config), so the figures are part of the key only to keep two
 * configurations in one process (tests) apart.
 */
export function budgetFor(key: string, rate: number, burst: number): RequestBudget {
    const id = `${key}|${rate}|${burst}`;
    let budget = budgets.get(id);
    if (budget === undefined) {
        budget = new RequestBudget({ rate, burst });
        budgets.set(id, budget);
    }
    return budget;
}

/** Forgets every budget (tests that start over in one process). */
export function resetBudgets(): void {
    budgets.clear();
}

/**
 * The implied-limit rule: what a set of limits allows over a window of W days.
 *
 * A limit of c contacts per f days allows at most c × ceil(W / f) contacts in any W days: any W days split
 * into ceil(W / f) stretches of at most f days, each holding at most c contacts, and contacts bunched at
 * the start of every f-day stretch reach that count. A window shorter than f therefore allows c. A resource
 * with several limits allows, over W days, the least of what each allows: its effective cap. With no limits
 * at all the cap is unbounded.
 *
 * The least of the caps is a bound, not always reached: two limits can interact (1 per 1 DAY and 3 per 7
 * DAY allow 14 contacts in 30 days, not the 15 the rule gives). The rule errs towards reporting.
 *
 * Pure.
 */
import type { KnownLimit } from "./resource";

/** At most how many contacts `limit` allows in any `window` days. */
export function impliedCap(limit: KnownLimit, window: number): number {
    return limit.maxCountPerRecipient * Math.ceil(window / limit.frequency);
}

/** The least of the caps `limits` imply over `window` days; `Infinity` for no limits. */
export function effectiveCap(limits: readonly KnownLimit[], window: number): number {
    return Math.min(Infinity, ...limits.map((limit) => impliedCap(limit, window)));
}

/**
 * The arithmetic for one limit, as a message shows it:
 * "3 per 7 DAY allows up to 3 × ceil(30/7) = 15 per 30 days", "1 per 1 DAY allows up to 1 × 7 = 7 per 7 days",
 * "8 per 30 DAY allows up to 8 per 7 days".
 */
export function explainCap(limit: KnownLimit, window: number): string {
    const { maxCountPerRecipient: c, frequency: f } = limit;
    const cap = impliedCap(limit, window);
    const head = `${c} per ${f} DAY allows up to`;
    const per = window === 1 ? "per day" : `per ${window} days`;
    if (window <= f) {
        return `${head} ${cap} ${per}`;
    }
    const stretches = window % f === 0 ? String(window / f) : `ceil(${window}/${f})`;
    return `${head} ${c} × ${stretches} = ${cap} ${per}`;
}

/**
 * Summaries and number formats of the benchmark. Every timed figure is a list of per-repetition values;
 * the table shows its median with the smallest and largest value beside it.
 */
import { performance } from "node:perf_hooks";

export interface Summary {
    median: number;
    min: number;
    max: number;
    /** How many values were summarized. */
    count: number;
}

/** Median, min and max of a non-empty list (the median of an even count is the mean of the middle two). */
export function summarize(values: readonly number[]): Summary {
    if (values.length === 0) {
        throw new Error("summarize: no values");
    }
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    const upper = sorted[middle] ?? 0;
    const median = sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? 0) + upper) / 2;
    return { median, min: sorted[0] ?? 0, max: sorted[sorted.length - 1] ?? 0, count: sorted.length };
}

export function median(values: readonly number[]): number {
    return summarize(values).median;
}

/** Milliseconds taken by `work`, with the monotonic clock. */
export async function timed(work: () => Promise<unknown>): Promise<number> {
    const started = performance.now();
    await work();
    return performance.now() - started;
}

/** Three significant digits at most, never in exponent form: 0.0123, 1.23, 12.3, 123, 1234. */
function significant(value: number): string {
    const magnitude = Math.abs(value);
    if (magnitude >= 100) {
        return value.toFixed(0);
    }
    if (magnitude >= 10) {
        return value.toFixed(1);
    }
    if (magnitude >= 1) {
        return value.toFixed(2);
    }
    if (magnitude === 0) {
        return "0";
    }
    return value.toPrecision(3);
}

/** A time in the unit that keeps it readable: µs below 1 ms, s from 1 s. */
export function formatMs(ms: number): string {
    if (ms < 1) {
        return `${significant(ms * 1000)} µs`;
    }
    if (ms >= 1000) {
        return `${significant(ms / 1000)} s`;
    }
    return `${significant(ms)} ms`;
}

export function formatRatio(ratio: number): string {
    return `${ratio.toFixed(2)}×`;
}

/** Exact bytes below 10 KB (targets are stated in bytes), then KB, then MB. */
export function formatBytes(bytes: number): string {
    if (bytes < 10 * 1024) {
        return `${Math.round(bytes).toLocaleString("en-US")} B`;
    }
    if (bytes < 1024 * 1024) {
        return `${(bytes / 1024).toFixed(1)} KB`;
    }
    return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}

/** "median (min–max)"; just the median when every repetition gave the same value. */
export function formatSummary(summary: Summary, format: (value: number) => string): string {
    const middle = format(summary.median);
    const low = format(summary.min);
    const high = format(summary.max);
    return low === high ? middle : `${middle} (${low}–${high})`;
}

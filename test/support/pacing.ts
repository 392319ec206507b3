/**
 * Shared by the tests of the request budget, in-process and through the CLI: the Connect requests an emulator
 * received, and how they spread over time.
 */
import type { EmulatorHandle, RecordedRequest } from "connect-campaigns-emulator";

/** The operations of the Connect API the provider calls. */
export const CONNECT = new Set(["GetInstanceCommunicationLimits", "PutInstanceCommunicationLimits"]);
/** How much later one request may reach the emulator than another, after the budget let each go. */
export const JITTER_MS = 250;
/** How late the first request of a host may arrive: it also loads and compiles the SDK's code paths. */
export const FIRST_REQUEST_MS = 1000;

/** The emulator's Connect requests (not STS), in arrival order. */
export function connectRequests(emulator: EmulatorHandle): RecordedRequest[] {
    return emulator.requests().filter((request) => CONNECT.has(request.operation));
}

/** The most requests whose arrival falls in any window of `windowMs` (each window starts at an arrival). */
export function mostInWindow(requests: readonly RecordedRequest[], windowMs: number): number {
    const times = requests.map((request) => request.receivedAt).sort((a, b) => a - b);
    let most = 0;
    let end = 0;
    for (let start = 0; start < times.length; start++) {
        const from = times[start] ?? 0;
        while (end < times.length && (times[end] ?? 0) < from + windowMs) {
            end++;
        }
        most = Math.max(most, end - start);
    }
    return most;
}

/** Milliseconds from the first arrival to the last. */
export function spanMs(requests: readonly RecordedRequest[]): number {
    const times = requests.map((request) => request.receivedAt);
    return Math.max(...times) - Math.min(...times);
}

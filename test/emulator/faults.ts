/**
 * Which requests get an infrastructure fault: an explicit FIFO queue first, then an optional seeded random profile.
 *
 * The profile draws from its generator for every eligible request, whether or not the queue already chose a fault,
 * so a profile's decisions depend only on its seed and on the order of eligible requests.
 */
import { CONNECT_OPERATIONS, DEFAULT_LATENCY_MS } from "./types";
import type { FaultKind, FaultProfile, Operation } from "./types";

/** mulberry32: a tiny, well-mixed 32-bit PRNG; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

export interface FaultDecision {
    kind: FaultKind;
    latencyMs: number;
}

interface QueuedFault {
    kind: FaultKind;
    latencyMs: number;
    /** Absent: either Connect operation. */
    operation?: Operation;
    instanceId?: string;
}

export interface InjectOptions {
    latencyMs?: number;
    /** Default: either Connect operation. Pass `AssumeRole` to fault STS. */
    operation?: Operation;
    instanceId?: string;
}

export class FaultPlan {
    private queue: QueuedFault[] = [];
    private profile: FaultProfile | undefined;
    private random: (() => number) | undefined;

    inject(kind: FaultKind, times: number, options: InjectOptions = {}): void {
        if (!Number.isInteger(times) || times < 0) {
            throw new RangeError(`injectFaults: times must be a non-negative integer, got ${times}`);
        }
        for (let i = 0; i < times; i++) {
            const entry: QueuedFault = { kind, latencyMs: options.latencyMs ?? DEFAULT_LATENCY_MS };
            if (options.operation !== undefined) {
                entry.operation = options.operation;
            }
            if (options.instanceId !== undefined) {
                entry.instanceId = options.instanceId;
            }
            this.queue.push(entry);
        }
    }

    setProfile(profile: FaultProfile | undefined): void {
        if (profile !== undefined) {
            if (!(profile.rate >= 0 && profile.rate <= 1)) {
                throw new RangeError(`setFaultProfile: rate must be within 0..1, got ${profile.rate}`);
            }
            if (profile.kinds.length === 0 && profile.rate > 0) {
                throw new RangeError("setFaultProfile: kinds must name at least one fault kind");
            }
        }
        this.profile = profile === undefined ? undefined : { ...profile, kinds: [...profile.kinds] };
        this.random = profile === undefined ? undefined : mulberry32(profile.seed);
    }

    /** Decides the fault, if any, for the next request; consumes a queue entry or generator draws accordingly. */
    next(operation: Operation, instanceId: string | undefined): FaultDecision | undefined {
        const fromProfile = this.drawFromProfile(operation);
        const queuedAt = this.queue.findIndex(
            (entry) =>
                (entry.operation === undefined
                    ? CONNECT_OPERATIONS.includes(operation)
                    : entry.operation === operation) &&
                (entry.instanceId === undefined || entry.instanceId === instanceId),
        );
        if (queuedAt >= 0) {
            const [entry] = this.queue.splice(queuedAt, 1);
            if (entry !== undefined) {
                return { kind: entry.kind, latencyMs: entry.latencyMs };
            }
        }
        return fromProfile;
    }

    private drawFromProfile(operation: Operation): FaultDecision | undefined {
        const profile = this.profile;
        const random = this.random;
        if (profile === undefined || random === undefined) {
            return undefined;
        }
        if (!(profile.operations ?? CONNECT_OPERATIONS).includes(operation)) {
            return undefined;
        }
        const roll = random();
        const pick = random();
        if (roll >= profile.rate) {
            return undefined;
        }
        const kind = profile.kinds[Math.floor(pick * profile.kinds.length)];
        return kind === undefined ? undefined : { kind, latencyMs: profile.latencyMs ?? DEFAULT_LATENCY_MS };
    }
}

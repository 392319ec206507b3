/**
 * Which requests get a fault: an explicit FIFO queue first, then an optional seeded profile.
 *
 * A profile's decision for a request is a pure function of (seed, instance id, that instance's request sequence
 * number): no generator state is shared between requests, so parallel clients that interleave differently from one
 * run to the next still see the same requests faulted, as long as each instance's own requests come in the same
 * order.
 */
import {
    CONNECT_OPERATIONS,
    DEFAULT_LATENCY_MS,
    DEFAULT_TRICKLE_INTERVAL_MS,
    FAULT_KINDS,
    GET_BODY_FAULT_KINDS,
    Operation,
} from "./types";
import type { FaultKind, FaultProfile, InjectOptions } from "./types";

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

/** FNV-1a over UTF-16 code units, then a final avalanche so close inputs give unrelated seeds. */
function hash32(text: string): number {
    let hash = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) {
        hash ^= text.charCodeAt(i);
        hash = Math.imul(hash, 0x01000193);
    }
    hash ^= hash >>> 16;
    hash = Math.imul(hash, 0x85ebca6b);
    hash ^= hash >>> 13;
    hash = Math.imul(hash, 0xc2b2ae35);
    hash ^= hash >>> 16;
    return hash >>> 0;
}

export interface FaultDecision {
    kind: FaultKind;
    latencyMs: number;
    intervalMs: number;
}

interface QueuedFault extends FaultDecision {
    operation?: Operation;
    instanceId?: string;
}

/** Where a fault of this kind may apply when no operation is named. */
function defaultOperations(kind: FaultKind): readonly Operation[] {
    return GET_BODY_FAULT_KINDS.includes(kind)
        ? [Operation.GetInstanceCommunicationLimits]
        : CONNECT_OPERATIONS;
}

function applies(kind: FaultKind, operation: Operation): boolean {
    return !GET_BODY_FAULT_KINDS.includes(kind) || operation === Operation.GetInstanceCommunicationLimits;
}

export function checkFaultKind(kind: unknown, caller: string): FaultKind {
    if (typeof kind !== "string" || !(FAULT_KINDS as readonly string[]).includes(kind)) {
        throw new RangeError(
            `${caller}: unknown fault kind ${JSON.stringify(kind)}; known: ${FAULT_KINDS.join(", ")}`,
        );
    }
    return kind as FaultKind;
}

export class FaultPlan {
    private queue: QueuedFault[] = [];
    private profile: FaultProfile | undefined;

    inject(kind: FaultKind, times: number, options: InjectOptions = {}): void {
        checkFaultKind(kind, "injectFaults");
        if (!Number.isInteger(times) || times < 0) {
            throw new RangeError(`injectFaults: times must be a non-negative integer, got ${times}`);
        }
        for (let i = 0; i < times; i++) {
            const entry: QueuedFault = {
                kind,
                latencyMs: options.latencyMs ?? DEFAULT_LATENCY_MS,
                intervalMs: options.intervalMs ?? DEFAULT_TRICKLE_INTERVAL_MS,
            };
            if (options.operation !== undefined) {
                entry.operation = options.operation;
            }
            if (options.instanceId !== undefined) {
                entry.instanceId = options.instanceId;
            }
            this.queue.push(entry);
        }
    }

    clear(): void {
        this.queue = [];
        this.profile = undefined;
    }

    setProfile(profile: FaultProfile | undefined): void {
        if (profile !== undefined) {
            if (!Number.isFinite(profile.seed)) {
                throw new RangeError(`setFaultProfile: seed must be a number, got ${profile.seed}`);
            }
            if (!(profile.rate >= 0 && profile.rate <= 1)) {
                throw new RangeError(`setFaultProfile: rate must be within 0..1, got ${profile.rate}`);
            }
            if (profile.kinds.length === 0 && profile.rate > 0) {
                throw new RangeError("setFaultProfile: kinds must name at least one fault kind");
            }
            for (const kind of profile.kinds) {
                checkFaultKind(kind, "setFaultProfile");
            }
        }
        this.profile = profile === undefined ? undefined : { ...profile, kinds: [...profile.kinds] };
    }

    /**
     * The fault, if any, for a request: the first queued entry that matches wins (and is consumed), else the
     * profile's decision for (instance id, instanceSeq).
     */
    next(
        operation: Operation,
        instanceId: string | undefined,
        instanceSeq: number,
    ): FaultDecision | undefined {
        const queuedAt = this.queue.findIndex(
            (entry) =>
                (entry.operation === undefined
                    ? defaultOperations(entry.kind).includes(operation)
                    : entry.operation === operation && applies(entry.kind, operation)) &&
                (entry.instanceId === undefined || entry.instanceId === instanceId),
        );
        if (queuedAt >= 0) {
            const [entry] = this.queue.splice(queuedAt, 1);
            if (entry !== undefined) {
                return { kind: entry.kind, latencyMs: entry.latencyMs, intervalMs: entry.intervalMs };
            }
        }
        return this.fromProfile(operation, instanceId, instanceSeq);
    }

    private fromProfile(
        operation: Operation,
        instanceId: string | undefined,
        instanceSeq: number,
    ): FaultDecision | undefined {
        const profile = this.profile;
        if (profile === undefined || !(profile.operations ?? CONNECT_OPERATIONS).includes(operation)) {
            return undefined;
        }
        const random = mulberry32(hash32(`${profile.seed}\u0000${instanceId ?? ""}\u0000${instanceSeq}`));
        const roll = random();
        const pick = random();
        if (roll >= profile.rate) {
            return undefined;
        }
        const kind = profile.kinds[Math.floor(pick * profile.kinds.length)];
        if (kind === undefined || !applies(kind, operation)) {
            return undefined;
        }
        return {
            kind,
            latencyMs: profile.latencyMs ?? DEFAULT_LATENCY_MS,
            intervalMs: profile.intervalMs ?? DEFAULT_TRICKLE_INTERVAL_MS,
        };
    }
}

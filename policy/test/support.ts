// Builders for the property bags the engine sends a policy, so each test states only what it varies.
import { RESOURCE_TYPES, UNKNOWN_SENTINELS, readLimitsResource } from "../src/resource";
import type { LimitsResource } from "../src/resource";

export const INSTANCE = "0f5a1b2c-3d4e-5f60-7182-93a4b5c6d7e8";
export const OTHER_INSTANCE = "1a2b3c4d-5e6f-4a5b-8c9d-0e1f2a3b4c5d";
/** The sentinel the engine sends for most unknowns (an unknown of string type). */
export const UNKNOWN = UNKNOWN_SENTINELS.string;

export interface Limit {
    maxCountPerRecipient: unknown;
    frequency: unknown;
    unit?: unknown;
}

/** `c per f DAY`. */
export function limit(maxCountPerRecipient: unknown, frequency: unknown, unit: unknown = "DAY"): Limit {
    return { maxCountPerRecipient, frequency, unit };
}

/** The canonical config the provider's check returns for these limits. */
export function config(...limits: unknown[]): Record<string, unknown> {
    return { allChannelSubtypes: { communicationLimitsList: limits } };
}

export function urnOf(name: string, stack = "dev", type: string = RESOURCE_TYPES.dynamic): string {
    return `urn:pulumi:${stack}::connect-limits::${type}::${name}`;
}

/** Inputs as the provider's check returns them (deletionPolicy and region filled in). */
export function inputs(
    communicationLimitsConfig: unknown,
    extra: Record<string, unknown> = {},
): Record<string, unknown> {
    return {
        connectInstanceId: INSTANCE,
        region: "us-west-2",
        deletionPolicy: "reset",
        communicationLimitsConfig,
        ...extra,
    };
}

export interface Declared {
    type: string;
    name: string;
    urn: string;
    props: Record<string, unknown>;
}

export function declared(
    name: string,
    props: Record<string, unknown>,
    options: { stack?: string; type?: string } = {},
): Declared {
    const type = options.type ?? RESOURCE_TYPES.dynamic;
    return { type, name, urn: urnOf(name, options.stack, type), props };
}

/** The resource as the rules see it. */
export function read(
    name: string,
    props: Record<string, unknown>,
    options: { stack?: string; type?: string } = {},
): LimitsResource {
    const resource = readLimitsResource(declared(name, props, options));
    if (resource === undefined) {
        throw new Error(`test set-up: ${options.type ?? RESOURCE_TYPES.dynamic} is not a governed type`);
    }
    return resource;
}

/**
 * What the dynamic-provider host puts into the values it hands over: the unknown sentinel of a preview and
 * the serialized provider. Pure.
 */

/** The value Pulumi uses for "not known until apply" in preview. Every check must let it through. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The key under which the host keeps the serialized provider in inputs and state. */
export const PROVIDER_KEY = "__provider";

/** True for the value Pulumi sends for "not known until apply". */
export function isUnknown(value: unknown): boolean {
    return value === UNKNOWN;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** True if the unknown sentinel appears anywhere inside `value`. */
export function containsUnknown(value: unknown): boolean {
    if (isUnknown(value)) {
        return true;
    }
    if (Array.isArray(value)) {
        return value.some(containsUnknown);
    }
    if (isPlainObject(value)) {
        return Object.values(value).some(containsUnknown);
    }
    return false;
}

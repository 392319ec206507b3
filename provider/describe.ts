/**
 * How a value a user gave reads in a message. Pure.
 *
 * The engine removes the secret marking before this provider sees a value (the dynamic-provider host does
 * not accept secrets), so any string may be a secret that landed in the wrong place: a string is quoted
 * only when its shape says it is not one — a short word (`"WEEK"` for a unit), a region-like name
 * (`"us-west-2a"`), an ARN, a number — and otherwise described by its length. Numbers, booleans and the
 * shape of lists and objects are shown.
 */

/** Strings of these shapes are quoted: they are names, never secrets. */
export const HARMLESS = {
    /** A single word, as a unit or a deletion policy is. */
    word: /^[A-Za-z_]{1,16}$/,
    /** Shaped like a region or an Availability Zone. */
    region: /^[a-z]{2}(-[a-z0-9]+){0,4}$/,
    /** An ARN (the account id in it is not a secret). */
    arn: /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:[\w/+=,.@:-]{1,200}$/,
} as const;

/** A string is quoted only when it matches one of `shapes`, or is a short numeric string. */
export function describe(value: unknown, shapes: readonly RegExp[] = []): string {
    if (value === undefined) {
        return "nothing";
    }
    if (value === null) {
        return "null";
    }
    if (typeof value === "number") {
        return Number.isNaN(value) ? "NaN" : String(value);
    }
    if (typeof value === "boolean") {
        return `a boolean (${value})`;
    }
    if (typeof value === "string") {
        return describeString(value, shapes);
    }
    if (Array.isArray(value)) {
        return value.length === 1 ? "a list of 1 item" : `a list of ${value.length} items`;
    }
    if (typeof value === "object") {
        const keys = Object.keys(value).sort();
        return keys.length === 0 ? "an empty object" : `an object with ${keys.join(", ")}`;
    }
    return `a ${typeof value}`;
}

function describeString(value: string, shapes: readonly RegExp[]): string {
    if (value === "") {
        return "an empty string";
    }
    if (shapes.some((shape) => shape.test(value)) || /^-?\d{1,10}$/.test(value.trim())) {
        return `the string ${JSON.stringify(value)}`;
    }
    return value.length === 1 ? "a string of 1 character" : `a string of ${value.length} characters`;
}

/** Characters of `value` outside `allowed`, listed once each (only punctuation and spaces: never letters or digits). */
export function offendingCharacters(value: string, allowed: RegExp): string[] {
    const seen = new Set<string>();
    for (const ch of value) {
        if (!allowed.test(ch)) {
            seen.add(/\s/.test(ch) ? "a space" : /[\p{L}\p{N}]/u.test(ch) ? "a non-ASCII letter" : `'${ch}'`);
        }
    }
    return [...seen].slice(0, 4);
}

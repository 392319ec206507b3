// Property values as the engine sees them: plain JSON, the unknown sentinel, secret wrappers.
// Pure functions only (no I/O, no Pulumi runtime), so the engine rules built on them are easy to test.

/** A JSON value as it travels in a `google.protobuf.Struct`. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A resource's property bag (inputs or outputs). */
export type PropertyMap = { [key: string]: JsonValue };

/** The wire value for "not known yet" (`plugin.UnknownStringValue`, `rpc.unknownValue` in the Node SDK). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** How unknown values are shown in step changes and stack outputs. */
export const UNKNOWN_DISPLAY = "[unknown]";

/** Signature key and value marking a secret: `{[SIG_KEY]: SECRET_SIG, value}`. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** The input (and output) holding the serialized dynamic provider module. */
export const PROVIDER_KEY = "__provider";

export function isObject(value: unknown): value is { [key: string]: JsonValue } {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Validates that `value` is a JSON object and returns it typed as a property map. */
export function toPropertyMap(value: unknown, what: string): PropertyMap {
    if (!isObject(value)) {
        throw new Error(`${what}: expected an object, got ${JSON.stringify(value)}`);
    }
    return value;
}

/** Replaces every secret wrapper with its plain value, at any depth. */
export function unwrapSecrets(value: JsonValue): JsonValue {
    if (Array.isArray(value)) {
        return value.map(unwrapSecrets);
    }
    if (isObject(value)) {
        if (value[SIG_KEY] === SECRET_SIG) {
            return unwrapSecrets(value["value"] ?? null);
        }
        const result: PropertyMap = {};
        for (const [key, inner] of Object.entries(value)) {
            result[key] = unwrapSecrets(inner);
        }
        return result;
    }
    return value;
}

export function unwrapSecretMap(map: PropertyMap): PropertyMap {
    return toPropertyMap(unwrapSecrets(map), "properties");
}

export function containsUnknowns(value: JsonValue): boolean {
    if (value === UNKNOWN) {
        return true;
    }
    if (Array.isArray(value)) {
        return value.some(containsUnknowns);
    }
    if (isObject(value)) {
        return Object.values(value).some(containsUnknowns);
    }
    return false;
}

/**
 * Drops unknown values the way the engine's marshaller does without `KeepUnknowns`:
 * an unknown property is omitted, an unknown array element becomes null.
 */
export function stripUnknowns(map: PropertyMap): PropertyMap {
    const strip = (value: JsonValue): JsonValue | undefined => {
        if (value === UNKNOWN) {
            return undefined;
        }
        if (Array.isArray(value)) {
            return value.map((element) => strip(element) ?? null);
        }
        if (isObject(value)) {
            const result: PropertyMap = {};
            for (const [key, inner] of Object.entries(value)) {
                const stripped = strip(inner);
                if (stripped !== undefined) {
                    result[key] = stripped;
                }
            }
            return result;
        }
        return value;
    };
    return toPropertyMap(strip(map), "properties");
}

/** Replaces the unknown sentinel by UNKNOWN_DISPLAY and unwraps secrets: values fit for a report. */
export function displayValue(value: JsonValue): JsonValue {
    const plain = unwrapSecrets(value);
    const show = (inner: JsonValue): JsonValue => {
        if (inner === UNKNOWN) {
            return UNKNOWN_DISPLAY;
        }
        if (Array.isArray(inner)) {
            return inner.map(show);
        }
        if (isObject(inner)) {
            const result: PropertyMap = {};
            for (const [key, element] of Object.entries(inner)) {
                result[key] = show(element);
            }
            return result;
        }
        return inner;
    };
    return show(plain);
}

/** Deep equality of JSON values; object key order is irrelevant, array order is not. */
export function deepEqual(a: JsonValue, b: JsonValue): boolean {
    if (a === b) {
        return true;
    }
    if (Array.isArray(a) || Array.isArray(b)) {
        return (
            Array.isArray(a) &&
            Array.isArray(b) &&
            a.length === b.length &&
            a.every((element, index) => deepEqual(element, b[index] ?? null))
        );
    }
    if (isObject(a) && isObject(b)) {
        const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
        for (const key of keys) {
            const left = a[key];
            const right = b[key];
            if (left === undefined || right === undefined) {
                if (left !== right) {
                    return false;
                }
                continue;
            }
            if (!deepEqual(left, right)) {
                return false;
            }
        }
        return true;
    }
    return false;
}

/** The engine treats a missing property and a null one alike (`PropertyValue.HasValue`). */
function hasValue(value: JsonValue | undefined): value is JsonValue {
    return value !== undefined && value !== null;
}

/**
 * The keys whose values differ between two property maps, as the engine's `PropertyMap.Diff` decides
 * (missing ≡ null; an unknown value always differs). Used where the engine falls back to its own input
 * diff: Diff answered DIFF_UNKNOWN, or the resource has no provider (components).
 */
export function changedKeys(olds: PropertyMap, news: PropertyMap): string[] {
    const keys = new Set([...Object.keys(olds), ...Object.keys(news)]);
    const changed: string[] = [];
    for (const key of keys) {
        const old = olds[key];
        const now = news[key];
        if (!hasValue(old) && !hasValue(now)) {
            continue;
        }
        if (!hasValue(old) || !hasValue(now) || containsUnknowns(now) || !deepEqual(old, now)) {
            changed.push(key);
        }
    }
    return changed;
}

/** One changed property, addressed by path (`a.b[1].c`, `["odd key"]`). */
export interface PathChange {
    path: string;
    old?: JsonValue;
    new?: JsonValue;
}

function pathSegment(prefix: string, key: string): string {
    if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) {
        return prefix === "" ? key : `${prefix}.${key}`;
    }
    return `${prefix}[${JSON.stringify(key)}]`;
}

function change(path: string, old: JsonValue | undefined, now: JsonValue | undefined): PathChange {
    const result: PathChange = { path };
    if (old !== undefined) {
        result.old = displayValue(old);
    }
    if (now !== undefined) {
        result.new = displayValue(now);
    }
    return result;
}

/**
 * The leaf paths whose values differ between `olds` and `news`, with old and new values (what
 * `pulumi preview` prints under a step). Objects recurse by key, arrays by index; a missing value and
 * null are the same; `ignoreKeys` are skipped at the top level (`__provider`).
 */
export function pathChanges(
    olds: PropertyMap,
    news: PropertyMap,
    ignoreKeys: readonly string[] = [PROVIDER_KEY],
): PathChange[] {
    const changes: PathChange[] = [];
    const walk = (path: string, old: JsonValue | undefined, now: JsonValue | undefined): void => {
        if (!hasValue(old) && !hasValue(now)) {
            return;
        }
        if (isObject(old) && isObject(now) && old[SIG_KEY] === undefined && now[SIG_KEY] === undefined) {
            for (const key of orderedKeys(old, now)) {
                walk(pathSegment(path, key), old[key], now[key]);
            }
            return;
        }
        if (Array.isArray(old) && Array.isArray(now)) {
            for (let index = 0; index < Math.max(old.length, now.length); index++) {
                walk(`${path}[${index}]`, old[index], now[index]);
            }
            return;
        }
        if (old === undefined || old === null || now === undefined || now === null) {
            // Added or removed: list every leaf of the value that is there.
            const present = hasValue(old) ? old : now;
            if (present !== undefined && present !== null && hasLeaves(present)) {
                for (const [leafPath, leaf] of leaves(path, present)) {
                    changes.push(
                        hasValue(old) ? change(leafPath, leaf, undefined) : change(leafPath, undefined, leaf),
                    );
                }
                return;
            }
            changes.push(change(path, hasValue(old) ? old : undefined, hasValue(now) ? now : undefined));
            return;
        }
        if (!deepEqual(old, now) || now === UNKNOWN) {
            changes.push(change(path, old, now));
        }
    };
    for (const key of orderedKeys(olds, news)) {
        if (!ignoreKeys.includes(key)) {
            walk(pathSegment("", key), olds[key], news[key]);
        }
    }
    return changes;
}

/** Keys of both maps, sorted (a Struct's fields come back sorted anyway; `pulumi` prints them sorted). */
function orderedKeys(a: PropertyMap, b: PropertyMap): string[] {
    return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
}

function hasLeaves(value: JsonValue): boolean {
    return (
        (Array.isArray(value) && value.length > 0) ||
        (isObject(value) && value[SIG_KEY] === undefined && Object.keys(value).length > 0)
    );
}

function leaves(path: string, value: JsonValue): [string, JsonValue][] {
    if (Array.isArray(value) && value.length > 0) {
        return value.flatMap((element, index) => leaves(`${path}[${index}]`, element));
    }
    if (isObject(value) && value[SIG_KEY] === undefined && Object.keys(value).length > 0) {
        return Object.entries(value).flatMap(([key, inner]) => leaves(pathSegment(path, key), inner));
    }
    return [[path, value]];
}

/** The top-level keys a step changes, as the CLI's `[diff: +adds-deletes~updates]` shows them. */
export interface KeyDiff {
    adds: string[];
    deletes: string[];
    updates: string[];
}

/**
 * PropertyMap.DiffWithOptions over the top-level keys, ignoring internal keys (`__provider`:
 * resource.IsInternalPropertyKey), as the display's getDiffInfo computes it when the provider sent no
 * detailed diff (the dynamic host never does). Null and missing are alike; an unknown always differs.
 */
export function keyDiff(olds: PropertyMap, news: PropertyMap): KeyDiff {
    const result: KeyDiff = { adds: [], deletes: [], updates: [] };
    for (const key of orderedKeys(olds, news)) {
        if (key.startsWith("__")) {
            continue;
        }
        const old = olds[key];
        const now = news[key];
        if (!hasValue(old) && !hasValue(now)) {
            continue;
        }
        if (!hasValue(old)) {
            result.adds.push(key);
        } else if (!hasValue(now)) {
            result.deletes.push(key);
        } else if (containsUnknowns(now) || !deepEqual(old, now)) {
            result.updates.push(key);
        }
    }
    return result;
}

/**
 * Values as the engine hands them to a provider plugin, and back. Pure.
 *
 * With `acceptSecrets` the engine sends a secret as an object `{ [SIG]: SECRET, value }` wherever it
 * stands, and a value not known yet in a preview as the string `UNKNOWN`; `null` means "not set". The
 * core reads plain values (and lets `UNKNOWN` through on its own), so on the way in every secret is
 * opened, remembering which top-level properties held one, and every `null` is dropped; on the way out
 * those properties — and the resource's own role, always, since it carries the external id — are marked
 * secret again, so state keeps them encrypted and the CLI never prints them.
 */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/**
 * Outputs that are secret whatever the inputs said: the resource's own role, which holds the external id its
 * trust policy checks (its ARN is also the plain output `assumeRoleArn`).
 */
const ALWAYS_SECRET: readonly string[] = ["assumeRole"];

/** Where an input property's value lands in outputs besides its own key (the role's ARN is also `assumeRoleArn`). */
const LANDS_IN: Readonly<Record<string, readonly string[]>> = {
    assumeRole: ["assumeRole", "assumeRoleArn"],
};

export type Properties = Record<string, unknown>;

export interface Opened {
    /** The values with every secret opened and every null dropped. */
    values: Properties;
    /** Top-level properties that held a secret anywhere inside. */
    secrets: Set<string>;
}

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isSecret(value: unknown): value is { value?: unknown } {
    return isObject(value) && value[SIG_KEY] === SECRET_SIG;
}

/** `value` with secrets opened and nulls dropped; `found()` is called once per secret met. */
function open(value: unknown, found: () => void): unknown {
    if (isSecret(value)) {
        found();
        return open(value.value, found);
    }
    if (Array.isArray(value)) {
        return value.map((item) => open(item, found));
    }
    if (isObject(value)) {
        const out: Properties = {};
        for (const [key, item] of Object.entries(value)) {
            const opened = open(item, found);
            if (opened !== null && opened !== undefined) {
                out[key] = opened;
            }
        }
        return out;
    }
    return value;
}

export function openProperties(props: Properties | undefined): Opened {
    const values: Properties = {};
    const secrets = new Set<string>();
    for (const [key, value] of Object.entries(props ?? {})) {
        const opened = open(value, () => secrets.add(key));
        if (opened !== null && opened !== undefined) {
            values[key] = opened;
        }
    }
    return { values, secrets };
}

function secret(value: unknown): Properties {
    return { [SIG_KEY]: SECRET_SIG, value };
}

/** The output properties that must be secret, given the input properties that were. */
export function secretOutputs(secretInputs: Iterable<string>): Set<string> {
    const out = new Set<string>(ALWAYS_SECRET);
    for (const key of secretInputs) {
        for (const landed of LANDS_IN[key] ?? [key]) {
            out.add(landed);
        }
    }
    return out;
}

/** `props` with each property named in `secrets` (present and not already secret) marked secret. */
export function sealProperties(props: object, secrets: ReadonlySet<string>): Properties {
    const out: Properties = {};
    for (const [key, value] of Object.entries(props)) {
        if (value === undefined) {
            continue;
        }
        out[key] = secrets.has(key) && !isSecret(value) ? secret(value) : value;
    }
    return out;
}

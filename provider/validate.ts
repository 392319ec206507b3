/**
 * `check`: every constraint of the service model, enforced before any call is made.
 *
 * Pure: no I/O, no environment. Reports every failure at once, each against the property path a user
 * can find in their program (`communicationLimitsConfig.allChannelSubtypes.communicationLimitsList[1].frequency`)
 * with a sentence naming the rule and the value that broke it. Values still unknown in a preview (the
 * unknown sentinel) are accepted as they are.
 */
import { normalizeConfig } from "./normalize";
import type { CanonicalLimitsConfig, InstanceCommunicationLimitsInputs } from "./types";
import type { Target } from "./settings";
import { DEFAULT_DELETION_POLICY, DeletionPolicy, LimitUnit, UNKNOWN } from "./types";

export interface CheckFailure {
    property: string;
    reason: string;
}

/** Defaults the provider resolved from stack config (`aws:region`, `aws:assumeRole`) and the environment. */
export type InputDefaults = Target;

export type CheckResult =
    | { ok: true; inputs: InstanceCommunicationLimitsInputs | PartiallyUnknownInputs }
    | { ok: false; failures: CheckFailure[] };

/** Inputs that still hold unknown values in a preview; passed through as they are, minus `undefined`. */
export type PartiallyUnknownInputs = Record<string, unknown>;

export const LIMITS = {
    instanceIdMaxLength: 256,
    instanceIdPattern: /^[-_.a-zA-Z0-9]+$/,
    maxLimits: 2,
    minMaxCountPerRecipient: 1,
    /** The model's integers are 32-bit: the service rejects anything larger. */
    maxMaxCountPerRecipient: 2_147_483_647,
    minFrequency: 1,
    maxFrequency: 30,
} as const;

const REGION_PATTERN = /^[a-z]{2}(-[a-z0-9]+)+-\d+$/;
const ROLE_ARN_PATTERN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const INSTANCE_ARN_PATTERN = /^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:instance\/([-_.a-zA-Z0-9]+)$/;

/** " That is an instance ARN; use its last segment, "…"." when `value` is one; else "". */
export function instanceArnHint(value: string): string {
    const id = INSTANCE_ARN_PATTERN.exec(value)?.[1];
    return id === undefined ? "" : ` That is an instance ARN; use its last segment, "${id}".`;
}

const TOP_LEVEL_KEYS = [
    "connectInstanceId",
    "communicationLimitsConfig",
    "deletionPolicy",
    "region",
    "assumeRoleArn",
] as const;
/** Keys the Pulumi runtime itself puts into a dynamic resource's inputs. */
const RUNTIME_KEYS = new Set(["__provider"]);
const CONFIG_KEYS = ["allChannelSubtypes"] as const;
const UNION_MEMBERS = ["communicationLimitsList"] as const;
const LIMIT_KEYS = ["maxCountPerRecipient", "frequency", "unit"] as const;

const P_CONFIG = "communicationLimitsConfig";
const P_UNION = `${P_CONFIG}.allChannelSubtypes`;
const P_LIST = `${P_UNION}.communicationLimitsList`;

/** True for the value Pulumi sends for "not known until apply". */
export function isUnknown(value: unknown): boolean {
    return value === UNKNOWN;
}

/** True if the unknown sentinel appears anywhere inside `value`. */
export function containsUnknown(value: unknown): boolean {
    if (isUnknown(value)) return true;
    if (Array.isArray(value)) return value.some(containsUnknown);
    if (isPlainObject(value)) return Object.values(value).some(containsUnknown);
    return false;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** JSON with object keys sorted, so a message reads the same whether the value came from a program or
 * through the host (whose protobuf Struct maps arrive with sorted keys). */
function sortedJson(value: unknown): string {
    return JSON.stringify(value, (_key, v: unknown) =>
        typeof v === "object" && v !== null && !Array.isArray(v)
            ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
            : v,
    );
}

/** How a value reads in a message: JSON for data, a word for what JSON cannot show. */
export function describe(value: unknown): string {
    if (value === undefined) return "nothing";
    if (value === null) return "null";
    if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
    if (typeof value === "number") return Number.isNaN(value) ? "NaN" : String(value);
    if (Array.isArray(value)) return `a list (${sortedJson(value)})`;
    if (typeof value === "object") return `an object (${sortedJson(value)})`;
    if (typeof value === "boolean" || typeof value === "bigint") return `a ${typeof value} (${value})`;
    return `a ${typeof value}`;
}

/** Edit distance, for "did you mean" on a misspelt property (names are short; quadratic is fine). */
function distance(a: string, b: string): number {
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1;
            current[j] = Math.min(
                (previous[j] ?? 0) + 1,
                (current[j - 1] ?? 0) + 1,
                (previous[j - 1] ?? 0) + cost,
            );
        }
        previous = current;
    }
    return previous[b.length] ?? 0;
}

function unknownKeys(
    value: Record<string, unknown>,
    allowed: readonly string[],
    path: string,
    what: string,
): CheckFailure[] {
    return Object.keys(value)
        .filter((key) => !allowed.includes(key) && !(path === "" && RUNTIME_KEYS.has(key)))
        .map((key) => {
            const near = allowed.find((name) => distance(key, name) <= 2);
            const hint = near === undefined ? "" : ` Did you mean ${near}?`;
            return {
                property: path === "" ? key : `${path}.${key}`,
                reason: `${key} is not a property of ${what}; the allowed properties are ${allowed.join(", ")}.${hint}`,
            };
        });
}

function integerFailure(
    value: unknown,
    path: string,
    name: string,
    min: number,
    max: number,
): CheckFailure[] {
    if (typeof value === "number" && Number.isInteger(value) && value >= min && value <= max) return [];
    let why = `got ${describe(value)}`;
    if (typeof value === "string" && /^-?\d+$/.test(value.trim())) {
        why += ` (stack config values are strings: read it with config.requireNumber() or convert it with Number())`;
    } else if (value === undefined) {
        why = "it is missing";
    }
    return [{ property: path, reason: `${name} must be a whole number from ${min} to ${max}; ${why}.` }];
}

function validateLimit(value: unknown, path: string): CheckFailure[] {
    if (isUnknown(value)) return [];
    if (!isPlainObject(value)) {
        return [
            {
                property: path,
                reason: `each limit must be an object with maxCountPerRecipient, frequency and unit; got ${describe(value)}.`,
            },
        ];
    }
    const failures = unknownKeys(value, LIMIT_KEYS, path, "a communication limit");
    const { maxCountPerRecipient, frequency, unit } = value;
    if (!isUnknown(maxCountPerRecipient)) {
        failures.push(
            ...integerFailure(
                maxCountPerRecipient,
                `${path}.maxCountPerRecipient`,
                "maxCountPerRecipient",
                LIMITS.minMaxCountPerRecipient,
                LIMITS.maxMaxCountPerRecipient,
            ),
        );
    }
    if (!isUnknown(frequency)) {
        failures.push(
            ...integerFailure(
                frequency,
                `${path}.frequency`,
                "frequency (a number of days)",
                LIMITS.minFrequency,
                LIMITS.maxFrequency,
            ),
        );
    }
    if (!isUnknown(unit) && unit !== LimitUnit.Day) {
        let why = unit === undefined ? "it is missing" : `got ${describe(unit)}`;
        if (typeof unit === "string" && unit.toUpperCase() === LimitUnit.Day)
            why += " (units are upper case)";
        failures.push({
            property: `${path}.unit`,
            reason: `unit must be "${LimitUnit.Day}", the only unit the service supports; ${why}.`,
        });
    }
    return failures;
}

function validateList(value: unknown): CheckFailure[] {
    if (isUnknown(value)) return [];
    if (!Array.isArray(value)) {
        return [
            {
                property: P_LIST,
                reason: `communicationLimitsList must be a list of limits; got ${describe(value)}.`,
            },
        ];
    }
    const failures: CheckFailure[] = [];
    if (value.length > LIMITS.maxLimits) {
        failures.push({
            property: P_LIST,
            reason: `communicationLimitsList may hold at most ${LIMITS.maxLimits} limits; got ${value.length}.`,
        });
    }
    value.forEach((limit, index) => failures.push(...validateLimit(limit, `${P_LIST}[${index}]`)));
    // Two limits over the same window cannot both bind; the service model does not reject them, we do.
    const seen = new Map<string, number>();
    value.forEach((limit, index) => {
        if (!isPlainObject(limit) || typeof limit.frequency !== "number" || typeof limit.unit !== "string")
            return;
        const key = `${limit.frequency} ${limit.unit}`;
        const first = seen.get(key);
        if (first === undefined) {
            seen.set(key, index);
            return;
        }
        failures.push({
            property: `${P_LIST}[${index}]`,
            reason:
                `two limits may not share a window: communicationLimitsList[${first}] and [${index}] both have ` +
                `frequency ${limit.frequency} ${limit.unit}; keep one.`,
        });
    });
    return failures;
}

function validateConfig(value: unknown): CheckFailure[] {
    if (isUnknown(value)) return [];
    if (value === undefined) {
        return [
            {
                property: P_CONFIG,
                reason: "communicationLimitsConfig is required; give {} or an empty communicationLimitsList for an instance with no limits.",
            },
        ];
    }
    if (!isPlainObject(value)) {
        return [
            {
                property: P_CONFIG,
                reason: `communicationLimitsConfig must be an object; got ${describe(value)}.`,
            },
        ];
    }
    const failures = unknownKeys(value, CONFIG_KEYS, P_CONFIG, "communicationLimitsConfig");
    const union = value.allChannelSubtypes;
    if (union === undefined || isUnknown(union)) return failures;
    if (!isPlainObject(union)) {
        failures.push({
            property: P_UNION,
            reason: `allChannelSubtypes must be an object with communicationLimitsList; got ${describe(union)}.`,
        });
        return failures;
    }
    failures.push(...unknownKeys(union, UNION_MEMBERS, P_UNION, "allChannelSubtypes"));
    const set = UNION_MEMBERS.filter((member) => union[member] !== undefined);
    if (set.length === 0) {
        failures.push({
            property: P_UNION,
            reason:
                "allChannelSubtypes is a union and must set exactly one member (communicationLimitsList); it sets none. " +
                "Omit allChannelSubtypes, or give communicationLimitsList: [] for no limits.",
        });
    }
    if (union.communicationLimitsList !== undefined)
        failures.push(...validateList(union.communicationLimitsList));
    return failures;
}

function validateInstanceId(value: unknown): CheckFailure[] {
    if (isUnknown(value)) return [];
    const rule =
        `connectInstanceId must be an Amazon Connect instance id: 1 to ${LIMITS.instanceIdMaxLength} ` +
        "letters, digits, '-', '_' or '.'";
    if (value === undefined) return [{ property: "connectInstanceId", reason: `${rule}; it is missing.` }];
    if (typeof value !== "string") {
        return [{ property: "connectInstanceId", reason: `${rule}; got ${describe(value)}.` }];
    }
    if (
        value.length < 1 ||
        value.length > LIMITS.instanceIdMaxLength ||
        !LIMITS.instanceIdPattern.test(value)
    ) {
        const shown =
            value.length > LIMITS.instanceIdMaxLength
                ? `a string of ${value.length} characters`
                : describe(value);
        return [{ property: "connectInstanceId", reason: `${rule}; got ${shown}.${instanceArnHint(value)}` }];
    }
    return [];
}

function validateOptionalString(
    value: unknown,
    property: string,
    pattern: RegExp,
    rule: string,
): CheckFailure[] {
    if (value === undefined || isUnknown(value)) return [];
    if (typeof value === "string" && pattern.test(value)) return [];
    return [{ property, reason: `${rule}; got ${describe(value)}.` }];
}

function validateDeletionPolicy(value: unknown): CheckFailure[] {
    if (value === undefined || isUnknown(value)) return [];
    const allowed: readonly unknown[] = Object.values(DeletionPolicy);
    if (allowed.includes(value)) return [];
    return [
        {
            property: "deletionPolicy",
            reason: `deletionPolicy must be one of ${Object.values(DeletionPolicy)
                .map((p) => `"${p}"`)
                .join(", ")}; got ${describe(value)}.`,
        },
    ];
}

/** Every failure in `news`, in property order. Empty when the inputs are valid (or not yet known). */
export function validateInputs(inputs: object): CheckFailure[] {
    const news = inputs as Record<string, unknown>;
    return [
        ...unknownKeys(news, TOP_LEVEL_KEYS, "", "InstanceCommunicationLimits"),
        ...validateInstanceId(news.connectInstanceId),
        ...validateConfig(news.communicationLimitsConfig),
        ...validateDeletionPolicy(news.deletionPolicy),
        ...validateOptionalString(
            news.region,
            "region",
            REGION_PATTERN,
            'region must be an AWS region name such as "us-west-2"',
        ),
        ...validateOptionalString(
            news.assumeRoleArn,
            "assumeRoleArn",
            ROLE_ARN_PATTERN,
            'assumeRoleArn must be an IAM role ARN such as "arn:aws:iam::123456789012:role/connect-limits"',
        ),
    ];
}

/**
 * The whole of `check`: validate, then return canonical inputs with defaults filled in
 * (deletionPolicy, and region / assumeRoleArn from the provider's configuration when the resource sets none).
 */
export function checkInputs(given: object, defaults: InputDefaults = {}): CheckResult {
    const news = given as Record<string, unknown>;
    const failures = validateInputs(news);
    if (failures.length > 0) return { ok: false, failures };

    const region = news.region ?? defaults.region;
    const assumeRoleArn = news.assumeRoleArn ?? defaults.assumeRoleArn;
    const deletionPolicy = news.deletionPolicy ?? DEFAULT_DELETION_POLICY;
    const config = news.communicationLimitsConfig;

    if (containsUnknown(news)) {
        // Preview with values not known yet: nothing more can be checked or canonicalised.
        const inputs: PartiallyUnknownInputs = {
            connectInstanceId: news.connectInstanceId,
            communicationLimitsConfig: containsUnknown(config) ? config : normalizeConfig(config as never),
            deletionPolicy,
        };
        if (region !== undefined) inputs.region = region;
        if (assumeRoleArn !== undefined) inputs.assumeRoleArn = assumeRoleArn;
        return { ok: true, inputs };
    }

    const inputs: InstanceCommunicationLimitsInputs = {
        connectInstanceId: news.connectInstanceId as string,
        communicationLimitsConfig: normalizeConfig(config as CanonicalLimitsConfig),
        deletionPolicy: deletionPolicy as DeletionPolicy,
    };
    if (typeof region === "string") inputs.region = region;
    if (typeof assumeRoleArn === "string") inputs.assumeRoleArn = assumeRoleArn;
    return { ok: true, inputs };
}

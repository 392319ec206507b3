/**
 * `check`: every constraint of the service model, enforced before any call is made. Pure.
 *
 * Reports every failure at once, each against the property path a user can find in their program
 * (`communicationLimitsConfig.allChannelSubtypes.communicationLimitsList[1].frequency`) with a sentence
 * naming the rule and what broke it. Values still unknown in a preview are accepted as they are.
 *
 * Sources of the rules: the service's Smithy model (aws-sdk-js-v3 `codegen/sdk-codegen/aws-models/
 * connectcampaignsv2.json`, botocore `data/connectcampaignsv2/2024-04-23/service-2.json`): `InstanceId`
 * length 1..256 and pattern `^[-_.a-zA-Z0-9]+$`; `CommunicationLimitList` at most 2 members;
 * `maxCountPerRecipient` at least 1 and `frequency` 1..30, both Smithy `Integer` (32-bit, so at most
 * 2147483647); `unit` the enum `CommunicationLimitTimeUnit` with the one value `DAY`; `allChannelSubtypes`
 * a union. Two rules are this provider's own, not the service's: no two limits with the same window, and
 * no instance id made only of dots (`.` and `..` are path segments that HTTP clients and SigV4 remove).
 */
import { HARMLESS, describe, offendingCharacters } from "./describe";
import { normalizeConfig } from "./normalize";
import type { Target } from "./settings";
import { DEFAULT_DELETION_POLICY, DeletionPolicy, LimitUnit } from "./types";
import type {
    AssumeRoleInputs,
    CommunicationLimit,
    InstanceCommunicationLimitsInputs,
    RoleFields,
} from "./types";
import { PROVIDER_KEY, containsUnknown, isPlainObject, isUnknown } from "./unknowns";

export interface CheckFailure {
    property: string;
    reason: string;
}

/** Inputs that still hold unknown values in a preview; passed through as they are, minus `undefined`. */
type PartiallyUnknownInputs = Record<string, unknown>;

export type CheckResult =
    | { ok: true; known: true; inputs: InstanceCommunicationLimitsInputs }
    | { ok: true; known: false; inputs: PartiallyUnknownInputs }
    | { ok: false; failures: CheckFailure[] };

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
/** STS's rules for `ExternalId` (2..1224 of `[\w+=,.@:/-]`) and `RoleSessionName` (2..64 of `[\w+=,.@-]`). */
const EXTERNAL_ID_PATTERN = /^[\w+=,.@:/-]{2,1224}$/;
const SESSION_NAME_PATTERN = /^[\w+=,.@-]{2,64}$/;

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
    "assumeRole",
] as const;
const CONFIG_KEYS = ["allChannelSubtypes"] as const;
const UNION_MEMBERS = ["communicationLimitsList"] as const;
const LIMIT_KEYS = ["maxCountPerRecipient", "frequency", "unit"] as const;
const ROLE_KEYS = ["roleArn", "externalId", "sessionName"] as const;

const P_CONFIG = "communicationLimitsConfig";
const P_UNION = `${P_CONFIG}.allChannelSubtypes`;
const P_LIST = `${P_UNION}.communicationLimitsList`;

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
        .filter((key) => !allowed.includes(key) && !(path === "" && key === PROVIDER_KEY))
        .map((key) => {
            const near = allowed.find((name) => distance(key, name) <= 2);
            const hint = near === undefined ? "" : ` Did you mean ${near}?`;
            return {
                property: path === "" ? key : `${path}.${key}`,
                reason: `${key} is not a property of ${what}; the allowed properties are ${allowed.join(", ")}.${hint}`,
            };
        });
}

/** A checked value: the value when it is valid, and what is wrong otherwise. */
interface Checked<T> {
    value?: T;
    failures: CheckFailure[];
}

function fail<T>(property: string, reason: string): Checked<T> {
    return { failures: [{ property, reason }] };
}

function integer(value: unknown, path: string, name: string, min: number, max: number): Checked<number> {
    if (isUnknown(value)) {
        return { failures: [] };
    }
    if (typeof value === "number" && Number.isInteger(value) && value >= min && value <= max) {
        return { value, failures: [] };
    }
    let why = `got ${describe(value, [HARMLESS.word])}`;
    if (typeof value === "string" && /^-?\d+$/.test(value.trim())) {
        why +=
            " (stack config values are strings: read it with config.requireNumber() or convert it with Number())";
    } else if (value === undefined) {
        why = "it is missing";
    }
    return fail(path, `${name} must be a whole number from ${min} to ${max}; ${why}.`);
}

function checkLimit(value: unknown, path: string): Checked<CommunicationLimit> {
    if (isUnknown(value)) {
        return { failures: [] };
    }
    if (!isPlainObject(value)) {
        return fail(
            path,
            `each limit must be an object with maxCountPerRecipient, frequency and unit; got ${describe(value)}.`,
        );
    }
    const failures = unknownKeys(value, LIMIT_KEYS, path, "a communication limit");
    const count = integer(
        value.maxCountPerRecipient,
        `${path}.maxCountPerRecipient`,
        "maxCountPerRecipient",
        LIMITS.minMaxCountPerRecipient,
        LIMITS.maxMaxCountPerRecipient,
    );
    const frequency = integer(
        value.frequency,
        `${path}.frequency`,
        "frequency (a number of days)",
        LIMITS.minFrequency,
        LIMITS.maxFrequency,
    );
    failures.push(...count.failures, ...frequency.failures);
    const unit = value.unit;
    if (unit !== LimitUnit.Day && !isUnknown(unit)) {
        let why = unit === undefined ? "it is missing" : `got ${describe(unit, [HARMLESS.word])}`;
        if (typeof unit === "string" && unit.toUpperCase() === LimitUnit.Day) {
            why += " (units are upper case)";
        }
        failures.push({
            property: `${path}.unit`,
            reason: `unit must be "${LimitUnit.Day}", the only unit the service supports; ${why}.`,
        });
    }
    if (
        failures.length > 0 ||
        count.value === undefined ||
        frequency.value === undefined ||
        unit !== LimitUnit.Day
    ) {
        return { failures };
    }
    return {
        value: { maxCountPerRecipient: count.value, frequency: frequency.value, unit: LimitUnit.Day },
        failures,
    };
}

function checkList(value: unknown): Checked<CommunicationLimit[]> {
    if (isUnknown(value)) {
        return { failures: [] };
    }
    if (!Array.isArray(value)) {
        return fail(P_LIST, `communicationLimitsList must be a list of limits; got ${describe(value)}.`);
    }
    const items = value as unknown[];
    const failures: CheckFailure[] = [];
    if (items.length > LIMITS.maxLimits) {
        failures.push({
            property: P_LIST,
            reason: `communicationLimitsList may hold at most ${LIMITS.maxLimits} limits (the service's rule); got ${items.length}.`,
        });
    }
    const limits: CommunicationLimit[] = [];
    items.forEach((item, index) => {
        const checked = checkLimit(item, `${P_LIST}[${index}]`);
        failures.push(...checked.failures);
        if (checked.value !== undefined) {
            limits.push(checked.value);
        }
    });
    // Two limits over the same window cannot both bind. The service model does not reject them; we do.
    const seen = new Map<string, number>();
    items.forEach((item, index) => {
        if (!isPlainObject(item) || typeof item.frequency !== "number" || typeof item.unit !== "string") {
            return;
        }
        const key = `${item.frequency} ${item.unit}`;
        const first = seen.get(key);
        if (first === undefined) {
            seen.set(key, index);
            return;
        }
        failures.push({
            property: `${P_LIST}[${index}]`,
            reason:
                `two limits may not share a window (this provider's rule: the service does not state one, and ` +
                `only the lower would bind): communicationLimitsList[${first}] and [${index}] both have ` +
                `frequency ${item.frequency} ${item.unit}; keep one.`,
        });
    });
    return failures.length > 0 ? { failures } : { value: limits, failures };
}

function checkConfig(value: unknown): Checked<CommunicationLimit[]> {
    if (value === undefined) {
        return fail(
            P_CONFIG,
            "communicationLimitsConfig is required; give {} or an empty communicationLimitsList for an instance with no limits.",
        );
    }
    if (!isPlainObject(value)) {
        return fail(P_CONFIG, `communicationLimitsConfig must be an object; got ${describe(value)}.`);
    }
    const failures = unknownKeys(value, CONFIG_KEYS, P_CONFIG, "communicationLimitsConfig");
    const union = value.allChannelSubtypes;
    if (isUnknown(union)) {
        return { failures };
    }
    if (union === undefined) {
        return failures.length > 0 ? { failures } : { value: [], failures };
    }
    if (!isPlainObject(union)) {
        failures.push({
            property: P_UNION,
            reason: `allChannelSubtypes must be an object with communicationLimitsList; got ${describe(union)}.`,
        });
        return { failures };
    }
    failures.push(...unknownKeys(union, UNION_MEMBERS, P_UNION, "allChannelSubtypes"));
    if (UNION_MEMBERS.every((member) => union[member] === undefined)) {
        failures.push({
            property: P_UNION,
            reason:
                "allChannelSubtypes is a union and must set exactly one member (communicationLimitsList); it sets none. " +
                "Omit allChannelSubtypes, or give communicationLimitsList: [] for no limits.",
        });
        return { failures };
    }
    const list = checkList(union.communicationLimitsList);
    failures.push(...list.failures);
    return failures.length > 0 || list.value === undefined ? { failures } : { value: list.value, failures };
}

function checkInstanceId(value: unknown): Checked<string> {
    const rule =
        `connectInstanceId must be an Amazon Connect instance id: 1 to ${LIMITS.instanceIdMaxLength} ` +
        "letters, digits, '-', '_' or '.'";
    if (value === undefined) {
        return fail("connectInstanceId", `${rule}; it is missing.`);
    }
    if (typeof value !== "string") {
        return fail("connectInstanceId", `${rule}; got ${describe(value)}.`);
    }
    if (
        value.length < 1 ||
        value.length > LIMITS.instanceIdMaxLength ||
        !LIMITS.instanceIdPattern.test(value)
    ) {
        const bad = offendingCharacters(value, /[-_.a-zA-Z0-9]/);
        const detail =
            bad.length > 0 && instanceArnHint(value) === "" ? `, containing ${bad.join(", ")}` : "";
        return fail(
            "connectInstanceId",
            `${rule}; got ${describe(value, [HARMLESS.arn])}${detail}.${instanceArnHint(value)}`,
        );
    }
    if (/^\.+$/.test(value)) {
        return fail(
            "connectInstanceId",
            `${rule}, and not only dots (this provider's rule: "." and ".." are path segments that HTTP ` +
                `clients and request signing remove, so the call would name no instance); got ${describe(value, [HARMLESS.word])}.`,
        );
    }
    return { value, failures: [] };
}

function checkPattern(
    value: unknown,
    property: string,
    pattern: RegExp,
    rule: string,
    harmless: readonly RegExp[] = [],
): Checked<string> {
    if (value === undefined) {
        return { failures: [] };
    }
    if (typeof value === "string" && pattern.test(value)) {
        return { value, failures: [] };
    }
    return fail(property, `${rule}; got ${describe(value, harmless)}.`);
}

function checkDeletionPolicy(value: unknown): Checked<DeletionPolicy> {
    if (value === undefined) {
        return { value: DEFAULT_DELETION_POLICY, failures: [] };
    }
    const allowed = Object.values(DeletionPolicy);
    const policy = allowed.find((p) => p === value);
    if (policy !== undefined) {
        return { value: policy, failures: [] };
    }
    return fail(
        "deletionPolicy",
        `deletionPolicy must be one of ${allowed.map((p) => `"${p}"`).join(", ")}; got ${describe(value, [HARMLESS.word])}.`,
    );
}

const ROLE_RULE = 'must be an IAM role ARN such as "arn:aws:iam::123456789012:role/connect-limits"';

type RoleInputs = RoleFields;

/** `assumeRoleArn` (a role ARN) or `assumeRole` ({ roleArn, externalId?, sessionName? }), not both. */
function checkRole(arn: unknown, role: unknown): Checked<RoleInputs> {
    if (arn !== undefined && role !== undefined) {
        return fail("assumeRole", "give either assumeRoleArn or assumeRole, not both.");
    }
    if (role === undefined) {
        const checked = checkPattern(arn, "assumeRoleArn", ROLE_ARN_PATTERN, `assumeRoleArn ${ROLE_RULE}`, [
            HARMLESS.arn,
        ]);
        return checked.value === undefined
            ? { failures: checked.failures }
            : { value: { assumeRoleArn: checked.value }, failures: [] };
    }
    if (!isPlainObject(role)) {
        return fail(
            "assumeRole",
            `assumeRole must be an object with roleArn, and optionally externalId and sessionName; got ${describe(role)}.`,
        );
    }
    const failures = unknownKeys(role, ROLE_KEYS, "assumeRole", "assumeRole");
    const roleArn =
        role.roleArn === undefined
            ? fail<string>("assumeRole.roleArn", "assumeRole.roleArn is required.")
            : checkPattern(
                  role.roleArn,
                  "assumeRole.roleArn",
                  ROLE_ARN_PATTERN,
                  `assumeRole.roleArn ${ROLE_RULE}`,
              );
    const externalId = checkPattern(
        role.externalId,
        "assumeRole.externalId",
        EXTERNAL_ID_PATTERN,
        "assumeRole.externalId must be 2 to 1224 letters, digits or any of _+=,.@:/- (STS's rule)",
    );
    const sessionName = checkPattern(
        role.sessionName,
        "assumeRole.sessionName",
        SESSION_NAME_PATTERN,
        "assumeRole.sessionName must be 2 to 64 letters, digits or any of _+=,.@- (STS's rule)",
    );
    failures.push(...roleArn.failures, ...externalId.failures, ...sessionName.failures);
    if (failures.length > 0 || roleArn.value === undefined) {
        return { failures };
    }
    const assumeRole: AssumeRoleInputs = { roleArn: roleArn.value };
    if (externalId.value !== undefined) {
        assumeRole.externalId = externalId.value;
    }
    if (sessionName.value !== undefined) {
        assumeRole.sessionName = sessionName.value;
    }
    const value: RoleInputs = { assumeRole };
    return { value, failures };
}

/** Every failure in `inputs`, in property order; unknown values pass. Empty when the inputs are valid. */
export function validateInputs(inputs: object): CheckFailure[] {
    return checked(inputs).failures;
}

interface CheckedInputs {
    failures: CheckFailure[];
    instanceId?: string;
    limits?: CommunicationLimit[];
    deletionPolicy?: DeletionPolicy;
    region?: string;
    role?: RoleInputs;
}

function skipUnknown<T>(value: unknown, check: (v: unknown) => Checked<T>): Checked<T> {
    return containsUnknown(value) ? { failures: [] } : check(value);
}

function checked(given: object): CheckedInputs {
    const news = given as Record<string, unknown>;
    const instanceId = skipUnknown(news.connectInstanceId, checkInstanceId);
    const config = skipUnknownConfig(news.communicationLimitsConfig);
    const deletionPolicy = skipUnknown(news.deletionPolicy, checkDeletionPolicy);
    const region = skipUnknown(news.region, (v) =>
        checkPattern(v, "region", REGION_PATTERN, 'region must be an AWS region name such as "us-west-2"', [
            HARMLESS.region,
        ]),
    );
    const role =
        containsUnknown(news.assumeRoleArn) || containsUnknown(news.assumeRole)
            ? { failures: [] }
            : checkRole(news.assumeRoleArn, news.assumeRole);
    const result: CheckedInputs = {
        failures: [
            ...unknownKeys(news, TOP_LEVEL_KEYS, "", "InstanceCommunicationLimits"),
            ...instanceId.failures,
            ...config.failures,
            ...deletionPolicy.failures,
            ...region.failures,
            ...role.failures,
        ],
    };
    if (instanceId.value !== undefined) {
        result.instanceId = instanceId.value;
    }
    if (config.value !== undefined) {
        result.limits = config.value;
    }
    if (deletionPolicy.value !== undefined) {
        result.deletionPolicy = deletionPolicy.value;
    }
    if (region.value !== undefined) {
        result.region = region.value;
    }
    if (role.value !== undefined) {
        result.role = role.value;
    }
    return result;
}

/** Unknown values are skipped where they stand: a known limit next to an unknown one is still checked. */
function skipUnknownConfig(value: unknown): Checked<CommunicationLimit[]> {
    return isUnknown(value) ? { failures: [] } : checkConfig(value);
}

/**
 * The whole of `check`: validate, then return canonical inputs with defaults filled in (deletionPolicy, and
 * region / assumeRoleArn from the provider's configuration when the resource sets none).
 */
export function checkInputs(given: object, defaults: Target = {}): CheckResult {
    const news = given as Record<string, unknown>;
    const result = checked(news);
    if (result.failures.length > 0) {
        return { ok: false, failures: result.failures };
    }
    const region = news.region ?? defaults.region;
    const role: RoleInputs | undefined =
        news.assumeRoleArn === undefined && news.assumeRole === undefined
            ? defaults.assumeRoleArn === undefined
                ? undefined
                : { assumeRoleArn: defaults.assumeRoleArn }
            : result.role;

    if (containsUnknown(news)) {
        // Preview with values not known yet: nothing more can be canonicalised.
        const config = news.communicationLimitsConfig;
        const inputs: PartiallyUnknownInputs = {
            connectInstanceId: news.connectInstanceId,
            communicationLimitsConfig: containsUnknown(config) ? config : normalizeConfig(config as never),
            deletionPolicy: news.deletionPolicy ?? DEFAULT_DELETION_POLICY,
        };
        if (region !== undefined) {
            inputs.region = region;
        }
        if (news.assumeRole !== undefined && containsUnknown(news.assumeRole)) {
            inputs.assumeRole = news.assumeRole;
        } else if (news.assumeRoleArn !== undefined && containsUnknown(news.assumeRoleArn)) {
            inputs.assumeRoleArn = news.assumeRoleArn;
        } else if (role !== undefined) {
            Object.assign(inputs, role);
        }
        return { ok: true, known: false, inputs };
    }

    if (
        result.instanceId === undefined ||
        result.limits === undefined ||
        result.deletionPolicy === undefined
    ) {
        throw new Error("check: a valid input lacks a checked value");
    }
    const inputs: InstanceCommunicationLimitsInputs = {
        connectInstanceId: result.instanceId,
        communicationLimitsConfig: normalizeConfig({
            allChannelSubtypes: { communicationLimitsList: result.limits },
        }),
        deletionPolicy: result.deletionPolicy,
    };
    if (typeof region === "string") {
        inputs.region = region;
    }
    if (role !== undefined) {
        Object.assign(inputs, role);
    }
    return { ok: true, known: true, inputs };
}

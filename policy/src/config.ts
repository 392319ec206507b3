/**
 * Each policy's configuration: its JSON schema (what `--policy-pack-config` is validated against, and whose
 * `default`s the CLI fills in), the defaults, and a parser that checks what actually arrives.
 *
 * The CLI validates a config file against the schemas before the pack sees it; the parser checks again,
 * because a policy may also be configured through Pulumi Cloud or with an older CLI, and a misspelt property
 * would otherwise be ignored in silence. A config the parser rejects fails the preview with the reason.
 *
 * Pure.
 */
import type { PolicyConfigSchema } from "@pulumi/policy";

/** The policies' names: what config files, `--policy-pack-config` and the CLI's output use. */
export const POLICY_NAMES = {
    maxContacts: "max-contacts-per-window",
    requiredWindow: "required-window",
    deletionPolicies: "allowed-deletion-policies",
    singleManager: "single-manager-per-instance",
} as const;

export const DELETION_POLICIES = ["reset", "restore", "retain"] as const;
type DeletionPolicyName = (typeof DELETION_POLICIES)[number];

/** The longest window a cap may be set for: a year. */
const MAX_WINDOW_DAYS = 365;
/** The service's own range for a limit's frequency. */
const MAX_FREQUENCY_DAYS = 30;

export interface MaxContactsConfig {
    /** Window in days → the most contacts per recipient the organisation allows in it; windows ascending. */
    maxCountPerRecipient: ReadonlyArray<{ window: number; allowed: number }>;
}

export interface RequiredWindowConfig {
    /** Every resource must set a limit whose frequency is one of these (days). */
    frequencies: readonly number[];
}

export interface DeletionRule {
    /** A stack-name pattern: `*` any run of characters, `?` any one character, everything else itself. */
    stack: string;
    deletionPolicies: readonly DeletionPolicyName[];
}

export interface DeletionPoliciesConfig {
    /** Tried in order; the first whose pattern matches the stack's name applies. */
    rules: readonly DeletionRule[];
}

/** The organisation's defaults, stated in the README. */
export const DEFAULTS = {
    maxCountPerRecipient: { "1": 1, "7": 3, "30": 8 } as Readonly<Record<string, number>>,
    frequencies: [1] as readonly number[],
    rules: [
        { stack: "prod*", deletionPolicies: ["restore", "retain"] },
        { stack: "*", deletionPolicies: ["reset", "restore", "retain"] },
    ] as readonly DeletionRule[],
} as const;

const WINDOW_KEY_PATTERN = "^(36[0-5]|3[0-5][0-9]|[12][0-9]{2}|[1-9][0-9]?)$";

export const SCHEMAS: {
    maxContacts: PolicyConfigSchema;
    requiredWindow: PolicyConfigSchema;
    deletionPolicies: PolicyConfigSchema;
    singleManager: PolicyConfigSchema;
} = {
    maxContacts: {
        properties: {
            maxCountPerRecipient: {
                type: "object",
                description:
                    "The most contacts per recipient allowed in a window, keyed by the window in days " +
                    '(1 to 365), e.g. { "1": 1, "7": 3, "30": 8 }. Checked against what the limits imply.',
                minProperties: 1,
                patternProperties: { [WINDOW_KEY_PATTERN]: { type: "integer", minimum: 1 } },
                additionalProperties: false,
                default: { ...DEFAULTS.maxCountPerRecipient },
            },
        },
    },
    requiredWindow: {
        properties: {
            frequencies: {
                type: "array",
                description:
                    "Every resource must set a limit whose frequency (days) is one of these, e.g. [1] for a daily cap.",
                items: { type: "integer", minimum: 1, maximum: MAX_FREQUENCY_DAYS },
                minItems: 1,
                uniqueItems: true,
                default: [...DEFAULTS.frequencies],
            },
        },
    },
    deletionPolicies: {
        properties: {
            rules: {
                type: "array",
                description:
                    "Allowed deletion policies by stack-name pattern (* and ?), tried in order; the first " +
                    "matching rule applies, and a stack no rule matches may use any.",
                items: {
                    type: "object",
                    properties: {
                        stack: { type: "string", minLength: 1 },
                        deletionPolicies: {
                            type: "array",
                            items: { type: "string", enum: [...DELETION_POLICIES] },
                            minItems: 1,
                            uniqueItems: true,
                        },
                    },
                    required: ["stack", "deletionPolicies"],
                    additionalProperties: false,
                },
                default: DEFAULTS.rules.map((rule) => ({
                    ...rule,
                    deletionPolicies: [...rule.deletionPolicies],
                })),
            },
        },
    },
    singleManager: { properties: {} },
};

/** A configuration the policies cannot run with; the preview fails with this message. */
export class PolicyConfigError extends Error {
    override readonly name = "PolicyConfigError";

    constructor(message: string) {
        super(message);
        // A mistake in the config, not in the code: the CLI prints the stack, so it holds only the message.
        this.stack = `${this.name}: ${message}`;
    }
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isWholeNumber(value: unknown, min: number, max: number): value is number {
    return typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;
}

/** A config value as an error message shows it. */
function shown(value: unknown): string {
    return value === undefined ? "nothing" : JSON.stringify(value);
}

function rejectUnknownKeys(policy: string, config: object, allowed: readonly string[]): void {
    const extra = Object.keys(config).filter((key) => !allowed.includes(key));
    const first = extra[0];
    if (first === undefined) {
        return;
    }
    const known =
        allowed.length === 0
            ? "it has none besides enforcementLevel"
            : `its properties are ${allowed.join(", ")} (and enforcementLevel)`;
    throw new PolicyConfigError(`${policy}: unknown config property ${JSON.stringify(first)}; ${known}.`);
}

export function parseMaxContactsConfig(config: object): MaxContactsConfig {
    const policy = POLICY_NAMES.maxContacts;
    rejectUnknownKeys(policy, config, ["maxCountPerRecipient"]);
    const raw = (config as Record<string, unknown>).maxCountPerRecipient ?? DEFAULTS.maxCountPerRecipient;
    if (!isRecord(raw)) {
        throw new PolicyConfigError(
            `${policy}: maxCountPerRecipient must be an object from a window in days to the most contacts ` +
                `per recipient allowed in it, e.g. { "7": 3 }; got ${JSON.stringify(raw)}.`,
        );
    }
    const entries = Object.entries(raw);
    if (entries.length === 0) {
        throw new PolicyConfigError(`${policy}: maxCountPerRecipient must name at least one window.`);
    }
    const caps = entries.map(([key, allowed]) => {
        const window = /^[1-9][0-9]*$/.test(key) ? Number(key) : NaN;
        if (!isWholeNumber(window, 1, MAX_WINDOW_DAYS)) {
            throw new PolicyConfigError(
                `${policy}: maxCountPerRecipient[${JSON.stringify(key)}]: a window must be a whole number ` +
                    `of days from 1 to ${MAX_WINDOW_DAYS}.`,
            );
        }
        if (!isWholeNumber(allowed, 1, Number.MAX_SAFE_INTEGER)) {
            throw new PolicyConfigError(
                `${policy}: maxCountPerRecipient[${JSON.stringify(key)}] must be a whole number of contacts, ` +
                    `at least 1; got ${JSON.stringify(allowed)}.`,
            );
        }
        return { window, allowed };
    });
    return { maxCountPerRecipient: caps.sort((a, b) => a.window - b.window) };
}

export function parseRequiredWindowConfig(config: object): RequiredWindowConfig {
    const policy = POLICY_NAMES.requiredWindow;
    rejectUnknownKeys(policy, config, ["frequencies"]);
    const raw = (config as Record<string, unknown>).frequencies ?? DEFAULTS.frequencies;
    const valid =
        Array.isArray(raw) &&
        raw.length > 0 &&
        raw.every((f) => isWholeNumber(f, 1, MAX_FREQUENCY_DAYS)) &&
        new Set(raw).size === raw.length;
    if (!valid) {
        throw new PolicyConfigError(
            `${policy}: frequencies must be a non-empty list of different whole numbers of days from 1 to ` +
                `${MAX_FREQUENCY_DAYS}, e.g. [1]; got ${JSON.stringify(raw)}.`,
        );
    }
    return { frequencies: raw.slice().sort((a, b) => a - b) };
}

function isDeletionPolicy(value: unknown): value is DeletionPolicyName {
    return (DELETION_POLICIES as readonly unknown[]).includes(value);
}

export function parseDeletionPoliciesConfig(config: object): DeletionPoliciesConfig {
    const policy = POLICY_NAMES.deletionPolicies;
    rejectUnknownKeys(policy, config, ["rules"]);
    const raw = (config as Record<string, unknown>).rules ?? DEFAULTS.rules;
    const shape =
        'a list of { "stack": "<pattern>", "deletionPolicies": [...] }, tried in order, e.g. ' +
        '[{ "stack": "prod*", "deletionPolicies": ["restore", "retain"] }]';
    if (!Array.isArray(raw)) {
        throw new PolicyConfigError(`${policy}: rules must be ${shape}; got ${JSON.stringify(raw)}.`);
    }
    const rules = raw.map((rule: unknown, index): DeletionRule => {
        const at = `${policy}: rules[${index}]`;
        if (!isRecord(rule)) {
            throw new PolicyConfigError(`${at} must be an object; rules are ${shape}.`);
        }
        const extra = Object.keys(rule).find((key) => key !== "stack" && key !== "deletionPolicies");
        if (extra !== undefined) {
            throw new PolicyConfigError(
                `${at}: unknown property ${JSON.stringify(extra)}; a rule has stack and deletionPolicies.`,
            );
        }
        const { stack, deletionPolicies } = rule;
        if (typeof stack !== "string" || stack.length === 0) {
            throw new PolicyConfigError(
                `${at}.stack must be a stack-name pattern such as "prod*"; got ${shown(stack)}.`,
            );
        }
        const valid =
            Array.isArray(deletionPolicies) &&
            deletionPolicies.length > 0 &&
            deletionPolicies.every(isDeletionPolicy) &&
            new Set(deletionPolicies).size === deletionPolicies.length;
        if (!valid) {
            throw new PolicyConfigError(
                `${at}.deletionPolicies must be a non-empty list of different values from ` +
                    `${DELETION_POLICIES.map((p) => `"${p}"`).join(", ")}; got ${shown(deletionPolicies)}.`,
            );
        }
        return { stack, deletionPolicies };
    });
    return { rules };
}

export function parseSingleManagerConfig(config: object): Record<string, never> {
    rejectUnknownKeys(POLICY_NAMES.singleManager, config, []);
    return {};
}

/** True when `name` matches `pattern` whole: `*` matches any run of characters (none too), `?` any one. */
export function matchesStackPattern(pattern: string, name: string): boolean {
    const source = Array.from(pattern, (ch) =>
        ch === "*" ? ".*" : ch === "?" ? "." : ch.replace(/[.+^${}()|[\]\\/-]/g, "\\$&"),
    ).join("");
    return new RegExp(`^${source}$`, "s").test(name);
}

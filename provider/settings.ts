/**
 * Provider settings: what the stack configuration and the environment say about how to reach AWS.
 *
 * Pure function of (stack config, environment), evaluated when the provider is configured, i.e. in the
 * dynamic-provider host at deployment time — never frozen into state. Keys follow `@pulumi/aws`
 * (`aws:region`, `aws:profile`, `aws:assumeRole`) so a stack configured for `@pulumi/aws` needs nothing more.
 *
 * Precedence, highest first: the resource's own argument (`region`, `assumeRoleArn` / `assumeRole`), then
 * stack config, then the environment (`AWS_REGION`, `AWS_PROFILE`, the SDK's credential chain).
 *
 * Two front doors, two sets of keys (`SettingKeys`): the dynamic resource reads the whole stack config
 * (`STACK_CONFIG_KEYS`), the provider plugin is handed only its own package's configuration — stack config
 * `connect-campaign-limits:region`, … or an explicit `Provider` resource's arguments (`PLUGIN_CONFIG_KEYS`).
 * Each key is also the name a problem message gives the setting.
 *
 * A problem message names the setting and what is wrong with it, never its value: `aws:assumeRole` may
 * hold an external id, and any stack config value may be a secret.
 */
import { HARMLESS, describe } from "./describe";

/** Where the calls go and as whom: a region and a role to assume, either of which may be left to defaults. */
export interface Target {
    region?: string;
    assumeRoleArn?: string;
}

interface AssumeRoleSettings {
    roleArn: string;
    sessionName?: string;
    externalId?: string;
}

export interface ProviderSettings {
    /** `aws:region`, else `AWS_REGION`; absent: left to the SDK (profile file). */
    region?: string;
    /** `aws:profile`; absent: the SDK's own choice (`AWS_PROFILE`, then "default"). */
    profile?: string;
    /** `aws:assumeRole`, or `aws:assumeRoles` with one entry. */
    assumeRole?: AssumeRoleSettings;
    /** Total attempts per call, first included: `connect-campaign-limits:maxAttempts`, `AWS_MAX_ATTEMPTS`, else 10. */
    maxAttempts: number;
    /** `AWS_RETRY_MODE`: "standard" (default) or "adaptive" (the SDK's client-side rate limiter as well). */
    retryMode: "standard" | "adaptive";
    /** Longest wait for a complete response (headers and body), per attempt (`…:requestTimeoutMs`, default 10 s). */
    requestTimeoutMs: number;
    /** Longest wait to open a connection, per attempt (`…:connectTimeoutMs`, default 5 s). */
    connectTimeoutMs: number;
    /** Requests per second all calls of one host share, per region and credentials (`…:requestsPerSecond`). */
    requestsPerSecond: number;
    /** Requests that may go at once before the rate applies (`…:requestBurst`). */
    requestBurst: number;
    /** Delays between re-reads when a read-back differs from what was just written (eventual consistency). */
    readBackDelaysMs: readonly number[];
    /** What is wrong with the settings themselves; non-empty makes every call fail. */
    problems: string[];
}

export const CONFIG_NAMESPACE = "connect-campaign-limits";
export const DEFAULT_MAX_ATTEMPTS = 10;
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
/**
 * Amazon Connect's default API quota per account and region: 2 requests per second, burst 5 ("Amazon
 * Connect service quotas", Amazon Connect Administrator Guide; the Connect API Reference's "Throttling in
 * Amazon Connect APIs"). The outbound campaigns API is throttled on its own, but no published row names
 * these two operations; the Connect default is the conservative choice.
 */
export const DEFAULT_REQUESTS_PER_SECOND = 2;
export const DEFAULT_REQUEST_BURST = 5;
const READ_BACK_DELAYS_MS: readonly number[] = [200, 400, 800, 1600];

/** Reads one stack config value by its full key ("aws:region"); `undefined` when not set. */
export type ConfigSource = (key: string) => unknown;

/** The full config key each setting is read from, and named by in messages. */
export interface SettingKeys {
    region: string;
    profile: string;
    assumeRole: string;
    /** The list form (`@pulumi/aws` v6's `aws:assumeRoles`); absent where there is none. */
    assumeRoles?: string;
    maxAttempts: string;
    requestTimeoutMs: string;
    connectTimeoutMs: string;
    requestsPerSecond: string;
    requestBurst: string;
}

/** This package's keys for `name`: `connect-campaign-limits:<name>`. */
function own(name: string): string {
    return `${CONFIG_NAMESPACE}:${name}`;
}

/** The dynamic resource's: `@pulumi/aws`'s keys for AWS, this package's namespace for the rest. */
export const STACK_CONFIG_KEYS: SettingKeys = {
    region: "aws:region",
    profile: "aws:profile",
    assumeRole: "aws:assumeRole",
    assumeRoles: "aws:assumeRoles",
    maxAttempts: own("maxAttempts"),
    requestTimeoutMs: own("requestTimeoutMs"),
    connectTimeoutMs: own("connectTimeoutMs"),
    requestsPerSecond: own("requestsPerSecond"),
    requestBurst: own("requestBurst"),
};

/** The provider plugin's: every setting in this package's namespace, as its schema declares them. */
export const PLUGIN_CONFIG_KEYS: SettingKeys = {
    region: own("region"),
    profile: own("profile"),
    assumeRole: own("assumeRole"),
    maxAttempts: own("maxAttempts"),
    requestTimeoutMs: own("requestTimeoutMs"),
    connectTimeoutMs: own("connectTimeoutMs"),
    requestsPerSecond: own("requestsPerSecond"),
    requestBurst: own("requestBurst"),
};

function text(value: unknown): string | undefined {
    return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

function positiveNumber(
    value: unknown,
    what: string,
    problems: string[],
    options: { integer: boolean },
): number | undefined {
    if (value === undefined || value === "") {
        return undefined;
    }
    const n = typeof value === "number" ? value : typeof value === "string" ? Number(value.trim()) : NaN;
    if (Number.isFinite(n) && n > 0 && (!options.integer || Number.isInteger(n))) {
        return n;
    }
    const rule = options.integer ? "a whole number of at least 1" : "a number greater than 0";
    problems.push(`${what} must be ${rule}; got ${describe(value, [HARMLESS.word])}.`);
    return undefined;
}

/** Structured stack config arrives either as an object or as its JSON text. */
function structured(value: unknown): { value: unknown; json: boolean } {
    if (typeof value !== "string") {
        return { value, json: false };
    }
    try {
        return { value: JSON.parse(value) as unknown, json: true };
    } catch {
        return { value, json: false };
    }
}

function assumeRole(value: unknown, key: string, problems: string[]): AssumeRoleSettings | undefined {
    const { value: parsed } = structured(value);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        const what = typeof parsed === "string" ? "text that is not a JSON object" : describe(parsed);
        problems.push(
            `${key} must be an object with roleArn (and optionally sessionName, externalId); got ${what}. ` +
                `Set it with \`pulumi config set --path ${key}.roleArn <arn>\`.`,
        );
        return undefined;
    }
    const fields = parsed as Record<string, unknown>;
    const roleArn = text(fields.roleArn);
    if (roleArn === undefined) {
        problems.push(
            `${key} has no roleArn (it has ${Object.keys(fields).sort().join(", ") || "no fields"}).`,
        );
        return undefined;
    }
    const result: AssumeRoleSettings = { roleArn };
    const sessionName = text(fields.sessionName);
    const externalId = text(fields.externalId);
    if (sessionName !== undefined) {
        result.sessionName = sessionName;
    }
    if (externalId !== undefined) {
        result.externalId = externalId;
    }
    return result;
}

/** `aws:assumeRole` (one object, @pulumi/aws v5 and later) or `aws:assumeRoles` (a list, v6 and later). */
function assumeRoleSetting(
    config: ConfigSource,
    keys: SettingKeys,
    problems: string[],
): AssumeRoleSettings | undefined {
    const single = config(keys.assumeRole);
    const list = keys.assumeRoles === undefined ? undefined : config(keys.assumeRoles);
    const given = (v: unknown) => v !== undefined && v !== "";
    if (given(single) && given(list)) {
        problems.push(`Set one of ${keys.assumeRole} and ${keys.assumeRoles}, not both.`);
        return undefined;
    }
    if (given(single)) {
        return assumeRole(single, keys.assumeRole, problems);
    }
    if (!given(list)) {
        return undefined;
    }
    const { value: roles } = structured(list);
    if (!Array.isArray(roles)) {
        const what = typeof roles === "string" ? "text that is not a JSON list" : describe(roles);
        problems.push(`aws:assumeRoles must be a list of objects with roleArn; got ${what}.`);
        return undefined;
    }
    if (roles.length === 0) {
        return undefined;
    }
    if (roles.length > 1) {
        problems.push(
            `aws:assumeRoles lists ${roles.length} roles; role chaining is not supported. Give the one role ` +
                "that can write the limits, assumable directly from the credentials Pulumi runs with.",
        );
        return undefined;
    }
    return assumeRole(roles[0], `${keys.assumeRoles}[0]`, problems);
}

/** What the settings say when a resource or lookup names no region or role of its own. */
export function defaultTarget(settings: ProviderSettings): Target {
    const target: Target = {};
    if (settings.region !== undefined) {
        target.region = settings.region;
    }
    if (settings.assumeRole !== undefined) {
        target.assumeRoleArn = settings.assumeRole.roleArn;
    }
    return target;
}

/**
 * @param config reads the stack config the host hands to `configure` (namespaced keys, e.g. "aws:region").
 * @param env    the host's environment.
 * @param keys   which key each setting is read from: the dynamic resource's (default) or the plugin's.
 */
export function resolveSettings(
    config: ConfigSource,
    env: Readonly<Record<string, string | undefined>>,
    keys: SettingKeys = STACK_CONFIG_KEYS,
): ProviderSettings {
    const problems: string[] = [];
    type Numeric =
        "maxAttempts" | "requestTimeoutMs" | "connectTimeoutMs" | "requestsPerSecond" | "requestBurst";
    const ns = (name: Numeric): unknown => config(keys[name]);
    const key = (name: Numeric) => keys[name];
    const retryMode = text(env.AWS_RETRY_MODE);
    if (retryMode !== undefined && retryMode !== "standard" && retryMode !== "adaptive") {
        problems.push(
            `AWS_RETRY_MODE must be "standard" or "adaptive"; got ${describe(retryMode, [HARMLESS.word])}.`,
        );
    }
    const integer = { integer: true };
    const settings: ProviderSettings = {
        maxAttempts:
            positiveNumber(ns("maxAttempts"), key("maxAttempts"), problems, integer) ??
            positiveNumber(env.AWS_MAX_ATTEMPTS, "AWS_MAX_ATTEMPTS", problems, integer) ??
            DEFAULT_MAX_ATTEMPTS,
        retryMode: retryMode === "adaptive" ? "adaptive" : "standard",
        requestTimeoutMs:
            positiveNumber(ns("requestTimeoutMs"), key("requestTimeoutMs"), problems, integer) ??
            DEFAULT_REQUEST_TIMEOUT_MS,
        connectTimeoutMs:
            positiveNumber(ns("connectTimeoutMs"), key("connectTimeoutMs"), problems, integer) ??
            DEFAULT_CONNECT_TIMEOUT_MS,
        requestsPerSecond:
            positiveNumber(ns("requestsPerSecond"), key("requestsPerSecond"), problems, { integer: false }) ??
            DEFAULT_REQUESTS_PER_SECOND,
        requestBurst:
            positiveNumber(ns("requestBurst"), key("requestBurst"), problems, integer) ??
            DEFAULT_REQUEST_BURST,
        readBackDelaysMs: READ_BACK_DELAYS_MS,
        problems,
    };
    const region = text(config(keys.region)) ?? text(env.AWS_REGION);
    const profile = text(config(keys.profile));
    const role = assumeRoleSetting(config, keys, problems);
    if (region !== undefined) {
        settings.region = region;
    }
    if (profile !== undefined) {
        settings.profile = profile;
    }
    if (role !== undefined) {
        settings.assumeRole = role;
    }
    return settings;
}

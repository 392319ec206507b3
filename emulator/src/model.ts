/**
 * The service model's constraints on the two Connect Campaigns V2 calls, checked the way the service reports them:
 * every violation is collected and reported as one ValidationException message
 * (`N validation error(s) detected: Value '…' at '<path>' failed to satisfy constraint: …; …`).
 *
 * Written from the published service model on purpose, independently of any client's own checks, so the two can
 * disagree and tests notice. Sources: aws-sdk-js-v3 `codegen/sdk-codegen/aws-models/connectcampaignsv2.json` and
 * botocore `botocore/data/connectcampaignsv2/2024-04-23/service-2.json` (service version 2024-04-23):
 * `InstanceId` length 1..256, pattern `^[-_.a-zA-Z0-9]+$`; `CommunicationLimitList` at most 2 members;
 * `CommunicationLimit.maxCountPerRecipient` >= 1, `frequency` 1..30, `unit` enum `DAY`, all three required;
 * `CommunicationLimits` is a union (exactly one member); `communicationLimitsConfig` is required on PUT.
 */

const INSTANCE_ID_PATTERN = "^[-_.a-zA-Z0-9]+$";
const INSTANCE_ID_MAX_LENGTH = 256;
const MAX_LIMITS_PER_LIST = 2;
const MIN_MAX_COUNT_PER_RECIPIENT = 1;
const MIN_FREQUENCY = 1;
const MAX_FREQUENCY = 30;
const TIME_UNITS: readonly string[] = ["DAY"];

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** One violated constraint, already phrased as the service phrases it. */
export interface ConstraintViolation {
    path: string;
    message: string;
}

/** How a value appears inside `Value '…'`: strings and numbers bare, anything else as JSON. */
function render(value: unknown): string {
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
        return String(value);
    }
    return JSON.stringify(value) ?? "undefined";
}

function violation(path: string, value: unknown, constraint: string): ConstraintViolation {
    const shown = value === null || value === undefined ? "Value null" : `Value '${render(value)}'`;
    return { path, message: `${shown} at '${path}' failed to satisfy constraint: ${constraint}` };
}

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** JSON null and an absent key both mean "not set", as in restJson1. */
function isSet(value: unknown): boolean {
    return value !== undefined && value !== null;
}

function checkUnknownMembers(
    value: Record<string, unknown>,
    known: readonly string[],
    path: string,
    shape: string,
    out: ConstraintViolation[],
): void {
    for (const [name, member] of Object.entries(value)) {
        if (!known.includes(name)) {
            const memberPath = path === "" ? name : `${path}.${name}`;
            out.push(violation(memberPath, member, `Member is not a known member of ${shape}`));
        }
    }
}

function checkStructure(value: unknown, path: string, shape: string, out: ConstraintViolation[]): boolean {
    if (!isObject(value)) {
        out.push(violation(path, value, `Member must be a structure of type ${shape}`));
        return false;
    }
    return true;
}

function checkRequired(value: unknown, path: string, out: ConstraintViolation[]): boolean {
    if (!isSet(value)) {
        out.push(violation(path, value, "Member must not be null"));
        return false;
    }
    return true;
}

function checkInteger(
    value: unknown,
    path: string,
    min: number,
    max: number | undefined,
    out: ConstraintViolation[],
): void {
    if (typeof value !== "number" || !Number.isInteger(value) || value < INT32_MIN || value > INT32_MAX) {
        out.push(violation(path, value, "Member must be an integer"));
        return;
    }
    if (value < min) {
        out.push(violation(path, value, `Member must have value greater than or equal to ${min}`));
    }
    if (max !== undefined && value > max) {
        out.push(violation(path, value, `Member must have value less than or equal to ${max}`));
    }
}

/** `connectInstanceId` (the `{connectInstanceId}` path label, already percent-decoded). */
export function checkInstanceId(instanceId: string): ConstraintViolation[] {
    const out: ConstraintViolation[] = [];
    const path = "connectInstanceId";
    if (instanceId.length < 1) {
        out.push(violation(path, instanceId, "Member must have length greater than or equal to 1"));
    }
    if (instanceId.length > INSTANCE_ID_MAX_LENGTH) {
        out.push(
            violation(
                path,
                instanceId,
                `Member must have length less than or equal to ${INSTANCE_ID_MAX_LENGTH}`,
            ),
        );
    }
    if (instanceId.length > 0 && !new RegExp(INSTANCE_ID_PATTERN).test(instanceId)) {
        out.push(
            violation(
                path,
                instanceId,
                `Member must satisfy regular expression pattern: ${INSTANCE_ID_PATTERN}`,
            ),
        );
    }
    return out;
}

function checkLimit(value: unknown, path: string, out: ConstraintViolation[]): void {
    if (!checkRequired(value, path, out) || !checkStructure(value, path, "CommunicationLimit", out)) {
        return;
    }
    const limit = value as Record<string, unknown>;
    checkUnknownMembers(
        limit,
        ["maxCountPerRecipient", "frequency", "unit"],
        path,
        "CommunicationLimit",
        out,
    );
    const maxCountPath = `${path}.maxCountPerRecipient`;
    if (checkRequired(limit["maxCountPerRecipient"], maxCountPath, out)) {
        checkInteger(
            limit["maxCountPerRecipient"],
            maxCountPath,
            MIN_MAX_COUNT_PER_RECIPIENT,
            undefined,
            out,
        );
    }
    const frequencyPath = `${path}.frequency`;
    if (checkRequired(limit["frequency"], frequencyPath, out)) {
        checkInteger(limit["frequency"], frequencyPath, MIN_FREQUENCY, MAX_FREQUENCY, out);
    }
    const unitPath = `${path}.unit`;
    const unit = limit["unit"];
    if (checkRequired(unit, unitPath, out) && (typeof unit !== "string" || !TIME_UNITS.includes(unit))) {
        out.push(violation(unitPath, unit, `Member must satisfy enum value set: [${TIME_UNITS.join(", ")}]`));
    }
}

function checkLimitList(value: unknown, path: string, out: ConstraintViolation[]): void {
    if (!Array.isArray(value)) {
        out.push(violation(path, value, "Member must be a list of CommunicationLimit"));
        return;
    }
    if (value.length > MAX_LIMITS_PER_LIST) {
        out.push(
            violation(path, value, `Member must have length less than or equal to ${MAX_LIMITS_PER_LIST}`),
        );
    }
    value.forEach((limit: unknown, index) => checkLimit(limit, `${path}.${index + 1}.member`, out));
}

/** CommunicationLimits is a union: exactly one member set; `communicationLimitsList` is its only member today. */
function checkAllChannelSubtypes(value: unknown, path: string, out: ConstraintViolation[]): void {
    if (!checkStructure(value, path, "CommunicationLimits", out)) {
        return;
    }
    const union = value as Record<string, unknown>;
    const setMembers = Object.keys(union).filter((name) => isSet(union[name]));
    checkUnknownMembers(union, ["communicationLimitsList"], path, "CommunicationLimits", out);
    if (setMembers.length !== 1) {
        out.push(
            violation(
                path,
                value,
                `Union must have exactly one member set, but ${setMembers.length} were set`,
            ),
        );
    }
    if (isSet(union["communicationLimitsList"])) {
        checkLimitList(union["communicationLimitsList"], `${path}.communicationLimitsList`, out);
    }
}

function checkConfig(value: unknown, path: string, out: ConstraintViolation[]): void {
    if (!checkStructure(value, path, "InstanceCommunicationLimitsConfig", out)) {
        return;
    }
    const config = value as Record<string, unknown>;
    checkUnknownMembers(config, ["allChannelSubtypes"], path, "InstanceCommunicationLimitsConfig", out);
    if (isSet(config["allChannelSubtypes"])) {
        checkAllChannelSubtypes(config["allChannelSubtypes"], `${path}.allChannelSubtypes`, out);
    }
}

/**
 * The PutInstanceCommunicationLimits body. An empty body counts as `{}` (no members set), as restJson1 treats it;
 * text that is not a JSON object is a violation at the top level.
 */
export function checkPutBody(rawBody: string): { violations: ConstraintViolation[]; body: unknown } {
    const out: ConstraintViolation[] = [];
    let body: unknown = {};
    if (rawBody.trim() !== "") {
        try {
            body = JSON.parse(rawBody);
        } catch {
            out.push({
                path: "",
                message: `Value '${rawBody.slice(0, 100)}' at 'body' failed to satisfy constraint: Member must be a JSON document`,
            });
            return { violations: out, body: rawBody };
        }
    }
    if (!isObject(body)) {
        out.push(
            violation(
                "body",
                body,
                "Member must be a structure of type PutInstanceCommunicationLimitsRequest",
            ),
        );
        return { violations: out, body };
    }
    checkUnknownMembers(
        body,
        ["communicationLimitsConfig"],
        "",
        "PutInstanceCommunicationLimitsRequest",
        out,
    );
    if (checkRequired(body["communicationLimitsConfig"], "communicationLimitsConfig", out)) {
        checkConfig(body["communicationLimitsConfig"], "communicationLimitsConfig", out);
    }
    return { violations: out, body };
}

/** The ValidationException message for a non-empty list of violations. */
export function validationMessage(violations: readonly ConstraintViolation[]): string {
    const count = violations.length;
    const noun = count === 1 ? "error" : "errors";
    return `${count} validation ${noun} detected: ${violations.map((v) => v.message).join("; ")}`;
}

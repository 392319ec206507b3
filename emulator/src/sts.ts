/**
 * The slice of AWS STS the emulator speaks: AssumeRole and GetCallerIdentity over the awsQuery protocol
 * (form-encoded POST to `/`, XML answers), in the shapes `@aws-sdk/client-sts` (AwsQueryProtocol) parses.
 * AssumeRole of a role ARN gives credentials in the role's account; GetCallerIdentity needs no permission
 * (STS API Reference: "No permissions are required to perform this operation").
 */
import { createHash, randomBytes } from "node:crypto";
import type { ConstraintViolation } from "./model";

export const STS_VERSION = "2011-06-15";
const STS_NAMESPACE = `https://sts.amazonaws.com/doc/${STS_VERSION}/`;
export const STS_SIGNING_NAME = "sts";
export const IAM_ACTION_ASSUME_ROLE = "sts:AssumeRole";

/** `arn:<partition>:iam::<account>:role/…` → the account, or undefined when the ARN names no 12-digit account. */
export function roleAccount(roleArn: string): string | undefined {
    const match = /^arn:[a-z-]+:iam::(\d{12}):role\/.+$/.exec(roleArn);
    return match?.[1];
}

/** Every role the emulator knows allows sessions of at most one hour, IAM's default MaxSessionDuration. */
export const MAX_SESSION_DURATION_SECONDS = 3600;
const DEFAULT_SESSION_DURATION_SECONDS = 3600;
const MIN_SESSION_DURATION_SECONDS = 900;

export function parseForm(body: string): Record<string, string> {
    const fields: Record<string, string> = {};
    for (const [key, value] of new URLSearchParams(body)) {
        fields[key] = value;
    }
    return fields;
}

function escapeXml(text: string): string {
    return text
        .replace(/&/g, "&amp;")
        .replace(/</g, "&lt;")
        .replace(/>/g, "&gt;")
        .replace(/"/g, "&quot;")
        .replace(/'/g, "&apos;");
}

export interface StsError {
    status: number;
    code: string;
    message: string;
}

export function stsErrorXml(error: StsError, requestId: string): string {
    return (
        `<ErrorResponse xmlns="${STS_NAMESPACE}">` +
        `<Error><Type>${error.status >= 500 ? "Receiver" : "Sender"}</Type>` +
        `<Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
        `<RequestId>${requestId}</RequestId></ErrorResponse>`
    );
}

export interface AssumeRoleRequest {
    roleArn: string;
    roleSessionName: string;
    externalId?: string;
    durationSeconds: number;
}

function violation(path: string, value: string | undefined, constraint: string): ConstraintViolation {
    const shown = value === undefined ? "Value null" : `Value '${value}'`;
    return { path, message: `${shown} at '${path}' failed to satisfy constraint: ${constraint}` };
}

function checkString(
    value: string | undefined,
    path: string,
    min: number,
    max: number,
    pattern: RegExp,
    out: ConstraintViolation[],
): void {
    if (value === undefined) {
        return;
    }
    if (value.length < min) {
        out.push(violation(path, value, `Member must have length greater than or equal to ${min}`));
    }
    if (value.length > max) {
        out.push(violation(path, value, `Member must have length less than or equal to ${max}`));
    }
    if (!pattern.test(value)) {
        out.push(violation(path, value, `Member must satisfy regular expression pattern: ${pattern.source}`));
    }
}

/** AssumeRole's input constraints from the STS model; returns the request or the violations. */
export function checkAssumeRole(fields: Record<string, string>): AssumeRoleRequest | ConstraintViolation[] {
    const out: ConstraintViolation[] = [];
    const roleArn = fields["RoleArn"];
    const roleSessionName = fields["RoleSessionName"];
    const externalId = fields["ExternalId"];
    const duration = fields["DurationSeconds"];
    if (roleArn === undefined) {
        out.push(violation("roleArn", undefined, "Member must not be null"));
    }
    checkString(
        roleArn,
        "roleArn",
        20,
        2048,
        /^[\t\n\r\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD]+$/,
        out,
    );
    if (roleSessionName === undefined) {
        out.push(violation("roleSessionName", undefined, "Member must not be null"));
    }
    checkString(roleSessionName, "roleSessionName", 2, 64, /^[\w+=,.@-]*$/, out);
    checkString(externalId, "externalId", 2, 1224, /^[\w+=,.@:/-]*$/, out);
    let durationSeconds = DEFAULT_SESSION_DURATION_SECONDS;
    if (duration !== undefined) {
        durationSeconds = Number(duration);
        if (!/^\d+$/.test(duration) || durationSeconds < MIN_SESSION_DURATION_SECONDS) {
            out.push(
                violation(
                    "durationSeconds",
                    duration,
                    `Member must have value greater than or equal to ${MIN_SESSION_DURATION_SECONDS}`,
                ),
            );
        } else if (durationSeconds > 43200) {
            out.push(
                violation("durationSeconds", duration, "Member must have value less than or equal to 43200"),
            );
        }
    }
    if (out.length > 0 || roleArn === undefined || roleSessionName === undefined) {
        return out;
    }
    const request: AssumeRoleRequest = { roleArn, roleSessionName, durationSeconds };
    if (externalId !== undefined) {
        request.externalId = externalId;
    }
    return request;
}

export interface IssuedCredentials {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken: string;
    expiresAt: number;
    assumedRoleArn: string;
    assumedRoleId: string;
}

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

function randomKeySuffix(length: number): string {
    return Array.from(randomBytes(length), (byte) => BASE32[byte % 32]).join("");
}

/** The role's name: the last path segment of `arn:aws:iam::<account>:role/<path/>name`. */
function roleName(roleArn: string): string {
    const resource = roleArn.split(":").slice(5).join(":");
    const segments = resource.split("/");
    return segments[segments.length - 1] ?? resource;
}

/** A stable unique id per IAM entity (`AROA…` for roles, `AIDA…` for users), as IAM gives each one. */
export function uniqueId(prefix: "AROA" | "AIDA", arn: string): string {
    const digest = createHash("sha256").update(arn).digest();
    return `${prefix}${Array.from(digest.subarray(0, 17), (byte) => BASE32[byte % 32]).join("")}`;
}

export function issueCredentials(
    request: AssumeRoleRequest,
    account: string,
    now: number,
): IssuedCredentials {
    return {
        accessKeyId: `ASIA${randomKeySuffix(16)}`,
        secretAccessKey: randomBytes(30).toString("base64"),
        sessionToken: `IQoJb3JpZ2luX2VtdWxhdG9y${randomBytes(96).toString("base64")}`,
        expiresAt: now + request.durationSeconds * 1000,
        assumedRoleArn: `arn:aws:sts::${account}:assumed-role/${roleName(request.roleArn)}/${request.roleSessionName}`,
        assumedRoleId: `${uniqueId("AROA", request.roleArn)}:${request.roleSessionName}`,
    };
}

function isoSeconds(epochMs: number): string {
    return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function assumeRoleResponseXml(issued: IssuedCredentials, requestId: string): string {
    return (
        `<AssumeRoleResponse xmlns="${STS_NAMESPACE}">` +
        "<AssumeRoleResult>" +
        "<Credentials>" +
        `<AccessKeyId>${issued.accessKeyId}</AccessKeyId>` +
        `<SecretAccessKey>${escapeXml(issued.secretAccessKey)}</SecretAccessKey>` +
        `<SessionToken>${escapeXml(issued.sessionToken)}</SessionToken>` +
        `<Expiration>${isoSeconds(issued.expiresAt)}</Expiration>` +
        "</Credentials>" +
        "<AssumedRoleUser>" +
        `<Arn>${escapeXml(issued.assumedRoleArn)}</Arn>` +
        `<AssumedRoleId>${escapeXml(issued.assumedRoleId)}</AssumedRoleId>` +
        "</AssumedRoleUser>" +
        "</AssumeRoleResult>" +
        `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>` +
        "</AssumeRoleResponse>"
    );
}

export function getCallerIdentityResponseXml(
    identity: { arn: string; account: string; userId: string },
    requestId: string,
): string {
    return (
        `<GetCallerIdentityResponse xmlns="${STS_NAMESPACE}">` +
        "<GetCallerIdentityResult>" +
        `<Arn>${escapeXml(identity.arn)}</Arn>` +
        `<UserId>${escapeXml(identity.userId)}</UserId>` +
        `<Account>${escapeXml(identity.account)}</Account>` +
        "</GetCallerIdentityResult>" +
        `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>` +
        "</GetCallerIdentityResponse>"
    );
}

/**
 * Turns whatever a call threw (an AWS SDK service error, a network error, a credentials error) into one
 * `CallFailedError` naming the operation, the instance, the AWS error and request id, and a next step that
 * is true for that failure. Pure: the error is read field by field (`name`, `code`, `message`, `$metadata`,
 * `$response`), the way the AWS SDK itself tells errors apart, so it is table-tested with plain objects.
 *
 * Sources: the SDK's error shapes (`@smithy/core` retry classification, `@aws-sdk/core` JSON error
 * parsing: `x-amzn-ErrorType` and `__type` with their `:…` / `…#` parts removed, `message` or `Message`),
 * and the IAM Service Authorization Reference for Amazon Connect Outbound Campaigns, which lists no
 * resource type for the two actions this provider uses (so a policy must grant them on "*").
 */
import type { CallFailure, Operation } from "./errors";
import { CallFailedError, ConnectLimitsError } from "./errors";
import { redact } from "./redact";
import {
    ENDPOINT_DATA_AS_OF,
    FIPS_REGIONS,
    SERVICE_REGIONS,
    hasFipsEndpoint,
    isServiceRegion,
} from "./regions";
import { instanceArnHint } from "./validate";

/** Where and how the call was made: what a message about it may mention. */
export interface FailureContext {
    operation: Operation;
    instanceId: string;
    region: string;
    /** Where requests went (`https://connect-campaigns.us-west-2.amazonaws.com`), once one was sent. */
    endpoint?: string | undefined;
    maxAttempts: number;
    attemptTimeoutMs: number;
    connectTimeoutMs: number;
    /** The role being assumed for the call, if any. */
    roleArn?: string | undefined;
    /** The AWS profile in use, if one is named. */
    profile?: string | undefined;
    /** The request budget the calls share, per second. */
    requestsPerSecond: number;
    /** What the call was for, when the advice depends on it. */
    purpose?: "restore" | "reset" | "write" | "read" | undefined;
    /** Credentials in use, removed from every quoted text. */
    secrets?: readonly (string | undefined)[];
}

interface ErrorShape {
    name?: unknown;
    message?: unknown;
    code?: unknown;
    hostname?: unknown;
    $metadata?: { httpStatusCode?: number; requestId?: string; attempts?: number };
    $response?: { statusCode?: number; headers?: Record<string, string>; body?: unknown };
    $responseBodyText?: unknown;
    /** Set by the bounded HTTP handler (`http.ts`) when the status and headers came, and the body did not. */
    incompleteResponse?: { statusCode?: number; headers?: Record<string, string> };
}

const CREDENTIALS_REJECTED = new Set([
    "UnrecognizedClientException",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "IncompleteSignatureException",
    "MissingAuthenticationTokenException",
    "InvalidClientTokenId",
    "ExpiredTokenException",
    "ExpiredToken",
]);
const THROTTLED = new Set([
    "ThrottlingException",
    "TooManyRequestsException",
    "Throttling",
    "ThrottledException",
]);
const RETRYABLE = new Set([
    ...THROTTLED,
    "InternalServerException",
    "ConflictException",
    "InternalFailure",
    "ServiceUnavailable",
]);
const NETWORK_CODES = new Set([
    "ECONNREFUSED",
    "ECONNRESET",
    "ENOTFOUND",
    "EAI_AGAIN",
    "EPIPE",
    "EHOSTUNREACH",
    "ENETUNREACH",
    "ETIMEDOUT",
]);

/** The SDK's default hostnames for this service; anything else is an endpoint override or a proxy. */
const DEFAULT_HOST = /^connect-campaigns(-fips)?\.([a-z0-9-]+)\.(amazonaws\.com|api\.aws)$/;

/** The request id headers of an answer, as the AWS SDK reads them into `$metadata.requestId`. */
const REQUEST_ID_HEADERS = ["x-amzn-requestid", "x-amzn-request-id", "x-amz-request-id"];

function requestIdIn(headers: Record<string, string> | undefined): string | undefined {
    const lower = new Map(Object.entries(headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
    return REQUEST_ID_HEADERS.map((name) => lower.get(name)).find((value) => typeof value === "string");
}

/** "its only attempt" / "all 3 attempts": how many times a call was tried. */
function allAttempts(attempts: number): string {
    return attempts === 1 ? "its only attempt" : `all ${attempts} attempts`;
}

function text(value: unknown): string | undefined {
    return typeof value === "string" ? value : undefined;
}

/** The body of a non-AWS answer, as a short line: tags and runs of space removed. */
function bodySnippet(body: unknown): string {
    const raw =
        typeof body === "string"
            ? body
            : body instanceof Uint8Array
              ? Buffer.from(body).toString("utf8")
              : "";
    const flat = raw
        .replace(/<[^>]*>/g, " ")
        .replace(/\s+/g, " ")
        .trim();
    return flat.length > 120 ? `${flat.slice(0, 117)}...` : flat;
}

/** True when the error is the SDK failing to parse a response body (an HTML page, a truncated answer). */
function isUnparsableResponse(e: ErrorShape): boolean {
    const message = text(e.message) ?? "";
    return e.name === "SyntaxError" || /Deserialization error/i.test(message);
}

/**
 * Which endpoint the endpoint data lacks when the host the request went to is the SDK's own for `region`:
 * the service's (it is not in that region), its FIPS one (the name is a FIPS one, the region has none), or
 * none missing (`undefined`: the name may exist, or is not the SDK's).
 */
function missingEndpoint(hostname: string | undefined, region: string): "service" | "fips" | undefined {
    const match = hostname === undefined ? null : DEFAULT_HOST.exec(hostname);
    if (match === null || match[2] !== region) {
        return undefined;
    }
    if (!isServiceRegion(region)) {
        return "service";
    }
    return match[1] !== undefined && !hasFipsEndpoint(region) ? "fips" : undefined;
}

/** True when the host is the SDK's own name for `region` and the endpoint data has no such endpoint. */
export function isMissingServiceRegion(hostname: string | undefined, region: string): boolean {
    return missingEndpoint(hostname, region) !== undefined;
}

function hostOf(endpoint: string | undefined): string | undefined {
    if (endpoint === undefined) {
        return undefined;
    }
    try {
        return new URL(endpoint).hostname;
    } catch {
        return undefined;
    }
}

/** The role named in an STS answer ("…not authorized to perform: sts:AssumeRole on resource: arn:…"). */
function roleInMessage(message: string): string | undefined {
    return /sts:AssumeRole on resource:\s*(arn:\S+?)(?:[\s.,;]|$)/.exec(message)?.[1];
}

function nextStep(
    f: Omit<CallFailure, "nextStep">,
    ctx: FailureContext,
    code: string | undefined,
    e: ErrorShape,
): string {
    const { operation, awsError, region, instanceId, awsMessage } = f;
    const attempts = f.attempts ?? ctx.maxAttempts;
    const raiseAttempts = "raise connect-campaign-limits:maxAttempts (or AWS_MAX_ATTEMPTS)";
    if (operation === "ResolveRegion") {
        return 'Next step: set the resource\'s region argument, the stack config "aws:region", or AWS_REGION.';
    }
    if (operation === "AssumeRole") {
        const role = ctx.roleArn ?? roleInMessage(awsMessage) ?? "(the profile's role_arn)";
        const from =
            ctx.roleArn === undefined && ctx.profile !== undefined
                ? ` (named by role_arn in profile ${ctx.profile})`
                : "";
        if (THROTTLED.has(awsError) || RETRYABLE.has(awsError)) {
            return `Next step: STS kept failing through ${allAttempts(attempts)}; run again later, or ${raiseAttempts}.`;
        }
        return (
            `Next step: check that role ${role}${from} exists, that its trust policy lets the calling identity call ` +
            "sts:AssumeRole (with the external id the role requires, if any), and that the caller's own policy allows sts:AssumeRole on it."
        );
    }
    if (operation === "ResolveCredentials") {
        if (/credential_process/i.test(awsMessage)) {
            return (
                "Next step: the profile's credential_process failed; run that command yourself to see why " +
                "(its message is quoted above), or use another profile or keys."
            );
        }
        if (/sso/i.test(awsMessage)) {
            return "Next step: the SSO session has expired or is missing; run `aws sso login` (with --profile if you use one).";
        }
        return (
            "Next step: no AWS credentials were found. Set AWS_PROFILE or the stack config aws:profile, or " +
            "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY."
        );
    }
    if (awsError === "AccessDeniedException" || awsError === "AccessDenied") {
        const action =
            operation === "GetCallerIdentity" ? "sts:GetCallerIdentity" : `connect-campaigns:${operation}`;
        const explicit = /explicit deny/i.test(awsMessage)
            ? " The message says an explicit deny applies (a service control policy, permissions boundary or session policy): an allow alone will not help; the deny must change."
            : "";
        return (
            `Next step: allow ${action} for the identity Pulumi runs as, with "Resource": "*" — the IAM Service ` +
            "Authorization Reference gives this action no resource type, so it cannot be scoped to an instance ARN " +
            `(the README has the policy).${explicit}`
        );
    }
    if (awsError === "ResourceNotFoundException") {
        return (
            `Next step: instance ${instanceId} does not exist in ${region} for these credentials, or is not onboarded to ` +
            "Amazon Connect outbound campaigns. Check connectInstanceId (the instance id, not its ARN), region and the " +
            "AWS account, and onboard the instance to outbound campaigns in the Amazon Connect console."
        );
    }
    if (awsError === "ValidationException" && operation === "GetInstanceCommunicationLimits") {
        return (
            "Next step: the service rejected the instance id. connectInstanceId must be an Amazon Connect instance " +
            "id (1 to 256 letters, digits, '-', '_' or '.'), not its ARN." +
            instanceArnHint(instanceId)
        );
    }
    if (awsError === "ValidationException" && ctx.purpose === "restore") {
        return (
            "Next step: the limits being restored (previousConfig, recorded when this resource was created) are " +
            "refused by the service as it is now. To destroy the resource anyway, set its deletionPolicy to " +
            '"reset" (or "retain") and run `pulumi up`, then `pulumi destroy`.'
        );
    }
    if (awsError === "ValidationException") {
        return (
            "Next step: these limits passed this provider's checks of every published constraint, so the service " +
            "applies a rule its model does not state; adjust the limits as the service's message above says."
        );
    }
    if (CREDENTIALS_REJECTED.has(awsError)) {
        return (
            "Next step: the credentials were rejected. Check the access key and secret (or AWS_PROFILE / aws:profile), " +
            "and refresh expired session credentials (e.g. `aws sso login`)."
        );
    }
    if (awsError === "MalformedResponse" || isUnparsableResponse(e)) {
        const status = f.httpStatus;
        const where = ctx.endpoint ?? "the endpoint";
        if (status !== undefined && status >= 500) {
            return (
                `Next step: ${where} answered HTTP ${status} with a page that is not an AWS response, on ${allAttempts(attempts)}: ` +
                "a proxy, load balancer or VPC endpoint in front of the service answered instead of it. Run again later, " +
                "and check the network path (proxy settings, VPC endpoint, AWS_ENDPOINT_URL_CONNECTCAMPAIGNSV2 if set)."
            );
        }
        return (
            `Next step: ${where} answered HTTP ${status ?? "?"} with a body that is not the JSON the service sends; ` +
            "check that the endpoint is the service's (AWS_ENDPOINT_URL_CONNECTCAMPAIGNSV2 / AWS_ENDPOINT_URL, a proxy), then run again."
        );
    }
    if ((awsError === "Unknown" || awsError === "UnknownError") && f.httpStatus !== undefined) {
        return (
            `Next step: ${ctx.endpoint ?? "the endpoint"} answered HTTP ${f.httpStatus} without naming an AWS error, which the ` +
            "service always does: check that the endpoint is the service's (AWS_ENDPOINT_URL_CONNECTCAMPAIGNSV2 / " +
            "AWS_ENDPOINT_URL, a proxy), then run again."
        );
    }
    if (THROTTLED.has(awsError)) {
        return (
            `Next step: the service kept throttling through ${allAttempts(attempts)}: the account's request quota in ${region} ` +
            `is shared with everything else calling it. Run again later, lower connect-campaign-limits:requestsPerSecond ` +
            `(now ${ctx.requestsPerSecond}), or ${raiseAttempts}.`
        );
    }
    if (RETRYABLE.has(awsError)) {
        return `Next step: the fault lasted through ${allAttempts(attempts)}; run again later, or ${raiseAttempts}.`;
    }
    const endpoint = ctx.endpoint ?? "the endpoint";
    const path =
        "check the network path to it (proxy, VPC endpoint, AWS_ENDPOINT_URL_CONNECTCAMPAIGNSV2 if set)";
    const host = text(e.hostname) ?? hostOf(ctx.endpoint);
    const missing = code === "ENOTFOUND" ? missingEndpoint(host, region) : undefined;
    if (missing === "fips") {
        return (
            `Next step: Amazon Connect outbound campaigns has no FIPS endpoint in ${region} (per the AWS endpoint data ` +
            `of ${ENDPOINT_DATA_AS_OF} FIPS endpoints exist only in ${FIPS_REGIONS.join(", ")}); ${host ?? "the host"} is ` +
            "the FIPS name that AWS_USE_FIPS_ENDPOINT (or use_fips_endpoint in the AWS profile) asks for. Unset it for " +
            `calls to ${region}.`
        );
    }
    if (missing === "service") {
        return (
            `Next step: Amazon Connect outbound campaigns has no endpoint in ${region} (per the AWS endpoint data of ` +
            `${ENDPOINT_DATA_AS_OF} it exists in ${SERVICE_REGIONS.join(", ")}). Check the region name: the resource's ` +
            'region argument, the stack config "aws:region" or AWS_REGION.'
        );
    }
    if (code === "ECONNRESET" || /socket hang up/i.test(awsMessage)) {
        return `Next step: ${endpoint} closed the connection without answering, on ${allAttempts(attempts)}; ${path}.`;
    }
    if (/establish a connection/i.test(awsMessage)) {
        return (
            `Next step: ${endpoint} did not accept a connection within ${ctx.connectTimeoutMs} ms, ` +
            `on ${allAttempts(attempts)}; ${path}, or raise connect-campaign-limits:connectTimeoutMs.`
        );
    }
    if (awsError === "TimeoutError" || code === "ETIMEDOUT") {
        return (
            `Next step: ${endpoint} did not answer completely within ${ctx.attemptTimeoutMs} ms, on ${allAttempts(attempts)}; ` +
            `${path}, or raise connect-campaign-limits:requestTimeoutMs.`
        );
    }
    if (code !== undefined && NETWORK_CODES.has(code)) {
        return `Next step: could not reach ${endpoint} (${code}) on ${allAttempts(attempts)}; ${path}.`;
    }
    return "Next step: run again; if it persists, report it with the request id.";
}

/** Which operation really failed: a role assumption or credential lookup fails inside a Connect call. */
function operationOf(e: ErrorShape, message: string, given: Operation, assumingRole: boolean): Operation {
    if (given === "ResolveRegion" || given === "GetCallerIdentity") {
        return given;
    }
    if (assumingRole || /sts:AssumeRole/.test(message)) {
        return "AssumeRole";
    }
    if (
        e.name === "CredentialsProviderError" ||
        e.name === "TokenProviderError" ||
        /credential_process/i.test(message)
    ) {
        return "ResolveCredentials";
    }
    return given;
}

/**
 * @param assumingRole the error was thrown while assuming the call's role (marked by the client).
 */
export function translateError(
    error: unknown,
    ctx: FailureContext,
    assumingRole = false,
): ConnectLimitsError {
    if (error instanceof ConnectLimitsError) {
        return error;
    }
    const e: ErrorShape = typeof error === "object" && error !== null ? error : {};
    const code = text(e.code);
    const secrets = ctx.secrets ?? [];
    const rawMessage = redact(text(e.message) ?? String(error), secrets);
    const operation = operationOf(e, rawMessage, ctx.operation, assumingRole);
    const meta = e.$metadata;
    const incomplete = e.incompleteResponse;
    const answered = meta?.httpStatusCode ?? e.$response?.statusCode;
    const status = answered ?? incomplete?.statusCode;
    const requestId = meta?.requestId ?? requestIdIn(incomplete?.headers);
    let awsError: string;
    let awsMessage = rawMessage;
    if (operation === "ResolveRegion") {
        awsError = "RegionMissing";
    } else if (isUnparsableResponse(e)) {
        awsError = "MalformedResponse";
        const body = e.$responseBodyText ?? e.$response?.body;
        const snippet = bodySnippet(body);
        awsMessage = redact(
            `HTTP ${status ?? "?"} with a body the AWS SDK could not read as the service's JSON` +
                (snippet === "" ? " (empty)" : `: ${snippet}`),
            secrets,
        );
    } else if (code !== undefined && NETWORK_CODES.has(code)) {
        // The SDK names a reset or refused connection "TimeoutError" (to have it retried); its code says what it was.
        awsError = code;
    } else {
        const name = text(e.name);
        awsError = name !== undefined && name !== "Error" ? name : (code ?? "Error");
    }
    const failure: Omit<CallFailure, "nextStep"> = {
        operation,
        instanceId: ctx.instanceId,
        region: ctx.region,
        awsError,
        awsMessage,
    };
    if (requestId !== undefined) {
        failure.requestId = requestId;
    }
    if (status !== undefined) {
        failure.httpStatus = status;
        if (answered === undefined) {
            failure.bodyIncomplete = true;
        }
    }
    if (meta?.attempts !== undefined) {
        failure.attempts = meta.attempts;
    }
    if (awsError === "RegionMissing" || operation === "ResolveCredentials") {
        // Failed while preparing the request: nothing reached AWS, and no endpoint was involved.
        failure.sent = false;
        delete failure.attempts;
    } else if (operation !== "AssumeRole" && ctx.endpoint !== undefined) {
        // The Connect endpoint; an AssumeRole failure happened at STS.
        failure.endpoint = ctx.endpoint;
    }
    return new CallFailedError({ ...failure, nextStep: nextStep(failure, ctx, code, e) }, { cause: error });
}

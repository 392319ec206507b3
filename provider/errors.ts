/**
 * The provider's errors: one base class, told apart by `name` (as the AWS SDK's are), each keeping what
 * caused it in `cause`.
 *
 *   ConnectLimitsError            every error this package throws
 *   ├─ CallFailedError            an AWS call failed; `failure` holds the facts, the message says what to do
 *   ├─ PartialFailureError        a create or update may have written; the engine keeps the resource in state
 *   ├─ ProviderConfigurationError the stack config or environment is itself wrong; every call fails with it
 *   └─ StateError                 a value in state or from the service that this provider cannot use
 */

export type Operation =
    | "GetInstanceCommunicationLimits"
    | "PutInstanceCommunicationLimits"
    | "AssumeRole"
    | "GetCallerIdentity"
    | "ResolveRegion"
    | "ResolveCredentials";

export interface CallFailure {
    operation: Operation;
    /** "" when the call is not about one instance. */
    instanceId: string;
    /** "" when the region is not known yet. */
    region: string;
    /** The AWS error name (`AccessDeniedException`) or the client-side one (`TimeoutError`, `ECONNRESET`). */
    awsError: string;
    /** The service's own words, with credentials removed. */
    awsMessage: string;
    requestId?: string;
    httpStatus?: number;
    /** True when the status and headers came but the body did not complete: `httpStatus` is the headers'. */
    bodyIncomplete?: boolean;
    attempts?: number;
    endpoint?: string;
    /** False when the call failed before any request was sent (no credentials, no region). */
    sent?: boolean;
    /** What the user should do about it. Starts with "Next step:". */
    nextStep: string;
}

export class ConnectLimitsError extends Error {
    override readonly name: string = "ConnectLimitsError";

    constructor(message: string, options?: { cause?: unknown }) {
        super(message, options);
    }
}

/** A failed call to AWS, with everything needed to act on it in one message. */
export class CallFailedError extends ConnectLimitsError {
    override readonly name = "CallFailedError";
    readonly failure: CallFailure;

    constructor(failure: CallFailure, options?: { cause?: unknown }) {
        super(formatFailure(failure), options);
        this.failure = failure;
    }
}

/**
 * `<operation> for Amazon Connect instance <id> in <region> failed: <AWS error>: <AWS message> (HTTP
 * <status>, request id <id>, <n> attempts, endpoint <url>). Next step: …` — the instance and region are
 * left out when not known, and the facts say so when no request was sent, when no response came, or when
 * only its headers did (`HTTP 200 headers came, the body did not complete`).
 */
export function formatFailure(f: CallFailure): string {
    const facts: string[] = [];
    if (f.httpStatus !== undefined) {
        facts.push(
            f.bodyIncomplete === true
                ? `HTTP ${f.httpStatus} headers came, the body did not complete`
                : `HTTP ${f.httpStatus}`,
        );
    }
    if (f.sent === false) {
        facts.push("no request was sent");
    } else if (f.requestId !== undefined) {
        facts.push(`request id ${f.requestId}`);
    } else {
        facts.push(f.httpStatus === undefined ? "no response" : "no request id in the response");
    }
    if (f.attempts !== undefined) {
        facts.push(`${f.attempts} attempt${f.attempts === 1 ? "" : "s"}`);
    }
    if (f.endpoint !== undefined) {
        facts.push(`endpoint ${f.endpoint}`);
    }
    const message = f.awsMessage.trim() === "" ? "(no message)" : f.awsMessage.trim();
    const instance = f.instanceId === "" ? "" : ` for Amazon Connect instance ${f.instanceId}`;
    const region = f.region === "" ? "" : ` in ${f.region}`;
    return `${f.operation}${instance}${region} failed: ${f.awsError}: ${message} (${facts.join(", ")}). ${f.nextStep}`;
}

/**
 * A create or update failed after it may have written (or after it read the limits to record): the
 * dynamic-provider host reports a partial failure (`id`, `properties`, `reasons`), the engine records the
 * resource with these properties instead of losing it, and the next `pulumi up` updates it.
 */
export class PartialFailureError extends ConnectLimitsError {
    override readonly name = "PartialFailureError";
    readonly id: string;
    readonly properties: Record<string, unknown>;
    readonly reasons: string[];

    constructor(id: string, properties: Record<string, unknown>, cause: Error, what: string) {
        super(`${cause.message} ${what}`, { cause });
        this.id = id;
        this.properties = properties;
        // The engine prints the reasons, not the message, for a partial failure: they carry the whole story.
        this.reasons = [this.message];
    }
}

/** The provider's configuration (stack config or environment) is itself wrong. Never quotes secret values. */
export class ProviderConfigurationError extends ConnectLimitsError {
    override readonly name = "ProviderConfigurationError";
    readonly problems: readonly string[];

    constructor(problems: readonly string[]) {
        super(`The provider configuration is invalid: ${problems.join(" ")} No call was made.`);
        this.problems = problems;
    }
}

/** A value in state, or returned by the service, that this provider cannot use as it is. */
export class StateError extends ConnectLimitsError {
    override readonly name = "StateError";
}

export function isCallFailure(error: unknown, awsError?: string): error is CallFailedError {
    return (
        error instanceof CallFailedError && (awsError === undefined || error.failure.awsError === awsError)
    );
}

/**
 * The provider's errors. One class for a failed AWS call, one for a create that wrote the limits but could
 * not confirm them (the host reports it as a partial failure, so the engine keeps the resource in state).
 */

export type Operation =
    "GetInstanceCommunicationLimits" | "PutInstanceCommunicationLimits" | "AssumeRole" | "ResolveRegion";

export interface CallFailure {
    operation: Operation;
    instanceId: string;
    region: string;
    /** The AWS error name (`AccessDeniedException`) or the client-side error name (`TimeoutError`). */
    awsError: string;
    awsMessage: string;
    requestId?: string;
    httpStatus?: number;
    attempts?: number;
    endpoint?: string;
    /** False when the call failed before any request was sent (no credentials, no region). */
    sent?: boolean;
    /** What the user should do about it: the IAM action to allow, the region to check, … */
    nextStep: string;
}

/** A failed call to AWS, with everything needed to act on it in one message. */
export class ConnectLimitsError extends Error {
    override readonly name = "ConnectLimitsError";
    readonly failure: CallFailure;

    constructor(failure: CallFailure) {
        super(formatFailure(failure));
        this.failure = failure;
    }
}

/**
 * `<operation> for Amazon Connect instance <id> in <region> failed: <AWS error>: <AWS message> (HTTP <status>,
 * request id <id>, <n> attempts, endpoint <url>). Next step: …` — the instance and region are left out when
 * they are not known yet (an empty string), and the facts say so when no request was sent at all.
 */
export function formatFailure(f: CallFailure): string {
    const facts: string[] = [];
    if (f.httpStatus !== undefined) facts.push(`HTTP ${f.httpStatus}`);
    if (f.sent === false) facts.push("no request was sent");
    else facts.push(`request id ${f.requestId ?? "none (no response)"}`);
    if (f.attempts !== undefined) facts.push(`${f.attempts} attempt${f.attempts === 1 ? "" : "s"}`);
    if (f.endpoint !== undefined) facts.push(`endpoint ${f.endpoint}`);
    const message = f.awsMessage.trim() === "" ? "(no message)" : f.awsMessage.trim();
    const instance = f.instanceId === "" ? "" : ` for Amazon Connect instance ${f.instanceId}`;
    const region = f.region === "" ? "" : ` in ${f.region}`;
    return `${f.operation}${instance}${region} failed: ${f.awsError}: ${message} (${facts.join(", ")}). ${f.nextStep}`;
}

/**
 * The put succeeded but confirming it failed. Carries what the dynamic-provider host needs to report a
 * partial failure (`id`, `properties`, `reasons`): the engine records the resource instead of losing it,
 * and the next `up` updates it.
 */
export class PartialFailureError extends Error {
    override readonly name = "PartialFailureError";
    readonly id: string;
    readonly properties: Record<string, unknown>;
    readonly reasons: string[];

    constructor(id: string, properties: Record<string, unknown>, cause: Error) {
        super(
            `${cause.message} The limits were written, so the resource stays in state; ` +
                "the next `pulumi up` writes and reads them back again.",
        );
        this.id = id;
        this.properties = properties;
        this.reasons = [cause.message];
    }
}

/** The provider's configuration (stack config or environment) is itself wrong. */
export class ProviderConfigurationError extends Error {
    override readonly name = "ProviderConfigurationError";

    constructor(problems: readonly string[]) {
        super(`The provider configuration is invalid: ${problems.join(" ")}`);
    }
}

export function isCallFailure(error: unknown, awsError?: string): error is ConnectLimitsError {
    return (
        error instanceof ConnectLimitsError && (awsError === undefined || error.failure.awsError === awsError)
    );
}

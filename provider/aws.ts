/**
 * The only module that talks to AWS: builds the Connect Campaigns V2 client, makes the two calls, and turns
 * every failure into a `ConnectLimitsError` that names the operation, the instance, the AWS error, the
 * request id and the next step.
 *
 * Endpoint: the SDK's standard resolution, so `AWS_ENDPOINT_URL_CONNECTCAMPAIGNSV2` / `AWS_ENDPOINT_URL`
 * (and `AWS_ENDPOINT_URL_STS` for the role) point it elsewhere; there is no knob of our own.
 * Retries: the SDK's standard (or adaptive) strategy — its classification of errors and its backoff,
 * exponential with full jitter (50 ms base for transient faults, 1 s for throttling, 20 s cap) — for
 * throttling, 5xx and network faults, with `maxAttempts` attempts per call in all; ConflictException (409, a
 * concurrent change on the service side) is retried the same way. Validation, access denied and not-found are
 * never retried. Every attempt has a connect and a response timeout.
 * Unlike the SDK's default, no retry quota is shared between calls: see `ProvisioningRetryStrategy`.
 */
import {
    ConnectCampaignsV2Client,
    GetInstanceCommunicationLimitsCommand,
    PutInstanceCommunicationLimitsCommand,
} from "@aws-sdk/client-connectcampaignsv2";
import type { ConnectCampaignsV2ClientConfig } from "@aws-sdk/client-connectcampaignsv2";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import { AdaptiveRetryStrategy, DefaultRateLimiter, StandardRetryStrategy } from "@smithy/core/retry";
import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from "@smithy/types";

import type { CallFailure, Operation } from "./errors";
import { ConnectLimitsError } from "./errors";
import { normalizeConfig } from "./normalize";
import { instanceArnHint } from "./validate";
import { defaultTarget } from "./settings";
import type { ProviderSettings, Target } from "./settings";
import type { CanonicalLimitsConfig } from "./types";

/**
 * The SDK's retry strategy, changed in two ways for a provisioning tool:
 * - ConflictException is retried like a transient fault (everything else is classified by the SDK).
 * - No retry quota is shared between calls. The SDK's strategy keeps one token bucket per client (500 tokens,
 *   14 per retried fault, 5 per throttle) so that a long-running service stops retrying during an outage; in
 *   a deployment that turns one resource's faults into another resource's failure after a single attempt,
 *   whatever `maxAttempts` says. Every decision is therefore made by a fresh SDK strategy with a full quota,
 *   so each call gets its `maxAttempts` and the SDK's backoff — as terraform-provider-aws does with
 *   aws-sdk-go-v2's `ratelimit.None`. Adaptive mode's client-side rate limiter measures the client's
 *   sending rate, so it stays shared by every call of the client.
 */
class ProvisioningRetryStrategy implements RetryStrategyV2 {
    private readonly rateLimiter: DefaultRateLimiter | undefined;

    constructor(private readonly settings: Pick<ProviderSettings, "maxAttempts" | "retryMode">) {
        this.rateLimiter = settings.retryMode === "adaptive" ? new DefaultRateLimiter() : undefined;
    }

    acquireInitialRetryToken(scope: string): Promise<RetryToken> {
        return this.sdk().acquireInitialRetryToken(scope);
    }

    refreshRetryTokenForRetry(token: RetryToken, info: RetryErrorInfo): Promise<RetryToken> {
        const conflict = info.errorType === "CLIENT_ERROR" && info.error?.name === "ConflictException";
        return this.sdk().refreshRetryTokenForRetry(
            token,
            conflict ? { ...info, errorType: "TRANSIENT" } : info,
        );
    }

    recordSuccess(token: RetryToken): void {
        this.sdk().recordSuccess(token);
    }

    /** The SDK's strategy with a full retry quota; the attempt count travels in the token. */
    private sdk(): RetryStrategyV2 {
        const { maxAttempts } = this.settings;
        return this.rateLimiter === undefined
            ? new StandardRetryStrategy(maxAttempts)
            : new AdaptiveRetryStrategy(maxAttempts, { rateLimiter: this.rateLimiter });
    }
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
const RETRYABLE = new Set([
    "ThrottlingException",
    "TooManyRequestsException",
    "InternalServerException",
    "ConflictException",
]);
/** Marks an error thrown while assuming the role, so it is reported as AssumeRole, not as the Connect call. */
const ASSUME_ROLE_FAILED = Symbol("assumeRoleFailed");

const NETWORK_CODES = new Set([
    "ECONNREFUSED",
    "ECONNRESET",
    "ENOTFOUND",
    "EAI_AGAIN",
    "EPIPE",
    "EHOSTUNREACH",
]);

function partition(region: string): string {
    if (region.startsWith("cn-")) return "aws-cn";
    if (region.startsWith("us-gov-")) return "aws-us-gov";
    return "aws";
}

function instanceArn(region: string, instanceId: string, awsMessage: string): string {
    const quoted = /on resource: (arn:\S+)/.exec(awsMessage)?.[1];
    return quoted ?? `arn:${partition(region)}:connect:${region}:<account-id>:instance/${instanceId}`;
}

interface SdkErrorShape {
    name?: unknown;
    message?: unknown;
    code?: unknown;
    $metadata?: { httpStatusCode?: number; requestId?: string; attempts?: number };
}

/** "its only attempt" / "all 3 attempts": how many times a call was tried. */
function allAttempts(attempts: number): string {
    return attempts === 1 ? "its only attempt" : `all ${attempts} attempts`;
}

function nextStep(
    failure: Omit<CallFailure, "nextStep">,
    settings: ProviderSettings,
    target: Target,
    code: string | undefined,
): string {
    const { operation, awsError, region, instanceId, awsMessage } = failure;
    if (operation === "AssumeRole") {
        return (
            `Next step: check that role ${target.assumeRoleArn ?? "(none)"} exists and that its trust policy lets ` +
            "the calling identity assume it (with the external id from aws:assumeRole, if the role requires one)."
        );
    }
    if (operation === "ResolveRegion") {
        return 'Next step: set the resource\'s region argument, the stack config "aws:region", or AWS_REGION.';
    }
    if (awsError === "AccessDeniedException" || awsError === "AccessDenied") {
        return (
            `Next step: allow the IAM action connect-campaigns:${operation} on ${instanceArn(region, instanceId, awsMessage)} ` +
            "for the identity Pulumi runs as (the README has the complete least-privilege policy)."
        );
    }
    if (awsError === "ResourceNotFoundException") {
        return (
            `Next step: instance ${instanceId} does not exist in ${region}, or is not onboarded to Amazon Connect ` +
            "outbound campaigns. Check connectInstanceId (the instance id, not its ARN) and region, and onboard the " +
            "instance to outbound campaigns in the Amazon Connect console."
        );
    }
    if (awsError === "ValidationException" && operation === "GetInstanceCommunicationLimits") {
        // A read carries nothing but the instance id, and reads of `InstanceCommunicationLimits.get()` are not
        // checked first: the id is what the service rejected.
        return (
            "Next step: the service rejected the instance id. connectInstanceId must be an Amazon Connect instance " +
            "id (1 to 256 letters, digits, '-', '_' or '.'), not its ARN." +
            instanceArnHint(instanceId)
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
    if (awsError === "CredentialsProviderError") {
        return (
            "Next step: no AWS credentials were found. Set AWS_PROFILE or the stack config aws:profile, or " +
            "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY."
        );
    }
    const attempts = failure.attempts ?? settings.maxAttempts;
    // Stack config wins over the environment, so the hint names the key that takes effect.
    const raiseAttempts = "raise connect-campaign-limits:maxAttempts (or AWS_MAX_ATTEMPTS)";
    if (RETRYABLE.has(awsError)) {
        const throttled = awsError === "ThrottlingException" || awsError === "TooManyRequestsException";
        return (
            `Next step: the fault lasted through ${allAttempts(attempts)}; run again later, or ${raiseAttempts}` +
            (throttled ? ", lower `pulumi up --parallel`, or set AWS_RETRY_MODE=adaptive." : ".")
        );
    }
    const endpoint = failure.endpoint ?? "the endpoint";
    const path =
        "check the network path to it (proxy, VPC endpoint, AWS_ENDPOINT_URL_CONNECTCAMPAIGNSV2 if set)";
    if (code === "ECONNRESET" || /socket hang up/i.test(awsMessage)) {
        return `Next step: ${endpoint} closed the connection without answering, on ${allAttempts(attempts)}; ${path}.`;
    }
    if (/establish a connection/i.test(awsMessage)) {
        return (
            `Next step: ${endpoint} did not accept a connection within ${settings.connectTimeoutMs} ms, ` +
            `on ${allAttempts(attempts)}; ${path}, or raise connect-campaign-limits:connectTimeoutMs.`
        );
    }
    if (awsError === "TimeoutError" || code === "ETIMEDOUT") {
        return (
            `Next step: ${endpoint} did not answer within ${settings.requestTimeoutMs} ms, on ${allAttempts(attempts)}; ` +
            `${path}, or raise connect-campaign-limits:requestTimeoutMs.`
        );
    }
    if (code !== undefined && NETWORK_CODES.has(code)) {
        return `Next step: could not reach ${endpoint} (${code}) on ${allAttempts(attempts)}; ${path}.`;
    }
    return "Next step: run again; if it persists, report it with the request id.";
}

/** Turns whatever the SDK threw into one actionable `ConnectLimitsError`. */
export function translateError(
    error: unknown,
    context: {
        operation: Operation;
        instanceId: string;
        region: string;
        endpoint?: string | undefined;
        settings: ProviderSettings;
        target: Target;
    },
): ConnectLimitsError {
    if (error instanceof ConnectLimitsError) return error;
    const e: SdkErrorShape = typeof error === "object" && error !== null ? error : {};
    const code = typeof e.code === "string" ? e.code : undefined;
    const awsMessage = typeof e.message === "string" ? e.message : String(error);
    // The SDK names a reset or refused connection "TimeoutError" (to have it retried); its code says what it was.
    let awsError =
        code !== undefined && NETWORK_CODES.has(code)
            ? code
            : typeof e.name === "string" && e.name !== "Error"
              ? e.name
              : (code ?? "Error");
    let operation = context.operation;
    if (operation === "ResolveRegion") {
        awsError = "RegionMissing";
    } else if (typeof error === "object" && error !== null && ASSUME_ROLE_FAILED in error) {
        operation = "AssumeRole";
    }
    const failure: Omit<CallFailure, "nextStep"> = {
        operation,
        instanceId: context.instanceId,
        region: context.region,
        awsError,
        awsMessage,
    };
    const meta = e.$metadata;
    if (meta?.requestId !== undefined) failure.requestId = meta.requestId;
    if (meta?.httpStatusCode !== undefined) failure.httpStatus = meta.httpStatusCode;
    if (meta?.attempts !== undefined) failure.attempts = meta.attempts;
    if (awsError === "RegionMissing" || awsError === "CredentialsProviderError") {
        // Failed while preparing the request: nothing reached AWS, and no endpoint was involved.
        failure.sent = false;
        delete failure.attempts;
    } else if (operation !== "AssumeRole" && context.endpoint !== undefined) {
        // The Connect endpoint; an AssumeRole failure happened at STS.
        failure.endpoint = context.endpoint;
    }
    return new ConnectLimitsError({
        ...failure,
        nextStep: nextStep(failure, context.settings, context.target, code),
    });
}

/** Client for one (region, role): the two calls, with errors translated. */
export class LimitsApi {
    /** The region and role the calls use: the caller's own, else the provider settings' (`defaultTarget`). */
    readonly target: Target;
    private readonly client: ConnectCampaignsV2Client;
    private lastEndpoint: string | undefined;

    constructor(
        own: Target,
        private readonly settings: ProviderSettings,
    ) {
        const target: Target = { ...defaultTarget(settings), ...own };
        this.target = target;
        const config: ConnectCampaignsV2ClientConfig = {
            maxAttempts: settings.maxAttempts,
            retryStrategy: new ProvisioningRetryStrategy(settings),
            requestHandler: {
                connectionTimeout: settings.connectTimeoutMs,
                requestTimeout: settings.requestTimeoutMs,
                // Without this the SDK only logs a warning when requestTimeout passes, and waits on.
                throwOnRequestTimeout: true,
            },
        };
        const region = target.region;
        if (region !== undefined) config.region = region;
        if (settings.profile !== undefined) config.profile = settings.profile;
        const roleArn = target.assumeRoleArn;
        if (roleArn !== undefined) {
            // The stack's session name and external id belong to the stack's role: another role named by a
            // resource is assumed without them.
            const role = settings.assumeRole?.roleArn === roleArn ? settings.assumeRole : undefined;
            const params: { RoleArn: string; RoleSessionName: string; ExternalId?: string } = {
                RoleArn: roleArn,
                RoleSessionName: role?.sessionName ?? "pulumi-connect-campaign-limits",
            };
            if (role?.externalId !== undefined) params.ExternalId = role.externalId;
            const clientConfig: { region?: string; profile?: string; maxAttempts: number } = {
                maxAttempts: settings.maxAttempts,
            };
            if (region !== undefined) clientConfig.region = region;
            if (settings.profile !== undefined) clientConfig.profile = settings.profile;
            const assume = fromTemporaryCredentials({ params, clientConfig });
            config.credentials = async (props) => {
                try {
                    return await assume(props);
                } catch (error) {
                    if (typeof error === "object" && error !== null) {
                        Object.defineProperty(error, ASSUME_ROLE_FAILED, { value: true });
                    }
                    throw error;
                }
            };
        }
        this.client = new ConnectCampaignsV2Client(config);
        // Remember where requests really went, so timeouts and connection errors can name the endpoint.
        this.client.middlewareStack.add(
            (next) => (args) => {
                const request = args.request as { protocol?: string; hostname?: string; port?: number };
                if (request.hostname !== undefined) {
                    const port = request.port === undefined ? "" : `:${request.port}`;
                    this.lastEndpoint = `${request.protocol ?? "https:"}//${request.hostname}${port}`;
                }
                return next(args);
            },
            { step: "finalizeRequest", name: "recordEndpoint", priority: "low" },
        );
    }

    /** The region the calls go to: the target's, the provider's, else the SDK's (profile file). */
    async region(): Promise<string> {
        try {
            return await this.client.config.region();
        } catch (error) {
            throw translateError(error, this.context("ResolveRegion", "", ""));
        }
    }

    /** The instance's live limits, canonical. */
    async get(instanceId: string): Promise<CanonicalLimitsConfig> {
        const region = await this.region();
        try {
            const out = await this.client.send(
                new GetInstanceCommunicationLimitsCommand({ connectInstanceId: instanceId }),
            );
            return normalizeConfig(out.communicationLimitsConfig);
        } catch (error) {
            throw translateError(error, this.context("GetInstanceCommunicationLimits", instanceId, region));
        }
    }

    async put(instanceId: string, config: CanonicalLimitsConfig): Promise<void> {
        const region = await this.region();
        try {
            await this.client.send(
                new PutInstanceCommunicationLimitsCommand({
                    connectInstanceId: instanceId,
                    communicationLimitsConfig: config,
                }),
            );
        } catch (error) {
            throw translateError(error, this.context("PutInstanceCommunicationLimits", instanceId, region));
        }
    }

    destroy(): void {
        this.client.destroy();
    }

    private context(operation: Operation, instanceId: string, region: string) {
        return {
            operation,
            instanceId,
            region,
            endpoint: this.lastEndpoint,
            settings: this.settings,
            target: this.target,
        };
    }
}

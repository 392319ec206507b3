/**
 * The only module that talks to AWS: builds the Connect Campaigns V2 client, makes the two calls, and turns
 * every failure into a `ConnectLimitsError` that names the operation, the instance, the AWS error, the
 * request id and the next step.
 *
 * Endpoint: the SDK's standard resolution, so `AWS_ENDPOINT_URL_CONNECTCAMPAIGNSV2` / `AWS_ENDPOINT_URL`
 * (and `AWS_ENDPOINT_URL_STS` for the role) point it elsewhere; there is no knob of our own.
 * Retries: the SDK's standard (or adaptive) strategy — exponential backoff with full jitter, 100 ms base,
 * 20 s cap — for throttling, 5xx and network faults, with `maxAttempts` attempts in all; ConflictException
 * (409, a concurrent change on the service side) is retried the same way. Validation, access denied and
 * not-found are never retried. Every attempt has a connect and a response timeout.
 */
import {
    ConnectCampaignsV2Client,
    GetInstanceCommunicationLimitsCommand,
    PutInstanceCommunicationLimitsCommand,
} from "@aws-sdk/client-connectcampaignsv2";
import type { ConnectCampaignsV2ClientConfig } from "@aws-sdk/client-connectcampaignsv2";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import { AdaptiveRetryStrategy, StandardRetryStrategy } from "@smithy/core/retry";
import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from "@smithy/types";

import type { CallFailure, Operation } from "./errors";
import { ConnectLimitsError } from "./errors";
import { normalizeConfig } from "./normalize";
import type { ProviderSettings } from "./settings";
import type { CanonicalLimitsConfig } from "./types";

/** Where the calls go and as whom: the resource's own region / role, already merged with stack config. */
export interface Target {
    region?: string;
    assumeRoleArn?: string;
}

/** Retries ConflictException like a transient fault; everything else is classified by the SDK. */
class RetryConflicts implements RetryStrategyV2 {
    constructor(private readonly inner: RetryStrategyV2) {}

    acquireInitialRetryToken(scope: string): Promise<RetryToken> {
        return this.inner.acquireInitialRetryToken(scope);
    }

    refreshRetryTokenForRetry(token: RetryToken, info: RetryErrorInfo): Promise<RetryToken> {
        const conflict = info.errorType === "CLIENT_ERROR" && info.error?.name === "ConflictException";
        return this.inner.refreshRetryTokenForRetry(
            token,
            conflict ? { ...info, errorType: "TRANSIENT" } : info,
        );
    }

    recordSuccess(token: RetryToken): void {
        this.inner.recordSuccess(token);
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
    if (awsError === "ValidationException") {
        return (
            "Next step: these limits passed this provider's checks of every published constraint, so the service " +
            "applies a rule its model does not state; adjust the limits as the service's message says."
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
    if (RETRYABLE.has(awsError)) {
        return (
            `Next step: the service kept failing after ${failure.attempts ?? settings.maxAttempts} attempts ` +
            `(retry budget: ${settings.maxAttempts}); run again later, or raise AWS_MAX_ATTEMPTS.`
        );
    }
    const endpoint = failure.endpoint ?? "the endpoint";
    const tries = `${failure.attempts ?? settings.maxAttempts} attempts`;
    const path =
        "check the network path to it (proxy, VPC endpoint, AWS_ENDPOINT_URL_CONNECTCAMPAIGNSV2 if set).";
    if (code === "ECONNRESET" || /socket hang up/i.test(awsMessage)) {
        return `Next step: ${endpoint} closed the connection without answering on all ${tries}; ${path}`;
    }
    if (awsError === "TimeoutError" || code === "ETIMEDOUT") {
        return `Next step: ${endpoint} did not answer within ${settings.requestTimeoutMs} ms on any of ${tries}; ${path}`;
    }
    if (code !== undefined && NETWORK_CODES.has(code)) {
        return `Next step: could not reach ${endpoint} (${code}) on any of ${tries}; ${path}`;
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
    let awsError = typeof e.name === "string" && e.name !== "Error" ? e.name : (code ?? "Error");
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
    if (context.endpoint !== undefined) failure.endpoint = context.endpoint;
    return new ConnectLimitsError({
        ...failure,
        nextStep: nextStep(failure, context.settings, context.target, code),
    });
}

/** Client for one (region, role): the two calls, with errors translated. */
export class LimitsApi {
    private readonly client: ConnectCampaignsV2Client;
    private lastEndpoint: string | undefined;

    constructor(
        readonly target: Target,
        private readonly settings: ProviderSettings,
    ) {
        const strategy =
            settings.retryMode === "adaptive"
                ? new AdaptiveRetryStrategy(() => Promise.resolve(settings.maxAttempts))
                : new StandardRetryStrategy(settings.maxAttempts);
        const config: ConnectCampaignsV2ClientConfig = {
            maxAttempts: settings.maxAttempts,
            retryStrategy: new RetryConflicts(strategy),
            requestHandler: {
                connectionTimeout: settings.connectTimeoutMs,
                requestTimeout: settings.requestTimeoutMs,
                // Without this the SDK only logs a warning when requestTimeout passes, and waits on.
                throwOnRequestTimeout: true,
            },
        };
        const region = target.region ?? settings.region;
        if (region !== undefined) config.region = region;
        if (settings.profile !== undefined) config.profile = settings.profile;
        const roleArn = target.assumeRoleArn;
        if (roleArn !== undefined) {
            const role = settings.assumeRole;
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
            throw translateError(error, this.context("ResolveRegion", "(any)", "(unresolved)"));
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

/**
 * The only module that talks to AWS: one Connect Campaigns V2 client per (region, role), the two calls,
 * and STS GetCallerIdentity (which needs no permission) for the account the credentials belong to.
 *
 * Every request goes through, in order: the retry strategy (`retry.ts`; one call's attempts), the request
 * budget (`budget.ts`; before signing, so a request that waits is signed when it leaves), SigV4 signing,
 * and the bounded HTTP handler (`http.ts`; each attempt's deadline covers headers and body). Every
 * failure becomes a `CallFailedError` (`failures.ts`).
 *
 * Endpoint: the SDK's standard resolution, so `AWS_ENDPOINT_URL_CONNECTCAMPAIGNSV2` / `AWS_ENDPOINT_URL`
 * (and `AWS_ENDPOINT_URL_STS` for roles and the account), `AWS_USE_FIPS_ENDPOINT` and
 * `AWS_USE_DUALSTACK_ENDPOINT` behave as in any AWS SDK program; there is no knob of our own.
 */
import {
    ConnectCampaignsV2Client,
    GetInstanceCommunicationLimitsCommand,
    PutInstanceCommunicationLimitsCommand,
} from "@aws-sdk/client-connectcampaignsv2";
import type {
    ConnectCampaignsV2ClientConfig,
    ServiceInputTypes,
    ServiceOutputTypes,
} from "@aws-sdk/client-connectcampaignsv2";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import type { STSClientConfig } from "@aws-sdk/client-sts";
import { fromIni, fromNodeProviderChain, fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import type {
    AwsCredentialIdentity,
    AwsCredentialIdentityProvider,
    FinalizeHandler,
    FinalizeHandlerArguments,
} from "@smithy/types";

import { budgetFor } from "./budget";
import type { RequestBudget } from "./budget";
import { StateError } from "./errors";
import type { Operation } from "./errors";
import { translateError } from "./failures";
import type { FailureContext } from "./failures";
import { BoundedHttpHandler } from "./http";
import { parseGetResponseBody } from "./response";
import { ProvisioningRetryStrategy } from "./retry";
import type { ProviderSettings } from "./settings";
import type { CanonicalLimitsConfig } from "./types";

/** Where the calls go and as whom. Fields left out come from the provider's settings. */
export interface CallTarget {
    region?: string | undefined;
    roleArn?: string | undefined;
    externalId?: string | undefined;
    sessionName?: string | undefined;
}

const DEFAULT_SESSION_NAME = "pulumi-connect-campaign-limits";
/** Marks an error thrown while assuming the role, so it is reported as AssumeRole, not as the Connect call. */
const ASSUME_ROLE_FAILED = Symbol("assumeRoleFailed");
/** The bytes of each deserialized answer, by the SDK's output object. */
const BODIES = new WeakMap<object, string>();

function isThrottled(error: unknown): boolean {
    const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
    return (
        e?.$metadata?.httpStatusCode === 429 ||
        e?.name === "ThrottlingException" ||
        e?.name === "TooManyRequestsException"
    );
}

/**
 * The SDK's credential chain, explained: when it finds nothing and a profile is named, the chain's own
 * error ("Could not load credentials from any providers") hides why that profile gave none — a failing
 * `credential_process`, an expired SSO session, a missing profile. The profile is then resolved alone, once,
 * and its own error is reported.
 */
function explainProfile(
    chain: AwsCredentialIdentityProvider,
    profile: string | undefined,
): AwsCredentialIdentityProvider {
    if (profile === undefined) {
        return chain;
    }
    return async (props) => {
        try {
            return await chain(props);
        } catch (error) {
            const e = error as { name?: string; message?: string };
            if (e.name !== "CredentialsProviderError" || !/from any providers/.test(e.message ?? "")) {
                throw error;
            }
            try {
                await fromIni({ profile })();
            } catch (specific) {
                const message = String(specific instanceof Error ? specific.message : specific).trim();
                const what = /^Command failed/.test(message)
                    ? `Profile ${profile}'s credential_process failed: ${message}`
                    : `Profile ${profile}: ${message}`;
                throw Object.assign(new Error(what, { cause: specific }), {
                    name: "CredentialsProviderError",
                });
            }
            throw error;
        }
    };
}

/** The stack's role settings apply to the stack's role; a resource's own role brings its own. */
function resolveTarget(own: CallTarget, settings: ProviderSettings): CallTarget {
    const region = own.region ?? settings.region;
    const roleArn = own.roleArn ?? settings.assumeRole?.roleArn;
    const stackRole = settings.assumeRole !== undefined && settings.assumeRole.roleArn === roleArn;
    return {
        region,
        roleArn,
        externalId: own.externalId ?? (stackRole ? settings.assumeRole?.externalId : undefined),
        sessionName: own.sessionName ?? (stackRole ? settings.assumeRole?.sessionName : undefined),
    };
}

/** A client for one (region, role): the two calls and the account, with errors translated. */
export class LimitsApi {
    readonly target: CallTarget;
    private readonly client: ConnectCampaignsV2Client;
    private readonly credentials: AwsCredentialIdentityProvider;
    private lastIdentity: AwsCredentialIdentity | undefined;
    private lastEndpoint: string | undefined;
    private account: Promise<string> | undefined;
    private budget: RequestBudget | undefined;
    /** The request id of the last read that succeeded, for failures found in what it returned. */
    lastReadRequestId: string | undefined;

    constructor(
        own: CallTarget,
        private readonly settings: ProviderSettings,
    ) {
        const target = resolveTarget(own, settings);
        this.target = target;
        const chain = fromNodeProviderChain(
            settings.profile === undefined ? {} : { profile: settings.profile },
        );
        const base = explainProfile(chain, settings.profile ?? process.env.AWS_PROFILE);
        let provider: AwsCredentialIdentityProvider = base;
        if (target.roleArn !== undefined) {
            const params: { RoleArn: string; RoleSessionName: string; ExternalId?: string } = {
                RoleArn: target.roleArn,
                RoleSessionName: target.sessionName ?? DEFAULT_SESSION_NAME,
            };
            if (target.externalId !== undefined) {
                params.ExternalId = target.externalId;
            }
            const clientConfig: STSClientConfig = { maxAttempts: settings.maxAttempts };
            if (target.region !== undefined) {
                clientConfig.region = target.region;
            }
            const assume = fromTemporaryCredentials({ params, clientConfig, masterCredentials: base });
            provider = async (props) => {
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
        // One set of credentials for both clients of this target (Connect and STS), renewed five minutes before
        // it expires, as the SDK's own clients do: a role is assumed once, not once per client.
        let pending: Promise<AwsCredentialIdentity> | undefined;
        this.credentials = async (props) => {
            const held = pending === undefined ? undefined : await pending.catch(() => undefined);
            if (
                held !== undefined &&
                (held.expiration === undefined || held.expiration.getTime() - Date.now() > 300_000)
            ) {
                return held;
            }
            pending = provider(props);
            try {
                const identity = await pending;
                this.lastIdentity = identity;
                return identity;
            } catch (error) {
                pending = undefined;
                throw error;
            }
        };

        const config: ConnectCampaignsV2ClientConfig = {
            maxAttempts: settings.maxAttempts,
            retryStrategy: new ProvisioningRetryStrategy(
                settings.maxAttempts,
                settings.retryMode,
                () => this.target.region,
            ),
            requestHandler: new BoundedHttpHandler({
                attemptTimeoutMs: settings.requestTimeoutMs,
                connectTimeoutMs: settings.connectTimeoutMs,
            }),
            credentials: this.credentials,
        };
        if (target.region !== undefined) {
            config.region = target.region;
        }
        if (settings.profile !== undefined) {
            config.profile = settings.profile;
        }
        this.client = new ConnectCampaignsV2Client(config);
        const stack = this.client.middlewareStack;
        // Every attempt waits for a token before it is signed, and tells the budget how it went.
        stack.addRelativeTo(
            (next: FinalizeHandler<ServiceInputTypes, ServiceOutputTypes>) =>
                async (args: FinalizeHandlerArguments<ServiceInputTypes>) => {
                    const budget = await this.requestBudget();
                    await budget.acquire();
                    try {
                        const result = await next(args);
                        budget.succeeded();
                        return result;
                    } catch (error) {
                        if (isThrottled(error)) {
                            budget.throttled();
                        } else {
                            budget.succeeded();
                        }
                        throw error;
                    }
                },
            { name: "requestBudget", relation: "before", toMiddleware: "httpSigningMiddleware" },
        );
        // Remember where requests really went, so timeouts and connection errors can name the endpoint.
        stack.add(
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
        // Keep the exact bytes of each answer (the bounded handler has read them whole).
        stack.add(
            (next) => async (args) => {
                const result = await next(args);
                const body = (result.response as { body?: unknown }).body;
                if (
                    body instanceof Uint8Array &&
                    typeof result.output === "object" &&
                    result.output !== null
                ) {
                    BODIES.set(result.output, Buffer.from(body).toString("utf8"));
                }
                return result;
            },
            { step: "deserialize", name: "keepResponseBody", priority: "high" },
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

    /** The instance's live limits, canonical; refuses what this provider cannot represent. */
    async get(instanceId: string): Promise<CanonicalLimitsConfig> {
        const region = await this.region();
        let out: { $metadata: { requestId?: string } };
        try {
            out = await this.client.send(
                new GetInstanceCommunicationLimitsCommand({ connectInstanceId: instanceId }),
            );
        } catch (error) {
            throw this.translate(error, "GetInstanceCommunicationLimits", instanceId, region, "read");
        }
        this.lastReadRequestId = out.$metadata.requestId;
        const parsed = parseGetResponseBody(BODIES.get(out) ?? "");
        if (!parsed.ok) {
            const requestId = out.$metadata.requestId ?? "none";
            throw new StateError(
                `GetInstanceCommunicationLimits for Amazon Connect instance ${instanceId} in ${region} returned limits ` +
                    `this provider cannot represent: ${parsed.problem} (request id ${requestId}). Nothing was written, so ` +
                    "they are still on the instance. Next step: upgrade pulumi-connect-campaign-limits if a newer release " +
                    "reads them, or change the instance's limits in the Amazon Connect console to ones this provider reads.",
            );
        }
        return parsed.config;
    }

    async put(
        instanceId: string,
        config: CanonicalLimitsConfig,
        purpose: "write" | "reset" | "restore",
    ): Promise<void> {
        const region = await this.region();
        try {
            await this.client.send(
                new PutInstanceCommunicationLimitsCommand({
                    connectInstanceId: instanceId,
                    communicationLimitsConfig: config,
                }),
            );
        } catch (error) {
            throw this.translate(error, "PutInstanceCommunicationLimits", instanceId, region, purpose);
        }
    }

    /** The AWS account of the credentials these calls use (STS GetCallerIdentity, once per client). */
    accountId(): Promise<string> {
        this.account ??= this.callerIdentity().catch((error: unknown) => {
            this.account = undefined;
            throw error;
        });
        return this.account;
    }

    destroy(): void {
        this.client.destroy();
    }

    private async callerIdentity(): Promise<string> {
        const region = await this.region();
        // A safeguard, not the work: a few quick attempts, so a network without STS slows nothing for long.
        const sts = new STSClient({
            region,
            credentials: this.credentials,
            maxAttempts: Math.min(3, this.settings.maxAttempts),
            requestHandler: new BoundedHttpHandler({
                attemptTimeoutMs: Math.min(5_000, this.settings.requestTimeoutMs),
                connectTimeoutMs: this.settings.connectTimeoutMs,
            }),
        });
        try {
            const out = await sts.send(new GetCallerIdentityCommand({}));
            if (out.Account === undefined) {
                throw new Error("STS GetCallerIdentity answered without an Account");
            }
            return out.Account;
        } catch (error) {
            throw this.translate(error, "GetCallerIdentity", "", region, "read");
        } finally {
            sts.destroy();
        }
    }

    private async requestBudget(): Promise<RequestBudget> {
        if (this.budget === undefined) {
            const region = await this.client.config.region();
            const who =
                this.target.roleArn ??
                `profile:${this.settings.profile ?? process.env.AWS_PROFILE ?? "default"}`;
            this.budget = budgetFor(
                `${region}|${who}`,
                this.settings.requestsPerSecond,
                this.settings.requestBurst,
            );
        }
        return this.budget;
    }

    private translate(
        error: unknown,
        operation: Operation,
        instanceId: string,
        region: string,
        purpose: FailureContext["purpose"],
    ): Error {
        const assuming = typeof error === "object" && error !== null && ASSUME_ROLE_FAILED in error;
        return translateError(error, { ...this.context(operation, instanceId, region), purpose }, assuming);
    }

    private context(operation: Operation, instanceId: string, region: string): FailureContext {
        return {
            operation,
            instanceId,
            region,
            endpoint: this.lastEndpoint,
            maxAttempts: this.settings.maxAttempts,
            attemptTimeoutMs: this.settings.requestTimeoutMs,
            connectTimeoutMs: this.settings.connectTimeoutMs,
            roleArn: this.target.roleArn,
            profile: this.settings.profile ?? process.env.AWS_PROFILE,
            requestsPerSecond: this.settings.requestsPerSecond,
            secrets: [
                this.lastIdentity?.secretAccessKey,
                this.lastIdentity?.sessionToken,
                process.env.AWS_SECRET_ACCESS_KEY,
                process.env.AWS_SESSION_TOKEN,
            ],
        };
    }
}

/**
 * The retry strategy of every client: the AWS SDK's standard (or adaptive) strategy — its classification of
 * errors and its backoff, exponential with full jitter (50 ms base for transient faults, 1 s for
 * throttling, 20 s cap) — changed in three ways for a provisioning tool:
 *
 * - ConflictException (409, a concurrent change on the service side) is retried like a transient fault.
 * - A host name that cannot exist is not retried: the SDK's own endpoint for a region where the service has
 *   no endpoint (`connect-campaigns.us-wset-2.amazonaws.com`) fails on the first ENOTFOUND, instead of ten
 *   attempts later with advice about the network.
 * - No retry quota is shared between calls. The SDK keeps one token bucket per client (500 tokens, 5 per
 *   retried fault, 10 per timeout) so that a long-running service stops retrying during an outage; in a
 *   deployment that turns one resource's faults into another resource's failure after a single attempt,
 *   whatever `maxAttempts` says. Each decision is made by a fresh SDK strategy with a full quota, so each
 *   call gets its attempts, as terraform-provider-aws does with aws-sdk-go-v2's `ratelimit.None`. Pacing the
 *   fleet as a whole is the request budget's job (`budget.ts`), not the retry quota's.
 */
import { AdaptiveRetryStrategy, DefaultRateLimiter, StandardRetryStrategy } from "@smithy/core/retry";
import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from "@smithy/types";

import { isMissingServiceRegion } from "./failures";

export class ProvisioningRetryStrategy implements RetryStrategyV2 {
    private readonly rateLimiter: DefaultRateLimiter | undefined;

    constructor(
        private readonly maxAttempts: number,
        mode: "standard" | "adaptive",
        /** The region the client calls, to recognise its own endpoint's host name. */
        private readonly region: () => string | undefined,
    ) {
        this.rateLimiter = mode === "adaptive" ? new DefaultRateLimiter() : undefined;
    }

    acquireInitialRetryToken(scope: string): Promise<RetryToken> {
        return this.sdk().acquireInitialRetryToken(scope);
    }

    refreshRetryTokenForRetry(token: RetryToken, info: RetryErrorInfo): Promise<RetryToken> {
        const error = info.error as { name?: string; code?: string; hostname?: string } | undefined;
        const region = this.region();
        if (
            error?.code === "ENOTFOUND" &&
            region !== undefined &&
            isMissingServiceRegion(error.hostname, region)
        ) {
            // The middleware rethrows the call's own error when the strategy refuses a retry.
            return Promise.reject(info.error instanceof Error ? info.error : new Error(String(info.error)));
        }
        const conflict = info.errorType === "CLIENT_ERROR" && error?.name === "ConflictException";
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
        return this.rateLimiter === undefined
            ? new StandardRetryStrategy(this.maxAttempts)
            : new AdaptiveRetryStrategy(this.maxAttempts, { rateLimiter: this.rateLimiter });
    }
}

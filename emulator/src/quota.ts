/**
 * API throttling as AWS applies it: token buckets ("RateLimit" requests per second refilling a bucket of
 * "BurstLimit"), one per account and Region. The Amazon Connect administrator guide ("Amazon Connect service
 * quotas", https://docs.aws.amazon.com/connect/latest/adminguide/amazon-connect-service-limits.html) states that
 * throttling quotas are per account and Region, shared by every user and instance of the account. No row for
 * GetInstanceCommunicationLimits or PutInstanceCommunicationLimits was found there (neither under "API
 * throttling quotas" nor "Outbound campaigns quotas"), so there is no default here and one bucket serves both
 * operations.
 */
import type { QuotaOptions } from "./types";

interface Bucket {
    tokens: number;
    updatedAt: number;
}

export function checkQuota(quota: QuotaOptions, caller: string): Required<QuotaOptions> {
    if (!(typeof quota.rate === "number" && Number.isFinite(quota.rate) && quota.rate > 0)) {
        throw new RangeError(
            `${caller}: quota rate must be a number of requests per second > 0, got ${quota.rate}`,
        );
    }
    const burst = quota.burst ?? Math.max(1, Math.ceil(quota.rate));
    if (!(Number.isInteger(burst) && burst >= 1)) {
        throw new RangeError(`${caller}: quota burst must be an integer >= 1, got ${burst}`);
    }
    return { rate: quota.rate, burst };
}

export class TokenBuckets {
    private readonly buckets = new Map<string, Bucket>();

    constructor(
        private readonly quota: Required<QuotaOptions>,
        private readonly now: () => number = () => performance.now(),
    ) {}

    /** Takes one token from the bucket of `key`; false when it is empty. */
    take(key: string): boolean {
        const now = this.now();
        const bucket = this.buckets.get(key) ?? { tokens: this.quota.burst, updatedAt: now };
        bucket.tokens = Math.min(
            this.quota.burst,
            bucket.tokens + ((now - bucket.updatedAt) / 1000) * this.quota.rate,
        );
        bucket.updatedAt = now;
        this.buckets.set(key, bucket);
        if (bucket.tokens < 1) {
            return false;
        }
        bucket.tokens -= 1;
        return true;
    }
}

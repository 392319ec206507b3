import assert from "node:assert/strict";

import type { RetryErrorInfo } from "@smithy/types";

import { ProvisioningRetryStrategy } from "../../provider/retry";

/** An SDK error as the retry middleware hands it over: `name`, `code`, `hostname`, `$metadata`. */
class SdkError extends Error {
    declare cause?: Error;
    readonly $metadata = {};
    code?: string;
    hostname?: string;
}

function info(
    fields: { name?: string; code?: string; hostname?: string; message?: string },
    errorType: RetryErrorInfo["errorType"],
): RetryErrorInfo {
    const error = new SdkError(fields.message ?? "failed");
    if (fields.name !== undefined) {
        error.name = fields.name;
    }
    if (fields.code !== undefined) {
        error.code = fields.code;
    }
    if (fields.hostname !== undefined) {
        error.hostname = fields.hostname;
    }
    return { error, errorType };
}

async function retries(strategy: ProvisioningRetryStrategy, failure: RetryErrorInfo): Promise<boolean> {
    const token = await strategy.acquireInitialRetryToken("connect-campaigns");
    try {
        await strategy.refreshRetryTokenForRetry(token, failure);
        return true;
    } catch {
        return false;
    }
}

describe("the retry strategy (retry)", () => {
    it("does not retry the SDK's own host name for a region where the service has no endpoint", async () => {
        const strategy = new ProvisioningRetryStrategy(10, "standard", () => "us-wset-2");
        const notFound = info(
            {
                code: "ENOTFOUND",
                hostname: "connect-campaigns.us-wset-2.amazonaws.com",
                message: "getaddrinfo ENOTFOUND",
            },
            "TRANSIENT",
        );
        assert.equal(await retries(strategy, notFound), false);
    });

    it("does not retry the SDK's FIPS host name for a region without a FIPS endpoint, and retries it where one exists", async () => {
        const notFound = (region: string) =>
            info(
                { code: "ENOTFOUND", hostname: `connect-campaigns-fips.${region}.amazonaws.com` },
                "TRANSIENT",
            );
        const noFips = new ProvisioningRetryStrategy(10, "standard", () => "eu-west-2");
        assert.equal(await retries(noFips, notFound("eu-west-2")), false);
        const fips = new ProvisioningRetryStrategy(10, "standard", () => "us-east-1");
        assert.equal(await retries(fips, notFound("us-east-1")), true);
    });

    it("retries an unresolvable host in a region the service has, and an endpoint override's host", async () => {
        const known = new ProvisioningRetryStrategy(10, "standard", () => "us-west-2");
        assert.equal(
            await retries(
                known,
                info(
                    { code: "ENOTFOUND", hostname: "connect-campaigns.us-west-2.amazonaws.com" },
                    "TRANSIENT",
                ),
            ),
            true,
        );
        const override = new ProvisioningRetryStrategy(10, "standard", () => "us-wset-2");
        assert.equal(
            await retries(override, info({ code: "ENOTFOUND", hostname: "proxy.internal" }, "TRANSIENT")),
            true,
        );
    });

    it("retries a ConflictException like a transient fault, and leaves other client errors alone", async () => {
        const strategy = new ProvisioningRetryStrategy(10, "standard", () => "us-west-2");
        assert.equal(await retries(strategy, info({ name: "ConflictException" }, "CLIENT_ERROR")), true);
        assert.equal(await retries(strategy, info({ name: "ValidationException" }, "CLIENT_ERROR")), false);
    });

    it("gives every call its attempts: no retry quota is shared between calls", async () => {
        const strategy = new ProvisioningRetryStrategy(3, "standard", () => "us-west-2");
        // Far more retried faults than the SDK's shared quota (500 tokens, 5 per fault) would allow.
        for (let call = 0; call < 150; call++) {
            const token = await strategy.acquireInitialRetryToken("connect-campaigns");
            const retried = await strategy.refreshRetryTokenForRetry(
                token,
                info({ name: "InternalServerException" }, "TRANSIENT"),
            );
            assert.equal(retried.getRetryCount(), 1, `call ${call}`);
        }
    });
});

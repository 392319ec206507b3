import assert from "node:assert/strict";

import { resolveSettings } from "../../provider/settings";

function config(values: Record<string, unknown>): (key: string) => unknown {
    return (key) => values[key];
}

describe("provider settings from stack config and environment", () => {
    it("takes the region from stack config aws:region before AWS_REGION", () => {
        assert.equal(
            resolveSettings(config({ "aws:region": "eu-west-2" }), { AWS_REGION: "us-east-1" }).region,
            "eu-west-2",
        );
        assert.equal(resolveSettings(config({}), { AWS_REGION: "us-east-1" }).region, "us-east-1");
        assert.equal(resolveSettings(config({}), {}).region, undefined);
    });

    it("takes the profile from stack config aws:profile only, leaving AWS_PROFILE to the SDK", () => {
        assert.equal(
            resolveSettings(config({ "aws:profile": "ops" }), { AWS_PROFILE: "dev" }).profile,
            "ops",
        );
        assert.equal(resolveSettings(config({}), { AWS_PROFILE: "dev" }).profile, undefined);
    });

    it("reads aws:assumeRole as an object or as its JSON text, in @pulumi/aws's shape", () => {
        const role = {
            roleArn: "arn:aws:iam::123456789012:role/limits",
            sessionName: "ci",
            externalId: "x-1",
        };
        assert.deepEqual(resolveSettings(config({ "aws:assumeRole": role }), {}).assumeRole, role);
        assert.deepEqual(
            resolveSettings(config({ "aws:assumeRole": JSON.stringify(role) }), {}).assumeRole,
            role,
        );
        assert.deepEqual(
            resolveSettings(config({ "aws:assumeRoles": JSON.stringify([{ roleArn: role.roleArn }]) }), {})
                .assumeRole,
            { roleArn: role.roleArn },
        );
    });

    it("never quotes the external id, or any part of a malformed role setting, in a problem", () => {
        const secret = "confused-deputy-guard-7731";
        const problems = [
            ...resolveSettings(config({ "aws:assumeRole": `{"externalId":"${secret}"` }), {}).problems,
            ...resolveSettings(config({ "aws:assumeRole": { externalId: secret } }), {}).problems,
            ...resolveSettings(
                config({ "aws:assumeRoles": [{ externalId: secret }, { externalId: secret }] }),
                {},
            ).problems,
            ...resolveSettings(config({ "aws:assumeRoles": secret }), {}).problems,
            ...resolveSettings(config({ "connect-campaign-limits:maxAttempts": secret }), {}).problems,
        ];
        assert.equal(problems.length, 5);
        for (const problem of problems) {
            assert.ok(!problem.includes(secret), problem);
            assert.ok(!problem.includes("7731"), problem);
        }
    });

    it("reads the request budget from stack config, defaulting to Amazon Connect's API quota of 2 per second, burst 5", () => {
        const defaults = resolveSettings(config({}), {});
        assert.equal(defaults.requestsPerSecond, 2);
        assert.equal(defaults.requestBurst, 5);
        const set = resolveSettings(
            config({
                "connect-campaign-limits:requestsPerSecond": "0.5",
                "connect-campaign-limits:requestBurst": "3",
            }),
            {},
        );
        assert.equal(set.requestsPerSecond, 0.5);
        assert.equal(set.requestBurst, 3);
        assert.deepEqual(
            resolveSettings(config({ "connect-campaign-limits:requestsPerSecond": "0" }), {}).problems,
            [
                'connect-campaign-limits:requestsPerSecond must be a number greater than 0; got the string "0".',
            ],
        );
    });

    it("reports a malformed role setting as a problem instead of ignoring it", () => {
        const problems = (values: Record<string, unknown>) => resolveSettings(config(values), {}).problems;
        assert.deepEqual(problems({ "aws:assumeRole": "not json" }), [
            "aws:assumeRole must be an object with roleArn (and optionally sessionName, externalId); got text that " +
                "is not a JSON object. Set it with `pulumi config set --path aws:assumeRole.roleArn <arn>`.",
        ]);
        assert.deepEqual(problems({ "aws:assumeRole": { sessionName: "x" } }), [
            "aws:assumeRole has no roleArn (it has sessionName).",
        ]);
        assert.deepEqual(
            problems({ "aws:assumeRole": { roleArn: "a" }, "aws:assumeRoles": [{ roleArn: "b" }] }),
            ["Set one of aws:assumeRole and aws:assumeRoles, not both."],
        );
        assert.match(
            problems({ "aws:assumeRoles": [{ roleArn: "a" }, { roleArn: "b" }] })[0] ?? "",
            /role chaining is not supported/,
        );
    });

    it("uses 10 attempts unless stack config or AWS_MAX_ATTEMPTS says otherwise, stack config first", () => {
        assert.equal(resolveSettings(config({}), {}).maxAttempts, 10);
        assert.equal(resolveSettings(config({}), { AWS_MAX_ATTEMPTS: "4" }).maxAttempts, 4);
        assert.equal(
            resolveSettings(config({ "connect-campaign-limits:maxAttempts": "2" }), { AWS_MAX_ATTEMPTS: "4" })
                .maxAttempts,
            2,
        );
        assert.deepEqual(resolveSettings(config({}), { AWS_MAX_ATTEMPTS: "zero" }).problems, [
            'AWS_MAX_ATTEMPTS must be a whole number of at least 1; got the string "zero".',
        ]);
    });

    it("bounds every request with a connect and a response timeout, overridable in stack config", () => {
        const defaults = resolveSettings(config({}), {});
        assert.equal(defaults.requestTimeoutMs, 10_000);
        assert.equal(defaults.connectTimeoutMs, 5_000);
        const set = resolveSettings(
            config({
                "connect-campaign-limits:requestTimeoutMs": "250",
                "connect-campaign-limits:connectTimeoutMs": 100,
            }),
            {},
        );
        assert.equal(set.requestTimeoutMs, 250);
        assert.equal(set.connectTimeoutMs, 100);
    });

    it("honours AWS_RETRY_MODE and rejects an unknown mode", () => {
        assert.equal(resolveSettings(config({}), { AWS_RETRY_MODE: "adaptive" }).retryMode, "adaptive");
        assert.equal(resolveSettings(config({}), {}).retryMode, "standard");
        assert.equal(resolveSettings(config({}), { AWS_RETRY_MODE: "legacy" }).problems.length, 1);
    });
});

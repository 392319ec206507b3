/**
 * Every class of failure, as the AWS SDK hands it over (plain objects with the SDK's fields: `name`,
 * `code`, `message`, `$metadata`, `$responseBodyText`), and the one message the provider turns it into.
 * The same failures produced for real against the emulator are in test/integration/errors.test.ts.
 */
import assert from "node:assert/strict";

import { CallFailedError } from "../../provider/errors";
import { translateError } from "../../provider/failures";
import type { FailureContext } from "../../provider/failures";

const ID = "5e1d7c3b-2a49-4f86-9b0e-7d6c5b4a3f21";
const ENDPOINT = "https://connect-campaigns.us-west-2.amazonaws.com";
const USER = "arn:aws:iam::123456789012:user/ci";
const ROLE = "arn:aws:iam::210987654321:role/connect-limits";

const CONTEXT: FailureContext = {
    operation: "PutInstanceCommunicationLimits",
    instanceId: ID,
    region: "us-west-2",
    endpoint: ENDPOINT,
    maxAttempts: 10,
    attemptTimeoutMs: 10_000,
    connectTimeoutMs: 5_000,
    requestsPerSecond: 2,
};

function sdkError(
    name: string,
    message: string,
    meta: Record<string, unknown> = {},
    extra: Record<string, unknown> = {},
) {
    return Object.assign(new Error(message), { name, $metadata: meta, ...extra });
}

interface Row {
    title: string;
    error: unknown;
    context?: Partial<FailureContext>;
    assumingRole?: boolean;
    message: string;
}

const ROWS: Row[] = [
    {
        title: "an access denial asks for the action on Resource *, the only resource these actions take",
        error: sdkError(
            "AccessDeniedException",
            `User: ${USER} is not authorized to perform: connect-campaigns:PutInstanceCommunicationLimits because no identity-based policy allows the connect-campaigns:PutInstanceCommunicationLimits action`,
            { httpStatusCode: 403, requestId: "req-403", attempts: 1 },
        ),
        message:
            `PutInstanceCommunicationLimits for Amazon Connect instance ${ID} in us-west-2 failed: AccessDeniedException: ` +
            `User: ${USER} is not authorized to perform: connect-campaigns:PutInstanceCommunicationLimits because no identity-based ` +
            `policy allows the connect-campaigns:PutInstanceCommunicationLimits action (HTTP 403, request id req-403, 1 attempt, ` +
            `endpoint ${ENDPOINT}). Next step: allow connect-campaigns:PutInstanceCommunicationLimits for the identity Pulumi runs as, ` +
            'with "Resource": "*" — the IAM Service Authorization Reference gives this action no resource type, so it cannot be ' +
            "scoped to an instance ARN (the README has the policy).",
    },
    {
        title: "an explicit deny says an allow alone will not help",
        error: sdkError(
            "AccessDeniedException",
            `User: ${USER} is not authorized to perform: connect-campaigns:GetInstanceCommunicationLimits with an explicit deny in a service control policy`,
            { httpStatusCode: 403, requestId: "req-scp", attempts: 1 },
        ),
        context: { operation: "GetInstanceCommunicationLimits" },
        message:
            `GetInstanceCommunicationLimits for Amazon Connect instance ${ID} in us-west-2 failed: AccessDeniedException: ` +
            `User: ${USER} is not authorized to perform: connect-campaigns:GetInstanceCommunicationLimits with an explicit deny in a ` +
            `service control policy (HTTP 403, request id req-scp, 1 attempt, endpoint ${ENDPOINT}). Next step: allow ` +
            'connect-campaigns:GetInstanceCommunicationLimits for the identity Pulumi runs as, with "Resource": "*" — the IAM Service ' +
            "Authorization Reference gives this action no resource type, so it cannot be scoped to an instance ARN (the README has " +
            "the policy). The message says an explicit deny applies (a service control policy, permissions boundary or session " +
            "policy): an allow alone will not help; the deny must change.",
    },
    {
        title: "a missing instance names the region and the account the credentials look at",
        error: sdkError("ResourceNotFoundException", "Instance not found", {
            httpStatusCode: 404,
            requestId: "req-404",
            attempts: 1,
        }),
        message:
            `PutInstanceCommunicationLimits for Amazon Connect instance ${ID} in us-west-2 failed: ResourceNotFoundException: ` +
            `Instance not found (HTTP 404, request id req-404, 1 attempt, endpoint ${ENDPOINT}). Next step: instance ${ID} does ` +
            "not exist in us-west-2 for these credentials, or is not onboarded to Amazon Connect outbound campaigns. Check " +
            "connectInstanceId (the instance id, not its ARN), region and the AWS account, and onboard the instance to outbound " +
            "campaigns in the Amazon Connect console.",
    },
    {
        title: "a validation failure of a read is about the instance id, with the ARN hint when it is an ARN",
        error: sdkError("ValidationException", "1 validation error detected", {
            httpStatusCode: 400,
            requestId: "req-400",
            attempts: 1,
        }),
        context: {
            operation: "GetInstanceCommunicationLimits",
            instanceId: "arn:aws:connect:us-west-2:123456789012:instance/abc",
        },
        message:
            "GetInstanceCommunicationLimits for Amazon Connect instance arn:aws:connect:us-west-2:123456789012:instance/abc in " +
            `us-west-2 failed: ValidationException: 1 validation error detected (HTTP 400, request id req-400, 1 attempt, endpoint ` +
            `${ENDPOINT}). Next step: the service rejected the instance id. connectInstanceId must be an Amazon Connect instance id ` +
            "(1 to 256 letters, digits, '-', '_' or '.'), not its ARN. That is an instance ARN; use its last segment, \"abc\".",
    },
    {
        title: "a validation failure of a restore says how to get out instead of claiming the limits passed checks",
        error: sdkError("ValidationException", "communicationLimitsList: too many", {
            httpStatusCode: 400,
            requestId: "req-r",
            attempts: 1,
        }),
        context: { purpose: "restore" },
        message:
            `PutInstanceCommunicationLimits for Amazon Connect instance ${ID} in us-west-2 failed: ValidationException: ` +
            `communicationLimitsList: too many (HTTP 400, request id req-r, 1 attempt, endpoint ${ENDPOINT}). Next step: the ` +
            "limits being restored (previousConfig, recorded when this resource was created) are refused by the service as it " +
            'is now. To destroy the resource anyway, set its deletionPolicy to "reset" (or "retain") and run `pulumi up`, then ' +
            "`pulumi destroy`.",
    },
    {
        title: "a validation failure of a write quotes the service's rule",
        error: sdkError("ValidationException", "maxCountPerRecipient too large", {
            httpStatusCode: 400,
            requestId: "req-w",
            attempts: 1,
        }),
        context: { purpose: "write" },
        message:
            `PutInstanceCommunicationLimits for Amazon Connect instance ${ID} in us-west-2 failed: ValidationException: ` +
            `maxCountPerRecipient too large (HTTP 400, request id req-w, 1 attempt, endpoint ${ENDPOINT}). Next step: these ` +
            "limits passed this provider's checks of every published constraint, so the service applies a rule its model does " +
            "not state; adjust the limits as the service's message above says.",
    },
    {
        title: "rejected credentials are called rejected, not missing",
        error: sdkError(
            "UnrecognizedClientException",
            "The security token included in the request is invalid.",
            {
                httpStatusCode: 403,
                requestId: "req-creds",
                attempts: 1,
            },
        ),
        message:
            `PutInstanceCommunicationLimits for Amazon Connect instance ${ID} in us-west-2 failed: UnrecognizedClientException: ` +
            `The security token included in the request is invalid. (HTTP 403, request id req-creds, 1 attempt, endpoint ${ENDPOINT}). ` +
            "Next step: the credentials were rejected. Check the access key and secret (or AWS_PROFILE / aws:profile), and " +
            "refresh expired session credentials (e.g. `aws sso login`).",
    },
    {
        title: "no credentials at all is a credentials lookup that sent nothing",
        error: sdkError("CredentialsProviderError", "Could not load credentials from any providers"),
        message:
            `ResolveCredentials for Amazon Connect instance ${ID} in us-west-2 failed: CredentialsProviderError: Could not load ` +
            "credentials from any providers (no request was sent). Next step: no AWS credentials were found. Set AWS_PROFILE or " +
            "the stack config aws:profile, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.",
    },
    {
        title: "a failing credential_process is reported as that command failing, not as no credentials",
        error: sdkError(
            "CredentialsProviderError",
            "Profile ops credential_process returned an error: Command failed: vault-creds ops (exit 2)",
        ),
        context: { profile: "ops" },
        message:
            `ResolveCredentials for Amazon Connect instance ${ID} in us-west-2 failed: CredentialsProviderError: Profile ops ` +
            "credential_process returned an error: Command failed: vault-creds ops (exit 2) (no request was sent). Next step: the " +
            "profile's credential_process failed; run that command yourself to see why (its message is quoted above), or use " +
            "another profile or keys.",
    },
    {
        title: "a denied AssumeRole of a profile's role_arn is reported as AssumeRole, naming the role and the profile",
        error: sdkError(
            "AccessDenied",
            `User: ${USER} is not authorized to perform: sts:AssumeRole on resource: ${ROLE}`,
            { httpStatusCode: 403, requestId: "sts-1", attempts: 1 },
        ),
        context: { profile: "partner" },
        message:
            `AssumeRole for Amazon Connect instance ${ID} in us-west-2 failed: AccessDenied: User: ${USER} is not authorized to ` +
            `perform: sts:AssumeRole on resource: ${ROLE} (HTTP 403, request id sts-1, 1 attempt). Next step: check that role ` +
            `${ROLE} (named by role_arn in profile partner) exists, that its trust policy lets the calling identity call ` +
            "sts:AssumeRole (with the external id the role requires, if any), and that the caller's own policy allows " +
            "sts:AssumeRole on it.",
    },
    {
        title: "a failure while assuming the resource's own role is reported as AssumeRole of that role",
        error: sdkError("AccessDenied", "Not authorized", {
            httpStatusCode: 403,
            requestId: "sts-2",
            attempts: 1,
        }),
        context: { roleArn: ROLE },
        assumingRole: true,
        message:
            `AssumeRole for Amazon Connect instance ${ID} in us-west-2 failed: AccessDenied: Not authorized (HTTP 403, request ` +
            `id sts-2, 1 attempt). Next step: check that role ${ROLE} exists, that its trust policy lets the calling identity ` +
            "call sts:AssumeRole (with the external id the role requires, if any), and that the caller's own policy allows " +
            "sts:AssumeRole on it.",
    },
    {
        title: "throttling through every attempt points at the shared quota and the request budget",
        error: sdkError("ThrottlingException", "Rate exceeded", {
            httpStatusCode: 429,
            requestId: "req-429",
            attempts: 10,
        }),
        message:
            `PutInstanceCommunicationLimits for Amazon Connect instance ${ID} in us-west-2 failed: ThrottlingException: Rate ` +
            `exceeded (HTTP 429, request id req-429, 10 attempts, endpoint ${ENDPOINT}). Next step: the service kept throttling ` +
            "through all 10 attempts: the account's request quota in us-west-2 is shared with everything else calling it. Run " +
            "again later, lower connect-campaign-limits:requestsPerSecond (now 2), or raise connect-campaign-limits:maxAttempts " +
            "(or AWS_MAX_ATTEMPTS).",
    },
    {
        title: "a service fault through every attempt says so",
        error: sdkError("InternalServerException", "Internal error", {
            httpStatusCode: 500,
            requestId: "req-500",
            attempts: 3,
        }),
        message:
            `PutInstanceCommunicationLimits for Amazon Connect instance ${ID} in us-west-2 failed: InternalServerException: ` +
            `Internal error (HTTP 500, request id req-500, 3 attempts, endpoint ${ENDPOINT}). Next step: the fault lasted through ` +
            "all 3 attempts; run again later, or raise connect-campaign-limits:maxAttempts (or AWS_MAX_ATTEMPTS).",
    },
    {
        title: "a proxy's HTML 502 is a page that is not an AWS response, with no request id — never 'no response'",
        error: Object.assign(new SyntaxError("Unexpected token '<', \"<html><bod\"... is not valid JSON"), {
            $metadata: { httpStatusCode: 502, attempts: 10 },
            $responseBodyText:
                "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>",
        }),
        message:
            `PutInstanceCommunicationLimits for Amazon Connect instance ${ID} in us-west-2 failed: MalformedResponse: HTTP 502 ` +
            "with a body the AWS SDK could not read as the service's JSON: 502 Bad Gateway 502 Bad Gateway (HTTP 502, no request " +
            `id in the response, 10 attempts, endpoint ${ENDPOINT}). Next step: ${ENDPOINT} answered HTTP 502 with a page that is ` +
            "not an AWS response, on all 10 attempts: a proxy, load balancer or VPC endpoint in front of the service answered " +
            "instead of it. Run again later, and check the network path (proxy settings, VPC endpoint, " +
            "AWS_ENDPOINT_URL_CONNECTCAMPAIGNSV2 if set).",
    },
    {
        title: "a 200 whose body is not JSON names the status and the body, not a hidden SDK field",
        error: Object.assign(
            new SyntaxError(
                "Unexpected end of JSON input\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.",
            ),
            {
                $metadata: { httpStatusCode: 200, requestId: "req-200", attempts: 1 },
                $responseBodyText: '{"communicationLim',
            },
        ),
        context: { operation: "GetInstanceCommunicationLimits" },
        message:
            `GetInstanceCommunicationLimits for Amazon Connect instance ${ID} in us-west-2 failed: MalformedResponse: HTTP 200 ` +
            "with a body the AWS SDK could not read as the service's JSON: {\"communicationLim (HTTP 200, request id req-200, 1 " +
            `attempt, endpoint ${ENDPOINT}). Next step: ${ENDPOINT} answered HTTP 200 with a body that is not the JSON the ` +
            "service sends; check that the endpoint is the service's (AWS_ENDPOINT_URL_CONNECTCAMPAIGNSV2 / AWS_ENDPOINT_URL, a " +
            "proxy), then run again.",
    },
    {
        title: "a region where the service has no endpoint is named, with the regions it has",
        error: Object.assign(new Error("getaddrinfo ENOTFOUND connect-campaigns.us-wset-2.amazonaws.com"), {
            code: "ENOTFOUND",
            hostname: "connect-campaigns.us-wset-2.amazonaws.com",
            $metadata: { attempts: 1 },
        }),
        context: { region: "us-wset-2", endpoint: "https://connect-campaigns.us-wset-2.amazonaws.com" },
        message:
            `PutInstanceCommunicationLimits for Amazon Connect instance ${ID} in us-wset-2 failed: ENOTFOUND: getaddrinfo ` +
            "ENOTFOUND connect-campaigns.us-wset-2.amazonaws.com (no response, 1 attempt, endpoint " +
            "https://connect-campaigns.us-wset-2.amazonaws.com). Next step: Amazon Connect outbound campaigns has no endpoint in " +
            "us-wset-2 (per the AWS endpoint data of 2026 it exists in af-south-1, ap-northeast-1, ap-northeast-2, ap-southeast-1, " +
            "ap-southeast-2, ca-central-1, eu-central-1, eu-west-2, us-east-1, us-west-2). Check the region name: the resource's " +
            'region argument, the stack config "aws:region" or AWS_REGION.',
    },
    {
        title: "a FIPS host name in a region the service has without a FIPS endpoint names the setting that asked for it",
        error: Object.assign(
            new Error("getaddrinfo ENOTFOUND connect-campaigns-fips.eu-west-2.amazonaws.com"),
            {
                code: "ENOTFOUND",
                hostname: "connect-campaigns-fips.eu-west-2.amazonaws.com",
                $metadata: { attempts: 1 },
            },
        ),
        context: { region: "eu-west-2", endpoint: "https://connect-campaigns-fips.eu-west-2.amazonaws.com" },
        message:
            `PutInstanceCommunicationLimits for Amazon Connect instance ${ID} in eu-west-2 failed: ENOTFOUND: getaddrinfo ` +
            "ENOTFOUND connect-campaigns-fips.eu-west-2.amazonaws.com (no response, 1 attempt, endpoint " +
            "https://connect-campaigns-fips.eu-west-2.amazonaws.com). Next step: Amazon Connect outbound campaigns has no " +
            "FIPS endpoint in eu-west-2 (per the AWS endpoint data of 2026 FIPS endpoints exist only in us-east-1, " +
            "us-west-2); connect-campaigns-fips.eu-west-2.amazonaws.com is the FIPS name that AWS_USE_FIPS_ENDPOINT (or " +
            "use_fips_endpoint in the AWS profile) asks for. Unset it for calls to eu-west-2.",
    },
    {
        title: "an unresolvable host in a region the service has is a network problem",
        error: Object.assign(new Error("getaddrinfo ENOTFOUND connect-campaigns.us-west-2.amazonaws.com"), {
            code: "ENOTFOUND",
            hostname: "connect-campaigns.us-west-2.amazonaws.com",
            $metadata: { attempts: 10 },
        }),
        message:
            `PutInstanceCommunicationLimits for Amazon Connect instance ${ID} in us-west-2 failed: ENOTFOUND: getaddrinfo ` +
            `ENOTFOUND connect-campaigns.us-west-2.amazonaws.com (no response, 10 attempts, endpoint ${ENDPOINT}). Next step: ` +
            `could not reach ${ENDPOINT} (ENOTFOUND) on all 10 attempts; check the network path to it (proxy, VPC endpoint, ` +
            "AWS_ENDPOINT_URL_CONNECTCAMPAIGNSV2 if set).",
    },
    {
        title: "a dropped connection on every attempt says the endpoint closed it",
        error: Object.assign(new Error("socket hang up"), {
            name: "TimeoutError",
            code: "ECONNRESET",
            $metadata: { attempts: 4 },
        }),
        message:
            `PutInstanceCommunicationLimits for Amazon Connect instance ${ID} in us-west-2 failed: ECONNRESET: socket hang up ` +
            `(no response, 4 attempts, endpoint ${ENDPOINT}). Next step: ${ENDPOINT} closed the connection without answering, on ` +
            "all 4 attempts; check the network path to it (proxy, VPC endpoint, AWS_ENDPOINT_URL_CONNECTCAMPAIGNSV2 if set).",
    },
    {
        title: "an answer whose headers never come names the whole-attempt deadline, and that no response came",
        error: Object.assign(
            new Error("the response was not complete within 10000 ms (waiting for the response headers)"),
            {
                name: "TimeoutError",
                $metadata: { attempts: 10 },
            },
        ),
        message:
            `PutInstanceCommunicationLimits for Amazon Connect instance ${ID} in us-west-2 failed: TimeoutError: the response ` +
            `was not complete within 10000 ms (waiting for the response headers) (no response, 10 attempts, endpoint ${ENDPOINT}). ` +
            `Next step: ${ENDPOINT} did not answer completely within 10000 ms, on all 10 attempts; check the network path to it ` +
            "(proxy, VPC endpoint, AWS_ENDPOINT_URL_CONNECTCAMPAIGNSV2 if set), or raise connect-campaign-limits:requestTimeoutMs.",
    },
    {
        title: "an answer whose body never completes says its headers came, with their status and request id",
        error: Object.assign(
            new Error("the response was not complete within 10000 ms (reading the response body)"),
            {
                name: "TimeoutError",
                $metadata: { attempts: 10 },
                incompleteResponse: {
                    statusCode: 200,
                    headers: { "content-type": "application/json", "x-amzn-requestid": "req-stalled" },
                },
            },
        ),
        message:
            `PutInstanceCommunicationLimits for Amazon Connect instance ${ID} in us-west-2 failed: TimeoutError: the response ` +
            "was not complete within 10000 ms (reading the response body) (HTTP 200 headers came, the body did not complete, " +
            `request id req-stalled, 10 attempts, endpoint ${ENDPOINT}). ` +
            `Next step: ${ENDPOINT} did not answer completely within 10000 ms, on all 10 attempts; check the network path to it ` +
            "(proxy, VPC endpoint, AWS_ENDPOINT_URL_CONNECTCAMPAIGNSV2 if set), or raise connect-campaign-limits:requestTimeoutMs.",
    },
    {
        title: "an answer whose body never completes and whose headers carry no request id says both",
        error: Object.assign(
            new Error("the response was not complete within 10000 ms (reading the response body)"),
            {
                name: "TimeoutError",
                $metadata: { attempts: 2 },
                incompleteResponse: { statusCode: 503, headers: { "content-type": "text/html" } },
            },
        ),
        message:
            `PutInstanceCommunicationLimits for Amazon Connect instance ${ID} in us-west-2 failed: TimeoutError: the response ` +
            "was not complete within 10000 ms (reading the response body) (HTTP 503 headers came, the body did not complete, " +
            `no request id in the response, 2 attempts, endpoint ${ENDPOINT}). ` +
            `Next step: ${ENDPOINT} did not answer completely within 10000 ms, on all 2 attempts; check the network path to it ` +
            "(proxy, VPC endpoint, AWS_ENDPOINT_URL_CONNECTCAMPAIGNSV2 if set), or raise connect-campaign-limits:requestTimeoutMs.",
    },
    {
        title: "a connection never accepted names the connect timeout",
        error: Object.assign(
            new Error(
                "@smithy/node-http-handler - the request socket did not establish a connection with the server within the configured timeout of 700 ms.",
            ),
            { name: "TimeoutError", $metadata: { attempts: 3 } },
        ),
        context: { connectTimeoutMs: 700 },
        message:
            `PutInstanceCommunicationLimits for Amazon Connect instance ${ID} in us-west-2 failed: TimeoutError: ` +
            "@smithy/node-http-handler - the request socket did not establish a connection with the server within the configured " +
            `timeout of 700 ms. (no response, 3 attempts, endpoint ${ENDPOINT}). Next step: ${ENDPOINT} did not accept a ` +
            "connection within 700 ms, on all 3 attempts; check the network path to it (proxy, VPC endpoint, " +
            "AWS_ENDPOINT_URL_CONNECTCAMPAIGNSV2 if set), or raise connect-campaign-limits:connectTimeoutMs.",
    },
    {
        title: "no region anywhere says where to set one, and that nothing was sent",
        error: new Error("Region is missing"),
        context: { operation: "ResolveRegion", instanceId: "", region: "" },
        message:
            "ResolveRegion failed: RegionMissing: Region is missing (no request was sent). Next step: set the resource's region " +
            'argument, the stack config "aws:region", or AWS_REGION.',
    },
];

describe("translating failures (failures)", () => {
    for (const row of ROWS) {
        it(row.title, () => {
            const error = translateError(
                row.error,
                { ...CONTEXT, ...row.context },
                row.assumingRole ?? false,
            );
            assert.ok(error instanceof CallFailedError);
            assert.equal(error.message, row.message);
            assert.equal(error.cause, row.error, "the SDK's error is kept as the cause");
        });
    }

    it("quotes an AWS message with the session token and the secret in use removed", () => {
        const token = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLXdlc3QtMiJHMEUCIQD0secret0token";
        const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        const error = translateError(
            sdkError(
                "InvalidSignatureException",
                `The request signature we calculated does not match.\nx-amz-security-token:${token}\nkey ${secret}`,
                { httpStatusCode: 403, requestId: "req-sig", attempts: 1 },
            ),
            { ...CONTEXT, secrets: [secret, token] },
        );
        assert.ok(!error.message.includes(token), error.message);
        assert.ok(!error.message.includes(secret), error.message);
        assert.match(error.message, /x-amz-security-token:\[redacted\]/);
    });

    it("never writes 'no response' beside an HTTP status that came with a response", () => {
        for (const row of ROWS) {
            const error = translateError(
                row.error,
                { ...CONTEXT, ...row.context },
                row.assumingRole ?? false,
            );
            if (/\(HTTP \d+/.test(error.message)) {
                assert.doesNotMatch(error.message, /no response/, row.title);
            }
        }
    });
});

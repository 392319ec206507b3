/**
 * Every class of failure a user can meet, produced for real against the emulator (or a closed port), and the
 * exact message it surfaces as: the operation, the instance and region, the AWS error name and message, the
 * request id (the one the emulator logged for the last attempt), the attempts, the endpoint, and the next step.
 *
 * Not reachable here without changing the provider: a connect timeout (needs an address that drops SYNs) is
 * covered by `translateError` directly with the SDK's own error; an expired session token (the emulator's
 * shortest STS session is 15 minutes, and the SDK refreshes 5 minutes early) and an expired signature (the SDK
 * signs with the local clock and corrects skew itself) are not covered.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { CallFailedError, ConnectLimitsError, PartialFailureError } from "../../provider/errors";
import { translateError } from "../../provider/failures";
import { InstanceCommunicationLimitsProvider } from "../../provider/provider";
import { startEmulator, TEST_CREDENTIALS } from "connect-campaigns-emulator";
import type { EmulatorHandle, ErrorStyle, FaultKind, RecordedRequest } from "connect-campaigns-emulator";
import { emulatorEnv, setEnv } from "../support/env";
import { PROVIDER_TEXT } from "../support/provider";
import {
    ACCOUNT,
    GET_ACTION,
    GET_ONLY,
    PUT_ACTION,
    PUT_ONLY,
    REGION,
    limits,
    rejection,
    settingsFromEnv,
} from "../support/reliability";

const A = "5e1d7c3b-2a49-4f86-9b0e-7d6c5b4a3f21";
const MISSING = "0000aaaa-1111-4bbb-8ccc-2222dddd3333";
const ROLE = `arn:aws:iam::${ACCOUNT}:role/connect-limits-deployer`;
const READER_ROLE = `arn:aws:iam::${ACCOUNT}:role/connect-limits-reader`;
const USER = `arn:aws:iam::${ACCOUNT}:user/emulator`;
const WRONG_SECRET = "wrongSecretKey/000000000000000000000000000";
/** An AWS config file with a profile whose credential_process fails, and one whose role STS refuses. */
const PROFILES = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "aws-profiles-")), "config");
fs.writeFileSync(
    PROFILES,
    [
        "[profile broken]",
        'credential_process = /bin/sh -c "echo vault is sealed >&2; exit 3"',
        "[profile partner]",
        `role_arn = ${ROLE}-elsewhere`,
        "source_profile = base",
        "[profile base]",
        `aws_access_key_id = ${TEST_CREDENTIALS.accessKeyId}`,
        `aws_secret_access_key = ${TEST_CREDENTIALS.secretAccessKey}`,
        "",
    ].join("\n"),
);

/**
 * IAM's implicit deny for an action without a resource type (the Service Authorization Reference lists none for
 * these two actions): no resource is quoted.
 */
const DENIED = (action: string) => `because no identity-based policy allows the ${action} action`;
const ARN = (id: string) => `arn:aws:connect:${REGION}:${ACCOUNT}:instance/${id}`;
/** The advice for a denied action: the Service Authorization Reference gives these actions no resource type. */
const ALLOW = (action: string) =>
    `Next step: allow ${action} for the identity Pulumi runs as, with "Resource": "*" — the IAM Service ` +
    "Authorization Reference gives this action no resource type, so it cannot be scoped to an instance ARN " +
    "(the README has the policy).";
/** GetCallerIdentity, with which a create records the account; it needs no permission. */
const IDENTITY = "POST 200";
const NETWORK_PATH =
    "check the network path to it (proxy, VPC endpoint, AWS_ENDPOINT_URL_CONNECTCAMPAIGNSV2 if set)";
const CREDENTIALS_REJECTED =
    "Next step: the credentials were rejected. Check the access key and secret (or AWS_PROFILE / aws:profile), " +
    "and refresh expired session credentials (e.g. `aws sso login`).";
const RAISE = "run again later, or raise connect-campaign-limits:maxAttempts (or AWS_MAX_ATTEMPTS)";
const NOT_FOUND = (id: string) =>
    `instance ${id} does not exist in ${REGION} for these credentials, or is not onboarded to Amazon Connect ` +
    "outbound campaigns. Check connectInstanceId (the instance id, not its ARN), region and the AWS account, and " +
    "onboard the instance to outbound campaigns in the Amazon Connect console.";

/** What a row's message may depend on: where the emulator listens and what it logged. */
interface Seen {
    endpoint: string;
    /** Request id of the last request the emulator answered. */
    requestId: string;
}

interface Row {
    title: string;
    /** Environment for this row, over the emulator's; `undefined` removes a variable. */
    env?: Record<string, string | undefined>;
    /** Stack config the provider is configured with. */
    config?: Record<string, string>;
    /** Prepares the emulator; may return the endpoint the provider must use instead of the emulator's. */
    arrange?: (emulator: EmulatorHandle) => Promise<string | void> | void;
    act: (provider: InstanceCommunicationLimitsProvider) => Promise<unknown>;
    /** The requests the emulator saw, as "METHOD status [errorType]". */
    requests: string[];
    message: (seen: Seen) => string;
    /** Applied to the message before it is compared: for parts that differ per request (a quoted signature). */
    normalize?: (message: string) => string;
}

const inputs = (overrides: Record<string, unknown> = {}) => ({
    connectInstanceId: A,
    communicationLimitsConfig: limits([3, 7]),
    deletionPolicy: "reset",
    region: REGION,
    __provider: PROVIDER_TEXT,
    ...overrides,
});
const readA = (provider: InstanceCommunicationLimitsProvider) =>
    provider.read(A, { connectInstanceId: A, region: REGION });
const twoAttempts = { "connect-campaign-limits:maxAttempts": "2" };

const ROWS: Row[] = [
    {
        title: "AccessDenied on the read names the IAM action to allow",
        env: { AWS_ACCESS_KEY_ID: PUT_ONLY.accessKeyId, AWS_SECRET_ACCESS_KEY: PUT_ONLY.secretAccessKey },
        act: (p) => p.create(inputs()),
        requests: [IDENTITY, "GET 403 AccessDeniedException"],
        message: ({ endpoint, requestId }) =>
            `GetInstanceCommunicationLimits for Amazon Connect instance ${A} in ${REGION} failed: AccessDeniedException: ` +
            `User: ${USER} is not authorized to perform: ${GET_ACTION} ${DENIED(GET_ACTION)} ` +
            `(HTTP 403, request id ${requestId}, 1 attempt, endpoint ${endpoint}). ${ALLOW(GET_ACTION)}`,
    },
    {
        title: "AccessDenied on the write names the IAM action to allow",
        env: { AWS_ACCESS_KEY_ID: GET_ONLY.accessKeyId, AWS_SECRET_ACCESS_KEY: GET_ONLY.secretAccessKey },
        act: (p) => p.create(inputs()),
        requests: [IDENTITY, "GET 200", "PUT 403 AccessDeniedException"],
        message: ({ endpoint, requestId }) =>
            `PutInstanceCommunicationLimits for Amazon Connect instance ${A} in ${REGION} failed: AccessDeniedException: ` +
            `User: ${USER} is not authorized to perform: ${PUT_ACTION} ${DENIED(PUT_ACTION)} ` +
            `(HTTP 403, request id ${requestId}, 1 attempt, endpoint ${endpoint}). ${ALLOW(PUT_ACTION)}`,
    },
    {
        title: "ResourceNotFound on create says the instance does not exist in that region or is not onboarded",
        act: (p) => p.create(inputs({ connectInstanceId: MISSING })),
        requests: [IDENTITY, "GET 404 ResourceNotFoundException"],
        message: ({ endpoint, requestId }) =>
            `GetInstanceCommunicationLimits for Amazon Connect instance ${MISSING} in ${REGION} failed: ` +
            `ResourceNotFoundException: Amazon Connect instance ${MISSING} was not found in account ${ACCOUNT}, ` +
            `region ${REGION}. (HTTP 404, request id ${requestId}, 1 attempt, endpoint ${endpoint}). ` +
            `Next step: ${NOT_FOUND(MISSING)}`,
    },
    {
        // Smithy integers are 32-bit: the service rejects a count beyond 2^31-1, which the model states nowhere.
        title: "a ValidationException from the service quotes it and says the limits passed the local checks",
        act: (p) =>
            p.create(
                inputs({
                    communicationLimitsConfig: limits([3_000_000_000, 7]) as unknown as Record<
                        string,
                        unknown
                    >,
                }),
            ),
        requests: [IDENTITY, "GET 200", "PUT 400 ValidationException"],
        message: ({ endpoint, requestId }) =>
            `PutInstanceCommunicationLimits for Amazon Connect instance ${A} in ${REGION} failed: ValidationException: ` +
            "1 validation error detected: Value '3000000000' at " +
            "'communicationLimitsConfig.allChannelSubtypes.communicationLimitsList.1.member.maxCountPerRecipient' " +
            "failed to satisfy constraint: Member must be an integer " +
            `(HTTP 400, request id ${requestId}, 1 attempt, endpoint ${endpoint}). ` +
            "Next step: these limits passed this provider's checks of every published constraint, so the service " +
            "applies a rule its model does not state; adjust the limits as the service's message above says.",
    },
    {
        title: "a ValidationException on a read of an instance ARN says the service rejected the id and which id to use",
        act: (p) => p.read(ARN(A), { region: REGION }),
        requests: ["GET 400 ValidationException"],
        message: ({ endpoint, requestId }) =>
            `GetInstanceCommunicationLimits for Amazon Connect instance ${ARN(A)} in ${REGION} failed: ValidationException: ` +
            `1 validation error detected: Value '${ARN(A)}' at 'connectInstanceId' failed to satisfy constraint: ` +
            "Member must satisfy regular expression pattern: ^[-_.a-zA-Z0-9]+$ " +
            `(HTTP 400, request id ${requestId}, 1 attempt, endpoint ${endpoint}). ` +
            "Next step: the service rejected the instance id. connectInstanceId must be an Amazon Connect instance " +
            `id (1 to 256 letters, digits, '-', '_' or '.'), not its ARN. That is an instance ARN; use its last ` +
            `segment, "${A}".`,
    },
    {
        title: "throttling that outlasts the retry budget gives the attempts, the last error and how to ease it",
        config: { ...twoAttempts, "connect-campaign-limits:requestsPerSecond": "50" },
        arrange: (emulator) => emulator.injectFaults("throttle", 2),
        act: readA,
        requests: ["GET 429 ThrottlingException", "GET 429 ThrottlingException"],
        message: ({ endpoint, requestId }) =>
            `GetInstanceCommunicationLimits for Amazon Connect instance ${A} in ${REGION} failed: ThrottlingException: ` +
            `Rate exceeded (HTTP 429, request id ${requestId}, 2 attempts, endpoint ${endpoint}). ` +
            "Next step: the service kept throttling through all 2 attempts: the account's request quota in " +
            `${REGION} is shared with everything else calling it. Run again later, lower ` +
            "connect-campaign-limits:requestsPerSecond (now 50), or raise connect-campaign-limits:maxAttempts (or " +
            "AWS_MAX_ATTEMPTS).",
    },
    {
        title: "an internal error that outlasts the retry budget gives the attempts and the last error",
        config: twoAttempts,
        arrange: (emulator) => emulator.injectFaults("internal", 2),
        act: readA,
        requests: ["GET 500 InternalServerException", "GET 500 InternalServerException"],
        message: ({ endpoint, requestId }) =>
            `GetInstanceCommunicationLimits for Amazon Connect instance ${A} in ${REGION} failed: InternalServerException: ` +
            "The service encountered an internal error. Try again later. " +
            `(HTTP 500, request id ${requestId}, 2 attempts, endpoint ${endpoint}). ` +
            `Next step: the fault lasted through all 2 attempts; ${RAISE}.`,
    },
    {
        title: "a conflict that outlasts the retry budget gives the attempts and the last error",
        config: twoAttempts,
        arrange: (emulator) => emulator.injectFaults("conflict", 2),
        act: (p) => p.delete(A, { connectInstanceId: A, region: REGION, deletionPolicy: "reset" }),
        requests: ["PUT 409 ConflictException", "PUT 409 ConflictException"],
        message: ({ endpoint, requestId }) =>
            `PutInstanceCommunicationLimits for Amazon Connect instance ${A} in ${REGION} failed: ConflictException: ` +
            `A conflicting operation is in progress on instance ${A}. Try again. ` +
            `(HTTP 409, request id ${requestId}, 2 attempts, endpoint ${endpoint}). ` +
            `Next step: the fault lasted through all 2 attempts; ${RAISE}.`,
    },
    {
        title: "a wrong secret says the credentials were rejected, not that anything was not found",
        env: { AWS_SECRET_ACCESS_KEY: WRONG_SECRET },
        act: readA,
        requests: ["GET 403 InvalidSignatureException"],
        // AWS's message goes on to quote the canonical request and string to sign (dated, per request).
        normalize: (message) =>
            message.replace(
                /\n\nThe Canonical String for this request should have been\n'GET\n[^']*'\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n[^']*'/,
                " <canonical request and string to sign>",
            ),
        message: ({ endpoint, requestId }) =>
            `GetInstanceCommunicationLimits for Amazon Connect instance ${A} in ${REGION} failed: InvalidSignatureException: ` +
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret " +
            "Access Key and signing method. Consult the service documentation for details. <canonical request and " +
            `string to sign> (HTTP 403, request id ${requestId}, 1 attempt, endpoint ${endpoint}). ` +
            CREDENTIALS_REJECTED,
    },
    {
        title: "an unknown access key says the credentials were rejected",
        env: { AWS_ACCESS_KEY_ID: "AKIARELIABILITYUNKNOWN" },
        act: readA,
        requests: ["GET 403 UnrecognizedClientException"],
        message: ({ endpoint, requestId }) =>
            `GetInstanceCommunicationLimits for Amazon Connect instance ${A} in ${REGION} failed: UnrecognizedClientException: ` +
            `The security token included in the request is invalid. (HTTP 403, request id ${requestId}, 1 attempt, ` +
            `endpoint ${endpoint}). ${CREDENTIALS_REJECTED}`,
    },
    {
        title: "a stale session token next to a long-term key says the credentials were rejected",
        env: { AWS_SESSION_TOKEN: "IQoJb3JpZ2luX2VjEStaleSessionToken" },
        act: readA,
        requests: ["GET 403 UnrecognizedClientException"],
        message: ({ endpoint, requestId }) =>
            `GetInstanceCommunicationLimits for Amazon Connect instance ${A} in ${REGION} failed: UnrecognizedClientException: ` +
            `The security token included in the request is invalid. (HTTP 403, request id ${requestId}, 1 attempt, ` +
            `endpoint ${endpoint}). ${CREDENTIALS_REJECTED}`,
    },
    {
        title: "a hung endpoint fails after the request timeout on every attempt, naming the endpoint and the timeout",
        config: { ...twoAttempts, "connect-campaign-limits:requestTimeoutMs": "200" },
        arrange: (emulator) => emulator.injectFaults("hang", 2),
        act: readA,
        requests: ["GET 0", "GET 0"],
        message: ({ endpoint }) =>
            `GetInstanceCommunicationLimits for Amazon Connect instance ${A} in ${REGION} failed: TimeoutError: ` +
            "the response was not complete within 200 ms (waiting for the response headers) " +
            `(no response, 2 attempts, endpoint ${endpoint}). ` +
            `Next step: ${endpoint} did not answer completely within 200 ms, on all 2 attempts; ${NETWORK_PATH}, ` +
            "or raise connect-campaign-limits:requestTimeoutMs.",
    },
    {
        title: "a connection dropped on every attempt says the endpoint closed it without answering",
        config: twoAttempts,
        arrange: (emulator) => emulator.injectFaults("drop", 2),
        act: readA,
        requests: ["GET 0", "GET 0"],
        message: ({ endpoint }) =>
            `GetInstanceCommunicationLimits for Amazon Connect instance ${A} in ${REGION} failed: ECONNRESET: ` +
            `socket hang up (no response, 2 attempts, endpoint ${endpoint}). ` +
            `Next step: ${endpoint} closed the connection without answering, on all 2 attempts; ${NETWORK_PATH}.`,
    },
    {
        title: "a refused connection (nothing listening) names the endpoint it could not reach",
        config: twoAttempts,
        arrange: async () => {
            const stopped = await startEmulator();
            await stopped.close();
            return stopped.url;
        },
        act: readA,
        requests: [],
        message: ({ endpoint }) =>
            `GetInstanceCommunicationLimits for Amazon Connect instance ${A} in ${REGION} failed: ECONNREFUSED: ` +
            `connect ECONNREFUSED ${endpoint.replace("http://", "")} ` +
            `(no response, 2 attempts, endpoint ${endpoint}). ` +
            `Next step: could not reach ${endpoint} (ECONNREFUSED) on all 2 attempts; ${NETWORK_PATH}.`,
    },
    {
        title: "no credentials at all says so before any request is sent",
        env: { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined },
        act: readA,
        requests: [],
        message: () =>
            `ResolveCredentials for Amazon Connect instance ${A} in ${REGION} failed: CredentialsProviderError: ` +
            "Could not load credentials from any providers (no request was sent). Next step: no AWS credentials " +
            "were found. Set AWS_PROFILE or the stack config aws:profile, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.",
    },
    {
        title: "a profile whose credential_process fails is reported as that command failing, with its output",
        env: {
            AWS_ACCESS_KEY_ID: undefined,
            AWS_SECRET_ACCESS_KEY: undefined,
            AWS_PROFILE: "broken",
            AWS_CONFIG_FILE: PROFILES,
        },
        act: readA,
        requests: [],
        message: () =>
            `ResolveCredentials for Amazon Connect instance ${A} in ${REGION} failed: CredentialsProviderError: Profile ` +
            'broken\'s credential_process failed: Command failed: /bin/sh -c "echo vault is sealed >&2; exit 3"\nvault ' +
            "is sealed (no request was sent). Next step: the profile's credential_process failed; run that command " +
            "yourself to see why (its message is quoted above), or use another profile or keys.",
    },
    {
        title: "a profile's role_arn that STS refuses is reported as AssumeRole of that role, naming the profile",
        env: {
            AWS_ACCESS_KEY_ID: undefined,
            AWS_SECRET_ACCESS_KEY: undefined,
            AWS_PROFILE: "partner",
            AWS_CONFIG_FILE: PROFILES,
        },
        config: { "connect-campaign-limits:maxAttempts": "1" },
        act: readA,
        requests: ["POST 403 AccessDenied"],
        message: ({ requestId }) =>
            `AssumeRole for Amazon Connect instance ${A} in ${REGION} failed: AccessDenied: User: ${USER} is not ` +
            `authorized to perform: sts:AssumeRole on resource: ${ROLE}-elsewhere (HTTP 403, request id ${requestId}, ` +
            `1 attempt). Next step: check that role ${ROLE}-elsewhere (named by role_arn in profile partner) exists, ` +
            "that its trust policy lets the calling identity call sts:AssumeRole (with the external id the role " +
            "requires, if any), and that the caller's own policy allows sts:AssumeRole on it.",
    },
    {
        title: "an AssumeRole the role's trust denies names the role and what to check",
        act: (p) => p.create(inputs({ assumeRoleArn: `${ROLE}-untrusted` })),
        // The identity lookup that records the account assumes the role first; it fails the same way.
        requests: ["POST 403 AccessDenied", "POST 403 AccessDenied"],
        message: ({ requestId }) =>
            `AssumeRole for Amazon Connect instance ${A} in ${REGION} failed: AccessDenied: User: ${USER} is not ` +
            `authorized to perform: sts:AssumeRole on resource: ${ROLE}-untrusted (HTTP 403, request id ${requestId}, ` +
            `1 attempt). Next step: check that role ${ROLE}-untrusted exists, that its trust policy lets the calling ` +
            "identity call sts:AssumeRole (with the external id the role requires, if any), and that the caller's own " +
            "policy allows sts:AssumeRole on it.",
    },
    {
        title: "AccessDenied under an assumed role names the role session and the IAM action the role lacks",
        act: (p) => p.create(inputs({ assumeRoleArn: READER_ROLE })),
        // AssumeRole once (its credentials are kept until they near expiry), then the account, the read, the write.
        requests: ["POST 200", IDENTITY, "GET 200", "PUT 403 AccessDeniedException"],
        message: ({ endpoint, requestId }) =>
            `PutInstanceCommunicationLimits for Amazon Connect instance ${A} in ${REGION} failed: AccessDeniedException: ` +
            `User: arn:aws:sts::${ACCOUNT}:assumed-role/connect-limits-reader/pulumi-connect-campaign-limits is not ` +
            `authorized to perform: ${PUT_ACTION} ${DENIED(PUT_ACTION)} ` +
            `(HTTP 403, request id ${requestId}, 1 attempt, endpoint ${endpoint}). ${ALLOW(PUT_ACTION)}`,
    },
    // The wire variants the real service, and what stands in front of it, send.
    ...(["coral", "none"] as const).flatMap((typeHeader) =>
        [false, true].flatMap((typeInBody) =>
            (["message", "Message"] as const).map((messageKey): Row => ({
                title:
                    `a not-found answer with x-amzn-ErrorType ${typeHeader === "coral" ? "carrying the Coral suffix" : "absent"}, ` +
                    `${typeInBody ? "__type as namespace#Name" : "no __type"} and "${messageKey}" is still read as ResourceNotFoundException`,
                arrange: (emulator) => emulator.setErrorStyle({ typeHeader, typeInBody, messageKey }),
                // A lookup (`InstanceCommunicationLimits.get`): its "not found" is an error.
                act: (p) => p.read(MISSING, { connectInstanceId: MISSING, region: REGION }),
                requests: ["GET 404 ResourceNotFoundException"],
                message: ({ endpoint, requestId }) =>
                    typeHeader === "none" && !typeInBody
                        ? // With neither the header nor __type, the SDK cannot know the error's name (AWS always sends one).
                          `GetInstanceCommunicationLimits for Amazon Connect instance ${MISSING} in ${REGION} failed: ` +
                          `Unknown: Amazon Connect instance ${MISSING} was not found in account ${ACCOUNT}, region ` +
                          `${REGION}. (HTTP 404, request id ${requestId}, 1 attempt, endpoint ${endpoint}). Next step: ` +
                          `${endpoint} answered HTTP 404 without naming an AWS error, which the service always does: check ` +
                          "that the endpoint is the service's (AWS_ENDPOINT_URL_CONNECTCAMPAIGNSV2 / AWS_ENDPOINT_URL, a proxy), " +
                          "then run again."
                        : `GetInstanceCommunicationLimits for Amazon Connect instance ${MISSING} in ${REGION} failed: ` +
                          `ResourceNotFoundException: Amazon Connect instance ${MISSING} was not found in account ${ACCOUNT}, ` +
                          `region ${REGION}. (HTTP 404, request id ${requestId}, 1 attempt, endpoint ${endpoint}). ` +
                          `Next step: ${NOT_FOUND(MISSING)}`,
            })),
        ),
    ),
    {
        title: "a proxy's HTML 502 on every attempt is retried, then named as a page that is not an AWS response, with no request id",
        config: twoAttempts,
        arrange: (emulator) => emulator.injectFaults("proxy-502", 2),
        act: readA,
        requests: ["GET 502", "GET 502"],
        message: ({ endpoint }) =>
            `GetInstanceCommunicationLimits for Amazon Connect instance ${A} in ${REGION} failed: MalformedResponse: HTTP 502 ` +
            "with a body the AWS SDK could not read as the service's JSON: 502 Bad Gateway 502 Bad Gateway (HTTP 502, no " +
            `request id in the response, 2 attempts, endpoint ${endpoint}). Next step: ${endpoint} answered HTTP 502 with a ` +
            "page that is not an AWS response, on all 2 attempts: a proxy, load balancer or VPC endpoint in front of the " +
            "service answered instead of it. Run again later, and check the network path (proxy settings, VPC endpoint, " +
            "AWS_ENDPOINT_URL_CONNECTCAMPAIGNSV2 if set).",
    },
    {
        title: "throttling of a write is retried like throttling of a read, and reported the same way",
        config: { ...twoAttempts, "connect-campaign-limits:requestsPerSecond": "50" },
        arrange: (emulator) =>
            emulator.injectFaults("throttle", 2, { operation: "PutInstanceCommunicationLimits" }),
        act: (p) => p.delete(A, { connectInstanceId: A, region: REGION, deletionPolicy: "reset" }),
        requests: ["PUT 429 ThrottlingException", "PUT 429 ThrottlingException"],
        message: ({ endpoint, requestId }) =>
            `PutInstanceCommunicationLimits for Amazon Connect instance ${A} in ${REGION} failed: ThrottlingException: ` +
            `Rate exceeded (HTTP 429, request id ${requestId}, 2 attempts, endpoint ${endpoint}). ` +
            "Next step: the service kept throttling through all 2 attempts: the account's request quota in " +
            `${REGION} is shared with everything else calling it. Run again later, lower ` +
            "connect-campaign-limits:requestsPerSecond (now 50), or raise connect-campaign-limits:maxAttempts (or " +
            "AWS_MAX_ATTEMPTS).",
    },
    {
        title: "an answer whose body stalls after the headers is cut at the request timeout and retried, and said to have sent its headers",
        config: { ...twoAttempts, "connect-campaign-limits:requestTimeoutMs": "300" },
        arrange: (emulator) => emulator.injectFaults("stall", 2),
        act: readA,
        requests: ["GET 200", "GET 200"],
        message: ({ endpoint, requestId }) =>
            `GetInstanceCommunicationLimits for Amazon Connect instance ${A} in ${REGION} failed: TimeoutError: ` +
            "the response was not complete within 300 ms (reading the response body) " +
            `(HTTP 200 headers came, the body did not complete, request id ${requestId}, 2 attempts, endpoint ${endpoint}). ` +
            `Next step: ${endpoint} did not answer completely within 300 ms, on all 2 attempts; ${NETWORK_PATH}, ` +
            "or raise connect-campaign-limits:requestTimeoutMs.",
    },
    {
        title: "an answer that trickles a byte at a time is cut at the request timeout and retried, and said to have sent its headers",
        config: { ...twoAttempts, "connect-campaign-limits:requestTimeoutMs": "300" },
        arrange: (emulator) => emulator.injectFaults("trickle", 2, { intervalMs: 50 }),
        act: readA,
        requests: ["GET 200", "GET 200"],
        message: ({ endpoint, requestId }) =>
            `GetInstanceCommunicationLimits for Amazon Connect instance ${A} in ${REGION} failed: TimeoutError: ` +
            "the response was not complete within 300 ms (reading the response body) " +
            `(HTTP 200 headers came, the body did not complete, request id ${requestId}, 2 attempts, endpoint ${endpoint}). ` +
            `Next step: ${endpoint} did not answer completely within 300 ms, on all 2 attempts; ${NETWORK_PATH}, ` +
            "or raise connect-campaign-limits:requestTimeoutMs.",
    },
    ...(
        [
            ["empty-body", "the response body is empty, where the model has a JSON object"],
            ["empty-array", "the response body is a list of 0 items, where the model has a JSON object"],
            [
                "json-string",
                "the response body is a string of 25 characters, where the model has a JSON object",
            ],
            [
                "unknown-union-member",
                "allChannelSubtypes holds a union member this provider does not know (perChannelSubtypeLimits), from a newer version of the API",
            ],
        ] as const
    ).map(([kind, problem]): Row => ({
        title: `a 200 read whose body is ${kind} is refused as limits this provider cannot represent, and nothing is written`,
        arrange: (emulator) => emulator.injectFaults(kind, 1),
        act: (p) => p.create(inputs()),
        requests: [IDENTITY, "GET 200"],
        message: ({ requestId }) =>
            `GetInstanceCommunicationLimits for Amazon Connect instance ${A} in ${REGION} returned limits this ` +
            `provider cannot represent: ${problem} (request id ${requestId}). Nothing was written, so they are ` +
            "still on the instance. Next step: upgrade pulumi-connect-campaign-limits if a newer release reads them, " +
            "or change the instance's limits in the Amazon Connect console to ones this provider reads.",
    })),
    {
        title: "no region anywhere says where to set one, before any request is sent",
        env: { AWS_REGION: undefined },
        act: (p) => p.create(inputs({ region: undefined })),
        requests: [],
        message: () =>
            "ResolveRegion failed: RegionMissing: Region is missing (no request was sent). " +
            'Next step: set the resource\'s region argument, the stack config "aws:region", or AWS_REGION.',
    },
];

function describeRequest(r: RecordedRequest): string {
    return [r.method, String(r.status), r.errorType].filter((part) => part !== undefined).join(" ");
}

/** The wire styles an error can come in besides the plain one, each still naming it. */
const STYLES: [string, ErrorStyle][] = [
    ["x-amzn-ErrorType carrying the Coral suffix", { typeHeader: "coral" }],
    ["__type as namespace#Name and no x-amzn-ErrorType", { typeHeader: "none", typeInBody: true }],
    ['"Message" for the message', { messageKey: "Message" }],
    [
        'the Coral suffix, __type and "Message" at once',
        { typeHeader: "coral", typeInBody: true, messageKey: "Message" },
    ],
];

/** A retryable fault as it reaches the provider, and how the message reports it when it outlasts the attempts. */
interface RetriedFault {
    what: string;
    kind: FaultKind;
    /** Emulator error styles apply to the Connect JSON errors only; a proxy's page has none. */
    styled: boolean;
    /** Small, so that throttling's one-second backoff base costs at most a second or two. */
    attempts: number;
    /** The request as `describeRequest` writes it. */
    request: string;
    /** What the read names besides the instance and region (a role to assume first). */
    role?: string;
    /** The requests that follow the faults when a later attempt succeeds. */
    then: string[];
    failure: (seen: Seen, attempts: number) => string;
}

const RETRIED: RetriedFault[] = [
    {
        what: "a 429 ThrottlingException",
        kind: "throttle",
        styled: true,
        attempts: 2,
        request: "GET 429 ThrottlingException",
        then: ["GET 200"],
        failure: ({ endpoint, requestId }, n) =>
            `GetInstanceCommunicationLimits for Amazon Connect instance ${A} in ${REGION} failed: ThrottlingException: ` +
            `Rate exceeded (HTTP 429, request id ${requestId}, ${n} attempts, endpoint ${endpoint}). ` +
            `Next step: the service kept throttling through all ${n} attempts: the account's request quota in ` +
            `${REGION} is shared with everything else calling it. Run again later, lower ` +
            "connect-campaign-limits:requestsPerSecond (now 10000), or raise connect-campaign-limits:maxAttempts (or " +
            "AWS_MAX_ATTEMPTS).",
    },
    {
        what: "a 500 InternalServerException",
        kind: "internal",
        styled: true,
        attempts: 3,
        request: "GET 500 InternalServerException",
        then: ["GET 200"],
        failure: ({ endpoint, requestId }, n) =>
            `GetInstanceCommunicationLimits for Amazon Connect instance ${A} in ${REGION} failed: InternalServerException: ` +
            "The service encountered an internal error. Try again later. " +
            `(HTTP 500, request id ${requestId}, ${n} attempts, endpoint ${endpoint}). ` +
            `Next step: the fault lasted through all ${n} attempts; ${RAISE}.`,
    },
    {
        what: "a proxy's HTML 502",
        kind: "proxy-502",
        styled: false,
        attempts: 3,
        request: "GET 502",
        then: ["GET 200"],
        failure: ({ endpoint }, n) =>
            `GetInstanceCommunicationLimits for Amazon Connect instance ${A} in ${REGION} failed: MalformedResponse: HTTP 502 ` +
            "with a body the AWS SDK could not read as the service's JSON: 502 Bad Gateway 502 Bad Gateway (HTTP 502, no " +
            `request id in the response, ${n} attempts, endpoint ${endpoint}). Next step: ${endpoint} answered HTTP 502 with a ` +
            `page that is not an AWS response, on all ${n} attempts: a proxy, load balancer or VPC endpoint in front of the ` +
            "service answered instead of it. Run again later, and check the network path (proxy settings, VPC endpoint, " +
            "AWS_ENDPOINT_URL_CONNECTCAMPAIGNSV2 if set).",
    },
    {
        what: "STS's 400 Throttling of the role to assume",
        kind: "throttle",
        styled: false,
        attempts: 2,
        request: "POST 400 Throttling",
        role: ROLE,
        then: ["POST 200", "GET 200"],
        failure: ({ requestId }, n) =>
            `AssumeRole for Amazon Connect instance ${A} in ${REGION} failed: Throttling: Rate exceeded ` +
            `(HTTP 400, request id ${requestId}, ${n} attempts). Next step: STS kept failing through all ${n} ` +
            `attempts; ${RAISE}.`,
    },
];

/** Each retried fault in each style it can come in: the plain one, and the others when it is a Connect error. */
const RETRY_CASES = RETRIED.flatMap((fault) =>
    (fault.styled ? STYLES : [["its own form", {}] as [string, ErrorStyle]]).map(([style, errorStyle]) => ({
        fault,
        style,
        errorStyle,
    })),
);

describe("error messages", function () {
    this.timeout(60_000);
    let emulator: EmulatorHandle;
    let restoreEnv: () => void;

    before(async () => {
        emulator = await startEmulator({
            instances: [A],
            credentials: [TEST_CREDENTIALS, GET_ONLY, PUT_ONLY],
            roles: [{ roleArn: ROLE }, { roleArn: READER_ROLE, allowedActions: [GET_ACTION] }],
        });
        restoreEnv = setEnv(emulatorEnv(emulator.url));
    });
    after(async () => {
        restoreEnv();
        await emulator.close();
        fs.rmSync(path.dirname(PROFILES), { recursive: true, force: true });
    });
    beforeEach(() => {
        emulator.setLimits(A, limits([9, 30]));
        emulator.setErrorStyle({});
        emulator.clearFaults();
        emulator.clearRequests();
    });

    for (const row of ROWS) {
        it(row.title, async () => {
            const endpoint = (await row.arrange?.(emulator)) ?? emulator.url;
            const restore = setEnv({ AWS_ENDPOINT_URL_CONNECTCAMPAIGNSV2: endpoint, ...row.env });
            try {
                const provider = new InstanceCommunicationLimitsProvider(settingsFromEnv({}, row.config));
                const error = await rejection(row.act(provider));
                assert.ok(error instanceof ConnectLimitsError, String(error));
                assert.deepEqual(emulator.requests().map(describeRequest), row.requests);
                const requestId = emulator.requests().at(-1)?.requestId ?? "(no request)";
                assert.equal(
                    row.normalize?.(error.message) ?? error.message,
                    row.message({ endpoint, requestId }),
                );
                // No message repeats a secret, right or wrong.
                for (const secret of [TEST_CREDENTIALS.secretAccessKey, WRONG_SECRET]) {
                    assert.ok(!error.message.includes(secret), "the message contains a secret key");
                }
            } finally {
                restore();
            }
        });
    }

    it("a write whose refusal stalls after its 403 headers may still have applied: the create keeps the resource as a partial failure", async () => {
        const restore = setEnv({
            AWS_ACCESS_KEY_ID: GET_ONLY.accessKeyId,
            AWS_SECRET_ACCESS_KEY: GET_ONLY.secretAccessKey,
        });
        try {
            const provider = new InstanceCommunicationLimitsProvider(
                settingsFromEnv(
                    {},
                    {
                        "connect-campaign-limits:maxAttempts": "1",
                        "connect-campaign-limits:requestTimeoutMs": "300",
                    },
                ),
            );
            emulator.injectFaults("stall", 1, { operation: "PutInstanceCommunicationLimits" });
            const error = await rejection(provider.create(inputs()));
            assert.deepEqual(emulator.requests().map(describeRequest), [
                IDENTITY,
                "GET 200",
                "PUT 403 AccessDeniedException",
            ]);
            // The status came, the body that would name the error did not: nothing says the write was refused.
            assert.ok(error instanceof PartialFailureError, String(error));
            const requestId = emulator.requests().at(-1)?.requestId ?? "(no request)";
            assert.ok(
                error.message.startsWith(
                    `PutInstanceCommunicationLimits for Amazon Connect instance ${A} in ${REGION} failed: TimeoutError: ` +
                        "the response was not complete within 300 ms (reading the response body) (HTTP 403 headers " +
                        `came, the body did not complete, request id ${requestId}, 1 attempt, endpoint ${emulator.url}). `,
                ),
                error.message,
            );
        } finally {
            restore();
        }
    });

    describe("retries of errors in every wire style", () => {
        /** A provider whose calls make `attempts` attempts at most, against the emulator. */
        const withAttempts = (attempts: number) =>
            new InstanceCommunicationLimitsProvider(
                settingsFromEnv({}, { "connect-campaign-limits:maxAttempts": String(attempts) }),
            );

        const read = (fault: RetriedFault) =>
            withAttempts(fault.attempts).read(A, {
                connectInstanceId: A,
                region: REGION,
                ...(fault.role === undefined ? {} : { assumeRoleArn: fault.role }),
            });
        const inject = (fault: RetriedFault, times: number) =>
            emulator.injectFaults(
                fault.kind,
                times,
                fault.role === undefined ? {} : { operation: "AssumeRole" },
            );

        for (const { fault, style, errorStyle } of RETRY_CASES) {
            it(`${fault.what} in ${style} is retried, and the call succeeds when a later attempt does`, async () => {
                emulator.setErrorStyle(errorStyle);
                inject(fault, fault.attempts - 1);
                const result = await read(fault);
                assert.deepEqual(result.props["communicationLimitsConfig"], limits([9, 30]));
                const requests = emulator.requests();
                assert.deepEqual(requests.map(describeRequest), [
                    ...Array<string>(fault.attempts - 1).fill(fault.request),
                    ...fault.then,
                ]);
                // The faulted attempts and the one that succeeded are one SDK call, its last attempt allowed.
                const call = requests.slice(0, fault.attempts);
                assert.equal(new Set(call.map((r) => r.invocationId)).size, 1);
                assert.equal(call.at(-1)?.sdkRequest, `attempt=${fault.attempts}; max=${fault.attempts}`);
            });

            it(`${fault.what} in ${style} on every attempt fails after exactly the configured attempts, naming the error, its status and request id`, async () => {
                emulator.setErrorStyle(errorStyle);
                // More faults queued than attempts allowed: the count the emulator sees is the provider's.
                inject(fault, fault.attempts + 2);
                const error = await rejection(read(fault));
                assert.ok(error instanceof CallFailedError, String(error));
                const requests = emulator.requests();
                assert.deepEqual(
                    requests.map(describeRequest),
                    Array<string>(fault.attempts).fill(fault.request),
                );
                const requestId = requests.at(-1)?.requestId ?? "(no request)";
                assert.equal(
                    error.message,
                    fault.failure({ endpoint: emulator.url, requestId }, fault.attempts),
                );
                assert.doesNotMatch(error.message, /\bUnknown(Error)?\b/);
                assert.doesNotMatch(error.message, /no response/);
            });
        }
    });

    it("a connect timeout names the endpoint and the connect timeout, not the response timeout", () => {
        // The error @smithy/node-http-handler raises when no connection is established within connectionTimeout.
        const sdkError = Object.assign(
            new Error(
                "@smithy/node-http-handler - the request socket did not establish a connection with the server " +
                    "within the configured timeout of 700 ms.",
            ),
            { name: "TimeoutError", $metadata: { attempts: 3 } },
        );
        const settings = settingsFromEnv({ connectTimeoutMs: 700, requestTimeoutMs: 9000 });
        const error = translateError(sdkError, {
            operation: "PutInstanceCommunicationLimits",
            instanceId: A,
            region: REGION,
            endpoint: "https://connect-campaigns.us-west-2.amazonaws.com",
            maxAttempts: settings.maxAttempts,
            attemptTimeoutMs: settings.requestTimeoutMs,
            connectTimeoutMs: settings.connectTimeoutMs,
            requestsPerSecond: settings.requestsPerSecond,
        });
        assert.ok(error instanceof CallFailedError);
        assert.equal(
            error.message,
            `PutInstanceCommunicationLimits for Amazon Connect instance ${A} in ${REGION} failed: TimeoutError: ` +
                "@smithy/node-http-handler - the request socket did not establish a connection with the server " +
                "within the configured timeout of 700 ms. (no response, 3 attempts, endpoint " +
                "https://connect-campaigns.us-west-2.amazonaws.com). Next step: " +
                "https://connect-campaigns.us-west-2.amazonaws.com did not accept a connection within 700 ms, on all " +
                `3 attempts; ${NETWORK_PATH}, or raise connect-campaign-limits:connectTimeoutMs.`,
        );
    });
});

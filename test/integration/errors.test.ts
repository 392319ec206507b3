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

import { CallFailedError, ConnectLimitsError } from "../../provider/errors";
import { translateError } from "../../provider/failures";
import { InstanceCommunicationLimitsProvider } from "../../provider/provider";
import { startEmulator, TEST_CREDENTIALS } from "connect-campaigns-emulator";
import type { EmulatorHandle, RecordedRequest } from "connect-campaigns-emulator";
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
        message: ({ endpoint, requestId }) =>
            `GetInstanceCommunicationLimits for Amazon Connect instance ${A} in ${REGION} failed: InvalidSignatureException: ` +
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret " +
            `Access Key and signing method. (HTTP 403, request id ${requestId}, 1 attempt, endpoint ${endpoint}). ` +
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
        title: "an answer whose body stalls after the headers is cut at the request timeout and retried",
        config: { ...twoAttempts, "connect-campaign-limits:requestTimeoutMs": "300" },
        arrange: (emulator) => emulator.injectFaults("stall", 2),
        act: readA,
        requests: ["GET 200", "GET 200"],
        message: ({ endpoint }) =>
            `GetInstanceCommunicationLimits for Amazon Connect instance ${A} in ${REGION} failed: TimeoutError: ` +
            "the response was not complete within 300 ms (reading the response body) " +
            `(no response, 2 attempts, endpoint ${endpoint}). ` +
            `Next step: ${endpoint} did not answer completely within 300 ms, on all 2 attempts; ${NETWORK_PATH}, ` +
            "or raise connect-campaign-limits:requestTimeoutMs.",
    },
    {
        title: "an answer that trickles a byte at a time is cut at the request timeout and retried",
        config: { ...twoAttempts, "connect-campaign-limits:requestTimeoutMs": "300" },
        arrange: (emulator) => emulator.injectFaults("trickle", 2, { intervalMs: 50 }),
        act: readA,
        requests: ["GET 200", "GET 200"],
        message: ({ endpoint }) =>
            `GetInstanceCommunicationLimits for Amazon Connect instance ${A} in ${REGION} failed: TimeoutError: ` +
            "the response was not complete within 300 ms (reading the response body) " +
            `(no response, 2 attempts, endpoint ${endpoint}). ` +
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
                assert.equal(error.message, row.message({ endpoint, requestId }));
                // No message repeats a secret, right or wrong.
                for (const secret of [TEST_CREDENTIALS.secretAccessKey, WRONG_SECRET]) {
                    assert.ok(!error.message.includes(secret), "the message contains a secret key");
                }
            } finally {
                restore();
            }
        });
    }

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

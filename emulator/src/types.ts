/**
 * Public shapes of the Connect Campaigns V2 emulator: what callers configure, what it records, and the fixed
 * identities it trusts by default.
 */

/** The key every emulator trusts unless `EmulatorOptions.credentials` says otherwise. */
export const TEST_CREDENTIALS = {
    accessKeyId: "AKIAEMULATOR00000001",
    secretAccessKey: "emulatorSecretKey0000000000000000000000/",
} as const satisfies { accessKeyId: string; secretAccessKey: string };

/** The account keys and instances belong to unless they name another one. */
export const TEST_ACCOUNT_ID = "123456789012";

/** The region instances live in unless they, or `EmulatorOptions.region`, name another one. */
export const DEFAULT_REGION = "us-west-2";

/** Instance ids the bin onboards when `--instances` is not given. Shaped like real Connect ids. */
export const DEMO_INSTANCE_IDS: readonly string[] = [
    "8f0c2a4e-6b1d-4e3f-9a57-1c2d3e4f5a61",
    "3b7e9d21-0f4a-4c8b-b2e6-7d8f9a0b1c22",
    "c5d4e3f2-a1b0-4978-8d6c-5e4f3a2b1c03",
];

/** The operations the emulator tells apart. `Unknown` is any request that matches no route. */
export const Operation = {
    GetInstanceCommunicationLimits: "GetInstanceCommunicationLimits",
    PutInstanceCommunicationLimits: "PutInstanceCommunicationLimits",
    AssumeRole: "AssumeRole",
    GetCallerIdentity: "GetCallerIdentity",
    Unknown: "Unknown",
} as const;
export type Operation = (typeof Operation)[keyof typeof Operation];

/** The two Connect Campaigns operations: the default target of fault injection. */
export const CONNECT_OPERATIONS: readonly Operation[] = [
    Operation.GetInstanceCommunicationLimits,
    Operation.PutInstanceCommunicationLimits,
];

/**
 * A long-term key the emulator accepts, and the IAM user it belongs to.
 *
 * Authorization follows what IAM can express for these two actions: the Service Authorization Reference lists
 * no resource type for them, so a policy grants them on `"Resource": "*"` and can narrow them only with global
 * condition keys. The emulator models the action list and the `aws:RequestedRegion` condition.
 */
export interface EmulatorCredential {
    accessKeyId: string;
    secretAccessKey: string;
    /** When set, requests must carry it as `x-amz-security-token`. */
    sessionToken?: string;
    /** The key's account. Default `TEST_ACCOUNT_ID`. */
    account?: string;
    /** The IAM user name in the principal ARN `arn:aws:iam::<account>:user/<userName>`. Default `emulator`. */
    userName?: string;
    /**
     * IAM actions (`connect-campaigns:GetInstanceCommunicationLimits`, `sts:AssumeRole`); `*` matches any run of
     * characters, comparison ignores case. Absent means every action is allowed.
     */
    allowedActions?: string[];
    /**
     * The `aws:RequestedRegion` condition: the allowed actions are allowed only in these regions (`*` allowed), the
     * region being the one the request is signed for. Absent means every region.
     */
    allowedRegions?: string[];
}

/**
 * A role STS AssumeRole may hand out. Each successful AssumeRole issues fresh temporary credentials (`ASIA…` key,
 * secret, session token) in the role's account (read from `roleArn`), carrying this role's permissions.
 * Every known principal may assume every role (no trust policy is modelled) if it is allowed `sts:AssumeRole`
 * and passes the role's `externalId`.
 */
export interface EmulatorRole {
    /** `arn:aws:iam::<account>:role/<path/>name`. */
    roleArn: string;
    /** When set, AssumeRole must pass exactly this `ExternalId`. */
    externalId?: string;
    /** As `EmulatorCredential.allowedActions`, for the role's temporary credentials. */
    allowedActions?: string[];
    /** As `EmulatorCredential.allowedRegions`, for the role's temporary credentials. */
    allowedRegions?: string[];
}

/** Where an instance lives. Each member defaults to the emulator's account and region. */
export interface InstanceLocation {
    account?: string;
    region?: string;
}

/** An instance to onboard, optionally with stored limits (raw JSON, not validated). */
export interface InstanceSpec extends InstanceLocation {
    id: string;
    limits?: unknown;
}

/** An onboarded instance as the emulator holds it. */
export interface InstanceRecord {
    id: string;
    account: string;
    region: string;
    /** The stored `communicationLimitsConfig`, as written; absent when never configured. */
    limits?: unknown;
}

/**
 * Faults: infrastructure failures and the wire variants the real service, and what stands in front of it, send.
 * Unless noted, a fault replaces the answer before authentication and changes no state.
 */
export const FaultKind = {
    /** 429 ThrottlingException (STS: 400 Throttling), in the current error style. */
    Throttle: "throttle",
    /** 500 InternalServerException (STS: 500 InternalFailure). */
    Internal: "internal",
    /** 409 ConflictException (STS: 409 Conflict). */
    Conflict: "conflict",
    /** The socket is destroyed without a response. */
    Drop: "drop",
    /** The request is held for `latencyMs`, then handled normally. */
    Latency: "latency",
    /** No response ever; the socket stays open until the client gives up or the emulator closes. */
    Hang: "hang",
    /** An HTML 502 Bad Gateway, as a proxy or load balancer sends it: no `x-amzn-*` headers at all. */
    Proxy502: "proxy-502",
    /** The request is handled normally (a PUT is stored); the status and headers are sent, the body never. */
    Stall: "stall",
    /** The request is handled normally; the body is sent one byte every `intervalMs` (default one second). */
    Trickle: "trickle",
    /** GET only: 200 with an empty body. */
    EmptyBody: "empty-body",
    /** GET only: 200 with the body `[]`. */
    EmptyArray: "empty-array",
    /** GET only: 200 with a body that is a JSON string. */
    JsonString: "json-string",
    /** GET only: 200 whose `allChannelSubtypes` holds a union member this model does not know. */
    UnknownUnionMember: "unknown-union-member",
} as const;
export type FaultKind = (typeof FaultKind)[keyof typeof FaultKind];
export const FAULT_KINDS: readonly FaultKind[] = Object.values(FaultKind);

/** Faults that shape a 200 GET body: they apply to GetInstanceCommunicationLimits only. */
export const GET_BODY_FAULT_KINDS: readonly FaultKind[] = [
    FaultKind.EmptyBody,
    FaultKind.EmptyArray,
    FaultKind.JsonString,
    FaultKind.UnknownUnionMember,
];

/**
 * A seeded random share of faulted requests. Each decision is a pure function of the seed, the request's instance
 * id and that instance's request sequence number (`RecordedRequest.instanceSeq`), so a run whose requests to each
 * instance come in the same order faults the same requests, however the instances interleave.
 */
export interface FaultProfile {
    seed: number;
    /** Share of eligible requests that get a fault, 0..1. */
    rate: number;
    /** Chosen uniformly among these. A GET-body kind drawn for another operation means no fault. */
    kinds: FaultKind[];
    /** Delay for `latency` faults; default `DEFAULT_LATENCY_MS`. */
    latencyMs?: number;
    /** Byte interval for `trickle` faults; default `DEFAULT_TRICKLE_INTERVAL_MS`. */
    intervalMs?: number;
    /** Which operations are eligible; default both Connect operations. */
    operations?: Operation[];
}

/** Where and how an injected fault applies. */
export interface InjectOptions {
    latencyMs?: number;
    intervalMs?: number;
    /** Default: either Connect operation (GET for the GET-body kinds). Pass `AssumeRole` to fault STS. */
    operation?: Operation;
    instanceId?: string;
}

/** Delay of a `latency` fault when none is given. */
export const DEFAULT_LATENCY_MS = 250;

/** Interval between the bytes of a `trickle` fault when none is given. */
export const DEFAULT_TRICKLE_INTERVAL_MS = 1000;

/**
 * How Connect errors are written. AWS's JSON protocols let the error name travel in the `x-amzn-ErrorType` header
 * (optionally followed by `:` and a namespace URI), in a `code` member or in `__type` (optionally
 * `namespace#Name`); the AWS SDK for JavaScript v3 reads them in that order for restJson1 and strips both
 * decorations (`@smithy/core` protocols, `loadRestJsonErrorCode` / `sanitizeErrorCode`), and reads the message
 * from `message`, else `Message`.
 */
export interface ErrorStyle {
    /**
     * `plain` (default): `x-amzn-ErrorType: Name`; `coral`:
     * `Name:http://internal.amazon.com/coral/com.amazonaws.connectcampaignsv2/`; `none`: no such header.
     */
    typeHeader?: "plain" | "coral" | "none";
    /** Also write `"__type": "com.amazonaws.connectcampaignsv2#Name"` into the body. Default false. */
    typeInBody?: boolean;
    /** The body member holding the message. Default `message`. */
    messageKey?: "message" | "Message";
}

/**
 * A token bucket per account and region, shared by both Connect operations: `burst` tokens at most, refilled at
 * `rate` per second; a request finding it empty is answered 429 ThrottlingException. No published quota was
 * found for these two operations (see the README), so none is applied unless configured.
 */
export interface QuotaOptions {
    /** Tokens per second, > 0 (fractions allowed). */
    rate: number;
    /** Bucket size, >= 1. Default `max(1, ceil(rate))`. */
    burst?: number;
}

/** One request as the emulator saw it, in arrival order, including faulted, throttled and rejected ones. */
export interface RecordedRequest {
    /** 1-based, increasing for the emulator's lifetime (not reset by `clearRequests`). */
    seq: number;
    method: string;
    /** The raw path, still percent-encoded, without the query string. */
    path: string;
    operation: Operation;
    /** The decoded `{connectInstanceId}` path label, for the Connect routes. */
    instanceId?: string;
    /** 1-based number of this request among the requests naming this instance id, for the emulator's lifetime. */
    instanceSeq?: number;
    /** The access key named in the Authorization header, whether or not it was accepted. */
    accessKeyId?: string;
    /** The account of the key, once the request is authenticated. */
    account?: string;
    /** The region named in the signature's credential scope. */
    region?: string;
    /** The parsed JSON body (the raw text when it is not JSON), or for STS the form fields. */
    body?: unknown;
    /** The HTTP status sent; 0 while no response has been sent (in flight, dropped or hung). */
    status: number;
    /** The error name sent (`x-amzn-ErrorType`, or the STS error code). */
    errorType?: string;
    requestId: string;
    fault?: FaultKind;
    /** True when the quota's token bucket was empty and the request was answered 429. */
    throttled: boolean;
    /** The `amz-sdk-invocation-id` header: the same for every attempt of one SDK call. */
    invocationId?: string;
    /** The `amz-sdk-request` header, e.g. `attempt=2; max=3`. */
    sdkRequest?: string;
    /** `Date.now()` when the request's body had been received. */
    receivedAt: number;
}

/** What GET answers for an onboarded instance whose limits were never written. */
export const NeverConfiguredShape = {
    /** Body `{}`. */
    Absent: "absent",
    /** Body `{"communicationLimitsConfig":{}}`. */
    EmptyObject: "empty-object",
    /** Body `{"communicationLimitsConfig":{"allChannelSubtypes":{"communicationLimitsList":[]}}}`. */
    EmptyList: "empty-list",
} as const;
export type NeverConfiguredShape = (typeof NeverConfiguredShape)[keyof typeof NeverConfiguredShape];

export interface EmulatorOptions {
    /** Instances that exist from the start: ids (in the default account and region) or specs. Default none. */
    instances?: (string | InstanceSpec)[];
    /** The default region: of instances that name none, and of `env()`. Default `us-west-2`. */
    region?: string;
    /** The default account: of instances and keys that name none. Default `TEST_ACCOUNT_ID`. */
    account?: string;
    /** Keys the emulator accepts. Default `[TEST_CREDENTIALS]`; the first is the one `env()` hands out. */
    credentials?: EmulatorCredential[];
    roles?: EmulatorRole[];
    /** Default `"absent"`. */
    neverConfigured?: NeverConfiguredShape;
    /** Default `127.0.0.1`. */
    host?: string;
    /** Default 0: the OS picks a free port. */
    port?: number;
    /**
     * Default false: the listening socket, accepted connections and timers are unref'd, so a forgotten emulator
     * never keeps a process alive. The bin passes true.
     */
    keepAlive?: boolean;
    /** Default: no quota. */
    quota?: QuotaOptions;
    /** Default: plain `x-amzn-ErrorType`, `message`. */
    errorStyle?: ErrorStyle;
    /**
     * A JSON file holding the instances and their stored limits: loaded at start when it exists (instances in it win
     * over `instances` with the same account, region and id), rewritten atomically after every change.
     */
    statePath?: string;
    /** Called once per request when its outcome is settled: response sent, socket dropped, or hung. */
    onRequest?: (request: RecordedRequest) => void;
}

export interface EmulatorStats {
    /** Requests received over the emulator's lifetime (not reset by `clearRequests`). */
    requests: number;
    /** Requests answered 429 because the quota was exhausted. */
    throttled: number;
    faults: Record<FaultKind, number>;
}

/**
 * The environment that points the AWS SDKs and CLI at the emulator: variables to set, and (as `undefined`)
 * variables to unset because a user's shell could otherwise override or break the set ones.
 */
export type EmulatorEnv = Record<string, string | undefined>;

/** A running emulator. */
export interface EmulatorHandle {
    /** `http://127.0.0.1:PORT`: the endpoint for both Connect Campaigns V2 and STS, and the admin API's root. */
    readonly url: string;
    /** The default region. */
    readonly region: string;
    /** The default account. */
    readonly account: string;
    /** The key `env()` hands out: the first configured credential. */
    readonly credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
    /** The same variables `--print-env` prints. */
    env(): EmulatorEnv;
    /** Every onboarded instance, in every account and region. */
    instances(): InstanceRecord[];
    /** The instance exists from now on; with `limits`, its stored limits become that raw JSON (not validated). */
    addInstance(id: string, options?: InstanceLocation & { limits?: unknown }): void;
    /** The instance is gone: every call naming it in that account and region answers 404. */
    removeInstance(id: string, where?: InstanceLocation): void;
    /** Whether the instance is onboarded (anywhere, when `where` is absent). */
    hasInstance(id: string, where?: InstanceLocation): boolean;
    /**
     * An out-of-band edit, as through the console: replaces the stored limits (raw JSON, not validated; `undefined`
     * makes the instance "never configured" again), ends pending stale reads, and is not recorded as a request.
     * Without `where`, the instance must exist in exactly one account and region.
     */
    setLimits(id: string, config: unknown, where?: InstanceLocation): void;
    /** The stored `communicationLimitsConfig` (a copy), ignoring stale reads; undefined if never configured. */
    limits(id: string, where?: InstanceLocation): unknown;
    /** Every request received since the last `clearRequests`, in arrival order. */
    requests(): RecordedRequest[];
    clearRequests(): void;
    /** Requests in the log for that operation and instance id (each optional). */
    count(operation?: Operation, instanceId?: string): number;
    stats(): EmulatorStats;
    /** The next `times` matching requests get this fault, first in first out, ahead of any profile. */
    injectFaults(kind: FaultKind, times: number, options?: InjectOptions): void;
    /** Drops every queued fault and the profile. */
    clearFaults(): void;
    /** A seeded share of faults; `undefined` turns it off. */
    setFaultProfile(profile: FaultProfile | undefined): void;
    /** After each successful PUT, the next `count` GETs of that instance still return the value from before it. */
    setStaleReads(count: number): void;
    /** How Connect errors are written from now on (members not given return to their defaults). */
    setErrorStyle(style: ErrorStyle): void;
    /** Replaces the quota (with full buckets); `undefined` removes it. */
    setQuota(quota: QuotaOptions | undefined): void;
    /** Closes the server and destroys every open socket, hung and stalled requests included. Idempotent. */
    close(): Promise<void>;
}

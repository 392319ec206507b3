/**
 * Public shapes of the Connect Campaigns V2 emulator: what callers configure, what it records, and the fixed
 * identities it trusts by default.
 */

/** The key every emulator trusts unless `EmulatorOptions.credentials` says otherwise. */
export const TEST_CREDENTIALS = {
    accessKeyId: "AKIAEMULATOR00000001",
    secretAccessKey: "emulatorSecretKey0000000000000000000000/",
} as const satisfies { accessKeyId: string; secretAccessKey: string };

/** The account every ARN in responses and error messages belongs to. */
export const TEST_ACCOUNT_ID = "123456789012";

/** Instance ids the standalone emulator seeds when `--instances` is not given. Shaped like real Connect ids. */
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
    Unknown: "Unknown",
} as const;
export type Operation = (typeof Operation)[keyof typeof Operation];

/** The two Connect Campaigns operations: the default target of fault injection. */
export const CONNECT_OPERATIONS: readonly Operation[] = [
    Operation.GetInstanceCommunicationLimits,
    Operation.PutInstanceCommunicationLimits,
];

/**
 * A key the emulator accepts. `allowedActions` are IAM action names (`connect-campaigns:GetInstanceCommunicationLimits`,
 * `sts:AssumeRole`); `*` matches any run of characters, comparison ignores case. Absent means every action is allowed.
 */
export interface EmulatorCredential {
    accessKeyId: string;
    secretAccessKey: string;
    /** When set, requests must carry it as `x-amz-security-token`. */
    sessionToken?: string;
    allowedActions?: string[];
    /**
     * Connect instance ARNs (`arn:aws:connect:<region>:<account>:instance/<id>`, `*` allowed) the key may act
     * on, like an IAM policy's `Resource`. Absent means every instance.
     */
    allowedResources?: string[];
}

/**
 * A role STS AssumeRole may hand out. Each successful AssumeRole issues fresh temporary credentials (`ASIA…` key,
 * secret, session token) that carry this role's `allowedActions`.
 */
export interface EmulatorRole {
    roleArn: string;
    /** When set, AssumeRole must pass exactly this `ExternalId`. */
    externalId?: string;
    allowedActions?: string[];
    /** As `EmulatorCredential.allowedResources`, for the role's temporary credentials. */
    allowedResources?: string[];
}

export const FaultKind = {
    /** 429 ThrottlingException. */
    Throttle: "throttle",
    /** 500 InternalServerException. */
    Internal: "internal",
    /** 409 ConflictException. */
    Conflict: "conflict",
    /** The socket is destroyed without a response. */
    Drop: "drop",
    /** The request is held for `latencyMs`, then handled normally. */
    Latency: "latency",
    /** No response ever; the socket stays open until the client gives up or the emulator stops. */
    Hang: "hang",
} as const;
export type FaultKind = (typeof FaultKind)[keyof typeof FaultKind];
export const FAULT_KINDS: readonly FaultKind[] = Object.values(FaultKind);

/** A seeded random share of faulted requests. Deterministic for a given seed and order of eligible requests. */
export interface FaultProfile {
    seed: number;
    /** Share of eligible requests that get a fault, 0..1. */
    rate: number;
    /** Chosen uniformly among these, with the same seeded generator. */
    kinds: FaultKind[];
    /** Delay for `latency` faults; default `DEFAULT_LATENCY_MS`. */
    latencyMs?: number;
    /** Which operations are eligible; default both Connect operations. */
    operations?: Operation[];
}

/** Delay of a `latency` fault when none is given. */
export const DEFAULT_LATENCY_MS = 250;

/** One request as the emulator saw it, in arrival order, including faulted and rejected ones. */
export interface RecordedRequest {
    /** 1-based, increasing for the emulator's lifetime (not reset by `clearRequests`). */
    seq: number;
    method: string;
    /** The raw path, still percent-encoded, without the query string. */
    path: string;
    operation: Operation;
    /** The decoded `{connectInstanceId}` path label, for the Connect routes. */
    instanceId?: string;
    /** The access key named in the Authorization header, whether or not it was accepted. */
    accessKeyId?: string;
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
    /** Instances that exist from the start, with no limits written. Default none. */
    instances?: string[];
    /** Keys the emulator accepts. Default `[TEST_CREDENTIALS]`. */
    credentials?: EmulatorCredential[];
    roles?: EmulatorRole[];
    /** Default `"absent"`. */
    neverConfigured?: NeverConfiguredShape;
    /** Default 0: the OS picks a free port. */
    port?: number;
    /**
     * Default false: the listening socket and accepted connections are unref'd, so a forgotten emulator never keeps
     * a test process alive. The standalone entry passes true.
     */
    keepAlive?: boolean;
    /** Called once per request when its outcome is settled: response sent, socket dropped, or hung. */
    onRequest?: (request: RecordedRequest) => void;
}

export interface EmulatorStats {
    /** Requests received over the emulator's lifetime (not reset by `clearRequests`). */
    requests: number;
    faults: Record<FaultKind, number>;
}

/**
 * A local, strict emulator of Amazon Connect outbound campaigns V2's instance communication limits (Get/Put over
 * restJson1), plus STS AssumeRole and GetCallerIdentity (awsQuery), served over plain HTTP so the real AWS SDK
 * talks to it unchanged, and an admin API under `/_emulator/` for out-of-band edits.
 *
 * Per Connect request, in this order:
 *   route → injected fault (infrastructure, before authentication) → SigV4 (403) → quota (429, per account and
 *   region) → IAM actions and `aws:RequestedRegion` (403) → model validation (400) → the instance in the caller's
 *   account and the signed region (404) → the operation.
 */
import { randomUUID } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { ADMIN_PREFIX, handleAdmin } from "./admin";
import { emulatorEnv } from "./env";
import { FaultPlan } from "./faults";
import { authorize } from "./iam";
import type { Principal } from "./iam";
import { checkInstanceId, checkPutBody, validationMessage } from "./model";
import type { ConstraintViolation } from "./model";
import { TokenBuckets, checkQuota } from "./quota";
import { AuthFailureKind, headerValue, parseAuthorization, verifySigV4 } from "./sigv4";
import type { AuthFailure, KnownKey, ReceivedRequest } from "./sigv4";
import { loadState, saveState } from "./state";
import {
    IAM_ACTION_ASSUME_ROLE,
    MAX_SESSION_DURATION_SECONDS,
    STS_SIGNING_NAME,
    STS_VERSION,
    assumeRoleResponseXml,
    checkAssumeRole,
    getCallerIdentityResponseXml,
    issueCredentials,
    parseForm,
    roleAccount,
    stsErrorXml,
    uniqueId,
} from "./sts";
import type { StsError } from "./sts";
import {
    DEFAULT_REGION,
    FAULT_KINDS,
    FaultKind,
    NeverConfiguredShape,
    Operation,
    TEST_ACCOUNT_ID,
    TEST_CREDENTIALS,
} from "./types";
import type {
    EmulatorCredential,
    EmulatorEnv,
    EmulatorHandle,
    EmulatorOptions,
    EmulatorRole,
    EmulatorStats,
    ErrorStyle,
    FaultProfile,
    InjectOptions,
    InstanceLocation,
    InstanceRecord,
    InstanceSpec,
    QuotaOptions,
    RecordedRequest,
} from "./types";
import { GET_BODY_VARIANTS, PROXY_502_BODY, checkErrorStyle, encodeJsonError } from "./wire";

/** SigV4 signing name of Connect Campaigns (both V1 and V2), not the SDK's service id (service-2.json `signingName`). */
export const CONNECT_CAMPAIGNS_SIGNING_NAME = "connect-campaigns";

const LIMITS_PATH = /^\/v2\/connect-instance\/([^/]*)\/communication-limits$/;
const JSON_CONTENT_TYPE = "application/json";
const XML_CONTENT_TYPE = "text/xml";
const ACCOUNT_PATTERN = /^\d{12}$/;
const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** What the emulator holds for one onboarded instance. */
interface InstanceState {
    id: string;
    account: string;
    region: string;
    /** The `communicationLimitsConfig` last written, as written; undefined when never written. */
    config: unknown;
    /** Set by a PUT while stale reads are on: the value GETs keep returning for `remaining` more reads. */
    stale?: { value: unknown; remaining: number };
}

type Protocol = "json" | "query";

interface Route {
    operation: Operation;
    protocol: Protocol;
    instanceId?: string;
    /** Parsed STS form fields. */
    form?: Record<string, string>;
}

interface ErrorReply {
    status: number;
    name: string;
    message: string;
}

/** One request and how its answer is delivered. */
interface Exchange {
    response: http.ServerResponse;
    record: RecordedRequest;
    delivery: "normal" | "stall" | "trickle";
    intervalMs: number;
}

const CONNECT_AUTH_ERRORS: Record<AuthFailureKind, string> = {
    [AuthFailureKind.Missing]: "MissingAuthenticationTokenException",
    [AuthFailureKind.Incomplete]: "IncompleteSignatureException",
    [AuthFailureKind.Unrecognized]: "UnrecognizedClientException",
    [AuthFailureKind.Signature]: "InvalidSignatureException",
    [AuthFailureKind.ExpiredToken]: "ExpiredTokenException",
};

/** STS's awsQuery codes for the same failures; STS answers 400 for the two it models as client input errors. */
const STS_AUTH_ERRORS: Record<AuthFailureKind, { code: string; status: number }> = {
    [AuthFailureKind.Missing]: { code: "MissingAuthenticationToken", status: 403 },
    [AuthFailureKind.Incomplete]: { code: "IncompleteSignature", status: 400 },
    [AuthFailureKind.Unrecognized]: { code: "InvalidClientTokenId", status: 403 },
    [AuthFailureKind.Signature]: { code: "SignatureDoesNotMatch", status: 403 },
    [AuthFailureKind.ExpiredToken]: { code: "ExpiredToken", status: 400 },
};

const THROTTLED: ErrorReply = { status: 429, name: "ThrottlingException", message: "Rate exceeded" };

function connectFault(
    kind: "throttle" | "internal" | "conflict",
    instanceId: string | undefined,
): ErrorReply {
    switch (kind) {
        case FaultKind.Throttle:
            return THROTTLED;
        case FaultKind.Internal:
            return {
                status: 500,
                name: "InternalServerException",
                message: "The service encountered an internal error. Try again later.",
            };
        case FaultKind.Conflict:
            return {
                status: 409,
                name: "ConflictException",
                message: `A conflicting operation is in progress on instance ${instanceId ?? "(none)"}. Try again.`,
            };
    }
}

function stsFault(kind: "throttle" | "internal" | "conflict"): StsError {
    switch (kind) {
        case FaultKind.Throttle:
            return { status: 400, code: "Throttling", message: "Rate exceeded" };
        case FaultKind.Internal:
            return {
                status: 500,
                code: "InternalFailure",
                message: "An internal error occurred. Try again later.",
            };
        case FaultKind.Conflict:
            return {
                status: 409,
                code: "Conflict",
                message: "A conflicting request is in progress. Try again.",
            };
    }
}

function jsonClone(value: unknown): unknown {
    return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown);
}

function readBody(request: http.IncomingMessage): Promise<Buffer> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        request.on("data", (chunk: Buffer) => chunks.push(chunk));
        request.on("end", () => resolve(Buffer.concat(chunks)));
        request.on("error", reject);
    });
}

function parseJsonOrText(text: string): unknown {
    if (text === "") {
        return undefined;
    }
    try {
        return JSON.parse(text) as unknown;
    } catch {
        return text;
    }
}

function emptyFaultCounts(): Record<FaultKind, number> {
    const counts = {} as Record<FaultKind, number>;
    for (const kind of FAULT_KINDS) {
        counts[kind] = 0;
    }
    return counts;
}

function instanceKey(account: string, region: string, id: string): string {
    return `${account}/${region}/${id}`;
}

function checkAccount(account: string, caller: string): void {
    if (!ACCOUNT_PATTERN.test(account)) {
        throw new RangeError(`${caller}: an account id is 12 digits, got ${JSON.stringify(account)}`);
    }
}

function checkRegion(region: string, caller: string): void {
    if (!REGION_PATTERN.test(region)) {
        throw new RangeError(`${caller}: ${JSON.stringify(region)} is not a region name like us-west-2`);
    }
}

function urlHost(host: string): string {
    if (host === "0.0.0.0" || host === "::") {
        return "127.0.0.1";
    }
    return host.includes(":") ? `[${host}]` : host;
}

class Emulator implements EmulatorHandle {
    readonly url: string;
    readonly region: string;
    readonly account: string;
    readonly credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

    private readonly server: http.Server;
    private readonly options: EmulatorOptions;
    private readonly keepAlive: boolean;
    private readonly keys = new Map<string, KnownKey<Principal>>();
    private readonly roles = new Map<string, EmulatorRole>();
    private readonly instanceStates = new Map<string, InstanceState>();
    private readonly faults = new FaultPlan();
    private readonly timers = new Set<{ timer: NodeJS.Timeout; cancel: () => void }>();
    private readonly instanceSeqs = new Map<string, number>();
    private log: RecordedRequest[] = [];
    private seq = 0;
    private totalRequests = 0;
    private throttledCount = 0;
    private readonly faultCounts = emptyFaultCounts();
    private staleReads = 0;
    private errorStyle: ErrorStyle;
    private buckets: TokenBuckets | undefined;
    private closing: Promise<void> | undefined;

    private constructor(server: http.Server, url: string, options: EmulatorOptions) {
        this.server = server;
        this.url = url;
        this.options = options;
        this.keepAlive = options.keepAlive ?? false;
        this.account = options.account ?? TEST_ACCOUNT_ID;
        checkAccount(this.account, "startEmulator");
        this.region = options.region ?? DEFAULT_REGION;
        checkRegion(this.region, "startEmulator");
        this.errorStyle = checkErrorStyle(options.errorStyle ?? {}, "startEmulator");
        if (options.quota !== undefined) {
            this.buckets = new TokenBuckets(checkQuota(options.quota, "startEmulator"));
        }
        const credentials: readonly EmulatorCredential[] = options.credentials ?? [TEST_CREDENTIALS];
        for (const credential of credentials) {
            this.addCredential(credential);
        }
        const first = credentials[0];
        if (first === undefined) {
            throw new RangeError("startEmulator: credentials must hold at least one key");
        }
        this.credentials = { accessKeyId: first.accessKeyId, secretAccessKey: first.secretAccessKey };
        if (first.sessionToken !== undefined) {
            this.credentials.sessionToken = first.sessionToken;
        }
        for (const role of options.roles ?? []) {
            if (roleAccount(role.roleArn) === undefined) {
                throw new RangeError(
                    `startEmulator: ${role.roleArn} is not a role ARN (arn:aws:iam::<account>:role/<name>)`,
                );
            }
            this.roles.set(role.roleArn, { ...role });
        }
        for (const spec of options.instances ?? []) {
            const { id, limits, ...where } = typeof spec === "string" ? ({ id: spec } as InstanceSpec) : spec;
            this.onboard(id, where, limits, "startEmulator");
        }
        if (options.statePath !== undefined) {
            for (const saved of loadState(options.statePath) ?? []) {
                this.onboard(saved.id, saved, saved.limits, `state file ${options.statePath}`);
            }
            this.persist();
        }
    }

    /** Starts listening on `options.host` (default 127.0.0.1), port `options.port` (default any free one). */
    static async start(options: EmulatorOptions = {}): Promise<Emulator> {
        const server = http.createServer();
        const host = options.host ?? "127.0.0.1";
        await new Promise<void>((resolve, reject) => {
            server.once("error", reject);
            server.listen(options.port ?? 0, host, () => {
                server.off("error", reject);
                resolve();
            });
        });
        const { port } = server.address() as AddressInfo;
        let emulator: Emulator;
        try {
            emulator = new Emulator(server, `http://${urlHost(host)}:${port}`, options);
        } catch (error: unknown) {
            await new Promise<void>((resolve) => server.close(() => resolve()));
            throw error;
        }
        server.on("request", (request: http.IncomingMessage, response: http.ServerResponse) => {
            emulator.handle(request, response).catch((error: unknown) => emulator.crash(response, error));
        });
        if (!emulator.keepAlive) {
            server.unref();
            server.on("connection", (socket: Socket) => socket.unref());
        }
        return emulator;
    }

    env(): EmulatorEnv {
        return emulatorEnv(this.url, this.region, this.credentials);
    }

    instances(): InstanceRecord[] {
        return [...this.instanceStates.values()].map((state) => this.recordOf(state));
    }

    addInstance(id: string, options: InstanceLocation & { limits?: unknown } = {}): void {
        const { limits, ...where } = options;
        this.onboard(id, where, limits, "addInstance");
        this.persist();
    }

    removeInstance(id: string, where?: InstanceLocation): void {
        const state = this.locate(id, where, "removeInstance");
        this.instanceStates.delete(instanceKey(state.account, state.region, state.id));
        this.persist();
    }

    hasInstance(id: string, where?: InstanceLocation): boolean {
        return this.matching(id, where).length > 0;
    }

    setLimits(id: string, config: unknown, where?: InstanceLocation): void {
        const state = this.locate(id, where, "setLimits");
        state.config = jsonClone(config);
        delete state.stale;
        this.persist();
    }

    limits(id: string, where?: InstanceLocation): unknown {
        return jsonClone(this.locate(id, where, "limits").config);
    }

    requests(): RecordedRequest[] {
        return [...this.log];
    }

    clearRequests(): void {
        this.log = [];
    }

    count(operation?: Operation, instanceId?: string): number {
        return this.log.filter(
            (r) =>
                (operation === undefined || r.operation === operation) &&
                (instanceId === undefined || r.instanceId === instanceId),
        ).length;
    }

    stats(): EmulatorStats {
        return {
            requests: this.totalRequests,
            throttled: this.throttledCount,
            faults: { ...this.faultCounts },
        };
    }

    injectFaults(kind: FaultKind, times: number, options?: InjectOptions): void {
        this.faults.inject(kind, times, options);
    }

    clearFaults(): void {
        this.faults.clear();
    }

    setFaultProfile(profile: FaultProfile | undefined): void {
        this.faults.setProfile(profile);
    }

    setStaleReads(count: number): void {
        if (!Number.isInteger(count) || count < 0) {
            throw new RangeError(`setStaleReads: count must be a non-negative integer, got ${count}`);
        }
        this.staleReads = count;
    }

    setErrorStyle(style: ErrorStyle): void {
        this.errorStyle = checkErrorStyle(style, "setErrorStyle");
    }

    setQuota(quota: QuotaOptions | undefined): void {
        this.buckets = quota === undefined ? undefined : new TokenBuckets(checkQuota(quota, "setQuota"));
    }

    close(): Promise<void> {
        this.closing ??= new Promise<void>((resolve) => {
            for (const entry of this.timers) {
                clearTimeout(entry.timer);
                entry.cancel();
            }
            this.timers.clear();
            this.server.close(() => resolve());
            this.server.closeAllConnections();
        });
        return this.closing;
    }

    private recordOf(state: InstanceState): InstanceRecord {
        const record: InstanceRecord = { id: state.id, account: state.account, region: state.region };
        if (state.config !== undefined) {
            record.limits = jsonClone(state.config);
        }
        return record;
    }

    private onboard(id: string, where: InstanceLocation, limits: unknown, caller: string): void {
        const problems = checkInstanceId(id);
        if (problems.length > 0) {
            throw new RangeError(`${caller}: ${validationMessage(problems)}`);
        }
        const account = where.account ?? this.account;
        const region = where.region ?? this.region;
        checkAccount(account, caller);
        checkRegion(region, caller);
        const key = instanceKey(account, region, id);
        const state = this.instanceStates.get(key) ?? { id, account, region, config: undefined };
        if (limits !== undefined) {
            state.config = jsonClone(limits);
            delete state.stale;
        }
        this.instanceStates.set(key, state);
    }

    private matching(id: string, where: InstanceLocation | undefined): InstanceState[] {
        return [...this.instanceStates.values()].filter(
            (state) =>
                state.id === id &&
                (where?.account === undefined || state.account === where.account) &&
                (where?.region === undefined || state.region === where.region),
        );
    }

    /** The one instance `id` names (in `where`, when given); throws when there is none or more than one. */
    private locate(id: string, where: InstanceLocation | undefined, caller: string): InstanceState {
        const found = this.matching(id, where);
        const [only] = found;
        if (only !== undefined && found.length === 1) {
            return only;
        }
        const scope = [where?.account, where?.region].filter((part) => part !== undefined).join("/");
        if (found.length === 0) {
            throw new Error(
                `${caller}: instance ${id} is not onboarded${scope === "" ? "" : ` in ${scope}`}`,
            );
        }
        throw new Error(
            `${caller}: instance ${id} is onboarded in ${found.map((s) => `${s.account}/${s.region}`).join(" and ")}; ` +
                "say which with { account, region }",
        );
    }

    private persist(): void {
        if (this.options.statePath !== undefined) {
            saveState(this.options.statePath, this.instances());
        }
    }

    private addCredential(credential: EmulatorCredential): void {
        const account = credential.account ?? this.account;
        checkAccount(account, "startEmulator");
        const arn = `arn:aws:iam::${account}:user/${credential.userName ?? "emulator"}`;
        const principal: Principal = { arn, account, userId: uniqueId("AIDA", arn) };
        if (credential.allowedActions !== undefined) {
            principal.allowedActions = [...credential.allowedActions];
        }
        if (credential.allowedRegions !== undefined) {
            principal.allowedRegions = [...credential.allowedRegions];
        }
        const key: KnownKey<Principal> = { secretAccessKey: credential.secretAccessKey, identity: principal };
        if (credential.sessionToken !== undefined) {
            key.sessionToken = credential.sessionToken;
        }
        this.keys.set(credential.accessKeyId, key);
    }

    private route(method: string, path: string, contentType: string, body: string): Route {
        const limits = LIMITS_PATH.exec(path);
        if (limits !== null) {
            const raw = limits[1] ?? "";
            let instanceId = raw;
            try {
                instanceId = decodeURIComponent(raw);
            } catch {
                // Malformed percent-encoding: keep the raw label; its `%` fails the id pattern in validation.
            }
            const operation =
                method === "GET"
                    ? Operation.GetInstanceCommunicationLimits
                    : method === "PUT"
                      ? Operation.PutInstanceCommunicationLimits
                      : Operation.Unknown;
            return { operation, protocol: "json", instanceId };
        }
        if (
            path === "/" &&
            method === "POST" &&
            contentType.startsWith("application/x-www-form-urlencoded")
        ) {
            const form = parseForm(body);
            const operation =
                form["Action"] === "AssumeRole"
                    ? Operation.AssumeRole
                    : form["Action"] === "GetCallerIdentity"
                      ? Operation.GetCallerIdentity
                      : Operation.Unknown;
            return { operation, protocol: "query", form };
        }
        return { operation: Operation.Unknown, protocol: "json" };
    }

    private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
        const bodyBytes = await readBody(request);
        const bodyText = bodyBytes.toString("utf8");
        const method = request.method ?? "GET";
        const url = request.url ?? "/";
        const queryAt = url.indexOf("?");
        const path = queryAt < 0 ? url : url.slice(0, queryAt);
        const rawQuery = queryAt < 0 ? "" : url.slice(queryAt + 1);
        if (path === ADMIN_PREFIX || path.startsWith(`${ADMIN_PREFIX}/`)) {
            const answer = handleAdmin(this, method, path, new URLSearchParams(rawQuery), bodyText);
            const body = answer.body === undefined ? "" : `${JSON.stringify(answer.body, null, 2)}\n`;
            response.writeHead(answer.status, {
                "content-type": JSON_CONTENT_TYPE,
                "content-length": Buffer.byteLength(body),
            });
            response.end(body);
            return;
        }
        const received: ReceivedRequest = {
            method,
            path,
            rawQuery,
            headers: request.headersDistinct,
            body: bodyBytes,
        };
        const route = this.route(method, path, headerValue(received.headers, "content-type") ?? "", bodyText);

        const record: RecordedRequest = {
            seq: ++this.seq,
            method,
            path,
            operation: route.operation,
            status: 0,
            requestId: randomUUID(),
            throttled: false,
            receivedAt: Date.now(),
        };
        const seqKey = route.instanceId ?? "";
        const instanceSeq = (this.instanceSeqs.get(seqKey) ?? 0) + 1;
        this.instanceSeqs.set(seqKey, instanceSeq);
        if (route.instanceId !== undefined) {
            record.instanceId = route.instanceId;
            record.instanceSeq = instanceSeq;
        }
        const recordedBody = route.form ?? parseJsonOrText(bodyText);
        if (recordedBody !== undefined) {
            record.body = recordedBody;
        }
        const authorization = headerValue(received.headers, "authorization");
        const claimed = authorization === undefined ? undefined : parseAuthorization(authorization);
        if (claimed !== undefined && !("problems" in claimed)) {
            record.accessKeyId = claimed.accessKeyId;
            record.region = claimed.region;
        }
        const invocationId = headerValue(received.headers, "amz-sdk-invocation-id");
        if (invocationId !== undefined) {
            record.invocationId = invocationId;
        }
        const sdkRequest = headerValue(received.headers, "amz-sdk-request");
        if (sdkRequest !== undefined) {
            record.sdkRequest = sdkRequest;
        }
        this.log.push(record);
        this.totalRequests++;

        const exchange: Exchange = { response, record, delivery: "normal", intervalMs: 0 };
        const fault = this.faults.next(route.operation, route.instanceId, instanceSeq);
        if (fault !== undefined) {
            record.fault = fault.kind;
            this.faultCounts[fault.kind]++;
            switch (fault.kind) {
                case FaultKind.Drop:
                    request.socket.destroy();
                    this.settle(record);
                    return;
                case FaultKind.Hang:
                    this.settle(record);
                    return;
                case FaultKind.Latency:
                    await this.wait(fault.latencyMs);
                    if (this.closing !== undefined || response.destroyed) {
                        return;
                    }
                    break;
                case FaultKind.Stall:
                case FaultKind.Trickle:
                    exchange.delivery = fault.kind;
                    exchange.intervalMs = fault.intervalMs;
                    break;
                case FaultKind.Proxy502:
                    this.send(exchange, 502, "text/html", PROXY_502_BODY, {}, false);
                    return;
                case FaultKind.Throttle:
                case FaultKind.Internal:
                case FaultKind.Conflict:
                    if (route.protocol === "query") {
                        this.sendStsError(exchange, stsFault(fault.kind));
                    } else {
                        this.sendJsonError(exchange, connectFault(fault.kind, route.instanceId));
                    }
                    return;
                case FaultKind.EmptyBody:
                case FaultKind.EmptyArray:
                case FaultKind.JsonString:
                case FaultKind.UnknownUnionMember:
                    this.send(exchange, 200, JSON_CONTENT_TYPE, GET_BODY_VARIANTS[fault.kind]);
                    return;
            }
        }

        if (route.protocol === "query") {
            await this.handleSts(received, route, exchange);
        } else {
            await this.handleConnect(received, route, bodyText, exchange);
        }
    }

    private async handleConnect(
        received: ReceivedRequest,
        route: Route,
        bodyText: string,
        exchange: Exchange,
    ): Promise<void> {
        const { record } = exchange;
        if (route.operation === Operation.Unknown || route.instanceId === undefined) {
            this.sendJsonError(exchange, {
                status: 404,
                name: "UnknownOperationException",
                message: `No operation matches ${record.method} ${record.path}`,
            });
            return;
        }
        const instanceId = route.instanceId;
        const auth = await verifySigV4(received, {
            service: CONNECT_CAMPAIGNS_SIGNING_NAME,
            lookup: (accessKeyId) => this.keys.get(accessKeyId),
        });
        if (!auth.ok) {
            this.sendJsonError(exchange, {
                status: 403,
                name: CONNECT_AUTH_ERRORS[auth.kind],
                message: auth.message,
            });
            return;
        }
        const principal = auth.identity;
        record.account = principal.account;
        if (this.buckets !== undefined && !this.buckets.take(`${principal.account}/${auth.region}`)) {
            record.throttled = true;
            this.throttledCount++;
            this.sendJsonError(exchange, THROTTLED);
            return;
        }
        const action = `connect-campaigns:${route.operation}`;
        const decision = authorize(principal, action, auth.region);
        if (!decision.allowed) {
            this.sendJsonError(exchange, {
                status: 403,
                name: "AccessDeniedException",
                message: decision.message,
            });
            return;
        }
        const violations: ConstraintViolation[] = checkInstanceId(instanceId);
        let putConfig: unknown;
        if (route.operation === Operation.PutInstanceCommunicationLimits) {
            const checked = checkPutBody(bodyText);
            violations.push(...checked.violations);
            if (checked.violations.length === 0) {
                putConfig = (checked.body as Record<string, unknown>)["communicationLimitsConfig"];
            }
        }
        if (violations.length > 0) {
            this.sendJsonError(exchange, {
                status: 400,
                name: "ValidationException",
                message: validationMessage(violations),
            });
            return;
        }
        const state = this.instanceStates.get(instanceKey(principal.account, auth.region, instanceId));
        if (state === undefined) {
            this.sendJsonError(exchange, {
                status: 404,
                name: "ResourceNotFoundException",
                message: `Amazon Connect instance ${instanceId} was not found in account ${principal.account}, region ${auth.region}.`,
            });
            return;
        }
        if (route.operation === Operation.PutInstanceCommunicationLimits) {
            const previous = state.config;
            state.config = jsonClone(putConfig);
            if (this.staleReads > 0) {
                state.stale = { value: previous, remaining: this.staleReads };
            } else {
                delete state.stale;
            }
            this.persist();
            this.send(exchange, 200, JSON_CONTENT_TYPE, "");
            return;
        }
        let config = state.config;
        if (state.stale !== undefined) {
            config = state.stale.value;
            state.stale.remaining--;
            if (state.stale.remaining <= 0) {
                delete state.stale;
            }
        }
        this.send(exchange, 200, JSON_CONTENT_TYPE, JSON.stringify(this.getResponseBody(config)));
    }

    private getResponseBody(config: unknown): Record<string, unknown> {
        if (config !== undefined) {
            return { communicationLimitsConfig: config };
        }
        switch (this.options.neverConfigured ?? NeverConfiguredShape.Absent) {
            case NeverConfiguredShape.Absent:
                return {};
            case NeverConfiguredShape.EmptyObject:
                return { communicationLimitsConfig: {} };
            case NeverConfiguredShape.EmptyList:
                return { communicationLimitsConfig: { allChannelSubtypes: { communicationLimitsList: [] } } };
        }
    }

    private async handleSts(received: ReceivedRequest, route: Route, exchange: Exchange): Promise<void> {
        const form = route.form ?? {};
        const auth = await verifySigV4(received, {
            service: STS_SIGNING_NAME,
            lookup: (accessKeyId) => this.keys.get(accessKeyId),
        });
        if (!auth.ok) {
            this.sendStsError(exchange, this.stsAuthError(auth));
            return;
        }
        const principal = auth.identity;
        exchange.record.account = principal.account;
        if (route.operation === Operation.Unknown || form["Version"] !== STS_VERSION) {
            this.sendStsError(exchange, {
                status: 400,
                code: "InvalidAction",
                message: `Could not find operation ${form["Action"] ?? "(none)"} for version ${form["Version"] ?? "(none)"}`,
            });
            return;
        }
        if (route.operation === Operation.GetCallerIdentity) {
            this.send(
                exchange,
                200,
                XML_CONTENT_TYPE,
                getCallerIdentityResponseXml(principal, exchange.record.requestId),
            );
            return;
        }
        const roleArnForMessage = form["RoleArn"] ?? "*";
        const decision = authorize(principal, IAM_ACTION_ASSUME_ROLE, auth.region, roleArnForMessage);
        if (!decision.allowed) {
            this.sendStsError(exchange, { status: 403, code: "AccessDenied", message: decision.message });
            return;
        }
        const checked = checkAssumeRole(form);
        if (Array.isArray(checked)) {
            this.sendStsError(exchange, {
                status: 400,
                code: "ValidationError",
                message: validationMessage(checked),
            });
            return;
        }
        const role = this.roles.get(checked.roleArn);
        if (role === undefined || (role.externalId !== undefined && role.externalId !== checked.externalId)) {
            // The role's trust policy does not admit this caller (or the role does not exist): IAM says so the same
            // way in both cases, so a caller cannot probe for role names.
            this.sendStsError(exchange, {
                status: 403,
                code: "AccessDenied",
                message: `User: ${principal.arn} is not authorized to perform: ${IAM_ACTION_ASSUME_ROLE} on resource: ${checked.roleArn}`,
            });
            return;
        }
        if (checked.durationSeconds > MAX_SESSION_DURATION_SECONDS) {
            this.sendStsError(exchange, {
                status: 400,
                code: "ValidationError",
                message: "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
            });
            return;
        }
        const account = roleAccount(role.roleArn) ?? this.account;
        const issued = issueCredentials(checked, account, Date.now());
        const assumed: Principal = { arn: issued.assumedRoleArn, account, userId: issued.assumedRoleId };
        if (role.allowedActions !== undefined) {
            assumed.allowedActions = [...role.allowedActions];
        }
        if (role.allowedRegions !== undefined) {
            assumed.allowedRegions = [...role.allowedRegions];
        }
        this.keys.set(issued.accessKeyId, {
            secretAccessKey: issued.secretAccessKey,
            sessionToken: issued.sessionToken,
            expiresAt: issued.expiresAt,
            identity: assumed,
        });
        this.send(exchange, 200, XML_CONTENT_TYPE, assumeRoleResponseXml(issued, exchange.record.requestId));
    }

    private stsAuthError(auth: AuthFailure): StsError {
        const { code, status } = STS_AUTH_ERRORS[auth.kind];
        return { status, code, message: auth.message };
    }

    /**
     * A timer that `close()` cancels (calling `cancel`, by default `done`); unref'd unless the emulator keeps its
     * process alive.
     */
    private schedule(ms: number, done: () => void, cancel: () => void = done): void {
        const entry = {
            timer: setTimeout(() => {
                this.timers.delete(entry);
                done();
            }, ms),
            cancel,
        };
        if (!this.keepAlive) {
            entry.timer.unref();
        }
        this.timers.add(entry);
    }

    private wait(ms: number): Promise<void> {
        return new Promise((resolve) => this.schedule(ms, resolve));
    }

    private sendJsonError(exchange: Exchange, error: ErrorReply): void {
        exchange.record.errorType = error.name;
        const encoded = encodeJsonError(error.name, error.message, this.errorStyle);
        this.send(exchange, error.status, JSON_CONTENT_TYPE, encoded.body, encoded.headers);
    }

    private sendStsError(exchange: Exchange, error: StsError): void {
        exchange.record.errorType = error.code;
        this.send(exchange, error.status, XML_CONTENT_TYPE, stsErrorXml(error, exchange.record.requestId));
    }

    /**
     * Writes the answer as the exchange's delivery says: whole; headers only (`stall`: chunked, never ended); or one
     * byte per interval (`trickle`). Every answer carries `x-amzn-RequestId` except a proxy's.
     */
    private send(
        exchange: Exchange,
        status: number,
        contentType: string,
        body: string,
        extraHeaders: Record<string, string> = {},
        fromService = true,
    ): void {
        const { response, record } = exchange;
        record.status = status;
        if (!response.destroyed && !response.headersSent) {
            const headers: Record<string, string | number> = { "content-type": contentType, ...extraHeaders };
            if (fromService) {
                headers["x-amzn-RequestId"] = record.requestId;
            }
            const bytes = Buffer.from(body, "utf8");
            switch (exchange.delivery) {
                case "normal":
                    headers["content-length"] = bytes.length;
                    response.writeHead(status, headers);
                    response.end(bytes);
                    break;
                case "stall":
                    response.writeHead(status, headers);
                    response.flushHeaders();
                    break;
                case "trickle":
                    headers["content-length"] = bytes.length;
                    response.writeHead(status, headers);
                    response.flushHeaders();
                    this.trickle(response, bytes, 0, exchange.intervalMs);
                    break;
            }
        }
        this.settle(record);
    }

    private trickle(response: http.ServerResponse, bytes: Buffer, offset: number, intervalMs: number): void {
        if (offset >= bytes.length) {
            response.end();
            return;
        }
        this.schedule(
            intervalMs,
            () => {
                if (response.destroyed || this.closing !== undefined) {
                    return;
                }
                response.write(bytes.subarray(offset, offset + 1));
                this.trickle(response, bytes, offset + 1, intervalMs);
            },
            () => undefined,
        );
    }

    private settle(record: RecordedRequest): void {
        this.options.onRequest?.(record);
    }

    /** A bug in the emulator itself: answer 500 rather than leave the client waiting, and say so. */
    private crash(response: http.ServerResponse, error: unknown): void {
        const message = error instanceof Error ? error.message : String(error);
        if (!response.destroyed && !response.headersSent) {
            response.writeHead(500, {
                "x-amzn-RequestId": randomUUID(),
                "x-amzn-ErrorType": "InternalServerException",
                "content-type": JSON_CONTENT_TYPE,
            });
            response.end(JSON.stringify({ message: `Emulator failure: ${message}` }));
        }
    }
}

/**
 * Starts an emulator: listening on 127.0.0.1 and a free port unless told otherwise, never keeping the process
 * alive unless `keepAlive` is set. Stop it with `close()`.
 */
export function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
    return Emulator.start(options);
}

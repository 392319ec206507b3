/**
 * A local, strict emulator of Amazon Connect Campaigns V2's instance communication limits (Get/Put over restJson1)
 * plus STS AssumeRole (awsQuery), served over plain HTTP on 127.0.0.1 so the real AWS SDK talks to it unchanged.
 *
 * Per Connect request, in the order AWS applies them:
 *   route → injected fault (infrastructure, before auth) → SigV4 (403) → IAM allowedActions (403)
 *   → model validation (400) → instance existence (404) → the operation.
 */
import { randomUUID } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { FaultPlan } from "./faults";
import type { InjectOptions } from "./faults";
import { checkInstanceId, checkPutBody, validationMessage } from "./model";
import type { ConstraintViolation } from "./model";
import { AuthFailureKind, headerValue, parseAuthorization, verifySigV4 } from "./sigv4";
import type { AuthFailure, KnownKey, ReceivedRequest } from "./sigv4";
import {
    IAM_ACTION_ASSUME_ROLE,
    MAX_SESSION_DURATION_SECONDS,
    STS_SIGNING_NAME,
    STS_VERSION,
    assumeRoleResponseXml,
    checkAssumeRole,
    issueCredentials,
    parseForm,
    stsErrorXml,
} from "./sts";
import type { StsError } from "./sts";
import {
    FAULT_KINDS,
    FaultKind,
    NeverConfiguredShape,
    Operation,
    TEST_ACCOUNT_ID,
    TEST_CREDENTIALS,
} from "./types";
import type {
    EmulatorCredential,
    EmulatorOptions,
    EmulatorRole,
    EmulatorStats,
    FaultProfile,
    RecordedRequest,
} from "./types";

/** SigV4 signing name of Connect Campaigns (both V1 and V2), not the SDK's service id. */
export const CONNECT_CAMPAIGNS_SIGNING_NAME = "connect-campaigns";

const LIMITS_PATH = /^\/v2\/connect-instance\/([^/]*)\/communication-limits$/;
const JSON_CONTENT_TYPE = "application/json";
const XML_CONTENT_TYPE = "text/xml";

/** Who a key belongs to, for IAM decisions and messages. */
interface Principal {
    arn: string;
    allowedActions?: string[];
    allowedResources?: string[];
}

/** What the emulator holds for one onboarded instance. */
interface InstanceState {
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

function connectFault(
    kind: "throttle" | "internal" | "conflict",
    instanceId: string | undefined,
): ErrorReply {
    switch (kind) {
        case FaultKind.Throttle:
            return { status: 429, name: "ThrottlingException", message: "Rate exceeded" };
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

/** IAM-style match: `*` spans any characters; action names compare case-insensitively, ARNs do not. */
function matches(patterns: readonly string[] | undefined, value: string, ignoreCase: boolean): boolean {
    if (patterns === undefined) {
        return true;
    }
    return patterns.some((pattern) => {
        const source = pattern
            .split("*")
            .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
            .join(".*");
        return new RegExp(`^${source}$`, ignoreCase ? "i" : "").test(value);
    });
}

function actionAllowed(allowedActions: readonly string[] | undefined, action: string): boolean {
    return matches(allowedActions, action, true);
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

export class Emulator {
    /** `http://127.0.0.1:PORT`. */
    readonly endpoint: string;

    private readonly server: http.Server;
    private readonly options: EmulatorOptions;
    private readonly keys = new Map<string, KnownKey<Principal>>();
    private readonly roles = new Map<string, EmulatorRole>();
    private readonly instances = new Map<string, InstanceState>();
    private readonly faults = new FaultPlan();
    private readonly waits = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
    private log: RecordedRequest[] = [];
    private seq = 0;
    private totalRequests = 0;
    private readonly faultCounts = emptyFaultCounts();
    private staleReads = 0;
    private stopping: Promise<void> | undefined;

    private constructor(server: http.Server, endpoint: string, options: EmulatorOptions) {
        this.server = server;
        this.endpoint = endpoint;
        this.options = options;
        for (const credential of options.credentials ?? [TEST_CREDENTIALS]) {
            this.addCredential(credential);
        }
        for (const role of options.roles ?? []) {
            this.roles.set(role.roleArn, { ...role });
        }
        for (const instanceId of options.instances ?? []) {
            this.onboard(instanceId);
        }
    }

    /** Starts listening on 127.0.0.1 (port `options.port`, default any free one). */
    static async start(options: EmulatorOptions = {}): Promise<Emulator> {
        const server = http.createServer();
        const keepAlive = options.keepAlive ?? false;
        await new Promise<void>((resolve, reject) => {
            server.once("error", reject);
            server.listen(options.port ?? 0, "127.0.0.1", () => {
                server.off("error", reject);
                resolve();
            });
        });
        const { port } = server.address() as AddressInfo;
        const emulator = new Emulator(server, `http://127.0.0.1:${port}`, options);
        server.on("request", (request: http.IncomingMessage, response: http.ServerResponse) => {
            emulator.handle(request, response).catch((error: unknown) => emulator.crash(response, error));
        });
        if (!keepAlive) {
            server.unref();
            server.on("connection", (socket: Socket) => socket.unref());
        }
        return emulator;
    }

    /** Every request received, in arrival order, including faulted and rejected ones. */
    get requests(): readonly RecordedRequest[] {
        return this.log;
    }

    get stats(): EmulatorStats {
        return { requests: this.totalRequests, faults: { ...this.faultCounts } };
    }

    count(operation?: Operation, instanceId?: string): number {
        return this.log.filter(
            (r) =>
                (operation === undefined || r.operation === operation) &&
                (instanceId === undefined || r.instanceId === instanceId),
        ).length;
    }

    clearRequests(): void {
        this.log = [];
    }

    /** The instance exists from now on. With `config`, its stored limits become that raw JSON (not validated). */
    onboard(instanceId: string, config?: unknown): void {
        const problems = checkInstanceId(instanceId);
        if (problems.length > 0) {
            throw new Error(`onboard: ${validationMessage(problems)}`);
        }
        const state = this.instances.get(instanceId) ?? { config: undefined };
        if (config !== undefined) {
            state.config = jsonClone(config);
            delete state.stale;
        }
        this.instances.set(instanceId, state);
    }

    /** The instance is gone: every call naming it now answers 404 ResourceNotFoundException. */
    offboard(instanceId: string): void {
        this.instances.delete(instanceId);
    }

    isOnboarded(instanceId: string): boolean {
        return this.instances.has(instanceId);
    }

    /**
     * An out-of-band edit, as through the console: replaces the stored limits (raw JSON, not validated; `undefined`
     * makes the instance "never configured" again), ends any pending stale reads, and is not recorded as a request.
     */
    setLimits(instanceId: string, config: unknown): void {
        const state = this.mustGet(instanceId, "setLimits");
        state.config = jsonClone(config);
        delete state.stale;
    }

    /** The stored `communicationLimitsConfig` (a copy), ignoring stale reads; undefined if never configured. */
    limits(instanceId: string): unknown {
        return jsonClone(this.mustGet(instanceId, "limits").config);
    }

    /** The next `times` requests that match get this fault, first in first out, ahead of any profile. */
    injectFaults(kind: FaultKind, times: number, options?: InjectOptions): void {
        this.faults.inject(kind, times, options);
    }

    /** A seeded random share of faults; `undefined` turns it off. Setting a profile restarts its generator. */
    setFaultProfile(profile: FaultProfile | undefined): void {
        this.faults.setProfile(profile);
    }

    /** After each successful PUT, the next `count` GETs of that instance still return the value from before it. */
    setStaleReads(count: number): void {
        if (!Number.isInteger(count) || count < 0) {
            throw new RangeError(`setStaleReads: count must be a non-negative integer, got ${count}`);
        }
        this.staleReads = count;
    }

    /** Closes the server and destroys every open socket, hung requests included. Idempotent. */
    stop(): Promise<void> {
        this.stopping ??= new Promise<void>((resolve) => {
            for (const wait of this.waits) {
                clearTimeout(wait.timer);
                wait.resolve();
            }
            this.waits.clear();
            this.server.close(() => resolve());
            this.server.closeAllConnections();
        });
        return this.stopping;
    }

    private addCredential(credential: EmulatorCredential): void {
        const principal: Principal = { arn: `arn:aws:iam::${TEST_ACCOUNT_ID}:user/emulator` };
        if (credential.allowedActions !== undefined) {
            principal.allowedActions = [...credential.allowedActions];
        }
        if (credential.allowedResources !== undefined) {
            principal.allowedResources = [...credential.allowedResources];
        }
        const key: KnownKey<Principal> = { secretAccessKey: credential.secretAccessKey, identity: principal };
        if (credential.sessionToken !== undefined) {
            key.sessionToken = credential.sessionToken;
        }
        this.keys.set(credential.accessKeyId, key);
    }

    private mustGet(instanceId: string, caller: string): InstanceState {
        const state = this.instances.get(instanceId);
        if (state === undefined) {
            throw new Error(`${caller}: instance ${instanceId} is not onboarded in this emulator`);
        }
        return state;
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
            const operation = form["Action"] === "AssumeRole" ? Operation.AssumeRole : Operation.Unknown;
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
        const received: ReceivedRequest = {
            method,
            path,
            rawQuery: queryAt < 0 ? "" : url.slice(queryAt + 1),
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
            receivedAt: Date.now(),
        };
        if (route.instanceId !== undefined) {
            record.instanceId = route.instanceId;
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
        this.log.push(record);
        this.totalRequests++;

        const fault = this.faults.next(route.operation, route.instanceId);
        if (fault !== undefined) {
            record.fault = fault.kind;
            this.faultCounts[fault.kind]++;
            switch (fault.kind) {
                case FaultKind.Drop:
                    request.socket.destroy();
                    this.options.onRequest?.(record);
                    return;
                case FaultKind.Hang:
                    this.options.onRequest?.(record);
                    return;
                case FaultKind.Latency:
                    await this.wait(fault.latencyMs);
                    if (this.stopping !== undefined || response.destroyed) {
                        return;
                    }
                    break;
                default:
                    if (route.protocol === "query") {
                        this.sendStsError(response, record, stsFault(fault.kind));
                    } else {
                        this.sendJsonError(response, record, connectFault(fault.kind, route.instanceId));
                    }
                    return;
            }
        }

        if (route.protocol === "query") {
            await this.handleSts(received, route, record, response);
        } else {
            await this.handleConnect(received, route, bodyText, record, response);
        }
    }

    private async handleConnect(
        received: ReceivedRequest,
        route: Route,
        bodyText: string,
        record: RecordedRequest,
        response: http.ServerResponse,
    ): Promise<void> {
        if (route.operation === Operation.Unknown || route.instanceId === undefined) {
            this.sendJsonError(response, record, {
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
            this.sendJsonError(response, record, {
                status: 403,
                name: CONNECT_AUTH_ERRORS[auth.kind],
                message: auth.message,
            });
            return;
        }
        const action = `connect-campaigns:${route.operation}`;
        const resource = `arn:aws:connect:${auth.region}:${TEST_ACCOUNT_ID}:instance/${instanceId}`;
        if (
            !actionAllowed(auth.identity.allowedActions, action) ||
            !matches(auth.identity.allowedResources, resource, false)
        ) {
            this.sendJsonError(response, record, {
                status: 403,
                name: "AccessDeniedException",
                message: `User: ${auth.identity.arn} is not authorized to perform: ${action} on resource: ${resource}`,
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
            this.sendJsonError(response, record, {
                status: 400,
                name: "ValidationException",
                message: validationMessage(violations),
            });
            return;
        }
        const state = this.instances.get(instanceId);
        if (state === undefined) {
            this.sendJsonError(response, record, {
                status: 404,
                name: "ResourceNotFoundException",
                message: `Amazon Connect instance ${instanceId} was not found in account ${TEST_ACCOUNT_ID}, region ${auth.region}.`,
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
            this.send(response, record, 200, JSON_CONTENT_TYPE, "");
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
        this.send(response, record, 200, JSON_CONTENT_TYPE, JSON.stringify(this.getResponseBody(config)));
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

    private async handleSts(
        received: ReceivedRequest,
        route: Route,
        record: RecordedRequest,
        response: http.ServerResponse,
    ): Promise<void> {
        const form = route.form ?? {};
        const auth = await verifySigV4(received, {
            service: STS_SIGNING_NAME,
            lookup: (accessKeyId) => this.keys.get(accessKeyId),
        });
        if (!auth.ok) {
            this.sendStsError(response, record, this.stsAuthError(auth));
            return;
        }
        if (route.operation !== Operation.AssumeRole) {
            this.sendStsError(response, record, {
                status: 400,
                code: "InvalidAction",
                message: `Could not find operation ${form["Action"] ?? "(none)"} for version ${form["Version"] ?? "(none)"}`,
            });
            return;
        }
        if (form["Version"] !== STS_VERSION) {
            this.sendStsError(response, record, {
                status: 400,
                code: "InvalidAction",
                message: `Could not find operation AssumeRole for version ${form["Version"] ?? "(none)"}`,
            });
            return;
        }
        const roleArnForMessage = form["RoleArn"] ?? "*";
        if (!actionAllowed(auth.identity.allowedActions, IAM_ACTION_ASSUME_ROLE)) {
            this.sendStsError(response, record, {
                status: 403,
                code: "AccessDenied",
                message: `User: ${auth.identity.arn} is not authorized to perform: ${IAM_ACTION_ASSUME_ROLE} on resource: ${roleArnForMessage}`,
            });
            return;
        }
        const checked = checkAssumeRole(form);
        if (Array.isArray(checked)) {
            this.sendStsError(response, record, {
                status: 400,
                code: "ValidationError",
                message: validationMessage(checked),
            });
            return;
        }
        const role = this.roles.get(checked.roleArn);
        if (role === undefined || (role.externalId !== undefined && role.externalId !== checked.externalId)) {
            this.sendStsError(response, record, {
                status: 403,
                code: "AccessDenied",
                message: `User: ${auth.identity.arn} is not authorized to perform: ${IAM_ACTION_ASSUME_ROLE} on resource: ${checked.roleArn}`,
            });
            return;
        }
        if (checked.durationSeconds > MAX_SESSION_DURATION_SECONDS) {
            this.sendStsError(response, record, {
                status: 400,
                code: "ValidationError",
                message: "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
            });
            return;
        }
        const issued = issueCredentials(checked, Date.now());
        const principal: Principal = { arn: issued.assumedRoleArn };
        if (role.allowedActions !== undefined) {
            principal.allowedActions = [...role.allowedActions];
        }
        if (role.allowedResources !== undefined) {
            principal.allowedResources = [...role.allowedResources];
        }
        this.keys.set(issued.accessKeyId, {
            secretAccessKey: issued.secretAccessKey,
            sessionToken: issued.sessionToken,
            expiresAt: issued.expiresAt,
            identity: principal,
        });
        this.send(response, record, 200, XML_CONTENT_TYPE, assumeRoleResponseXml(issued, record.requestId));
    }

    private stsAuthError(auth: AuthFailure): StsError {
        const { code, status } = STS_AUTH_ERRORS[auth.kind];
        return { status, code, message: auth.message };
    }

    private wait(ms: number): Promise<void> {
        return new Promise((resolve) => {
            const entry = {
                timer: setTimeout(() => {
                    this.waits.delete(entry);
                    resolve();
                }, ms),
                resolve,
            };
            this.waits.add(entry);
        });
    }

    private sendJsonError(response: http.ServerResponse, record: RecordedRequest, error: ErrorReply): void {
        record.errorType = error.name;
        this.send(
            response,
            record,
            error.status,
            JSON_CONTENT_TYPE,
            JSON.stringify({ message: error.message }),
            {
                "x-amzn-ErrorType": error.name,
            },
        );
    }

    private sendStsError(response: http.ServerResponse, record: RecordedRequest, error: StsError): void {
        record.errorType = error.code;
        this.send(response, record, error.status, XML_CONTENT_TYPE, stsErrorXml(error, record.requestId));
    }

    private send(
        response: http.ServerResponse,
        record: RecordedRequest,
        status: number,
        contentType: string,
        body: string,
        extraHeaders: Record<string, string> = {},
    ): void {
        record.status = status;
        if (!response.destroyed && !response.headersSent) {
            response.writeHead(status, {
                "x-amzn-RequestId": record.requestId,
                "content-type": contentType,
                "content-length": Buffer.byteLength(body),
                ...extraHeaders,
            });
            response.end(body);
        }
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

/**
 * The admin API: out-of-band edits for people and scripts driving a running emulator (a "console edit" with
 * curl), on the emulator's own listener under `/_emulator/`, a path no AWS SDK request can have (the service's
 * routes all start with `/v2/`, STS posts to `/`). Unauthenticated; nothing here is recorded as a request.
 *
 * Every route maps to one method of the public `EmulatorHandle`, so the API and the library cannot drift.
 */
import { checkFaultKind } from "./faults";
import { FAULT_KINDS, Operation } from "./types";
import type { EmulatorHandle, FaultProfile, InjectOptions, InstanceLocation } from "./types";

export const ADMIN_PREFIX = "/_emulator";

export interface AdminAnswer {
    status: number;
    body?: unknown;
}

/** The routes, for `GET /_emulator` and for the README. */
export const ADMIN_ROUTES: readonly string[] = [
    "GET    /_emulator                               this list, the endpoint and the default account and region",
    "GET    /_emulator/env                           the variables --print-env prints, as JSON",
    "GET    /_emulator/instances                     every instance: id, account, region, stored limits",
    "POST   /_emulator/instances                     add one: {id, account?, region?, limits?}",
    "GET    /_emulator/instances/{id}                one instance (?account=&region= when the id is in several)",
    "DELETE /_emulator/instances/{id}                remove it: calls naming it answer 404",
    "GET    /_emulator/instances/{id}/limits         its stored limits, raw (204 when never configured)",
    "PUT    /_emulator/instances/{id}/limits         store any JSON as its limits, not validated",
    "DELETE /_emulator/instances/{id}/limits         back to never configured",
    "GET    /_emulator/requests                      the request log (?since=SEQ for newer ones only)",
    "DELETE /_emulator/requests                      clear the log",
    "GET    /_emulator/stats                         request, throttle and fault counts",
    "POST   /_emulator/faults                        queue faults: {kind, times?, operation?, instanceId?, latencyMs?, intervalMs?}",
    "DELETE /_emulator/faults                        drop queued faults and the fault profile",
    "PUT    /_emulator/fault-profile                 {seed, rate, kinds, operations?, latencyMs?, intervalMs?}",
    "DELETE /_emulator/fault-profile                 no profile",
    "PUT    /_emulator/error-style                   {typeHeader?, typeInBody?, messageKey?}",
    "PUT    /_emulator/quota                         {rate, burst?}",
    "DELETE /_emulator/quota                         no quota",
];

class AdminError extends Error {
    constructor(
        readonly status: number,
        message: string,
    ) {
        super(message);
    }
}

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseBody(text: string): unknown {
    if (text.trim() === "") {
        throw new AdminError(400, "this route needs a JSON body");
    }
    try {
        return JSON.parse(text) as unknown;
    } catch (error: unknown) {
        throw new AdminError(400, `the body is not JSON: ${(error as Error).message}`);
    }
}

function objectBody(text: string): Record<string, unknown> {
    const body = parseBody(text);
    if (!isObject(body)) {
        throw new AdminError(400, "the body must be a JSON object");
    }
    return body;
}

function optionalString(body: Record<string, unknown>, name: string): string | undefined {
    const value = body[name];
    if (value !== undefined && typeof value !== "string") {
        throw new AdminError(400, `${name} must be a string`);
    }
    return value;
}

function optionalNumber(body: Record<string, unknown>, name: string): number | undefined {
    const value = body[name];
    if (value !== undefined && typeof value !== "number") {
        throw new AdminError(400, `${name} must be a number`);
    }
    return value;
}

function location(query: URLSearchParams): InstanceLocation | undefined {
    const where: InstanceLocation = {};
    const account = query.get("account");
    const region = query.get("region");
    if (account !== null) {
        where.account = account;
    }
    if (region !== null) {
        where.region = region;
    }
    return account === null && region === null ? undefined : where;
}

function operationOf(value: unknown): Operation | undefined {
    if (value === undefined) {
        return undefined;
    }
    if (typeof value !== "string" || !(Object.values(Operation) as string[]).includes(value)) {
        throw new AdminError(400, `operation must be one of ${Object.values(Operation).join(", ")}`);
    }
    return value as Operation;
}

function route(
    emulator: EmulatorHandle,
    method: string,
    segments: string[],
    query: URLSearchParams,
    bodyText: string,
): AdminAnswer {
    const [resource, id, sub, ...rest] = segments;
    const where = location(query);
    if (rest.length > 0) {
        throw new AdminError(404, "no such admin route");
    }
    switch (resource) {
        case undefined:
            if (method === "GET") {
                return {
                    status: 200,
                    body: {
                        url: emulator.url,
                        account: emulator.account,
                        region: emulator.region,
                        routes: ADMIN_ROUTES,
                    },
                };
            }
            break;
        case "env":
            if (method === "GET" && id === undefined) {
                // JSON has no undefined: a variable to unset is null.
                const env = Object.fromEntries(
                    Object.entries(emulator.env()).map(([k, v]) => [k, v ?? null]),
                );
                return { status: 200, body: env };
            }
            break;
        case "instances":
            if (id === undefined) {
                if (method === "GET") {
                    return { status: 200, body: emulator.instances() };
                }
                if (method === "POST") {
                    const body = objectBody(bodyText);
                    const newId = body["id"];
                    if (typeof newId !== "string") {
                        throw new AdminError(400, "id must be a string");
                    }
                    const options: InstanceLocation & { limits?: unknown } = {};
                    const account = optionalString(body, "account");
                    const region = optionalString(body, "region");
                    if (account !== undefined) {
                        options.account = account;
                    }
                    if (region !== undefined) {
                        options.region = region;
                    }
                    if (body["limits"] !== undefined) {
                        options.limits = body["limits"];
                    }
                    emulator.addInstance(newId, options);
                    const added = emulator
                        .instances()
                        .find(
                            (r) =>
                                r.id === newId &&
                                r.account === (account ?? emulator.account) &&
                                r.region === (region ?? emulator.region),
                        );
                    return { status: 201, body: added };
                }
                break;
            }
            if (sub === undefined) {
                if (method === "GET") {
                    emulator.limits(id, where);
                    const matches = emulator
                        .instances()
                        .filter(
                            (r) =>
                                r.id === id &&
                                (where?.account === undefined || r.account === where.account) &&
                                (where?.region === undefined || r.region === where.region),
                        );
                    return { status: 200, body: matches[0] };
                }
                if (method === "DELETE") {
                    emulator.removeInstance(id, where);
                    return { status: 204 };
                }
                break;
            }
            if (sub === "limits") {
                if (method === "GET") {
                    const limits = emulator.limits(id, where);
                    return limits === undefined ? { status: 204 } : { status: 200, body: limits };
                }
                if (method === "PUT") {
                    emulator.setLimits(id, parseBody(bodyText), where);
                    return { status: 204 };
                }
                if (method === "DELETE") {
                    emulator.setLimits(id, undefined, where);
                    return { status: 204 };
                }
            }
            break;
        case "requests":
            if (id === undefined && method === "GET") {
                const since = Number(query.get("since") ?? "0");
                if (!Number.isInteger(since) || since < 0) {
                    throw new AdminError(400, "since must be a non-negative integer");
                }
                return { status: 200, body: emulator.requests().filter((r) => r.seq > since) };
            }
            if (id === undefined && method === "DELETE") {
                emulator.clearRequests();
                return { status: 204 };
            }
            break;
        case "stats":
            if (id === undefined && method === "GET") {
                return { status: 200, body: emulator.stats() };
            }
            break;
        case "faults":
            if (id === undefined && method === "POST") {
                const body = objectBody(bodyText);
                const kind = checkFaultKind(body["kind"], "faults");
                const times = optionalNumber(body, "times") ?? 1;
                const options: InjectOptions = {};
                const operation = operationOf(body["operation"]);
                const instanceId = optionalString(body, "instanceId");
                const latencyMs = optionalNumber(body, "latencyMs");
                const intervalMs = optionalNumber(body, "intervalMs");
                if (operation !== undefined) {
                    options.operation = operation;
                }
                if (instanceId !== undefined) {
                    options.instanceId = instanceId;
                }
                if (latencyMs !== undefined) {
                    options.latencyMs = latencyMs;
                }
                if (intervalMs !== undefined) {
                    options.intervalMs = intervalMs;
                }
                emulator.injectFaults(kind, times, options);
                return { status: 204 };
            }
            if (id === undefined && method === "DELETE") {
                emulator.clearFaults();
                return { status: 204 };
            }
            break;
        case "fault-profile":
            if (id === undefined && method === "PUT") {
                const body = objectBody(bodyText);
                const kinds = body["kinds"];
                if (!Array.isArray(kinds)) {
                    throw new AdminError(
                        400,
                        `kinds must be a list of fault kinds (${FAULT_KINDS.join(", ")})`,
                    );
                }
                const profile: FaultProfile = {
                    seed: optionalNumber(body, "seed") ?? 0,
                    rate: optionalNumber(body, "rate") ?? 0,
                    kinds: kinds.map((kind) => checkFaultKind(kind, "fault-profile")),
                };
                const latencyMs = optionalNumber(body, "latencyMs");
                const intervalMs = optionalNumber(body, "intervalMs");
                if (latencyMs !== undefined) {
                    profile.latencyMs = latencyMs;
                }
                if (intervalMs !== undefined) {
                    profile.intervalMs = intervalMs;
                }
                const operations = body["operations"];
                if (operations !== undefined) {
                    if (!Array.isArray(operations)) {
                        throw new AdminError(400, "operations must be a list");
                    }
                    profile.operations = operations.map((op) => operationOf(op) ?? Operation.Unknown);
                }
                emulator.setFaultProfile(profile);
                return { status: 204 };
            }
            if (id === undefined && method === "DELETE") {
                emulator.setFaultProfile(undefined);
                return { status: 204 };
            }
            break;
        case "error-style":
            if (id === undefined && method === "PUT") {
                emulator.setErrorStyle(objectBody(bodyText));
                return { status: 204 };
            }
            break;
        case "quota":
            if (id === undefined && method === "PUT") {
                const body = objectBody(bodyText);
                const rate = optionalNumber(body, "rate");
                const burst = optionalNumber(body, "burst");
                if (rate === undefined) {
                    throw new AdminError(400, "rate must be a number");
                }
                emulator.setQuota(burst === undefined ? { rate } : { rate, burst });
                return { status: 204 };
            }
            if (id === undefined && method === "DELETE") {
                emulator.setQuota(undefined);
                return { status: 204 };
            }
            break;
        default:
            throw new AdminError(
                404,
                `no admin route ${ADMIN_PREFIX}/${segments.join("/")}; GET ${ADMIN_PREFIX} lists them`,
            );
    }
    throw new AdminError(405, `${method} is not supported on ${ADMIN_PREFIX}/${segments.join("/")}`);
}

/** Answers one admin request; every failure is `{"error": "…"}` with 400, 404 or 405. */
export function handleAdmin(
    emulator: EmulatorHandle,
    method: string,
    path: string,
    query: URLSearchParams,
    bodyText: string,
): AdminAnswer {
    const segments = path
        .slice(ADMIN_PREFIX.length)
        .split("/")
        .filter((segment) => segment !== "")
        .map((segment) => {
            try {
                return decodeURIComponent(segment);
            } catch {
                return segment;
            }
        });
    try {
        return route(emulator, method, segments, query, bodyText);
    } catch (error: unknown) {
        if (error instanceof AdminError) {
            return { status: error.status, body: { error: error.message } };
        }
        const message = error instanceof Error ? error.message : String(error);
        // The handle's own checks: an unknown instance is a 404, anything else a bad request.
        return { status: /is not onboarded/.test(message) ? 404 : 400, body: { error: message } };
    }
}

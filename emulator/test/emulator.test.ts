/**
 * The emulator's core: the two Connect Campaigns V2 operations through the real SDK and as raw bytes, the
 * never-configured shapes, out-of-band state, the model's validation, SigV4, faults, STS AssumeRole, and the
 * server's lifecycle.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { sendRaw, sendSigned, signRaw, TEST_CREDENTIALS } from "../src";
import type { FaultKind, NeverConfiguredShape } from "../src";
import {
    client,
    errorOf,
    get,
    INSTANCE,
    LIST_PATH,
    limitsList,
    limitsPath,
    put,
    rawGet,
    rawPut,
    serviceError,
    start,
    transportError,
    UUID,
    waitFor,
} from "./support";

const PACKAGE_ROOT = path.resolve(__dirname, "..");

describe("Connect Campaigns V2 emulator", () => {
    describe("GetInstanceCommunicationLimits and PutInstanceCommunicationLimits", () => {
        it("returns on GET exactly the payload a PUT stored, in the order it was sent", async () => {
            const emulator = await start();
            const sdk = client(emulator);
            const config = limitsList(
                { maxCountPerRecipient: 5, frequency: 30, unit: "DAY" },
                { maxCountPerRecipient: 1, frequency: 1, unit: "DAY" },
            );
            const written = await put(sdk, config);
            assert.equal(written.$metadata.httpStatusCode, 200);
            const read = await get(sdk);
            assert.deepEqual(read.communicationLimitsConfig, config);
            assert.deepEqual(emulator.limits(INSTANCE), config);
            assert.deepEqual(emulator.requests()[0]?.body, { communicationLimitsConfig: config });
            assert.deepEqual(
                emulator
                    .requests()
                    .map((r) => [r.operation, r.instanceId, r.status, r.accessKeyId, r.region]),
                [
                    [
                        "PutInstanceCommunicationLimits",
                        INSTANCE,
                        200,
                        TEST_CREDENTIALS.accessKeyId,
                        "us-west-2",
                    ],
                    [
                        "GetInstanceCommunicationLimits",
                        INSTANCE,
                        200,
                        TEST_CREDENTIALS.accessKeyId,
                        "us-west-2",
                    ],
                ],
            );
        });

        it("answers a PUT with 200 and an empty body, and a GET with the config under communicationLimitsConfig", async () => {
            const emulator = await start();
            const config = limitsList({ maxCountPerRecipient: 3, frequency: 7, unit: "DAY" });
            const written = await rawPut(emulator, JSON.stringify({ communicationLimitsConfig: config }));
            assert.equal(written.status, 200);
            assert.equal(written.body, "");
            const read = await rawGet(emulator);
            assert.equal(read.status, 200);
            assert.equal(read.headers["content-type"], "application/json");
            assert.equal(read.body, JSON.stringify({ communicationLimitsConfig: config }));
        });

        it("accepts two identical limits, an empty list and an empty config, as the model does not forbid them", async () => {
            const emulator = await start();
            const duplicate = { maxCountPerRecipient: 2, frequency: 7, unit: "DAY" };
            for (const config of [limitsList(duplicate, duplicate), limitsList(), {}]) {
                const response = await rawPut(
                    emulator,
                    JSON.stringify({ communicationLimitsConfig: config }),
                );
                assert.equal(response.status, 200, response.body);
                assert.deepEqual(emulator.limits(INSTANCE), config);
            }
        });

        it("gives every response a UUID request id that the SDK exposes as $metadata.requestId and the log records", async () => {
            const emulator = await start();
            const sdk = client(emulator);
            const ok = await get(sdk);
            const failed = await serviceError(get(sdk, "missing-instance"));
            const unknownRoute = await sendSigned(
                emulator.url,
                { method: "GET", path: "/v2/nothing-here" },
                { credentials: TEST_CREDENTIALS },
            );
            const [first, second, third] = emulator.requests();
            assert.match(ok.$metadata.requestId ?? "", UUID);
            assert.equal(ok.$metadata.requestId, first?.requestId);
            assert.equal(failed.$metadata.requestId, second?.requestId);
            assert.equal(unknownRoute.headers["x-amzn-requestid"], third?.requestId);
            assert.equal(new Set(emulator.requests().map((r) => r.requestId)).size, 3);
        });

        it("rejects an instance that was never onboarded with ResourceNotFoundException naming it", async () => {
            const emulator = await start();
            const error = await serviceError(get(client(emulator), "never-seen"));
            assert.equal(error.name, "ResourceNotFoundException");
            assert.equal(error.$metadata.httpStatusCode, 404);
            assert.match(error.message, /never-seen/);
            assert.equal(emulator.requests()[0]?.errorType, "ResourceNotFoundException");
        });

        it("answers every call for an offboarded instance with 404, and a re-onboarded one starts unconfigured", async () => {
            const emulator = await start();
            const sdk = client(emulator);
            await put(sdk, limitsList({ maxCountPerRecipient: 3, frequency: 7, unit: "DAY" }));
            emulator.removeInstance(INSTANCE);
            assert.equal(emulator.hasInstance(INSTANCE), false);
            assert.equal((await serviceError(get(sdk))).name, "ResourceNotFoundException");
            assert.equal((await serviceError(put(sdk, {}))).name, "ResourceNotFoundException");
            emulator.addInstance(INSTANCE);
            assert.equal(emulator.hasInstance(INSTANCE), true);
            assert.equal((await get(sdk)).communicationLimitsConfig, undefined);
        });

        it("answers unknown routes and methods with 404 UnknownOperationException", async () => {
            const emulator = await start();
            for (const request of [
                { method: "GET", path: "/v2/connect-instance/inst-1" },
                { method: "DELETE", path: limitsPath(INSTANCE) },
            ]) {
                const response = await sendSigned(emulator.url, request, {
                    credentials: TEST_CREDENTIALS,
                });
                assert.equal(response.status, 404);
                assert.equal(errorOf(response).type, "UnknownOperationException");
            }
            assert.equal(emulator.count("Unknown"), 2);
        });
    });

    describe("never-configured instances", () => {
        const shapes: { shape: NeverConfiguredShape; body: string; config: unknown }[] = [
            { shape: "absent", body: "{}", config: undefined },
            { shape: "empty-object", body: '{"communicationLimitsConfig":{}}', config: {} },
            {
                shape: "empty-list",
                body: '{"communicationLimitsConfig":{"allChannelSubtypes":{"communicationLimitsList":[]}}}',
                config: { allChannelSubtypes: { communicationLimitsList: [] } },
            },
        ];
        for (const { shape, body, config } of shapes) {
            it(`answers GET with ${body} when neverConfigured is "${shape}"`, async () => {
                const emulator = await start({ neverConfigured: shape });
                const raw = await rawGet(emulator);
                assert.equal(raw.status, 200);
                assert.equal(raw.body, body);
                assert.deepEqual((await get(client(emulator))).communicationLimitsConfig, config);
                assert.equal(emulator.limits(INSTANCE), undefined);
            });
        }
    });

    describe("out-of-band state", () => {
        it("shows a setLimits edit through GET without recording it as a request", async () => {
            const emulator = await start();
            const edited = limitsList({ maxCountPerRecipient: 9, frequency: 3, unit: "DAY" });
            emulator.setLimits(INSTANCE, edited);
            assert.equal(emulator.requests().length, 0);
            assert.deepEqual((await get(client(emulator))).communicationLimitsConfig, edited);
            assert.equal(emulator.count(), 1);
            assert.equal(emulator.stats().requests, 1);
        });

        it("seeds an instance's limits through onboard and counts requests per operation and instance", async () => {
            const emulator = await start();
            const seeded = limitsList({ maxCountPerRecipient: 4, frequency: 14, unit: "DAY" });
            emulator.addInstance("inst-2", { limits: seeded });
            const sdk = client(emulator);
            assert.deepEqual((await get(sdk, "inst-2")).communicationLimitsConfig, seeded);
            await get(sdk);
            await put(sdk, {}, "inst-2");
            assert.equal(emulator.count("GetInstanceCommunicationLimits"), 2);
            assert.equal(emulator.count("GetInstanceCommunicationLimits", "inst-2"), 1);
            assert.equal(emulator.count(undefined, "inst-2"), 2);
            emulator.clearRequests();
            assert.equal(emulator.count(), 0);
            assert.equal(emulator.stats().requests, 3);
        });

        it("keeps answering GET with the value from before a PUT for the configured number of stale reads", async () => {
            const before = limitsList({ maxCountPerRecipient: 1, frequency: 1, unit: "DAY" });
            const after = limitsList({ maxCountPerRecipient: 2, frequency: 2, unit: "DAY" });
            const emulator = await start();
            emulator.addInstance(INSTANCE, { limits: before });
            emulator.setStaleReads(2);
            const sdk = client(emulator);
            await put(sdk, after);
            assert.deepEqual(emulator.limits(INSTANCE), after);
            assert.deepEqual((await get(sdk)).communicationLimitsConfig, before);
            assert.deepEqual((await get(sdk)).communicationLimitsConfig, before);
            assert.deepEqual((await get(sdk)).communicationLimitsConfig, after);
        });
    });

    describe("validation", () => {
        const limit = { maxCountPerRecipient: 3, frequency: 7, unit: "DAY" };
        const body = (config: unknown): string => JSON.stringify({ communicationLimitsConfig: config });
        const table: { title: string; body: string; instance?: string; message: string }[] = [
            {
                title: "frequency above 30",
                body: body(limitsList({ ...limit, frequency: 31 })),
                message: `1 validation error detected: Value '31' at '${LIST_PATH}.1.member.frequency' failed to satisfy constraint: Member must have value less than or equal to 30`,
            },
            {
                title: "frequency below 1",
                body: body(limitsList(limit, { ...limit, frequency: 0 })),
                message: `1 validation error detected: Value '0' at '${LIST_PATH}.2.member.frequency' failed to satisfy constraint: Member must have value greater than or equal to 1`,
            },
            {
                title: "maxCountPerRecipient below 1",
                body: body(limitsList({ ...limit, maxCountPerRecipient: 0 })),
                message: `1 validation error detected: Value '0' at '${LIST_PATH}.1.member.maxCountPerRecipient' failed to satisfy constraint: Member must have value greater than or equal to 1`,
            },
            {
                title: "a fractional maxCountPerRecipient",
                body: body(limitsList({ ...limit, maxCountPerRecipient: 2.5 })),
                message: `1 validation error detected: Value '2.5' at '${LIST_PATH}.1.member.maxCountPerRecipient' failed to satisfy constraint: Member must be an integer`,
            },
            {
                title: "a frequency sent as a string",
                body: body(limitsList({ ...limit, frequency: "7" })),
                message: `1 validation error detected: Value '7' at '${LIST_PATH}.1.member.frequency' failed to satisfy constraint: Member must be an integer`,
            },
            {
                title: "a unit other than DAY",
                body: body(limitsList({ ...limit, unit: "WEEK" })),
                message: `1 validation error detected: Value 'WEEK' at '${LIST_PATH}.1.member.unit' failed to satisfy constraint: Member must satisfy enum value set: [DAY]`,
            },
            {
                title: "a limit without unit",
                body: body(limitsList({ maxCountPerRecipient: 3, frequency: 7 })),
                message: `1 validation error detected: Value null at '${LIST_PATH}.1.member.unit' failed to satisfy constraint: Member must not be null`,
            },
            {
                title: "a limit without maxCountPerRecipient",
                body: body(limitsList({ frequency: 7, unit: "DAY" })),
                message: `1 validation error detected: Value null at '${LIST_PATH}.1.member.maxCountPerRecipient' failed to satisfy constraint: Member must not be null`,
            },
            {
                title: "a null list element",
                body: body(limitsList(null)),
                message: `1 validation error detected: Value null at '${LIST_PATH}.1.member' failed to satisfy constraint: Member must not be null`,
            },
            {
                title: "three limits",
                body: body(limitsList(limit, { ...limit, frequency: 8 }, { ...limit, frequency: 9 })),
                message: `1 validation error detected: Value '${JSON.stringify([limit, { ...limit, frequency: 8 }, { ...limit, frequency: 9 }])}' at '${LIST_PATH}' failed to satisfy constraint: Member must have length less than or equal to 2`,
            },
            {
                title: "a union with no member set",
                body: body({ allChannelSubtypes: {} }),
                message:
                    "1 validation error detected: Value '{}' at 'communicationLimitsConfig.allChannelSubtypes' failed to satisfy constraint: Union must have exactly one member set, but 0 were set",
            },
            {
                title: "an unknown union member",
                body: body({ allChannelSubtypes: { communicationLimitsList: [], telephony: [] } }),
                message:
                    "2 validation errors detected: Value '[]' at 'communicationLimitsConfig.allChannelSubtypes.telephony' failed to satisfy constraint: Member is not a known member of CommunicationLimits; Value '{\"communicationLimitsList\":[],\"telephony\":[]}' at 'communicationLimitsConfig.allChannelSubtypes' failed to satisfy constraint: Union must have exactly one member set, but 2 were set",
            },
            {
                title: "an unknown member in a limit",
                body: body(limitsList({ ...limit, channel: "SMS" })),
                message: `1 validation error detected: Value 'SMS' at '${LIST_PATH}.1.member.channel' failed to satisfy constraint: Member is not a known member of CommunicationLimit`,
            },
            {
                title: "an unknown member in the config",
                body: body({ instanceLimitsHandling: "OPT_IN" }),
                message:
                    "1 validation error detected: Value 'OPT_IN' at 'communicationLimitsConfig.instanceLimitsHandling' failed to satisfy constraint: Member is not a known member of InstanceCommunicationLimitsConfig",
            },
            {
                title: "an unknown top-level member",
                body: JSON.stringify({ communicationLimitsConfig: {}, dryRun: true }),
                message:
                    "1 validation error detected: Value 'true' at 'dryRun' failed to satisfy constraint: Member is not a known member of PutInstanceCommunicationLimitsRequest",
            },
            {
                title: "a body without communicationLimitsConfig",
                body: "{}",
                message:
                    "1 validation error detected: Value null at 'communicationLimitsConfig' failed to satisfy constraint: Member must not be null",
            },
            {
                title: "an empty body",
                body: "",
                message:
                    "1 validation error detected: Value null at 'communicationLimitsConfig' failed to satisfy constraint: Member must not be null",
            },
            {
                title: "a config that is a list",
                body: body([]),
                message:
                    "1 validation error detected: Value '[]' at 'communicationLimitsConfig' failed to satisfy constraint: Member must be a structure of type InstanceCommunicationLimitsConfig",
            },
            {
                title: "a body that is not a JSON object",
                body: "[1]",
                message:
                    "1 validation error detected: Value '[1]' at 'body' failed to satisfy constraint: Member must be a structure of type PutInstanceCommunicationLimitsRequest",
            },
            {
                title: "a body that is not JSON",
                body: "limits please",
                message:
                    "1 validation error detected: Value 'limits please' at 'body' failed to satisfy constraint: Member must be a JSON document",
            },
            {
                title: "two violations at once",
                body: body(limitsList({ ...limit, frequency: 31, unit: "HOUR" })),
                message: `2 validation errors detected: Value '31' at '${LIST_PATH}.1.member.frequency' failed to satisfy constraint: Member must have value less than or equal to 30; Value 'HOUR' at '${LIST_PATH}.1.member.unit' failed to satisfy constraint: Member must satisfy enum value set: [DAY]`,
            },
            {
                title: "an instance id longer than 256 characters",
                body: body({}),
                instance: "a".repeat(257),
                message: `1 validation error detected: Value '${"a".repeat(257)}' at 'connectInstanceId' failed to satisfy constraint: Member must have length less than or equal to 256`,
            },
            {
                title: "an instance id with a character outside the pattern",
                body: body({}),
                instance: "inst%211",
                message:
                    "1 validation error detected: Value 'inst!1' at 'connectInstanceId' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[-_.a-zA-Z0-9]+$",
            },
            {
                title: "an instance ARN instead of an id",
                body: body({}),
                instance: encodeURIComponent("arn:aws:connect:us-west-2:123456789012:instance/inst-1"),
                message:
                    "1 validation error detected: Value 'arn:aws:connect:us-west-2:123456789012:instance/inst-1' at 'connectInstanceId' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[-_.a-zA-Z0-9]+$",
            },
            {
                title: "an empty instance id",
                body: body({}),
                instance: "",
                message:
                    "1 validation error detected: Value '' at 'connectInstanceId' failed to satisfy constraint: Member must have length greater than or equal to 1",
            },
        ];
        for (const entry of table) {
            it(`rejects ${entry.title} with ValidationException and an AWS-style message`, async () => {
                const emulator = await start();
                const response = await rawPut(emulator, entry.body, entry.instance);
                assert.equal(response.status, 400, response.body);
                assert.deepEqual(errorOf(response), { type: "ValidationException", message: entry.message });
                assert.equal(emulator.limits(INSTANCE), undefined);
                assert.equal(emulator.requests()[0]?.errorType, "ValidationException");
            });
        }

        it("validates the instance id on GET too", async () => {
            const emulator = await start();
            const response = await rawGet(emulator, "bad%20id");
            assert.equal(response.status, 400);
            assert.match(String(errorOf(response).message), /Value 'bad id' at 'connectInstanceId'/);
        });

        it("receives out-of-range values from the real SDK on the same path and answers them the same way", async () => {
            const emulator = await start();
            const config = limitsList({ maxCountPerRecipient: 3, frequency: 31, unit: "DAY" });
            const fromSdk = await serviceError(put(client(emulator), config));
            const fromRaw = await rawPut(emulator, JSON.stringify({ communicationLimitsConfig: config }));
            assert.equal(fromSdk.name, "ValidationException");
            assert.equal(fromSdk.$metadata.httpStatusCode, 400);
            assert.equal(fromSdk.message, errorOf(fromRaw).message);
            const [sdkRequest, rawRequest] = emulator.requests();
            assert.equal(sdkRequest?.path, rawRequest?.path);
            assert.deepEqual(sdkRequest?.body, rawRequest?.body);
        });

        it("sees the SDK send an empty id as an empty path label and an id with a slash percent-encoded", async () => {
            const emulator = await start();
            const sdk = client(emulator);
            const empty = await serviceError(get(sdk, ""));
            const slashed = await serviceError(get(sdk, "a/b"));
            assert.equal(empty.name, "ValidationException");
            assert.match(empty.message, /Member must have length greater than or equal to 1/);
            assert.equal(slashed.name, "ValidationException");
            assert.match(slashed.message, /Value 'a\/b' at 'connectInstanceId'/);
            assert.deepEqual(
                emulator.requests().map((r) => [r.path, r.instanceId]),
                [
                    [limitsPath(""), ""],
                    [limitsPath("a%2Fb"), "a/b"],
                ],
            );
        });

        it("checks validation before existence, so an invalid PUT to an unknown instance is a 400", async () => {
            const emulator = await start();
            const response = await rawPut(emulator, "{}", "unknown-instance");
            assert.equal(response.status, 400);
            assert.equal(errorOf(response).type, "ValidationException");
        });
    });

    describe("SigV4 authentication", () => {
        it("rejects a request signed with the wrong secret with 403 InvalidSignatureException, quoting what it signed", async () => {
            const temporary = {
                accessKeyId: "ASIAEMULATORQUOTED01",
                secretAccessKey: "temporarySecret/0000000000000000000000000",
                sessionToken: "IQoJb3JpZ2luX2VjEmulatorQuotedToken",
            };
            const emulator = await start({ credentials: [temporary] });
            const sdk = client(emulator, { credentials: { ...temporary, secretAccessKey: "wrong-secret" } });
            const error = await serviceError(get(sdk));
            assert.equal(error.name, "InvalidSignatureException");
            assert.equal(error.$metadata.httpStatusCode, 403);
            // As the service does: the canonical request (the session token's header included) and the string to sign.
            const quoted =
                /^(.+)\n\nThe Canonical String for this request should have been\n'([^']*)'\n\nThe String-to-Sign should have been\n'([^']*)'\n$/.exec(
                    error.message,
                );
            assert.ok(quoted, error.message);
            assert.equal(
                quoted[1],
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret " +
                    "Access Key and signing method. Consult the service documentation for details.",
            );
            assert.match(quoted[2] ?? "", /^GET\n\/v2\/connect-instance\/inst-1\/communication-limits\n\n/);
            assert.match(quoted[2] ?? "", /\nx-amz-security-token:IQoJb3JpZ2luX2VjEmulatorQuotedToken\n/);
            assert.match(
                quoted[3] ?? "",
                /^AWS4-HMAC-SHA256\n\d{8}T\d{6}Z\n\d{8}\/us-west-2\/connect-campaigns\/aws4_request\n[0-9a-f]{64}$/,
            );
            assert.equal(emulator.requests()[0]?.accessKeyId, temporary.accessKeyId);
        });

        it("rejects an unknown access key with 403 UnrecognizedClientException", async () => {
            const emulator = await start();
            const sdk = client(emulator, {
                credentials: { accessKeyId: "AKIAUNKNOWN000000000", secretAccessKey: "x" },
            });
            const error = await serviceError(get(sdk));
            assert.equal(error.name, "UnrecognizedClientException");
            assert.equal(error.$metadata.httpStatusCode, 403);
            assert.equal(error.message, "The security token included in the request is invalid.");
        });

        it("rejects an unsigned request with 403 MissingAuthenticationTokenException", async () => {
            const emulator = await start();
            const response = await sendRaw(emulator.url, { method: "GET", path: limitsPath(INSTANCE) });
            assert.equal(response.status, 403);
            assert.deepEqual(errorOf(response), {
                type: "MissingAuthenticationTokenException",
                message: "Missing Authentication Token",
            });
            assert.match(String(response.headers["x-amzn-requestid"]), UUID);
        });

        it("rejects a garbled Authorization header with 403 IncompleteSignatureException", async () => {
            const emulator = await start();
            const response = await sendRaw(emulator.url, {
                method: "GET",
                path: limitsPath(INSTANCE),
                headers: { authorization: "AWS4-HMAC-SHA256 garbage", "x-amz-date": "20240101T000000Z" },
            });
            assert.equal(response.status, 403);
            assert.equal(errorOf(response).type, "IncompleteSignatureException");
            assert.match(String(errorOf(response).message), /requires 'Credential' parameter/);
        });

        it("rejects a body changed after signing with InvalidSignatureException", async () => {
            const emulator = await start();
            const signed = await signRaw(
                emulator.url,
                {
                    method: "PUT",
                    path: limitsPath(INSTANCE),
                    body: JSON.stringify({ communicationLimitsConfig: {} }),
                },
                { credentials: TEST_CREDENTIALS },
            );
            const tampered = JSON.stringify({ communicationLimitsConfig: limitsList() });
            const response = await sendRaw(emulator.url, {
                ...signed,
                headers: { ...signed.headers, "content-length": String(tampered.length) },
                body: tampered,
            });
            assert.equal(response.status, 403);
            assert.equal(errorOf(response).type, "InvalidSignatureException");
            assert.equal(emulator.limits(INSTANCE), undefined);
        });

        it("rejects a signature more than 15 minutes old as expired", async () => {
            const emulator = await start();
            const response = await sendSigned(
                emulator.url,
                { method: "GET", path: limitsPath(INSTANCE) },
                { credentials: TEST_CREDENTIALS, signingDate: new Date(Date.now() - 20 * 60 * 1000) },
            );
            assert.equal(response.status, 403);
            assert.equal(errorOf(response).type, "InvalidSignatureException");
            assert.match(
                String(errorOf(response).message),
                /^Signature expired: \d{8}T\d{6}Z is now earlier than/,
            );
        });

        it("rejects a request signed for another service", async () => {
            const emulator = await start();
            const response = await sendSigned(
                emulator.url,
                { method: "GET", path: limitsPath(INSTANCE) },
                { credentials: TEST_CREDENTIALS, service: "connect" },
            );
            assert.equal(response.status, 403);
            assert.deepEqual(errorOf(response), {
                type: "InvalidSignatureException",
                message: "Credential should be scoped to correct service: 'connect-campaigns'.",
            });
        });

        it("requires the session token of a temporary key and accepts the request once it is sent", async () => {
            const temporary = {
                accessKeyId: "ASIATEMPORARY0000001",
                secretAccessKey: "temp-secret",
                sessionToken: "token-1",
            };
            const emulator = await start({ credentials: [temporary] });
            const withoutToken = await serviceError(
                get(
                    client(emulator, {
                        credentials: { accessKeyId: temporary.accessKeyId, secretAccessKey: "temp-secret" },
                    }),
                ),
            );
            assert.equal(withoutToken.name, "UnrecognizedClientException");
            const ok = await get(client(emulator, { credentials: temporary }));
            assert.equal(ok.$metadata.httpStatusCode, 200);
        });

        it("authenticates before anything else, so a bad signature on an unknown instance is a 403", async () => {
            const emulator = await start();
            const response = await rawPut(emulator, "not json", "unknown-instance", {
                accessKeyId: TEST_CREDENTIALS.accessKeyId,
                secretAccessKey: "wrong",
            });
            assert.equal(response.status, 403);
            assert.equal(errorOf(response).type, "InvalidSignatureException");
        });
    });

    describe("faults", () => {
        const modelled: { kind: FaultKind; name: string; status: number }[] = [
            { kind: "throttle", name: "ThrottlingException", status: 429 },
            { kind: "internal", name: "InternalServerException", status: 500 },
            { kind: "conflict", name: "ConflictException", status: 409 },
        ];
        for (const { kind, name, status } of modelled) {
            it(`answers ${kind === "internal" ? "an" : "a"} ${kind} fault with ${status} ${name} and leaves the stored limits unchanged`, async () => {
                const emulator = await start();
                emulator.injectFaults(kind, 1);
                const error = await serviceError(
                    put(client(emulator), limitsList({ maxCountPerRecipient: 1, frequency: 1, unit: "DAY" })),
                );
                assert.equal(error.name, name);
                assert.equal(error.$metadata.httpStatusCode, status);
                assert.equal(emulator.limits(INSTANCE), undefined);
                assert.equal(emulator.requests()[0]?.fault, kind);
                assert.equal(emulator.stats().faults[kind], 1);
            });
        }

        it("drops the connection without a response on a drop fault", async () => {
            const emulator = await start();
            emulator.injectFaults("drop", 1);
            const error = await transportError(get(client(emulator)));
            assert.equal(error.code, "ECONNRESET");
            assert.equal(emulator.requests()[0]?.status, 0);
            assert.equal(emulator.requests()[0]?.fault, "drop");
        });

        it("delays the answer by latencyMs on a latency fault and then answers normally", async () => {
            const emulator = await start();
            emulator.injectFaults("latency", 1, { latencyMs: 300 });
            const startedAt = Date.now();
            const response = await get(client(emulator));
            assert.ok(Date.now() - startedAt >= 290, "the answer came too early");
            assert.equal(response.$metadata.httpStatusCode, 200);
            assert.equal(emulator.requests()[0]?.fault, "latency");
        });

        it("never answers on a hang fault, until the client's request timeout cuts it", async () => {
            const emulator = await start();
            emulator.injectFaults("hang", 1);
            const sdk = client(emulator, {
                requestHandler: { requestTimeout: 200, throwOnRequestTimeout: true },
            });
            const startedAt = Date.now();
            const error = await transportError(get(sdk));
            assert.equal(error.name, "TimeoutError");
            assert.ok(Date.now() - startedAt < 2000);
            assert.equal(emulator.requests()[0]?.status, 0);
        });

        it("faults before authentication, as infrastructure would", async () => {
            const emulator = await start();
            emulator.injectFaults("throttle", 1);
            const sdk = client(emulator, {
                credentials: { accessKeyId: "AKIAUNKNOWN000000000", secretAccessKey: "x" },
            });
            assert.equal((await serviceError(get(sdk))).name, "ThrottlingException");
        });

        it("applies queued faults in order, only to matching operation and instance", async () => {
            const emulator = await start({ instances: [INSTANCE, "inst-2"] });
            emulator.injectFaults("internal", 1, { operation: "PutInstanceCommunicationLimits" });
            emulator.injectFaults("throttle", 1, { instanceId: "inst-2" });
            const sdk = client(emulator);
            await get(sdk);
            assert.equal((await serviceError(get(sdk, "inst-2"))).name, "ThrottlingException");
            assert.equal((await serviceError(put(sdk, {}))).name, "InternalServerException");
            await put(sdk, {});
            assert.deepEqual(
                emulator.requests().map((r) => r.fault ?? null),
                [null, "throttle", "internal", null],
            );
        });

        it("lets the SDK's default retries recover from one throttle, which the log shows as two requests", async () => {
            const emulator = await start();
            emulator.injectFaults("throttle", 1);
            const response = await get(client(emulator, { maxAttempts: 3 }));
            assert.equal(response.$metadata.attempts, 2);
            assert.deepEqual(
                emulator.requests().map((r) => r.status),
                [429, 200],
            );
        });

        it("gives queued faults precedence over the profile", async () => {
            const emulator = await start();
            emulator.setFaultProfile({ seed: 1, rate: 1, kinds: ["internal"] });
            emulator.injectFaults("conflict", 1);
            const sdk = client(emulator);
            assert.equal((await serviceError(get(sdk))).name, "ConflictException");
            assert.equal((await serviceError(get(sdk))).name, "InternalServerException");
            emulator.setFaultProfile(undefined);
            assert.equal((await get(sdk)).$metadata.httpStatusCode, 200);
        });

        async function faultedRun(seed: number, requests: number): Promise<[number, FaultKind][]> {
            const emulator = await start();
            emulator.setFaultProfile({ seed, rate: 0.25, kinds: ["throttle", "internal", "conflict"] });
            const sdk = client(emulator);
            for (let i = 0; i < requests; i++) {
                await get(sdk).catch(() => undefined);
            }
            return emulator.requests().flatMap((r) => (r.fault === undefined ? [] : [[r.seq, r.fault]]));
        }

        it("faults the same requests with the same kinds for the same seed, and others for another seed", async () => {
            const first = await faultedRun(42, 100);
            const second = await faultedRun(42, 100);
            const other = await faultedRun(43, 100);
            assert.ok(first.length > 0);
            assert.deepEqual(first, second);
            assert.notDeepEqual(first, other);
        });

        it("faults roughly the profile's share of 1000 requests", async () => {
            const faulted = await faultedRun(7, 1000);
            assert.ok(faulted.length >= 200 && faulted.length <= 300, `faulted ${faulted.length} of 1000`);
            const kinds = new Set(faulted.map(([, kind]) => kind));
            assert.deepEqual([...kinds].sort(), ["conflict", "internal", "throttle"]);
        });
    });

    describe("server lifecycle", () => {
        it("listens on 127.0.0.1 only", async function () {
            const emulator = await start();
            assert.match(emulator.url, /^http:\/\/127\.0\.0\.1:\d+$/);
            const external = Object.values(os.networkInterfaces())
                .flat()
                .find((address) => address !== undefined && address.family === "IPv4" && !address.internal);
            if (external === undefined) {
                // Skipped on purpose: with no non-loopback IPv4 address there is no other address to try.
                this.skip();
            }
            const port = Number(new URL(emulator.url).port);
            const outcome = await new Promise<string>((resolve) => {
                const socket = net.connect({ host: external.address, port });
                socket.once("connect", () => {
                    socket.destroy();
                    resolve("connected");
                });
                socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
            });
            assert.equal(outcome, "ECONNREFUSED");
        });

        it("stops promptly with a hung request open, and stop is idempotent", async () => {
            const emulator = await start();
            emulator.injectFaults("hang", 1);
            const pending = transportError(get(client(emulator)));
            await waitFor(() => emulator.requests().length === 1);
            const startedAt = Date.now();
            await emulator.close();
            await emulator.close();
            // A hung socket must not hold stop() until some timeout: generous slack for a loaded machine.
            assert.ok(Date.now() - startedAt < 5000, "stop took too long");
            assert.match((await pending).message, /socket hang up|ECONNRESET/);
        });

        it("does not keep a process alive when it is never stopped", async () => {
            const script =
                "require('./src').startEmulator().then((e) => process.stdout.write(e.url + '\\n'))";
            const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], {
                cwd: PACKAGE_ROOT,
                stdio: ["ignore", "pipe", "inherit"],
            });
            let output = "";
            child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
            const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
            assert.equal(code, 0);
            assert.match(output, /^http:\/\/127\.0\.0\.1:\d+\n$/);
        });
    });
});

/**
 * Wire variants, byte for byte, and what the real SDK makes of each: error names with a Coral suffix or in
 * `__type`, `Message` for `message`, a proxy's HTML 502, throttling on both operations, odd 200 GET bodies, and
 * answers whose body stalls or trickles.
 */
import assert from "node:assert/strict";
import * as http from "node:http";
import {
    CORAL_ERROR_TYPE_SUFFIX,
    GET_BODY_VARIANTS,
    PROXY_502_BODY,
    SERVICE_NAMESPACE,
    UNKNOWN_UNION_MEMBER,
    signRaw,
    TEST_CREDENTIALS,
} from "../src";
import type { EmulatorHandle, FaultKind } from "../src";
import {
    INSTANCE,
    LIST_PATH,
    UUID,
    client,
    get,
    header,
    limitsList,
    limitsPath,
    put,
    rawGet,
    rawPut,
    serviceError,
    start,
    waitFor,
} from "./support";

const THREE = [1, 2, 3].map((frequency) => ({ maxCountPerRecipient: 1, frequency, unit: "DAY" }));
const TOO_MANY = JSON.stringify({ communicationLimitsConfig: limitsList(...THREE) });
const TOO_MANY_MESSAGE = `1 validation error detected: Value '${JSON.stringify(THREE)}' at '${LIST_PATH}' failed to satisfy constraint: Member must have length less than or equal to 2`;
const CONFIG = limitsList({ maxCountPerRecipient: 3, frequency: 7, unit: "DAY" });

interface Arrival {
    status: number;
    headers: http.IncomingHttpHeaders;
    /** Each `data` chunk as it arrived. */
    chunks: Buffer[];
    ended: boolean;
}

/** Sends a signed GET and watches the answer arrive, chunk by chunk, without waiting for its end. */
async function watchGet(emulator: EmulatorHandle): Promise<{ arrival: Arrival; done: Promise<void> }> {
    const url = new URL(emulator.url);
    const signed = await signRaw(
        emulator.url,
        { method: "GET", path: limitsPath(INSTANCE) },
        { credentials: TEST_CREDENTIALS },
    );
    return new Promise((resolve, reject) => {
        const request = http.request(
            {
                host: url.hostname,
                port: url.port,
                method: "GET",
                path: signed.path,
                headers: signed.headers,
                agent: false,
            },
            (response) => {
                const arrival: Arrival = {
                    status: response.statusCode ?? 0,
                    headers: response.headers,
                    chunks: [],
                    ended: false,
                };
                const done = new Promise<void>((settle) => {
                    response.on("data", (chunk: Buffer) => arrival.chunks.push(chunk));
                    response.on("end", () => {
                        arrival.ended = true;
                        settle();
                    });
                    response.on("error", () => settle());
                    response.on("close", () => settle());
                });
                resolve({ arrival, done });
            },
        );
        request.on("error", reject);
        request.end();
    });
}

describe("wire variants", () => {
    describe("error encodings", () => {
        it("suffixes x-amzn-ErrorType with the Coral namespace URI, which the SDK strips", async () => {
            const emulator = await start({ errorStyle: { typeHeader: "coral" } });
            const raw = await rawPut(emulator, TOO_MANY);
            assert.equal(raw.status, 400);
            assert.equal(
                header(raw, "x-amzn-errortype"),
                "ValidationException:http://internal.amazon.com/coral/com.amazonaws.connectcampaignsv2/",
            );
            assert.equal(
                CORAL_ERROR_TYPE_SUFFIX,
                ":http://internal.amazon.com/coral/com.amazonaws.connectcampaignsv2/",
            );
            assert.equal(raw.body, JSON.stringify({ message: TOO_MANY_MESSAGE }));
            const error = await serviceError(put(client(emulator), limitsList(...THREE)));
            assert.equal(error.name, "ValidationException");
            assert.equal(error.message, TOO_MANY_MESSAGE);
        });

        it("names the error only in the body's __type as namespace#Name, which the SDK reads when no header names it", async () => {
            const emulator = await start({ errorStyle: { typeHeader: "none", typeInBody: true } });
            const raw = await rawPut(emulator, TOO_MANY);
            assert.equal(header(raw, "x-amzn-errortype"), undefined);
            assert.equal(
                raw.body,
                JSON.stringify({
                    __type: `${SERVICE_NAMESPACE}#ValidationException`,
                    message: TOO_MANY_MESSAGE,
                }),
            );
            assert.equal(SERVICE_NAMESPACE, "com.amazonaws.connectcampaignsv2");
            const error = await serviceError(put(client(emulator), limitsList(...THREE)));
            assert.equal(error.name, "ValidationException");
        });

        it("writes Message instead of message, which the SDK reads as the error's message", async () => {
            const emulator = await start();
            emulator.setErrorStyle({ messageKey: "Message" });
            const raw = await rawPut(emulator, TOO_MANY);
            assert.equal(raw.body, JSON.stringify({ Message: TOO_MANY_MESSAGE }));
            assert.equal(header(raw, "x-amzn-errortype"), "ValidationException");
            const error = await serviceError(put(client(emulator), limitsList(...THREE)));
            assert.equal(error.message, TOO_MANY_MESSAGE);
            emulator.setErrorStyle({});
            assert.equal(
                (await rawPut(emulator, TOO_MANY)).body,
                JSON.stringify({ message: TOO_MANY_MESSAGE }),
            );
        });

        it("applies the error style to every Connect error, faults and authentication failures included", async () => {
            const emulator = await start({
                errorStyle: { typeHeader: "coral", typeInBody: true, messageKey: "Message" },
            });
            emulator.injectFaults("internal", 1);
            const faulted = await rawGet(emulator);
            assert.equal(faulted.status, 500);
            assert.equal(
                header(faulted, "x-amzn-errortype"),
                `InternalServerException${CORAL_ERROR_TYPE_SUFFIX}`,
            );
            assert.equal(
                faulted.body,
                JSON.stringify({
                    __type: `${SERVICE_NAMESPACE}#InternalServerException`,
                    Message: "The service encountered an internal error. Try again later.",
                }),
            );
            const unsigned = await rawGet(emulator, INSTANCE, {
                accessKeyId: "AKIAUNKNOWN000000000",
                secretAccessKey: "x",
            });
            assert.equal(
                header(unsigned, "x-amzn-errortype"),
                `UnrecognizedClientException${CORAL_ERROR_TYPE_SUFFIX}`,
            );
        });
    });

    it("answers a proxy-502 fault with a proxy's HTML page and no x-amzn headers, which the SDK cannot parse as a service error", async () => {
        const emulator = await start();
        emulator.injectFaults("proxy-502", 2);
        const raw = await rawGet(emulator);
        assert.equal(raw.status, 502);
        assert.equal(raw.headers["content-type"], "text/html");
        assert.equal(raw.body, PROXY_502_BODY);
        assert.match(raw.body, /<title>502 Bad Gateway<\/title>/);
        assert.deepEqual(
            Object.keys(raw.headers).filter((name) => name.startsWith("x-amzn")),
            [],
        );
        const error = (await get(client(emulator)).catch((caught: unknown) => caught)) as Error & {
            $metadata?: { httpStatusCode?: number; requestId?: string };
        };
        assert.ok(error instanceof Error);
        assert.equal(error.$metadata?.httpStatusCode, 502);
        assert.equal(error.$metadata?.requestId, undefined);
        assert.notEqual(error.name, "InternalServerException");
        assert.equal(emulator.requests()[1]?.fault, "proxy-502");
    });

    it("throttles both operations with 429 ThrottlingException in the service's wire format", async () => {
        const emulator = await start();
        emulator.injectFaults("throttle", 2);
        const read = await rawGet(emulator);
        const write = await rawPut(emulator, JSON.stringify({ communicationLimitsConfig: CONFIG }));
        for (const raw of [read, write]) {
            assert.equal(raw.status, 429);
            assert.equal(header(raw, "x-amzn-errortype"), "ThrottlingException");
            assert.equal(raw.body, JSON.stringify({ message: "Rate exceeded" }));
            assert.match(header(raw, "x-amzn-requestid") ?? "", UUID);
        }
        emulator.injectFaults("throttle", 1, { operation: "PutInstanceCommunicationLimits" });
        const error = await serviceError(put(client(emulator), CONFIG));
        assert.equal(error.name, "ThrottlingException");
        assert.equal(error.$metadata.httpStatusCode, 429);
        assert.equal(emulator.limits(INSTANCE), undefined);
    });

    describe("odd 200 GET bodies", () => {
        const cases: { kind: FaultKind; body: string; sdkConfig: unknown }[] = [
            { kind: "empty-body", body: "", sdkConfig: undefined },
            { kind: "empty-array", body: "[]", sdkConfig: undefined },
            { kind: "json-string", body: '"communicationLimitsConfig"', sdkConfig: undefined },
            {
                kind: "unknown-union-member",
                body: `{"communicationLimitsConfig":{"allChannelSubtypes":{"${UNKNOWN_UNION_MEMBER}":{"telephony":[{"maxCountPerRecipient":2,"frequency":7,"unit":"DAY"}]}}}}`,
                sdkConfig: {
                    allChannelSubtypes: {
                        $unknown: [
                            UNKNOWN_UNION_MEMBER,
                            { telephony: [{ maxCountPerRecipient: 2, frequency: 7, unit: "DAY" }] },
                        ],
                    },
                },
            },
        ];
        for (const { kind, body, sdkConfig } of cases) {
            it(`answers a ${kind} fault with 200 and the body ${JSON.stringify(body)}, leaving the stored limits as they are`, async () => {
                const emulator = await start();
                emulator.setLimits(INSTANCE, CONFIG);
                emulator.injectFaults(kind, 2);
                // A PUT is not a GET: the fault waits for the next GET.
                assert.equal(
                    (await rawPut(emulator, JSON.stringify({ communicationLimitsConfig: CONFIG }))).status,
                    200,
                );
                const raw = await rawGet(emulator);
                assert.equal(raw.status, 200);
                assert.equal(raw.body, body);
                assert.equal(GET_BODY_VARIANTS[kind as keyof typeof GET_BODY_VARIANTS], body);
                assert.equal(raw.headers["content-type"], "application/json");
                assert.match(header(raw, "x-amzn-requestid") ?? "", UUID);
                const read = await get(client(emulator));
                assert.deepEqual(read.communicationLimitsConfig, sdkConfig);
                assert.deepEqual(emulator.limits(INSTANCE), CONFIG);
                assert.deepEqual(
                    emulator.requests().map((r) => r.fault ?? null),
                    [null, kind, kind],
                );
            });
        }
    });

    describe("slow bodies", () => {
        it("sends a stall fault's status and headers, then no body until the emulator closes", async () => {
            const emulator = await start();
            emulator.setLimits(INSTANCE, CONFIG);
            emulator.injectFaults("stall", 1);
            const { arrival, done } = await watchGet(emulator);
            assert.equal(arrival.status, 200);
            assert.match(String(arrival.headers["x-amzn-requestid"]), UUID);
            assert.equal(arrival.headers["transfer-encoding"], "chunked");
            // Anything at all would arrive long before this on a loopback connection, even a loaded one.
            await new Promise((resolve) => setTimeout(resolve, 300));
            assert.deepEqual(arrival.chunks, []);
            assert.equal(arrival.ended, false);
            await emulator.close();
            await done;
            assert.equal(arrival.ended, false);
            assert.deepEqual(arrival.chunks, []);
        });

        it("runs the operation under a stall fault, so a stalled PUT is stored while the SDK waits for a body that never comes", async () => {
            const emulator = await start();
            emulator.injectFaults("stall", 1);
            // The SDK's requestTimeout covers the wait for the response to start, not for its body.
            const sdk = client(emulator, {
                requestHandler: { requestTimeout: 200, throwOnRequestTimeout: true },
            });
            let settled = false;
            const call = put(sdk, CONFIG).then(
                () => "resolved",
                (error: unknown) => (error instanceof Error ? error.name : String(error)),
            );
            void call.then(() => (settled = true));
            await waitFor(() => emulator.requests()[0]?.status === 200);
            assert.deepEqual(emulator.limits(INSTANCE), CONFIG);
            // Well past the request timeout: a call that could finish would have.
            await new Promise((resolve) => setTimeout(resolve, 600));
            assert.equal(settled, false);
            await emulator.close();
            assert.notEqual(await call, "resolved");
        });

        it("sends a trickle fault's body one byte at a time, and the SDK reads the whole answer", async () => {
            const emulator = await start();
            emulator.setLimits(INSTANCE, CONFIG);
            const expected = JSON.stringify({ communicationLimitsConfig: CONFIG });
            emulator.injectFaults("trickle", 1, { intervalMs: 15 });
            const { arrival, done } = await watchGet(emulator);
            assert.equal(arrival.headers["content-length"], String(expected.length));
            assert.match(String(arrival.headers["x-amzn-requestid"]), UUID);
            await done;
            assert.equal(arrival.ended, true);
            assert.equal(Buffer.concat(arrival.chunks).toString(), expected);
            // One write per byte; a busy client may read a few at once, never the whole body in one or two.
            assert.ok(arrival.chunks.length > expected.length / 4, `${arrival.chunks.length} chunks`);
            assert.ok(arrival.chunks.every((chunk) => chunk.length < expected.length / 2));

            emulator.injectFaults("trickle", 1, { intervalMs: 2 });
            assert.deepEqual((await get(client(emulator))).communicationLimitsConfig, CONFIG);
            assert.deepEqual(
                emulator.requests().map((r) => r.fault),
                ["trickle", "trickle"],
            );
        });

        it("closes with a trickle in progress without waiting for it", async () => {
            const emulator = await start();
            emulator.injectFaults("trickle", 1, { intervalMs: 1000 });
            const { arrival, done } = await watchGet(emulator);
            await waitFor(() => emulator.requests()[0]?.status === 200);
            const startedAt = Date.now();
            await emulator.close();
            await done;
            assert.equal(arrival.ended, false);
            assert.ok(Date.now() - startedAt < 5000, "close waited for the trickle");
        });
    });

    it("gives every answer with a status an x-amzn-RequestId, except a proxy's", async () => {
        const emulator = await start();
        const kinds: FaultKind[] = [
            "throttle",
            "internal",
            "conflict",
            "empty-body",
            "empty-array",
            "json-string",
            "unknown-union-member",
            "trickle",
        ];
        for (const kind of kinds) {
            emulator.injectFaults(kind, 1, { intervalMs: 1 });
            const raw = await rawGet(emulator);
            assert.match(header(raw, "x-amzn-requestid") ?? "", UUID, kind);
        }
        emulator.injectFaults("proxy-502", 1);
        assert.equal(header(await rawGet(emulator), "x-amzn-requestid"), undefined);
    });
});

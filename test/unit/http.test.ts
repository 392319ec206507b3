/**
 * The bounded HTTP handler against a local server that misbehaves the ways a network can: headers then a
 * body that never ends, a body that trickles a byte at a time, no answer at all. Each attempt must end at
 * its deadline, as a TimeoutError the SDK's retry strategy retries.
 */
import assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo, Socket } from "node:net";

import { HttpRequest } from "@smithy/core/protocols";

import { BoundedHttpHandler } from "../../provider/http";
import type { IncompleteResponse } from "../../provider/http";

type Behaviour = (response: http.ServerResponse) => void;

async function serve(behaviour: Behaviour): Promise<{ port: number; close: () => Promise<void> }> {
    const sockets = new Set<Socket>();
    const timers = new Set<NodeJS.Timeout>();
    const server = http.createServer((_request, response) => behaviour(Object.assign(response, { timers })));
    server.on("connection", (socket: Socket) => {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        port,
        close: () =>
            new Promise<void>((resolve) => {
                timers.forEach(clearInterval);
                sockets.forEach((s) => s.destroy());
                server.close(() => resolve());
            }),
    };
}

function request(port: number): HttpRequest {
    return new HttpRequest({
        protocol: "http:",
        hostname: "127.0.0.1",
        port,
        method: "GET",
        path: "/",
        headers: {},
    });
}

async function timed<T>(work: () => Promise<T>): Promise<{ result?: T; error?: Error; ms: number }> {
    const start = Date.now();
    try {
        const result = await work();
        return { result, ms: Date.now() - start };
    } catch (error) {
        return { error: error as Error, ms: Date.now() - start };
    }
}

describe("the bounded HTTP handler (http)", function () {
    this.timeout(20_000);

    it("hands on a complete answer with its body read whole, as bytes", async () => {
        const server = await serve((response) => {
            response.writeHead(200, { "content-type": "application/json" });
            response.end('{"ok":true}');
        });
        try {
            const handler = new BoundedHttpHandler({ attemptTimeoutMs: 2_000, connectTimeoutMs: 1_000 });
            const { response } = await handler.handle(request(server.port));
            assert.equal(response.statusCode, 200);
            assert.ok(response.body instanceof Uint8Array);
            assert.equal(Buffer.from(response.body).toString(), '{"ok":true}');
            handler.destroy();
        } finally {
            await server.close();
        }
    });

    /** What of the answer had come: the status and request id of the headers, or nothing. */
    type Came = { statusCode: number; requestId: string } | undefined;
    const MISBEHAVIOURS: [string, Behaviour, string, Came][] = [
        [
            "headers, then a body that never ends",
            (response) => {
                response.writeHead(200, {
                    "content-type": "application/json",
                    "x-amzn-RequestId": "req-stall",
                });
                response.write('{"communicationLimitsConfig":');
            },
            "reading the response body",
            { statusCode: 200, requestId: "req-stall" },
        ],
        [
            "a body that trickles one byte every 100 ms",
            (response) => {
                response.writeHead(503, { "content-type": "text/html", "x-amzn-RequestId": "req-trickle" });
                const timer = setInterval(() => response.write(" "), 100);
                (response as unknown as { timers: Set<NodeJS.Timeout> }).timers.add(timer);
            },
            "reading the response body",
            { statusCode: 503, requestId: "req-trickle" },
        ],
        ["no answer at all", () => undefined, "waiting for the response headers", undefined],
    ];
    for (const [what, behaviour, phase, came] of MISBEHAVIOURS) {
        it(`ends an attempt that gets ${what} at its deadline, as a TimeoutError carrying ${came === undefined ? "no response" : "the status and headers that came"}`, async () => {
            const server = await serve(behaviour);
            try {
                const handler = new BoundedHttpHandler({ attemptTimeoutMs: 600, connectTimeoutMs: 1_000 });
                const outcome = await timed(() => handler.handle(request(server.port)));
                assert.ok(outcome.error, "the attempt failed");
                assert.equal(outcome.error.name, "TimeoutError");
                assert.equal(outcome.error.message, `the response was not complete within 600 ms (${phase})`);
                const { incompleteResponse } = outcome.error as { incompleteResponse?: IncompleteResponse };
                assert.deepEqual(
                    incompleteResponse === undefined
                        ? undefined
                        : {
                              statusCode: incompleteResponse.statusCode,
                              requestId: incompleteResponse.headers["x-amzn-requestid"],
                          },
                    came,
                );
                // The SDK reads its own fields as a whole answer's: none is set for one that did not complete.
                assert.equal((outcome.error as { $metadata?: unknown }).$metadata, undefined);
                assert.equal((outcome.error as { $response?: unknown }).$response, undefined);
                // The deadline is 600 ms; well under 10 s separates "bounded" from "waits for ever" on a loaded machine.
                assert.ok(outcome.ms >= 550 && outcome.ms < 10_000, `${outcome.ms} ms`);
                handler.destroy();
            } finally {
                await server.close();
            }
        });
    }

    it("passes the caller's abort on, without waiting for the deadline", async () => {
        const server = await serve(() => undefined);
        try {
            const handler = new BoundedHttpHandler({ attemptTimeoutMs: 30_000, connectTimeoutMs: 1_000 });
            const controller = new AbortController();
            setTimeout(() => controller.abort(new Error("cancelled by the caller")), 100);
            const outcome = await timed(() =>
                handler.handle(request(server.port), { abortSignal: controller.signal }),
            );
            assert.equal(outcome.error?.message, "cancelled by the caller");
            assert.ok(outcome.ms < 10_000);
            handler.destroy();
        } finally {
            await server.close();
        }
    });
});

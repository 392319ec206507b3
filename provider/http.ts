/**
 * The HTTP handler every call goes through: the AWS SDK's own Node.js handler, with each attempt bounded
 * end to end and each response body read whole.
 *
 * The SDK's `requestTimeout` is a socket idle timeout, and its body is read later by the deserializer with
 * no bound at all: a response whose headers arrive and whose body then stalls (or trickles a byte at a
 * time) holds a call forever. Here one deadline covers connecting, sending, the headers and the whole body.
 * When it passes, the attempt is abandoned (its socket destroyed) and fails as a `TimeoutError`, which the
 * SDK's retry strategy treats as transient: the call is retried like any timeout, within its attempts. When
 * the status and headers had come and only the body was missing, the error carries them
 * (`incompleteResponse`), so that the failure says an answer began rather than that none came.
 *
 * The body is handed on as bytes, so the deserializer never waits on a socket, and whoever needs the exact
 * bytes of an answer (`client.ts`, to refuse what it cannot represent) can read them.
 */
import type { HttpRequest, HttpResponse } from "@smithy/core/protocols";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import type { HttpHandlerOptions } from "@smithy/types";
import type { Readable } from "node:stream";

export interface BoundedHandlerOptions {
    /** The whole attempt: connection, request, headers and body. */
    attemptTimeoutMs: number;
    connectTimeoutMs: number;
}

/** The status and headers of an answer whose body did not complete within the attempt's deadline. */
export interface IncompleteResponse {
    statusCode: number;
    headers: Record<string, string>;
}

/**
 * A named error the SDK's retry classification counts as transient (`TRANSIENT_ERROR_CODES`). What had come
 * of the answer is kept apart from the SDK's own `$metadata` and `$response`, which the SDK reads (retry-after
 * hints, clock skew from the `date` header) as if the answer were whole.
 */
function attemptTimeout(ms: number, phase: string, answered: HttpResponse | undefined): Error {
    const error = Object.assign(new Error(`the response was not complete within ${ms} ms (${phase})`), {
        name: "TimeoutError",
    });
    if (answered === undefined) {
        return error;
    }
    const incompleteResponse: IncompleteResponse = {
        statusCode: answered.statusCode,
        headers: { ...answered.headers },
    };
    return Object.assign(error, { incompleteResponse });
}

function asError(reason: unknown): Error {
    return reason instanceof Error ? reason : new Error(String(reason));
}

function isReadable(body: unknown): body is Readable {
    return typeof body === "object" && body !== null && typeof (body as Readable).on === "function";
}

/** Reads a response body to its end, or rejects when `signal` aborts first. */
function collect(body: unknown, signal: AbortSignal): Promise<Uint8Array> {
    if (body === undefined || body === null) {
        return Promise.resolve(new Uint8Array());
    }
    if (body instanceof Uint8Array) {
        return Promise.resolve(body);
    }
    if (typeof body === "string") {
        return Promise.resolve(Buffer.from(body));
    }
    if (!isReadable(body)) {
        return Promise.reject(new Error(`a response body of an unexpected kind (${typeof body})`));
    }
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        const abort = () => {
            body.destroy();
            reject(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
        };
        if (signal.aborted) {
            abort();
            return;
        }
        signal.addEventListener("abort", abort, { once: true });
        body.on("data", (chunk: Buffer | string) =>
            chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk),
        );
        body.on("end", () => {
            signal.removeEventListener("abort", abort);
            resolve(Buffer.concat(chunks));
        });
        body.on("error", (error: Error) => {
            signal.removeEventListener("abort", abort);
            reject(error);
        });
    });
}

export class BoundedHttpHandler {
    readonly metadata = { handlerProtocol: "http/1.1" };
    private readonly inner: NodeHttpHandler;

    constructor(private readonly options: BoundedHandlerOptions) {
        this.inner = new NodeHttpHandler({ connectionTimeout: options.connectTimeoutMs });
    }

    async handle(
        request: HttpRequest,
        handlerOptions: HttpHandlerOptions = {},
    ): Promise<{ response: HttpResponse }> {
        const ms = this.options.attemptTimeoutMs;
        const controller = new AbortController();
        let phase = "waiting for the response headers";
        let answered: HttpResponse | undefined;
        const timer = setTimeout(() => controller.abort(attemptTimeout(ms, phase, answered)), ms);
        const outer = handlerOptions.abortSignal as AbortSignal | undefined;
        const forward = () => controller.abort(outer?.reason);
        outer?.addEventListener?.("abort", forward, { once: true });
        try {
            const deadline = new Promise<never>((_, reject) =>
                controller.signal.addEventListener("abort", () => reject(asError(controller.signal.reason)), {
                    once: true,
                }),
            );
            const { response } = await Promise.race([
                this.inner.handle(request, { abortSignal: controller.signal }),
                deadline,
            ]);
            phase = "reading the response body";
            answered = response;
            response.body = await collect(response.body, controller.signal);
            return { response };
        } finally {
            clearTimeout(timer);
            outer?.removeEventListener?.("abort", forward);
        }
    }

    updateHttpClientConfig(key: never, value: never): void {
        this.inner.updateHttpClientConfig(key, value);
    }

    httpHandlerConfigs(): ReturnType<NodeHttpHandler["httpHandlerConfigs"]> {
        return this.inner.httpHandlerConfigs();
    }

    destroy(): void {
        this.inner.destroy();
    }
}

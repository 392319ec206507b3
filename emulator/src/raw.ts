/**
 * Hand-made requests to the emulator: SigV4-signed with `@smithy/signature-v4` but sent with `node:http`, so tests
 * can send what the SDK would never serialize (invalid payloads, tampered bodies, missing or garbled signatures).
 */
import * as http from "node:http";
import { SignatureV4 } from "@smithy/signature-v4";
import { NodeSha256 } from "./sigv4";

export interface RawCredentials {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken?: string;
}

export interface RawRequest {
    method: string;
    /** Already percent-encoded path, optionally with `?query`. */
    path: string;
    headers?: Record<string, string>;
    body?: string;
}

export interface RawResponse {
    status: number;
    headers: http.IncomingHttpHeaders;
    body: string;
}

export interface SignOptions {
    credentials: RawCredentials;
    /** Default `us-west-2`. */
    region?: string;
    /** Default `connect-campaigns`. */
    service?: string;
    /** Default now. */
    signingDate?: Date;
}

/** Returns the request with `host`, `x-amz-date`, `x-amz-content-sha256`, `authorization` (and token) set. */
export async function signRaw(
    endpoint: string,
    request: RawRequest,
    options: SignOptions,
): Promise<RawRequest> {
    const url = new URL(endpoint);
    const queryAt = request.path.indexOf("?");
    const path = queryAt < 0 ? request.path : request.path.slice(0, queryAt);
    const query: Record<string, string> = {};
    if (queryAt >= 0) {
        for (const [key, value] of new URLSearchParams(request.path.slice(queryAt + 1))) {
            query[key] = value;
        }
    }
    const signer = new SignatureV4({
        service: options.service ?? "connect-campaigns",
        region: options.region ?? "us-west-2",
        credentials: options.credentials,
        sha256: NodeSha256,
    });
    const headers: Record<string, string> = { host: url.host, ...request.headers };
    if (request.body !== undefined && request.body !== "") {
        headers["content-length"] = String(Buffer.byteLength(request.body));
    }
    const signed = await signer.sign(
        {
            method: request.method,
            protocol: url.protocol,
            hostname: url.hostname,
            port: Number(url.port),
            path,
            query,
            headers,
            body: request.body,
        },
        { signingDate: options.signingDate ?? new Date() },
    );
    const result: RawRequest = { method: request.method, path: request.path, headers: { ...signed.headers } };
    if (request.body !== undefined) {
        result.body = request.body;
    }
    return result;
}

/** Sends exactly this request (no signing, no retries) and collects the whole response. */
export function sendRaw(endpoint: string, request: RawRequest): Promise<RawResponse> {
    const url = new URL(endpoint);
    return new Promise((resolve, reject) => {
        const outgoing = http.request(
            {
                host: url.hostname,
                port: url.port,
                method: request.method,
                path: request.path,
                headers: request.headers ?? {},
                agent: false,
            },
            (response) => {
                const chunks: Buffer[] = [];
                response.on("data", (chunk: Buffer) => chunks.push(chunk));
                response.on("end", () =>
                    resolve({
                        status: response.statusCode ?? 0,
                        headers: response.headers,
                        body: Buffer.concat(chunks).toString("utf8"),
                    }),
                );
                response.on("error", reject);
            },
        );
        outgoing.on("error", reject);
        outgoing.end(request.body);
    });
}

/** Signs and sends in one step. */
export async function sendSigned(
    endpoint: string,
    request: RawRequest,
    options: SignOptions,
): Promise<RawResponse> {
    return sendRaw(endpoint, await signRaw(endpoint, request, options));
}

/**
 * SigV4 verification of received requests, the way AWS front ends do it: parse the Authorization header, look up the
 * key, then recompute the signature with `@smithy/signature-v4` over the request as received (method, raw path,
 * query, the headers named in SignedHeaders, and the SHA-256 of the body) and compare.
 *
 * Failures are reported as protocol-neutral kinds; each protocol (restJson1, awsQuery) names them its own way.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { Hash, Hmac } from "node:crypto";
import { ALGORITHM_IDENTIFIER, SignatureV4 } from "@smithy/signature-v4";
import { STS_SIGNING_NAME } from "./sts";

type SourceData = string | ArrayBuffer | ArrayBufferView;

function toBuffer(data: SourceData): Buffer {
    if (typeof data === "string") {
        return Buffer.from(data, "utf8");
    }
    if (ArrayBuffer.isView(data)) {
        return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    }
    return Buffer.from(data);
}

/** SHA-256 (or HMAC-SHA-256 when given a key) on node:crypto, in the shape `@smithy/signature-v4` expects. */
export class NodeSha256 {
    private readonly hash: Hash | Hmac;

    constructor(secret?: SourceData) {
        this.hash = secret === undefined ? createHash("sha256") : createHmac("sha256", toBuffer(secret));
    }

    update(data: SourceData): void {
        this.hash.update(toBuffer(data));
    }

    digest(): Promise<Uint8Array> {
        return Promise.resolve(new Uint8Array(this.hash.digest()));
    }
}

function sha256Hex(body: Buffer | string): string {
    return createHash("sha256").update(body).digest("hex");
}

/** The request as it arrived, before any decoding that would change what was signed. */
export interface ReceivedRequest {
    method: string;
    /** Raw, still percent-encoded path without the query string. */
    path: string;
    /** Raw query string without the leading `?` (may be empty). */
    rawQuery: string;
    /** Lower-case header names, every value of each (node's `headersDistinct`). */
    headers: Record<string, string[] | undefined>;
    body: Buffer;
}

export interface ParsedAuthorization {
    accessKeyId: string;
    /** `yyyymmdd` from the credential scope. */
    date: string;
    region: string;
    service: string;
    terminator: string;
    signedHeaders: string[];
    signature: string;
}

/** Why a request was not authenticated; each protocol maps these to its own error names. */
export const AuthFailureKind = {
    /** No Authorization header at all. */
    Missing: "missing",
    /** An Authorization header or x-amz-date that cannot be parsed, or lacks a required part. */
    Incomplete: "incomplete",
    /** A key (or session token) the emulator does not know. */
    Unrecognized: "unrecognized",
    /** Wrong signature, wrong scope, or a date outside the allowed skew. */
    Signature: "signature",
    /** Temporary credentials past their expiration. */
    ExpiredToken: "expired-token",
} as const;
export type AuthFailureKind = (typeof AuthFailureKind)[keyof typeof AuthFailureKind];

export interface AuthFailure {
    ok: false;
    kind: AuthFailureKind;
    message: string;
}

interface AuthSuccess<T> {
    ok: true;
    accessKeyId: string;
    region: string;
    identity: T;
}

export type AuthResult<T> = AuthFailure | AuthSuccess<T>;

/** What the verifier needs to know about a key. */
export interface KnownKey<T> {
    secretAccessKey: string;
    sessionToken?: string;
    /** Epoch milliseconds after which the key is rejected as expired. */
    expiresAt?: number;
    identity: T;
}

export interface VerifyOptions<T> {
    /** The signing name the route requires (`connect-campaigns`, `sts`). */
    service: string;
    lookup: (accessKeyId: string) => KnownKey<T> | undefined;
    /** Epoch milliseconds; default `Date.now()`. */
    now?: number;
}

/** AWS accepts a signing time at most this far from its own clock, either way. */
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

const SIGNATURE_MISMATCH_MESSAGE =
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.";
/**
 * A REST service's `InvalidSignatureException` goes on to quote what it signed: the canonical request (every
 * signed header, the session token's `x-amz-security-token` included) and the string to sign.
 */
function signatureMismatch(expected: { canonicalRequest: string; stringToSign: string }): string {
    return (
        `${SIGNATURE_MISMATCH_MESSAGE} Consult the service documentation for details.\n\n` +
        `The Canonical String for this request should have been\n'${expected.canonicalRequest}'\n\n` +
        `The String-to-Sign should have been\n'${expected.stringToSign}'\n`
    );
}
const INVALID_TOKEN_MESSAGE = "The security token included in the request is invalid.";
const EXPIRED_TOKEN_MESSAGE = "The security token included in the request is expired";
const MISSING_TOKEN_MESSAGE = "Missing Authentication Token";

const fail = (kind: AuthFailureKind, message: string): AuthFailure => ({ ok: false, kind, message });

/** First value of a header, or undefined. */
export function headerValue(headers: Record<string, string[] | undefined>, name: string): string | undefined {
    return headers[name]?.[0];
}

/**
 * Parses `AWS4-HMAC-SHA256 Credential=AKID/yyyymmdd/region/service/aws4_request, SignedHeaders=a;b, Signature=hex`.
 * Returns the list of AWS-style complaints when a part is missing, so callers can both report and record.
 */
export function parseAuthorization(header: string): ParsedAuthorization | { problems: string[] } {
    const problems: string[] = [];
    const spaceAt = header.indexOf(" ");
    const algorithm = spaceAt < 0 ? header : header.slice(0, spaceAt);
    const params = new Map<string, string>();
    if (spaceAt >= 0) {
        for (const part of header.slice(spaceAt + 1).split(",")) {
            const equalsAt = part.indexOf("=");
            if (equalsAt > 0) {
                params.set(part.slice(0, equalsAt).trim(), part.slice(equalsAt + 1).trim());
            }
        }
    }
    if (algorithm !== ALGORITHM_IDENTIFIER) {
        problems.push(`Unsupported AWS 'algorithm': '${algorithm}'.`);
    }
    const credential = params.get("Credential");
    const signedHeaders = params.get("SignedHeaders");
    const signature = params.get("Signature");
    if (credential === undefined) {
        problems.push("Authorization header requires 'Credential' parameter.");
    }
    if (signature === undefined) {
        problems.push("Authorization header requires 'Signature' parameter.");
    }
    if (signedHeaders === undefined) {
        problems.push("Authorization header requires 'SignedHeaders' parameter.");
    }
    if (credential === undefined || signature === undefined || signedHeaders === undefined) {
        return { problems };
    }
    const scope = credential.split("/");
    const [accessKeyId, date, region, service, terminator] = scope;
    if (
        scope.length !== 5 ||
        accessKeyId === undefined ||
        date === undefined ||
        region === undefined ||
        service === undefined ||
        terminator === undefined
    ) {
        problems.push(
            `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
        );
        return { problems };
    }
    if (problems.length > 0) {
        return { problems };
    }
    return {
        accessKeyId,
        date,
        region,
        service,
        terminator,
        signedHeaders: signedHeaders.split(";"),
        signature,
    };
}

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** Parses SigV4's `yyyymmddThhmmssZ`; undefined when malformed. */
function parseAmzDate(value: string): Date | undefined {
    const match = AMZ_DATE.exec(value);
    if (match === null) {
        return undefined;
    }
    const [, year, month, day, hour, minute, second] = match.map(Number);
    const date = new Date(
        Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 0, hour ?? 0, minute ?? 0, second ?? 0),
    );
    return Number.isNaN(date.getTime()) ? undefined : date;
}

function formatAmzDate(date: Date): string {
    return date
        .toISOString()
        .replace(/[-:]/g, "")
        .replace(/\.\d{3}Z$/, "Z");
}

/** Splits a raw query string into decoded keys and values (repeated keys become lists), as the signer expects. */
function parseQuery(rawQuery: string): Record<string, string | string[]> {
    const query: Record<string, string | string[]> = {};
    if (rawQuery === "") {
        return query;
    }
    for (const pair of rawQuery.split("&")) {
        const equalsAt = pair.indexOf("=");
        const key = safeDecode(equalsAt < 0 ? pair : pair.slice(0, equalsAt));
        const value = equalsAt < 0 ? "" : safeDecode(pair.slice(equalsAt + 1));
        const existing = query[key];
        query[key] =
            existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
    }
    return query;
}

function safeDecode(text: string): string {
    try {
        return decodeURIComponent(text);
    } catch {
        return text;
    }
}

type SignableRequest = Parameters<SignatureV4["presign"]>[0];

/** Exposes the library's canonical-request and string-to-sign steps so headers can be taken exactly as signed. */
class Verifier extends SignatureV4 {
    async expectedSignature(
        request: SignableRequest,
        canonicalHeaders: Record<string, string>,
        payloadHash: string,
        signingDate: Date,
        region: string,
        service: string,
    ): Promise<{ signature: string; canonicalRequest: string; stringToSign: string }> {
        const canonicalRequest = this.createCanonicalRequest(request, canonicalHeaders, payloadHash);
        const { longDate, shortDate } = this.formatDate(signingDate);
        const scope = `${shortDate}/${region}/${service}/aws4_request`;
        const stringToSign = await this.createStringToSign(
            longDate,
            scope,
            canonicalRequest,
            ALGORITHM_IDENTIFIER,
        );
        const signature = await this.sign(stringToSign, {
            signingDate,
            signingRegion: region,
            signingService: service,
        });
        return { signature, canonicalRequest, stringToSign };
    }
}

function canonicalHeaderValue(values: string[]): string {
    return values
        .map((value) =>
            value
                .replace(/[\r\n]/g, " ")
                .replace(/[ \t]+/g, " ")
                .trim(),
        )
        .join(",");
}

function sameHex(a: string, b: string): boolean {
    const left = Buffer.from(a, "utf8");
    const right = Buffer.from(b, "utf8");
    return left.length === right.length && timingSafeEqual(left, right);
}

/** Authenticates one request. Checks run in the order AWS front ends apply them. */
export async function verifySigV4<T>(
    request: ReceivedRequest,
    options: VerifyOptions<T>,
): Promise<AuthResult<T>> {
    const now = options.now ?? Date.now();
    const authorization = headerValue(request.headers, "authorization");
    if (authorization === undefined) {
        return fail(AuthFailureKind.Missing, MISSING_TOKEN_MESSAGE);
    }
    const parsed = parseAuthorization(authorization);
    const amzDate = headerValue(request.headers, "x-amz-date");
    if ("problems" in parsed) {
        const problems = [...parsed.problems];
        if (amzDate === undefined) {
            problems.push(
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
            );
        }
        return fail(AuthFailureKind.Incomplete, `${problems.join(" ")} Authorization=${authorization}`);
    }
    if (amzDate === undefined) {
        return fail(
            AuthFailureKind.Incomplete,
            `Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${authorization}`,
        );
    }
    const signingDate = parseAmzDate(amzDate);
    if (signingDate === undefined) {
        return fail(
            AuthFailureKind.Incomplete,
            `Date must be in ISO-8601 'basic format'. Got '${amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601`,
        );
    }
    if (!parsed.signedHeaders.includes("host")) {
        return fail(
            AuthFailureKind.Incomplete,
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
        );
    }
    if (!parsed.signedHeaders.includes("x-amz-date")) {
        return fail(
            AuthFailureKind.Incomplete,
            "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.",
        );
    }
    const skew = signingDate.getTime() - now;
    if (skew < -MAX_CLOCK_SKEW_MS) {
        return fail(
            AuthFailureKind.Signature,
            `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(new Date(now - MAX_CLOCK_SKEW_MS))} (${formatAmzDate(new Date(now))} - 15 min.)`,
        );
    }
    if (skew > MAX_CLOCK_SKEW_MS) {
        return fail(
            AuthFailureKind.Signature,
            `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(new Date(now + MAX_CLOCK_SKEW_MS))} (${formatAmzDate(new Date(now))} + 15 min.)`,
        );
    }
    if (parsed.terminator !== "aws4_request") {
        return fail(
            AuthFailureKind.Signature,
            `Credential should be scoped with a valid terminator: 'aws4_request', not '${parsed.terminator}'.`,
        );
    }
    if (parsed.service !== options.service) {
        return fail(
            AuthFailureKind.Signature,
            `Credential should be scoped to correct service: '${options.service}'.`,
        );
    }
    if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(parsed.region)) {
        return fail(
            AuthFailureKind.Signature,
            `Credential should be scoped to a valid region, not '${parsed.region}'.`,
        );
    }
    if (parsed.date !== amzDate.slice(0, 8)) {
        return fail(
            AuthFailureKind.Signature,
            `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${parsed.date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
        );
    }
    const key = options.lookup(parsed.accessKeyId);
    if (key === undefined) {
        return fail(AuthFailureKind.Unrecognized, INVALID_TOKEN_MESSAGE);
    }
    const token = headerValue(request.headers, "x-amz-security-token");
    if (token !== key.sessionToken) {
        return fail(AuthFailureKind.Unrecognized, INVALID_TOKEN_MESSAGE);
    }
    if (key.expiresAt !== undefined && now >= key.expiresAt) {
        return fail(AuthFailureKind.ExpiredToken, EXPIRED_TOKEN_MESSAGE);
    }

    // The payload hash comes from the bytes received, never from the client's x-amz-content-sha256 (which the
    // library's own signer would trust), so a body changed after signing cannot verify.
    const payloadHash = sha256Hex(request.body);
    const canonicalHeaders: Record<string, string> = {};
    for (const name of parsed.signedHeaders) {
        const values = request.headers[name];
        if (values === undefined || name !== name.toLowerCase()) {
            return fail(AuthFailureKind.Signature, SIGNATURE_MISMATCH_MESSAGE);
        }
        canonicalHeaders[name] = canonicalHeaderValue(values);
    }
    const sortedNames = Object.keys(canonicalHeaders).sort();
    if (sortedNames.join(";") !== parsed.signedHeaders.join(";")) {
        return fail(AuthFailureKind.Signature, SIGNATURE_MISMATCH_MESSAGE);
    }
    const host = headerValue(request.headers, "host") ?? "";
    const verifier = new Verifier({
        service: options.service,
        region: parsed.region,
        credentials: {
            accessKeyId: parsed.accessKeyId,
            secretAccessKey: key.secretAccessKey,
        },
        sha256: NodeSha256,
        applyChecksum: false,
    });
    const expected = await verifier.expectedSignature(
        {
            method: request.method,
            protocol: "http:",
            hostname: host,
            path: request.path,
            query: parseQuery(request.rawQuery),
            headers: canonicalHeaders,
        },
        canonicalHeaders,
        payloadHash,
        signingDate,
        parsed.region,
        parsed.service,
    );
    if (!sameHex(expected.signature, parsed.signature)) {
        return fail(
            AuthFailureKind.Signature,
            options.service === STS_SIGNING_NAME ? SIGNATURE_MISMATCH_MESSAGE : signatureMismatch(expected),
        );
    }
    return { ok: true, accessKeyId: parsed.accessKeyId, region: parsed.region, identity: key.identity };
}

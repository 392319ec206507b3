/**
 * Bytes on the wire: how a Connect error is written in each error style, and the odd answers the real service and
 * what stands in front of it can send.
 *
 * The error shapes are those of the service model (botocore `connectcampaignsv2/2024-04-23/service-2.json`,
 * aws-sdk-js-v3 `codegen/sdk-codegen/aws-models/connectcampaignsv2.json`): each error is a structure with a
 * `message` member, its name in `x-amzn-ErrorType`. The variants are those the AWS SDK for JavaScript v3 is written
 * to read (`@smithy/core` protocols, `loadRestJsonErrorCode` and `sanitizeErrorCode`; `@aws-sdk/core` reads
 * `message ?? Message`): a `:`-suffixed header, `__type` as `namespace#Name`, and `Message`.
 */
import type { ErrorStyle } from "./types";

/** The service's Smithy namespace, as `__type` carries it. */
export const SERVICE_NAMESPACE = "com.amazonaws.connectcampaignsv2";

/** What Coral-based AWS front ends append to `x-amzn-ErrorType`. */
export const CORAL_ERROR_TYPE_SUFFIX = `:http://internal.amazon.com/coral/${SERVICE_NAMESPACE}/`;

export interface EncodedError {
    headers: Record<string, string>;
    body: string;
}

export function encodeJsonError(name: string, message: string, style: ErrorStyle): EncodedError {
    const headers: Record<string, string> = {};
    switch (style.typeHeader ?? "plain") {
        case "plain":
            headers["x-amzn-ErrorType"] = name;
            break;
        case "coral":
            headers["x-amzn-ErrorType"] = `${name}${CORAL_ERROR_TYPE_SUFFIX}`;
            break;
        case "none":
            break;
    }
    const body: Record<string, string> = {};
    if (style.typeInBody === true) {
        body["__type"] = `${SERVICE_NAMESPACE}#${name}`;
    }
    body[style.messageKey ?? "message"] = message;
    return { headers, body: JSON.stringify(body) };
}

export function checkErrorStyle(style: unknown, caller: string): ErrorStyle {
    if (typeof style !== "object" || style === null || Array.isArray(style)) {
        throw new TypeError(`${caller}: an error style is an object`);
    }
    const { typeHeader, typeInBody, messageKey, ...rest } = style as Record<string, unknown>;
    const unknown = Object.keys(rest);
    if (unknown.length > 0) {
        throw new TypeError(`${caller}: unknown error style members ${unknown.join(", ")}`);
    }
    const checked: ErrorStyle = {};
    if (typeHeader !== undefined) {
        if (typeHeader !== "plain" && typeHeader !== "coral" && typeHeader !== "none") {
            throw new TypeError(`${caller}: typeHeader is "plain", "coral" or "none"`);
        }
        checked.typeHeader = typeHeader;
    }
    if (typeInBody !== undefined) {
        if (typeof typeInBody !== "boolean") {
            throw new TypeError(`${caller}: typeInBody is a boolean`);
        }
        checked.typeInBody = typeInBody;
    }
    if (messageKey !== undefined) {
        if (messageKey !== "message" && messageKey !== "Message") {
            throw new TypeError(`${caller}: messageKey is "message" or "Message"`);
        }
        checked.messageKey = messageKey;
    }
    return checked;
}

/** What nginx-style proxies and load balancers answer when the service behind them does not. */
export const PROXY_502_BODY =
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n";

/** A union member the current model does not define, as a later model version could add one. */
export const UNKNOWN_UNION_MEMBER = "perChannelSubtypeLimits";

/** The bodies of the GET-body faults, byte for byte. */
export const GET_BODY_VARIANTS = {
    "empty-body": "",
    "empty-array": "[]",
    "json-string": '"communicationLimitsConfig"',
    "unknown-union-member": JSON.stringify({
        communicationLimitsConfig: {
            allChannelSubtypes: {
                [UNKNOWN_UNION_MEMBER]: {
                    telephony: [{ maxCountPerRecipient: 2, frequency: 7, unit: "DAY" }],
                },
            },
        },
    }),
} as const;

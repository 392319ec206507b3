/**
 * What the service (or a stored state) holds, read strictly. Pure.
 *
 * Anything this provider cannot represent exactly — a union member or limit field it does not know (a
 * newer API), a third limit, a value outside the model's ranges, a body that is not the JSON object the
 * model describes — is refused here with a sentence saying what it is. Reading it as "no limits" would make
 * the next write erase it, and recording it would put values the service rejects into state.
 *
 * Accepted as "no limits" (the service does not document which it returns for an instance never
 * configured): an absent `communicationLimitsConfig`, `{}`, an absent or empty union, an absent list, `[]`.
 */
import { describe } from "./describe";
import { normalizeConfig } from "./normalize";
import type { CanonicalLimitsConfig, CommunicationLimit } from "./types";
import { LimitUnit } from "./types";
import { isPlainObject } from "./unknowns";
import { LIMITS } from "./validate";

export type Parsed = { ok: true; config: CanonicalLimitsConfig } | { ok: false; problem: string };

const LIMIT_FIELDS = ["maxCountPerRecipient", "frequency", "unit"];

function integerIn(value: unknown, min: number, max: number): value is number {
    return typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;
}

function limitProblem(value: unknown, index: number): string | undefined {
    const at = `communicationLimitsList[${index}]`;
    if (!isPlainObject(value)) {
        return `${at} is ${describe(value)}, not a limit`;
    }
    const extra = Object.keys(value).filter((k) => !LIMIT_FIELDS.includes(k));
    if (extra.length > 0) {
        return `${at} has field${extra.length === 1 ? "" : "s"} this provider does not know (${extra.join(", ")})`;
    }
    if (
        !integerIn(value.maxCountPerRecipient, LIMITS.minMaxCountPerRecipient, LIMITS.maxMaxCountPerRecipient)
    ) {
        return `${at}.maxCountPerRecipient is ${describe(value.maxCountPerRecipient)}, not a whole number of at least 1`;
    }
    if (!integerIn(value.frequency, LIMITS.minFrequency, LIMITS.maxFrequency)) {
        return `${at}.frequency is ${describe(value.frequency)}, not a whole number of days from 1 to 30`;
    }
    if (value.unit !== LimitUnit.Day) {
        return `${at}.unit is ${describe(value.unit, [/^.{1,32}$/])}, a unit this provider does not know`;
    }
    return undefined;
}

/** A `communicationLimitsConfig` value (from a response body or from state), strictly. */
export function parseLimitsConfig(value: unknown): Parsed {
    if (value === undefined || value === null) {
        return { ok: true, config: normalizeConfig(undefined) };
    }
    if (!isPlainObject(value)) {
        return { ok: false, problem: `communicationLimitsConfig is ${describe(value)}, not an object` };
    }
    const extra = Object.keys(value).filter((k) => k !== "allChannelSubtypes");
    if (extra.length > 0) {
        return {
            ok: false,
            problem: `communicationLimitsConfig has members this provider does not know (${extra.join(", ")})`,
        };
    }
    const union = value.allChannelSubtypes;
    if (union === undefined || union === null) {
        return { ok: true, config: normalizeConfig(undefined) };
    }
    if (!isPlainObject(union)) {
        return { ok: false, problem: `allChannelSubtypes is ${describe(union)}, not an object` };
    }
    const members = Object.keys(union).filter((k) => k !== "communicationLimitsList");
    if (members.length > 0) {
        return {
            ok: false,
            problem: `allChannelSubtypes holds a union member this provider does not know (${members.join(", ")}), from a newer version of the API`,
        };
    }
    const list = union.communicationLimitsList;
    if (list === undefined || list === null) {
        return { ok: true, config: normalizeConfig(undefined) };
    }
    if (!Array.isArray(list)) {
        return { ok: false, problem: `communicationLimitsList is ${describe(list)}, not a list` };
    }
    const items = list as unknown[];
    if (items.length > LIMITS.maxLimits) {
        return {
            ok: false,
            problem: `communicationLimitsList holds ${items.length} limits; the model allows at most ${LIMITS.maxLimits}`,
        };
    }
    for (const [index, item] of items.entries()) {
        const problem = limitProblem(item, index);
        if (problem !== undefined) {
            return { ok: false, problem };
        }
    }
    return {
        ok: true,
        config: normalizeConfig({
            allChannelSubtypes: { communicationLimitsList: items as CommunicationLimit[] },
        }),
    };
}

/** A GetInstanceCommunicationLimits response body, as the bytes arrived. */
export function parseGetResponseBody(body: string): Parsed {
    if (body.trim() === "") {
        return { ok: false, problem: "the response body is empty, where the model has a JSON object" };
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(body) as unknown;
    } catch {
        return { ok: false, problem: `the response body is not JSON (${body.length} bytes)` };
    }
    if (!isPlainObject(parsed)) {
        return {
            ok: false,
            problem: `the response body is ${describe(parsed)}, where the model has a JSON object`,
        };
    }
    return parseLimitsConfig(parsed.communicationLimitsConfig);
}

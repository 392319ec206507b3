import assert from "node:assert/strict";

import { parseGetResponseBody, parseLimitsConfig } from "../../provider/response";

const NONE = { allChannelSubtypes: { communicationLimitsList: [] } };
const limit = (maxCountPerRecipient: unknown, frequency: unknown, unit: unknown = "DAY") => ({
    maxCountPerRecipient,
    frequency,
    unit,
});
const body = (config: unknown) => JSON.stringify({ communicationLimitsConfig: config });

describe("reading what the service returned (response)", () => {
    it("reads every documented spelling of 'no limits' as no limits", () => {
        for (const text of [
            "{}",
            body({}),
            body(null),
            body({ allChannelSubtypes: {} }),
            body({ allChannelSubtypes: null }),
            body({ allChannelSubtypes: { communicationLimitsList: [] } }),
            body({ allChannelSubtypes: { communicationLimitsList: null } }),
        ]) {
            assert.deepEqual(parseGetResponseBody(text), { ok: true, config: NONE }, text);
        }
    });

    it("reads limits in canonical order, ignoring response members that are not the limits", () => {
        const text = JSON.stringify({
            communicationLimitsConfig: {
                allChannelSubtypes: { communicationLimitsList: [limit(3, 7), limit(1, 1)] },
            },
            somethingNew: true,
        });
        assert.deepEqual(parseGetResponseBody(text), {
            ok: true,
            config: { allChannelSubtypes: { communicationLimitsList: [limit(1, 1), limit(3, 7)] } },
        });
    });

    const REFUSED: [string, string, string][] = [
        ["an empty body", "", "the response body is empty, where the model has a JSON object"],
        ["a body that is not JSON", "<html>", "the response body is not JSON (6 bytes)"],
        ["a JSON list", "[]", "the response body is a list of 0 items, where the model has a JSON object"],
        [
            "a JSON string",
            '"limits"',
            "the response body is a string of 6 characters, where the model has a JSON object",
        ],
        [
            "an unknown union member (a newer API)",
            body({ allChannelSubtypes: { perChannel: { sms: [] } } }),
            "allChannelSubtypes holds a union member this provider does not know (perChannel), from a newer version of the API",
        ],
        [
            "a member of the config this provider does not know",
            body({ allChannelSubtypes: { communicationLimitsList: [] }, instanceLimitsHandling: "OPT_IN" }),
            "communicationLimitsConfig has members this provider does not know (instanceLimitsHandling)",
        ],
        [
            "three limits",
            body({
                allChannelSubtypes: { communicationLimitsList: [limit(1, 1), limit(2, 2), limit(3, 3)] },
            }),
            "communicationLimitsList holds 3 limits; the model allows at most 2",
        ],
        [
            "a count as a string",
            body({ allChannelSubtypes: { communicationLimitsList: [limit("3", 7)] } }),
            'communicationLimitsList[0].maxCountPerRecipient is the string "3", not a whole number of at least 1',
        ],
        [
            "a fractional count",
            body({ allChannelSubtypes: { communicationLimitsList: [limit(3.5, 7)] } }),
            "communicationLimitsList[0].maxCountPerRecipient is 3.5, not a whole number of at least 1",
        ],
        [
            "a missing count (not read as zero)",
            body({ allChannelSubtypes: { communicationLimitsList: [{ frequency: 7, unit: "DAY" }] } }),
            "communicationLimitsList[0].maxCountPerRecipient is nothing, not a whole number of at least 1",
        ],
        [
            "a frequency out of range",
            body({ allChannelSubtypes: { communicationLimitsList: [limit(1, 90)] } }),
            "communicationLimitsList[0].frequency is 90, not a whole number of days from 1 to 30",
        ],
        [
            "an empty unit (not read as a unit)",
            body({ allChannelSubtypes: { communicationLimitsList: [limit(1, 1, "")] } }),
            "communicationLimitsList[0].unit is an empty string, a unit this provider does not know",
        ],
        [
            "a new unit",
            body({ allChannelSubtypes: { communicationLimitsList: [limit(1, 1, "WEEK")] } }),
            'communicationLimitsList[0].unit is the string "WEEK", a unit this provider does not know',
        ],
        [
            "a field of a limit this provider does not know",
            body({ allChannelSubtypes: { communicationLimitsList: [{ ...limit(1, 1), channel: "SMS" }] } }),
            "communicationLimitsList[0] has field this provider does not know (channel)",
        ],
        [
            "a list given as an object",
            body({ allChannelSubtypes: { communicationLimitsList: { a: 1 } } }),
            "communicationLimitsList is an object with a, not a list",
        ],
    ];
    for (const [what, text, problem] of REFUSED) {
        it(`refuses ${what}, saying what it is`, () => {
            assert.deepEqual(parseGetResponseBody(text), { ok: false, problem });
        });
    }

    it("reads a stored previousConfig with the same rules, so state the service would refuse is never restored", () => {
        assert.deepEqual(parseLimitsConfig(null), { ok: true, config: NONE });
        assert.deepEqual(
            parseLimitsConfig({ allChannelSubtypes: { communicationLimitsList: [limit(0, 7)] } }),
            {
                ok: false,
                problem:
                    "communicationLimitsList[0].maxCountPerRecipient is 0, not a whole number of at least 1",
            },
        );
    });
});

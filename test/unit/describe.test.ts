import assert from "node:assert/strict";

import { HARMLESS, describe as describeValue, offendingCharacters } from "../../provider/describe";

describe("describing values in messages (describe)", () => {
    const ROWS: [string, unknown, readonly RegExp[], string][] = [
        ["nothing", undefined, [], "nothing"],
        ["null", null, [], "null"],
        ["a number", 2.5, [], "2.5"],
        ["NaN", Number.NaN, [], "NaN"],
        ["a boolean", true, [], "a boolean (true)"],
        ["a list by its length", [1, 2, 3], [], "a list of 3 items"],
        ["an object by its keys, sorted", { b: 1, a: 2 }, [], "an object with a, b"],
        ["an empty object", {}, [], "an empty object"],
        ["an empty string", "", [], "an empty string"],
        ["a free string by its length only", "hunter2-secret", [], "a string of 14 characters"],
        ["a short numeric string, quoted (a count read from config)", "42", [], 'the string "42"'],
        ["a word, quoted where words are harmless", "WEEK", [HARMLESS.word], 'the string "WEEK"'],
        [
            "a region-shaped name, quoted where regions are expected",
            "us-west-2a",
            [HARMLESS.region],
            'the string "us-west-2a"',
        ],
        [
            "an ARN, quoted where ARNs are expected",
            "arn:aws:iam::123456789012:user/alice",
            [HARMLESS.arn],
            'the string "arn:aws:iam::123456789012:user/alice"',
        ],
        [
            "a string that fits no harmless shape, by its length",
            "Pa55w0rd!",
            [HARMLESS.word, HARMLESS.region],
            "a string of 9 characters",
        ],
    ];
    for (const [what, value, shapes, expected] of ROWS) {
        it(`shows ${what}`, () => {
            assert.equal(describeValue(value, shapes), expected);
        });
    }

    it("names offending characters once each, and never letters or digits", () => {
        assert.deepEqual(offendingCharacters("a/b c:d/e", /[a-z]/), ["'/'", "a space", "':'"]);
        assert.deepEqual(offendingCharacters("ünï", /[a-z]/), ["a non-ASCII letter"]);
    });
});

import * as assert from "node:assert/strict";
import Ajv from "ajv";

import {
    DEFAULTS,
    PolicyConfigError,
    SCHEMAS,
    matchesStackPattern,
    parseDeletionPoliciesConfig,
    parseMaxContactsConfig,
    parseRequiredWindowConfig,
    parseSingleManagerConfig,
} from "../src/config";
import type { PolicyConfigSchema } from "@pulumi/policy";

/**
 * The object schema the CLI validates a policy's config against: the policy's properties plus the
 * `enforcementLevel` it injects (pkg/resource/plugin analyzer_plugin.go), with its `required` list.
 */
function validatorFor(schema: PolicyConfigSchema): (config: unknown) => boolean {
    const ajv = new Ajv({ strict: false, allErrors: true });
    return ajv.compile({
        type: "object",
        properties: {
            ...schema.properties,
            enforcementLevel: { type: "string", enum: ["advisory", "mandatory", "remediate", "disabled"] },
        },
        required: schema.required ?? [],
    });
}

function rejects(parse: (config: object) => unknown, config: object, message: string): void {
    assert.throws(
        () => parse(config),
        (error: unknown) => {
            assert.ok(error instanceof PolicyConfigError);
            assert.equal(error.message, message);
            return true;
        },
    );
}

describe("policy configuration", () => {
    describe("max-contacts-per-window", () => {
        it("defaults to at most 1 a day, 3 in 7 days and 8 in 30 days", () => {
            assert.deepEqual(parseMaxContactsConfig({}), {
                maxCountPerRecipient: [
                    { window: 1, allowed: 1 },
                    { window: 7, allowed: 3 },
                    { window: 30, allowed: 8 },
                ],
            });
        });

        it("reads windows given in any order, ascending", () => {
            assert.deepEqual(parseMaxContactsConfig({ maxCountPerRecipient: { "90": 20, "14": 4 } }), {
                maxCountPerRecipient: [
                    { window: 14, allowed: 4 },
                    { window: 90, allowed: 20 },
                ],
            });
        });

        const bad: [string, object, string][] = [
            [
                "a misspelt property",
                { maxCountPerRecipent: { "7": 3 } },
                'max-contacts-per-window: unknown config property "maxCountPerRecipent"; its properties are maxCountPerRecipient (and enforcementLevel).',
            ],
            [
                "a list instead of a map",
                { maxCountPerRecipient: [3] },
                'max-contacts-per-window: maxCountPerRecipient must be an object from a window in days to the most contacts per recipient allowed in it, e.g. { "7": 3 }; got [3].',
            ],
            [
                "no windows",
                { maxCountPerRecipient: {} },
                "max-contacts-per-window: maxCountPerRecipient must name at least one window.",
            ],
            [
                "a window that is not a number of days",
                { maxCountPerRecipient: { week: 3 } },
                'max-contacts-per-window: maxCountPerRecipient["week"]: a window must be a whole number of days from 1 to 365.',
            ],
            [
                "a window over a year",
                { maxCountPerRecipient: { "366": 3 } },
                'max-contacts-per-window: maxCountPerRecipient["366"]: a window must be a whole number of days from 1 to 365.',
            ],
            [
                "a zero cap",
                { maxCountPerRecipient: { "7": 0 } },
                'max-contacts-per-window: maxCountPerRecipient["7"] must be a whole number of contacts, at least 1; got 0.',
            ],
            [
                "a cap given as a string",
                { maxCountPerRecipient: { "7": "3" } },
                'max-contacts-per-window: maxCountPerRecipient["7"] must be a whole number of contacts, at least 1; got "3".',
            ],
        ];
        for (const [what, config, message] of bad) {
            it(`rejects ${what}`, () => {
                rejects(parseMaxContactsConfig, config, message);
            });
        }
    });

    describe("required-window", () => {
        it("defaults to requiring a daily limit", () => {
            assert.deepEqual(parseRequiredWindowConfig({}), { frequencies: [1] });
        });

        it("reads any of several frequencies, ascending", () => {
            assert.deepEqual(parseRequiredWindowConfig({ frequencies: [7, 1] }), { frequencies: [1, 7] });
        });

        const message = (got: string): string =>
            `required-window: frequencies must be a non-empty list of different whole numbers of days from 1 to 30, e.g. [1]; got ${got}.`;
        const bad: [string, object, string][] = [
            ["an empty list", { frequencies: [] }, message("[]")],
            ["a frequency the service does not allow", { frequencies: [31] }, message("[31]")],
            ["a repeated frequency", { frequencies: [1, 1] }, message("[1,1]")],
            ["a single number instead of a list", { frequencies: 1 }, message("1")],
            [
                "a misspelt property",
                { frequency: [1] },
                'required-window: unknown config property "frequency"; its properties are frequencies (and enforcementLevel).',
            ],
        ];
        for (const [what, config, expected] of bad) {
            it(`rejects ${what}`, () => {
                rejects(parseRequiredWindowConfig, config, expected);
            });
        }
    });

    describe("allowed-deletion-policies", () => {
        it('defaults to "restore" or "retain" in stacks named prod*, and any policy elsewhere', () => {
            assert.deepEqual(parseDeletionPoliciesConfig({}), {
                rules: [
                    { stack: "prod*", deletionPolicies: ["restore", "retain"] },
                    { stack: "*", deletionPolicies: ["reset", "restore", "retain"] },
                ],
            });
        });

        it("keeps the rules in the order given", () => {
            const rules = [
                { stack: "*", deletionPolicies: ["retain"] },
                { stack: "prod", deletionPolicies: ["reset"] },
            ];
            assert.deepEqual(parseDeletionPoliciesConfig({ rules }), { rules });
        });

        const bad: [string, object, string][] = [
            [
                "a map of patterns, whose order the engine does not keep",
                { rules: { "prod*": ["reset"] } },
                'allowed-deletion-policies: rules must be a list of { "stack": "<pattern>", "deletionPolicies": [...] }, tried in order, e.g. [{ "stack": "prod*", "deletionPolicies": ["restore", "retain"] }]; got {"prod*":["reset"]}.',
            ],
            [
                "an unknown deletion policy",
                { rules: [{ stack: "*", deletionPolicies: ["destroy"] }] },
                'allowed-deletion-policies: rules[0].deletionPolicies must be a non-empty list of different values from "reset", "restore", "retain"; got ["destroy"].',
            ],
            [
                "a rule allowing nothing",
                { rules: [{ stack: "*", deletionPolicies: [] }] },
                'allowed-deletion-policies: rules[0].deletionPolicies must be a non-empty list of different values from "reset", "restore", "retain"; got [].',
            ],
            [
                "a rule without a stack pattern",
                { rules: [{ deletionPolicies: ["reset"] }] },
                'allowed-deletion-policies: rules[0].stack must be a stack-name pattern such as "prod*"; got nothing.',
            ],
            [
                "a rule with an unknown property",
                { rules: [{ stack: "*", deletionPolicies: ["reset"], project: "x" }] },
                'allowed-deletion-policies: rules[0]: unknown property "project"; a rule has stack and deletionPolicies.',
            ],
            [
                "a rule that is not an object",
                { rules: ["prod*"] },
                'allowed-deletion-policies: rules[0] must be an object; rules are a list of { "stack": "<pattern>", "deletionPolicies": [...] }, tried in order, e.g. [{ "stack": "prod*", "deletionPolicies": ["restore", "retain"] }].',
            ],
        ];
        for (const [what, config, message] of bad) {
            it(`rejects ${what}`, () => {
                rejects(parseDeletionPoliciesConfig, config, message);
            });
        }
    });

    describe("single-manager-per-instance", () => {
        it("takes no properties besides the enforcement level", () => {
            assert.deepEqual(parseSingleManagerConfig({}), {});
            rejects(
                parseSingleManagerConfig,
                { regions: ["us-west-2"] },
                'single-manager-per-instance: unknown config property "regions"; it has none besides enforcementLevel.',
            );
        });
    });

    describe("stack-name patterns", () => {
        const cases: [string, string, boolean][] = [
            ["prod*", "prod", true],
            ["prod*", "prod-eu", true],
            ["prod*", "preprod", false],
            ["*prod*", "preprod", true],
            ["prod", "prod-eu", false],
            ["prod-??", "prod-eu", true],
            ["prod-??", "prod-eu1", false],
            ["*", "", true],
            ["team.a", "teamXa", false],
            ["team.a", "team.a", true],
            ["a+b", "a+b", true],
        ];
        for (const [pattern, name, matches] of cases) {
            it(`${JSON.stringify(pattern)} ${matches ? "matches" : "does not match"} ${JSON.stringify(name)}`, () => {
                assert.equal(matchesStackPattern(pattern, name), matches);
            });
        }
    });

    describe("the schemas --policy-pack-config is validated against", () => {
        const schemaCases: [string, PolicyConfigSchema, unknown[], unknown[]][] = [
            [
                "max-contacts-per-window",
                SCHEMAS.maxContacts,
                [{}, { maxCountPerRecipient: { "1": 1, "365": 100 } }, { enforcementLevel: "advisory" }],
                [
                    { maxCountPerRecipient: {} },
                    { maxCountPerRecipient: { "0": 1 } },
                    { maxCountPerRecipient: { "366": 1 } },
                    { maxCountPerRecipient: { "07": 1 } },
                    { maxCountPerRecipient: { "7": 0 } },
                    { maxCountPerRecipient: { "7": 2.5 } },
                    { maxCountPerRecipient: { "7": "3" } },
                    { enforcementLevel: "strict" },
                ],
            ],
            [
                "required-window",
                SCHEMAS.requiredWindow,
                [{}, { frequencies: [1, 7] }],
                [{ frequencies: [] }, { frequencies: [0] }, { frequencies: [31] }, { frequencies: [1, 1] }],
            ],
            [
                "allowed-deletion-policies",
                SCHEMAS.deletionPolicies,
                [{}, { rules: [] }, { rules: [{ stack: "prod*", deletionPolicies: ["retain"] }] }],
                [
                    { rules: { "prod*": ["retain"] } },
                    { rules: [{ stack: "prod*" }] },
                    { rules: [{ stack: "", deletionPolicies: ["retain"] }] },
                    { rules: [{ stack: "*", deletionPolicies: ["destroy"] }] },
                    { rules: [{ stack: "*", deletionPolicies: [] }] },
                    { rules: [{ stack: "*", deletionPolicies: ["reset"], extra: 1 }] },
                ],
            ],
        ];
        for (const [policy, schema, valid, invalid] of schemaCases) {
            it(`${policy}: accepts ${valid.map((c) => JSON.stringify(c)).join(", ")}`, () => {
                const validate = validatorFor(schema);
                for (const config of valid) {
                    assert.equal(validate(config), true, JSON.stringify(config));
                }
            });
            for (const config of invalid) {
                it(`${policy}: rejects ${JSON.stringify(config)}`, () => {
                    assert.equal(validatorFor(schema)(config), false);
                });
            }
        }

        it("give as defaults exactly the parsers' defaults, which the schemas accept", () => {
            const defaults = {
                maxCountPerRecipient: SCHEMAS.maxContacts.properties.maxCountPerRecipient?.default,
                frequencies: SCHEMAS.requiredWindow.properties.frequencies?.default,
                rules: SCHEMAS.deletionPolicies.properties.rules?.default,
            };
            assert.deepEqual(defaults, {
                maxCountPerRecipient: DEFAULTS.maxCountPerRecipient,
                frequencies: DEFAULTS.frequencies,
                rules: DEFAULTS.rules,
            });
            assert.equal(
                validatorFor(SCHEMAS.maxContacts)({ maxCountPerRecipient: defaults.maxCountPerRecipient }),
                true,
            );
            assert.equal(validatorFor(SCHEMAS.requiredWindow)({ frequencies: defaults.frequencies }), true);
            assert.equal(validatorFor(SCHEMAS.deletionPolicies)({ rules: defaults.rules }), true);
        });

        it("every config the schemas accept, the parsers accept too", () => {
            const accepted: [(config: object) => unknown, object][] = [
                [parseMaxContactsConfig, { maxCountPerRecipient: { "1": 1, "365": 100 } }],
                [parseRequiredWindowConfig, { frequencies: [1, 7] }],
                [parseDeletionPoliciesConfig, { rules: [] }],
                [parseDeletionPoliciesConfig, { rules: [{ stack: "prod*", deletionPolicies: ["retain"] }] }],
            ];
            for (const [parse, config] of accepted) {
                assert.doesNotThrow(() => parse(config), JSON.stringify(config));
            }
        });
    });
});

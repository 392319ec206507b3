import * as assert from "node:assert/strict";
import fc from "fast-check";

import {
    parseDeletionPoliciesConfig,
    parseMaxContactsConfig,
    parseRequiredWindowConfig,
} from "../src/config";
import { UNKNOWN_SENTINELS } from "../src/resource";
import type { Verdict } from "../src/rules";
import { checkDeletionPolicy, checkMaxContacts, checkRequiredWindow, checkSingleManager } from "../src/rules";
import { effectiveCap } from "../src/window";
import { INSTANCE, OTHER_INSTANCE, UNKNOWN, config, inputs, limit, read } from "./support";

const LABEL = `InstanceCommunicationLimits "contact-center" on instance ${INSTANCE} in us-west-2`;
const LIST = "communicationLimitsConfig.allChannelSubtypes.communicationLimitsList";
const AGAIN = "the policy runs again once the values are known, before anything is written";
const PASS: Verdict = { violations: [], cannotCheckYet: undefined };

function resource(communicationLimitsConfig: unknown, extra: Record<string, unknown> = {}) {
    return read("contact-center", inputs(communicationLimitsConfig, extra));
}

describe("the rules", () => {
    describe("max-contacts-per-window", () => {
        const defaults = parseMaxContactsConfig({});
        const cases: [string, unknown, Verdict][] = [
            [
                "passes limits whose implied caps are within every window (1 a day, 1 in 4 days)",
                config(limit(1, 1), limit(1, 4)),
                PASS,
            ],
            [
                "passes a daily cap with a 30-day cap that binds the week too",
                config(limit(1, 1), limit(3, 30)),
                PASS,
            ],
            [
                "reports the 30-day cap two limits imply, with each limit's arithmetic",
                config(limit(3, 7), limit(1, 1)),
                {
                    violations: [
                        `${LABEL}: 1 per 1 DAY allows up to 1 × 30 = 30 per 30 days; 3 per 7 DAY allows up to 3 × ceil(30/7) = 15 per 30 days; so up to 15 per 30 days; the organisation allows 8.`,
                    ],
                    cannotCheckYet: undefined,
                },
            ],
            [
                "reports every window a daily cap alone lets through",
                config(limit(1, 1)),
                {
                    violations: [
                        `${LABEL}: 1 per 1 DAY allows up to 1 × 7 = 7 per 7 days; the organisation allows 3.`,
                        `${LABEL}: 1 per 1 DAY allows up to 1 × 30 = 30 per 30 days; the organisation allows 8.`,
                    ],
                    cannotCheckYet: undefined,
                },
            ],
            [
                "reports a window shorter than the limit's, where the limit's whole count applies",
                config(limit(3, 30)),
                {
                    violations: [`${LABEL}: 3 per 30 DAY allows up to 3 per day; the organisation allows 1.`],
                    cannotCheckYet: undefined,
                },
            ],
            [
                "reports no limits as unlimited in every window",
                config(),
                {
                    violations: [
                        `${LABEL} sets no limits, so it allows any number of contacts per recipient in 1 day; the organisation allows 1.`,
                        `${LABEL} sets no limits, so it allows any number of contacts per recipient in 7 days; the organisation allows 3.`,
                        `${LABEL} sets no limits, so it allows any number of contacts per recipient in 30 days; the organisation allows 8.`,
                    ],
                    cannotCheckYet: undefined,
                },
            ],
            ["reports an empty config ({}) as no limits", {}, checkMaxContacts(resource(config()), defaults)],
            [
                "cannot check any window while the whole list is unknown",
                { allChannelSubtypes: { communicationLimitsList: UNKNOWN_SENTINELS.array } },
                {
                    violations: [],
                    cannotCheckYet: `${LABEL}: ${LIST} is not known until apply, so the organisation's caps of 1 per 1 day, 3 per 7 days and 8 per 30 days cannot be checked yet; ${AGAIN}.`,
                },
            ],
            [
                "cannot check the windows the known limits exceed while another limit's count is unknown",
                config(limit(1, 1), limit(UNKNOWN_SENTINELS.number, 7)),
                {
                    violations: [],
                    cannotCheckYet: `${LABEL}: ${LIST}[1].maxCountPerRecipient is not known until apply, so the organisation's caps of 3 per 7 days and 8 per 30 days cannot be checked yet; ${AGAIN}.`,
                },
            ],
            [
                "passes when the known limits comply whatever the unknown one turns out to be",
                config(limit(1, 4), limit(UNKNOWN, UNKNOWN)),
                PASS,
            ],
            [
                "names every unknown field it could not get past",
                config(limit(UNKNOWN, 1), UNKNOWN_SENTINELS.object),
                {
                    violations: [],
                    cannotCheckYet: `${LABEL}: ${LIST}[0].maxCountPerRecipient and ${LIST}[1] are not known until apply, so the organisation's caps of 1 per 1 day, 3 per 7 days and 8 per 30 days cannot be checked yet; ${AGAIN}.`,
                },
            ],
        ];
        for (const [title, limits, expected] of cases) {
            it(title, () => {
                assert.deepEqual(checkMaxContacts(resource(limits), defaults), expected);
            });
        }

        it("checks the windows the organisation configures, whatever they are", () => {
            const verdict = checkMaxContacts(
                resource(config(limit(3, 7))),
                parseMaxContactsConfig({ maxCountPerRecipient: { "14": 5, "90": 40 } }),
            );
            assert.deepEqual(verdict, {
                violations: [
                    `${LABEL}: 3 per 7 DAY allows up to 3 × 2 = 6 per 14 days; the organisation allows 5.`,
                ],
                cannotCheckYet: undefined,
            });
        });

        it("reads the plugin provider's resource like the dynamic one", () => {
            const plugin = read("contact-center", inputs(config(limit(1, 1))), {
                type: "connect-campaign-limits:connectcampaignsv2:InstanceCommunicationLimits",
            });
            assert.deepEqual(
                checkMaxContacts(plugin, defaults),
                checkMaxContacts(resource(config(limit(1, 1))), defaults),
            );
        });

        const arbLimits = fc.uniqueArray(
            fc.record({
                maxCountPerRecipient: fc.integer({ min: 1, max: 40 }),
                frequency: fc.integer({ min: 1, max: 30 }),
            }),
            { minLength: 1, maxLength: 2, selector: (l) => l.frequency },
        );
        const arbWindow = fc.integer({ min: 1, max: 365 });

        it("never reports limits against a cap equal to their own effective cap", () => {
            fc.assert(
                fc.property(arbLimits, arbWindow, (limits, window) => {
                    const allowed = effectiveCap(limits, window);
                    const cfg = parseMaxContactsConfig({ maxCountPerRecipient: { [window]: allowed } });
                    const given = resource(
                        config(...limits.map((l) => limit(l.maxCountPerRecipient, l.frequency))),
                    );
                    assert.deepEqual(checkMaxContacts(given, cfg), PASS);
                }),
            );
        });

        it("always reports limits against a cap one below their effective cap, naming both numbers", () => {
            fc.assert(
                fc.property(arbLimits, arbWindow, (limits, window) => {
                    const cap = effectiveCap(limits, window);
                    fc.pre(cap >= 2);
                    const cfg = parseMaxContactsConfig({ maxCountPerRecipient: { [window]: cap - 1 } });
                    const given = resource(
                        config(...limits.map((l) => limit(l.maxCountPerRecipient, l.frequency))),
                    );
                    const { violations, cannotCheckYet } = checkMaxContacts(given, cfg);
                    assert.equal(cannotCheckYet, undefined);
                    assert.equal(violations.length, 1);
                    // "… allows up to 3 per 7 days", "… = 15 per 30 days" or "… so up to 15 per 30 days".
                    assert.match(
                        violations[0] ?? "",
                        new RegExp(`(up to|=) ${cap} per (day|${window} days)`),
                    );
                    assert.ok(violations[0]?.endsWith(`the organisation allows ${cap - 1}.`), violations[0]);
                }),
            );
        });

        it("never passes limits with an unknown field unless the known ones alone comply", () => {
            fc.assert(
                fc.property(
                    arbLimits,
                    arbWindow,
                    fc.integer({ min: 1, max: 400 }),
                    (limits, window, allowed) => {
                        const cfg = parseMaxContactsConfig({ maxCountPerRecipient: { [window]: allowed } });
                        const given = resource(
                            config(
                                ...limits.map((l) => limit(l.maxCountPerRecipient, l.frequency)),
                                limit(UNKNOWN, 1),
                            ),
                        );
                        const verdict = checkMaxContacts(given, cfg);
                        assert.equal(verdict.violations.length, 0);
                        assert.equal(
                            verdict.cannotCheckYet === undefined,
                            effectiveCap(limits, window) <= allowed,
                        );
                    },
                ),
            );
        });
    });

    describe("required-window", () => {
        const daily = parseRequiredWindowConfig({});
        const cases: [string, unknown, Verdict][] = [
            ["passes a resource with a daily limit", config(limit(3, 7), limit(1, 1)), PASS],
            [
                "reports a resource without one, listing the limits it does set",
                config(limit(2, 7)),
                {
                    violations: [
                        `${LABEL} sets no limit with a frequency of 1 DAY; the organisation requires one. Its limits: 2 per 7 DAY.`,
                    ],
                    cannotCheckYet: undefined,
                },
            ],
            [
                "reports a resource with no limits",
                config(),
                {
                    violations: [
                        `${LABEL} sets no limit with a frequency of 1 DAY; the organisation requires one. It sets no limits.`,
                    ],
                    cannotCheckYet: undefined,
                },
            ],
            [
                "passes a daily limit whose count is not known yet",
                config(limit(UNKNOWN_SENTINELS.number, 1)),
                PASS,
            ],
            [
                "cannot check while a limit's frequency is unknown",
                config(limit(2, 7), limit(1, UNKNOWN_SENTINELS.number)),
                {
                    violations: [],
                    cannotCheckYet: `${LABEL}: ${LIST}[1].frequency is not known until apply, so whether it sets a limit with a frequency of 1 DAY cannot be checked yet; ${AGAIN}.`,
                },
            ],
            [
                "cannot check while the whole config is unknown",
                UNKNOWN_SENTINELS.object,
                {
                    violations: [],
                    cannotCheckYet: `${LABEL}: communicationLimitsConfig is not known until apply, so whether it sets a limit with a frequency of 1 DAY cannot be checked yet; ${AGAIN}.`,
                },
            ],
            [
                "reports a limit whose known frequency is not the required one, whatever its count",
                config(limit(UNKNOWN, 7)),
                {
                    violations: [
                        `${LABEL} sets no limit with a frequency of 1 DAY; the organisation requires one. Its limits: ? per 7 DAY.`,
                    ],
                    cannotCheckYet: undefined,
                },
            ],
        ];
        for (const [title, limits, expected] of cases) {
            it(title, () => {
                assert.deepEqual(checkRequiredWindow(resource(limits), daily), expected);
            });
        }

        it("accepts any of several required frequencies, and names them all when none is set", () => {
            const anyOf = parseRequiredWindowConfig({ frequencies: [7, 1] });
            assert.deepEqual(checkRequiredWindow(resource(config(limit(2, 7))), anyOf), PASS);
            assert.deepEqual(checkRequiredWindow(resource(config(limit(2, 14))), anyOf), {
                violations: [
                    `${LABEL} sets no limit with a frequency of 1 or 7 DAY; the organisation requires one. Its limits: 2 per 14 DAY.`,
                ],
                cannotCheckYet: undefined,
            });
        });
    });

    describe("allowed-deletion-policies", () => {
        const defaults = parseDeletionPoliciesConfig({});
        const cases: [string, string, Record<string, unknown>, Verdict][] = [
            [
                'reports "reset" in a stack named prod*',
                "prod",
                { deletionPolicy: "reset" },
                {
                    violations: [
                        `${LABEL} has deletionPolicy "reset"; in stack "prod" (rule "prod*") the organisation allows only "restore" or "retain".`,
                    ],
                    cannotCheckYet: undefined,
                },
            ],
            [
                'reports the default ("reset") when the resource names no policy',
                "prod-eu",
                { deletionPolicy: undefined },
                {
                    violations: [
                        `${LABEL} has deletionPolicy "reset" (the default); in stack "prod-eu" (rule "prod*") the organisation allows only "restore" or "retain".`,
                    ],
                    cannotCheckYet: undefined,
                },
            ],
            ['passes "retain" in prod', "prod", { deletionPolicy: "retain" }, PASS],
            ['passes "reset" in a stack no prod* rule matches', "dev", { deletionPolicy: "reset" }, PASS],
            [
                "cannot check an unknown deletion policy where it matters",
                "prod",
                { deletionPolicy: UNKNOWN },
                {
                    violations: [],
                    cannotCheckYet: `${LABEL}: deletionPolicy is not known until apply, so whether stack "prod" (rule "prod*") allows it cannot be checked yet; ${AGAIN}.`,
                },
            ],
            [
                "passes an unknown deletion policy where every policy is allowed",
                "dev",
                { deletionPolicy: UNKNOWN },
                PASS,
            ],
        ];
        for (const [title, stack, extra, expected] of cases) {
            it(title, () => {
                assert.deepEqual(checkDeletionPolicy(resource(config(), extra), stack, defaults), expected);
            });
        }

        it("applies the first rule that matches, not the most specific", () => {
            const rules = parseDeletionPoliciesConfig({
                rules: [
                    { stack: "*", deletionPolicies: ["retain"] },
                    { stack: "prod", deletionPolicies: ["reset"] },
                ],
            });
            assert.deepEqual(checkDeletionPolicy(resource(config()), "prod", rules), {
                violations: [
                    `${LABEL} has deletionPolicy "reset"; in stack "prod" (rule "*") the organisation allows only "retain".`,
                ],
                cannotCheckYet: undefined,
            });
        });

        it("allows any policy in a stack no rule matches", () => {
            const rules = parseDeletionPoliciesConfig({
                rules: [{ stack: "prod*", deletionPolicies: ["retain"] }],
            });
            assert.deepEqual(checkDeletionPolicy(resource(config()), "staging", rules), PASS);
        });
    });

    describe("single-manager-per-instance", () => {
        const a = (extra: Record<string, unknown> = {}) => read("a", inputs(config(), extra));
        const b = (extra: Record<string, unknown> = {}) => read("b", inputs(config(), extra));
        const c = (extra: Record<string, unknown> = {}) => read("c", inputs(config(), extra));
        const labelOf = (name: string, region = " in us-west-2", instance = INSTANCE) =>
            `InstanceCommunicationLimits "${name}" on instance ${instance}${region}`;
        const twice = (name: string, others: string, region = " in us-west-2") =>
            `${labelOf(name, region)} is also managed by ${others} in this stack; an instance's limits may be managed by one resource only, or each update overwrites the other's limits.`;
        const AT_END =
            "whether an instance is managed twice is checked again at the end of the update, once the values are known.";

        it("reports each resource managing an instance another also manages, in the same region", () => {
            const [first, second] = [a(), b()];
            assert.deepEqual(checkSingleManager([second, first]), {
                violations: [
                    { urn: first.urn, message: twice("a", '"b"') },
                    { urn: second.urn, message: twice("b", '"a"') },
                ],
                cannotCheckYet: undefined,
            });
        });

        it("names every other manager when there are three", () => {
            const verdict = checkSingleManager([c(), a(), b()]);
            assert.deepEqual(
                verdict.violations.map((v) => v.message),
                [twice("a", '"b" and "c"'), twice("b", '"a" and "c"'), twice("c", '"a" and "b"')],
            );
        });

        it("treats two resources naming no region as the same region, the stack's default", () => {
            const verdict = checkSingleManager([a({ region: undefined }), b({ region: undefined })]);
            assert.deepEqual(
                verdict.violations.map((v) => v.message),
                [twice("a", '"b"', ""), twice("b", '"a"', "")],
            );
        });

        const passes: [string, () => ReturnType<typeof a>[]][] = [
            ["passes one instance in two regions", () => [a(), b({ region: "eu-west-2" })]],
            ["passes two instances", () => [a(), b({ connectInstanceId: OTHER_INSTANCE })]],
            [
                "passes a single resource, even with an unknown instance",
                () => [a({ connectInstanceId: UNKNOWN })],
            ],
            ["passes a stack with none", () => []],
        ];
        for (const [title, resources] of passes) {
            it(title, () => {
                assert.deepEqual(checkSingleManager(resources()), {
                    violations: [],
                    cannotCheckYet: undefined,
                });
            });
        }

        it("cannot check a resource whose instance is not known yet", () => {
            assert.deepEqual(checkSingleManager([a({ connectInstanceId: UNKNOWN }), b()]), {
                violations: [],
                cannotCheckYet: `InstanceCommunicationLimits "a" on an instance not known until apply in us-west-2 may manage an instance another resource in this stack manages; ${AT_END}`,
            });
        });

        it("cannot check one instance when one resource leaves its region to the provider", () => {
            assert.deepEqual(checkSingleManager([a({ region: undefined }), b()]), {
                violations: [],
                cannotCheckYet: `${labelOf("a", "")} and ${labelOf("b")} may be the same instance, as a region is not known until apply; ${AT_END}`,
            });
        });

        it("reports the duplicates it knows while saying what it cannot check", () => {
            const verdict = checkSingleManager([a(), b(), c({ connectInstanceId: UNKNOWN })]);
            assert.deepEqual(verdict, {
                violations: [
                    { urn: a().urn, message: twice("a", '"b"') },
                    { urn: b().urn, message: twice("b", '"a"') },
                ],
                cannotCheckYet: `InstanceCommunicationLimits "c" on an instance not known until apply in us-west-2 may manage an instance another resource in this stack manages; ${AT_END}`,
            });
        });
    });
});

/**
 * The four rules, as pure functions from what a resource (or the stack) declares and the policy's parsed
 * config to a verdict: the violations to report, and what could not be checked yet because a value is not
 * known until apply.
 *
 * Three-valued on purpose. A rule passes only when the known values prove it passes (a limit not known yet
 * can only add a cap, so known limits that already comply make the resource comply); it reports a violation
 * only when the known values prove one; otherwise it says what it could not check. Pure: no I/O, no Pulumi.
 */
import type { DeletionPoliciesConfig, MaxContactsConfig, RequiredWindowConfig } from "./config";
import { DELETION_POLICIES, matchesStackPattern } from "./config";
import type { LimitsResource } from "./resource";
import { describeResource } from "./resource";
import { effectiveCap, explainCap } from "./window";

export interface Verdict {
    violations: string[];
    /** Set when part of the rule could not be checked because a value is not known until apply. */
    cannotCheckYet: string | undefined;
}

export interface StackVerdict {
    violations: { urn: string; message: string }[];
    cannotCheckYet: string | undefined;
}

const AGAIN = "the policy runs again once the values are known, before anything is written";

/** "1 day", "7 days". */
function days(count: number): string {
    return `${count} ${count === 1 ? "day" : "days"}`;
}

/** "a", "a and b", "a, b and c". */
function list(items: readonly string[], conjunction = "and"): string {
    if (items.length <= 1) {
        return items.join("");
    }
    return `${items.slice(0, -1).join(", ")} ${conjunction} ${items[items.length - 1] ?? ""}`;
}

function notKnown(paths: readonly string[]): string {
    return `${list(paths)} ${paths.length === 1 ? "is" : "are"} not known until apply`;
}

/** Property paths of the limits not known yet; empty when every limit is known. */
function unknownLimitPaths(resource: LimitsResource): string[] {
    const reading = resource.limits;
    return reading.state === "unknown" ? [reading.path] : reading.partial.map((p) => p.unknownPath);
}

/** max-contacts-per-window: for each configured window, the effective cap must not exceed the allowed count. */
export function checkMaxContacts(resource: LimitsResource, config: MaxContactsConfig): Verdict {
    const label = describeResource(resource);
    const reading = resource.limits;
    const violations: string[] = [];
    const undecided: string[] = [];
    for (const { window, allowed } of config.maxCountPerRecipient) {
        if (reading.state === "unknown") {
            undecided.push(`${allowed} per ${days(window)}`);
            continue;
        }
        const cap = effectiveCap(reading.limits, window);
        if (cap <= allowed) {
            continue;
        }
        if (reading.partial.length > 0) {
            undecided.push(`${allowed} per ${days(window)}`);
            continue;
        }
        const explained = reading.limits.map((limit) => explainCap(limit, window));
        const rule = `the organisation allows ${allowed}`;
        if (explained.length === 0) {
            violations.push(
                `${label} sets no limits, so it allows any number of contacts per recipient in ${days(window)}; ${rule}.`,
            );
        } else if (explained.length === 1) {
            violations.push(`${label}: ${explained.join("")}; ${rule}.`);
        } else {
            violations.push(
                `${label}: ${explained.join("; ")}; so up to ${cap} per ${days(window)}; ${rule}.`,
            );
        }
    }
    const cannotCheckYet =
        undecided.length === 0
            ? undefined
            : `${label}: ${notKnown(unknownLimitPaths(resource))}, so the organisation's ` +
              `${undecided.length === 1 ? "cap" : "caps"} of ${list(undecided)} cannot be checked yet; ${AGAIN}.`;
    return { violations, cannotCheckYet };
}

/** required-window: the resource must set a limit whose frequency is one of the required ones. */
export function checkRequiredWindow(resource: LimitsResource, config: RequiredWindowConfig): Verdict {
    const label = describeResource(resource);
    const reading = resource.limits;
    const wanted = `a limit with a frequency of ${list(config.frequencies.map(String), "or")} DAY`;
    const undecided = (): Verdict => ({
        violations: [],
        cannotCheckYet: `${label}: ${notKnown(unknownLimitPaths(resource))}, so whether it sets ${wanted} cannot be checked yet; ${AGAIN}.`,
    });
    if (reading.state === "unknown") {
        return undecided();
    }
    const frequencies = [
        ...reading.limits.map((limit) => limit.frequency),
        ...reading.partial.flatMap((partial) => (partial.frequency === undefined ? [] : [partial.frequency])),
    ];
    if (frequencies.some((frequency) => config.frequencies.includes(frequency))) {
        return { violations: [], cannotCheckYet: undefined };
    }
    if (reading.partial.some((partial) => partial.frequency === undefined)) {
        return undecided();
    }
    const sets = [
        ...reading.limits.map((limit) => `${limit.maxCountPerRecipient} per ${limit.frequency} DAY`),
        ...reading.partial.map((partial) => `? per ${partial.frequency ?? "?"} DAY`),
    ];
    const has = sets.length === 0 ? "It sets no limits." : `Its limits: ${sets.join(", ")}.`;
    return {
        violations: [`${label} sets no ${wanted.slice(2)}; the organisation requires one. ${has}`],
        cannotCheckYet: undefined,
    };
}

/** The deletion policy a resource ends up with when it names none: the provider's default. */
const DEFAULT_DELETION_POLICY = "reset";

/** allowed-deletion-policies: the first rule whose pattern matches the stack's name says what is allowed. */
export function checkDeletionPolicy(
    resource: LimitsResource,
    stack: string,
    config: DeletionPoliciesConfig,
): Verdict {
    const pass: Verdict = { violations: [], cannotCheckYet: undefined };
    const rule = config.rules.find((candidate) => matchesStackPattern(candidate.stack, stack));
    if (rule === undefined) {
        return pass;
    }
    if (DELETION_POLICIES.every((policy) => rule.deletionPolicies.includes(policy))) {
        return pass;
    }
    const label = describeResource(resource);
    const where = `stack ${JSON.stringify(stack)} (rule ${JSON.stringify(rule.stack)})`;
    const reading = resource.deletionPolicy;
    if (reading.state === "unknown") {
        return {
            violations: [],
            cannotCheckYet: `${label}: deletionPolicy is not known until apply, so whether ${where} allows it cannot be checked yet; ${AGAIN}.`,
        };
    }
    if (reading.state === "invalid") {
        // Not a string: the provider's check rejects the resource before anything is written.
        return pass;
    }
    const given = reading.state === "known" ? reading.value : DEFAULT_DELETION_POLICY;
    if ((rule.deletionPolicies as readonly string[]).includes(given)) {
        return pass;
    }
    const shown = `${JSON.stringify(given)}${reading.state === "absent" ? " (the default)" : ""}`;
    const allowed = list(
        rule.deletionPolicies.map((p) => JSON.stringify(p)),
        "or",
    );
    return {
        violations: [
            `${label} has deletionPolicy ${shown}; in ${where} the organisation allows only ${allowed}.`,
        ],
        cannotCheckYet: undefined,
    };
}

type Sameness = "same" | "different" | "undecided";

/** Whether two resources manage the same instance: same connectInstanceId in the same region. */
function sameInstance(a: LimitsResource, b: LimitsResource): Sameness {
    const [ida, idb] = [a.connectInstanceId, b.connectInstanceId];
    if (ida.state !== "known" || idb.state !== "known") {
        return ida.state === "unknown" || idb.state === "unknown" ? "undecided" : "different";
    }
    if (ida.value !== idb.value) {
        return "different";
    }
    const [ra, rb] = [a.region, b.region];
    if (ra.state === "known" && rb.state === "known") {
        return ra.value === rb.value ? "same" : "different";
    }
    // Neither names a region: both get the stack's default region, so the same one.
    if (ra.state === "absent" && rb.state === "absent") {
        return "same";
    }
    // One region is left to the provider (resolved at apply) or not known yet.
    return "undecided";
}

function byName(a: LimitsResource, b: LimitsResource): number {
    return a.name < b.name ? -1 : a.name > b.name ? 1 : a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0;
}

/** single-manager-per-instance: no instance (connectInstanceId and region) managed by two resources of a stack. */
export function checkSingleManager(resources: readonly LimitsResource[]): StackVerdict {
    const sorted = [...resources].sort(byName);
    const violations: StackVerdict["violations"] = [];
    for (const resource of sorted) {
        const same = sorted.filter((other) => other !== resource && sameInstance(resource, other) === "same");
        if (same.length > 0) {
            const names = list(same.map((other) => JSON.stringify(other.name)));
            violations.push({
                urn: resource.urn,
                message:
                    `${describeResource(resource)} is also managed by ${names} in this stack; an instance's limits ` +
                    "may be managed by one resource only, or each update overwrites the other's limits.",
            });
        }
    }
    const undecided: string[] = [];
    if (sorted.length > 1) {
        for (const resource of sorted) {
            if (resource.connectInstanceId.state === "unknown") {
                undecided.push(
                    `${describeResource(resource)} may manage an instance another resource in this stack manages`,
                );
            }
        }
        sorted.forEach((resource, index) => {
            for (const other of sorted.slice(index + 1)) {
                const bothKnown =
                    resource.connectInstanceId.state === "known" && other.connectInstanceId.state === "known";
                if (bothKnown && sameInstance(resource, other) === "undecided") {
                    undecided.push(
                        `${describeResource(resource)} and ${describeResource(other)} may be the same instance, ` +
                            "as a region is not known until apply",
                    );
                }
            }
        });
    }
    const cannotCheckYet =
        undecided.length === 0
            ? undefined
            : `${undecided.join("; ")}; whether an instance is managed twice is checked again at the end of the ` +
              "update, once the values are known.";
    return { violations, cannotCheckYet };
}

/**
 * `diff`: compares the live state recorded in outputs with the desired inputs, both in canonical form.
 *
 * Pure. Because `olds` are the refreshed outputs (the live limits), a console edit that a refresh brought
 * into state shows up here as a change, and the next `up` repairs it. The result always sets `changes` to
 * `true` or `false`: left `undefined`, the engine would fall back to its own input diff.
 */
import { sameConfig } from "./normalize";
import type { LimitsConfigLike } from "./normalize";
import { parseLimitsConfig } from "./response";
import { DEFAULT_DELETION_POLICY } from "./types";
import { containsUnknown, isUnknown } from "./unknowns";

export interface LimitsDiff {
    changes: boolean;
    /** Properties whose change needs a new resource: the instance, or the region it lives in. */
    replaces: string[];
    /**
     * Always false: a replacement this diff asks for moves the limits to another instance or region, and
     * the engine's default (create first) keeps the old limits until the new ones are written. Engine-forced
     * replacements of the same instance never reach this diff; `ledger.ts` keeps them safe.
     */
    deleteBeforeReplace: boolean;
    /** Top-level properties that differ, for messages and tests (the host forwards only the three above). */
    changedProperties: string[];
}

const REPLACE_ON_CHANGE = ["connectInstanceId", "region"] as const;

/** Stored outputs or checked inputs, as the host hands them over: any of the known keys, of any value. */
export type DiffSide = {
    readonly [
        K in
            | "connectInstanceId"
            | "region"
            | "communicationLimitsConfig"
            | "deletionPolicy"
            | "assumeRoleArn"
            | "assumeRole"
    ]?: unknown;
};

function differs(oldValue: unknown, newValue: unknown): boolean {
    return isUnknown(newValue) || oldValue !== newValue;
}

export function diffLimits(olds: DiffSide, news: DiffSide): LimitsDiff {
    const changed: string[] = [];
    const replaces: string[] = [];

    for (const key of REPLACE_ON_CHANGE) {
        // No region in the inputs means "the provider's region": nothing to compare until one is set.
        if (key === "region" && news.region === undefined) {
            continue;
        }
        if (differs(olds[key], news[key])) {
            changed.push(key);
            replaces.push(key);
        }
    }
    const config = news.communicationLimitsConfig;
    // The stored side is read strictly: state this provider cannot read counts as different, so the next
    // update writes (and replaces it with) the desired limits.
    const stored = parseLimitsConfig(olds.communicationLimitsConfig);
    if (containsUnknown(config) || !stored.ok || !sameConfig(stored.config, config as LimitsConfigLike)) {
        changed.push("communicationLimitsConfig");
    }
    if (
        differs(
            olds.deletionPolicy ?? DEFAULT_DELETION_POLICY,
            news.deletionPolicy ?? DEFAULT_DELETION_POLICY,
        )
    ) {
        changed.push("deletionPolicy");
    }
    // Outputs also show assumeRoleArn when the program gave assumeRole: compare the form the program gave.
    if (news.assumeRole !== undefined || olds.assumeRole !== undefined) {
        if (
            containsUnknown(news.assumeRole) ||
            JSON.stringify(olds.assumeRole) !== JSON.stringify(news.assumeRole)
        ) {
            changed.push("assumeRole");
        }
    } else if (differs(olds.assumeRoleArn, news.assumeRoleArn)) {
        changed.push("assumeRoleArn");
    }

    return {
        changes: changed.length > 0,
        replaces,
        deleteBeforeReplace: false,
        changedProperties: changed,
    };
}

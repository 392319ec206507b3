/**
 * `diff`: compares the live state recorded in outputs with the desired inputs, both in canonical form.
 *
 * Pure. Because `olds` are the refreshed outputs (the live limits), a console edit that a refresh brought
 * into state shows up here as a change, and the next `up` repairs it. The result always sets `changes` to
 * `true` or `false`: left `undefined`, the engine would fall back to its own input diff.
 */
import { sameConfig } from "./normalize";
import type { LooseLimitsConfig } from "./normalize";
import { DEFAULT_DELETION_POLICY } from "./types";
import { containsUnknown, isUnknown } from "./validate";

export interface LimitsDiff {
    changes: boolean;
    /** Properties whose change needs a new resource: the instance, or the region it lives in. */
    replaces: string[];
    /**
     * Engine-forced replacements of the same instance (`pulumi up --replace`, `replaceOnChanges`) must delete
     * first, or the old resource's delete would undo what the new one just wrote. A replacement onto another
     * instance keeps the engine's default (create first), so a failed create leaves the old limits intact.
     */
    deleteBeforeReplace: boolean;
    /** Top-level properties that differ, for messages and tests (the host forwards only the three above). */
    changedProperties: string[];
}

const REPLACE_ON_CHANGE = ["connectInstanceId", "region"] as const;

/** Stored outputs or checked inputs, as the host hands them over: any of the known keys, of any value. */
export type DiffSide = {
    readonly [
        K in "connectInstanceId" | "region" | "communicationLimitsConfig" | "deletionPolicy" | "assumeRoleArn"
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
        if (key === "region" && news.region === undefined) continue;
        if (differs(olds[key], news[key])) {
            changed.push(key);
            replaces.push(key);
        }
    }
    const config = news.communicationLimitsConfig;
    if (
        containsUnknown(config) ||
        !sameConfig(olds.communicationLimitsConfig as LooseLimitsConfig, config as LooseLimitsConfig)
    ) {
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
    if (differs(olds.assumeRoleArn, news.assumeRoleArn)) changed.push("assumeRoleArn");

    return {
        changes: changed.length > 0,
        replaces,
        deleteBeforeReplace: replaces.length === 0,
        changedProperties: changed,
    };
}

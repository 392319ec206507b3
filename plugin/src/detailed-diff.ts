/**
 * The engine's detailed diff, from the core's diff. Pure.
 *
 * The core says which top-level properties differ and which of them replace; the engine wants, per
 * property path, whether it is added, deleted or updated and whether that replaces. The limits are
 * compared in their canonical form (sorted, the list always present), limit by limit and field by field,
 * so the CLI names exactly what changed (`communicationLimitsConfig.allChannelSubtypes.
 * communicationLimitsList[0].maxCountPerRecipient`) and a `replaceOnChanges` on any part of them matches.
 * Paths compare the stored outputs (the live limits after a refresh) with the new inputs, as the core's
 * diff does: `inputDiff` is false.
 */
import { containsUnknown, parseLimitsConfig } from "pulumi-connect-campaign-limits/core";
import type { CommunicationLimit } from "pulumi-connect-campaign-limits/core";

export type DiffKind = "add" | "addReplace" | "delete" | "deleteReplace" | "update" | "updateReplace";

export type DetailedDiff = Record<string, DiffKind>;

const LIST = "communicationLimitsConfig.allChannelSubtypes.communicationLimitsList";
const FIELDS = ["maxCountPerRecipient", "frequency", "unit"] as const;

function kindOf(before: unknown, after: unknown, replaces: boolean): DiffKind {
    if (before === undefined) {
        return replaces ? "addReplace" : "add";
    }
    if (after === undefined) {
        return replaces ? "deleteReplace" : "delete";
    }
    return replaces ? "updateReplace" : "update";
}

function limitsDiff(before: unknown, after: unknown, out: DetailedDiff): boolean {
    if (containsUnknown(after)) {
        return false;
    }
    const olds = parseLimitsConfig(before);
    const news = parseLimitsConfig(after);
    if (!olds.ok || !news.ok) {
        return false;
    }
    const left = olds.config.allChannelSubtypes.communicationLimitsList;
    const right = news.config.allChannelSubtypes.communicationLimitsList;
    for (let i = 0; i < Math.max(left.length, right.length); i++) {
        const a: CommunicationLimit | undefined = left[i];
        const b: CommunicationLimit | undefined = right[i];
        if (a === undefined || b === undefined) {
            out[`${LIST}[${i}]`] = kindOf(a, b, false);
            continue;
        }
        for (const field of FIELDS) {
            if (a[field] !== b[field]) {
                out[`${LIST}[${i}].${field}`] = "update";
            }
        }
    }
    return true;
}

/**
 * @param olds     stored outputs
 * @param news     checked inputs
 * @param changed  the core's changed top-level properties
 * @param replaces the core's replacing properties
 */
export function detailedDiff(
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
    changed: readonly string[],
    replaces: readonly string[],
): DetailedDiff {
    const out: DetailedDiff = {};
    for (const key of changed) {
        const replacing = replaces.includes(key);
        if (key === "communicationLimitsConfig" && !replacing) {
            const precise: DetailedDiff = {};
            if (limitsDiff(olds[key], news[key], precise) && Object.keys(precise).length > 0) {
                Object.assign(out, precise);
                continue;
            }
        }
        out[key] = kindOf(olds[key], news[key], replacing);
    }
    return out;
}

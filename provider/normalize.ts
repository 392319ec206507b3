/**
 * The canonical form of a limits configuration (see `CanonicalLimitsConfig`). Pure.
 *
 * For values already known to be well formed: checked inputs, and what `response.ts` has validated. The
 * service does not document what it returns for an instance never configured, so an absent config, `{}`,
 * an absent list and `[]` all become the same empty list; the list's order carries no meaning
 * (CloudFormation's campaign schema marks it `insertionOrder: false`), so it is sorted.
 */
import type { CanonicalLimitsConfig, CommunicationLimit } from "./types";

/** A well-formed configuration in any of its spellings: the list may be absent, the union may be absent. */
export interface LimitsConfigLike {
    allChannelSubtypes?:
        { communicationLimitsList?: readonly CommunicationLimit[] | null | undefined } | null | undefined;
}

function compareLimits(a: CommunicationLimit, b: CommunicationLimit): number {
    if (a.unit !== b.unit) {
        return a.unit < b.unit ? -1 : 1;
    }
    if (a.frequency !== b.frequency) {
        return a.frequency - b.frequency;
    }
    return a.maxCountPerRecipient - b.maxCountPerRecipient;
}

/** Copies exactly the three fields, so nothing else (an SDK's `$metadata`, `undefined`) reaches state. */
export function normalizeConfig(config: LimitsConfigLike | null | undefined): CanonicalLimitsConfig {
    const list = config?.allChannelSubtypes?.communicationLimitsList ?? [];
    return {
        allChannelSubtypes: {
            communicationLimitsList: list
                .map((l) => ({
                    maxCountPerRecipient: l.maxCountPerRecipient,
                    frequency: l.frequency,
                    unit: l.unit,
                }))
                .sort(compareLimits),
        },
    };
}

export const NO_LIMITS: CanonicalLimitsConfig = normalizeConfig(undefined);

/** True when two configurations mean the same limits. */
export function sameConfig(
    a: LimitsConfigLike | null | undefined,
    b: LimitsConfigLike | null | undefined,
): boolean {
    const left = normalizeConfig(a).allChannelSubtypes.communicationLimitsList;
    const right = normalizeConfig(b).allChannelSubtypes.communicationLimitsList;
    return (
        left.length === right.length &&
        left.every((limit, i) => {
            const other = right[i];
            return (
                other !== undefined &&
                limit.maxCountPerRecipient === other.maxCountPerRecipient &&
                limit.frequency === other.frequency &&
                limit.unit === other.unit
            );
        })
    );
}

/** A short human form for messages and the demo: "3 per 7 DAY, 1 per 1 DAY" or "no limits". */
export function formatConfig(config: LimitsConfigLike | null | undefined): string {
    const list = normalizeConfig(config).allChannelSubtypes.communicationLimitsList;
    if (list.length === 0) {
        return "no limits";
    }
    return list.map((l) => `${l.maxCountPerRecipient} per ${l.frequency} ${l.unit}`).join(", ");
}

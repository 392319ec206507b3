/**
 * The canonical form of a limits configuration (see `CanonicalLimitsConfig`).
 *
 * Pure. Used on both sides of every comparison: on inputs in `check`, and on what the service returns in
 * create/read/update. The service does not document what it returns for an instance never configured, so
 * an absent config, `{}`, an absent list and `[]` all become the same empty list; the list's order carries
 * no meaning (CloudFormation's campaign schema marks it `insertionOrder: false`), so it is sorted.
 */
import type { CanonicalLimitsConfig, CommunicationLimit, LimitUnit } from "./types";

/** Anything shaped like the service's config: program input, state, or an SDK response with `undefined` holes. */
export interface LooseLimitsConfig {
    allChannelSubtypes?:
        | {
              communicationLimitsList?: readonly LooseLimit[] | null | undefined;
          }
        | null
        | undefined;
}
export interface LooseLimit {
    maxCountPerRecipient?: number | undefined;
    frequency?: number | undefined;
    unit?: string | undefined;
}

function compareLimits(a: CommunicationLimit, b: CommunicationLimit): number {
    if (a.unit !== b.unit) return a.unit < b.unit ? -1 : 1;
    if (a.frequency !== b.frequency) return a.frequency - b.frequency;
    return a.maxCountPerRecipient - b.maxCountPerRecipient;
}

/** Copies exactly the three fields, so no `undefined`, `$metadata` or unknown member survives into state. */
function canonicalLimit(limit: LooseLimit): CommunicationLimit {
    return {
        maxCountPerRecipient: limit.maxCountPerRecipient ?? 0,
        frequency: limit.frequency ?? 0,
        unit: (limit.unit ?? "") as LimitUnit,
    };
}

export function normalizeConfig(config: LooseLimitsConfig | null | undefined): CanonicalLimitsConfig {
    const list = config?.allChannelSubtypes?.communicationLimitsList ?? [];
    return {
        allChannelSubtypes: {
            communicationLimitsList: list.map(canonicalLimit).sort(compareLimits),
        },
    };
}

/** True when two configurations mean the same limits. */
export function sameConfig(
    a: LooseLimitsConfig | null | undefined,
    b: LooseLimitsConfig | null | undefined,
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
export function formatConfig(config: LooseLimitsConfig | null | undefined): string {
    const list = normalizeConfig(config).allChannelSubtypes.communicationLimitsList;
    if (list.length === 0) return "no limits";
    return list.map((l) => `${l.maxCountPerRecipient} per ${l.frequency} ${l.unit}`).join(", ");
}

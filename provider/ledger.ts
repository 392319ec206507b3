/**
 * What this host process has written to which instance, so that two resources managing one instance in
 * one deployment never undo each other.
 *
 * The engine replaces a resource by creating the new copy and then deleting the old one (unless
 * `deleteBeforeReplace`), and an engine-forced replacement (`pulumi up --replace`, `pulumi state taint`,
 * `replacementTrigger`) does so without asking the provider. On the same instance the old copy's delete
 * would then reset or restore the limits the new copy has just written: the state says they are set, the
 * instance has none. A rename without an alias is the same: create of the new name, then delete of the old.
 *
 * Both halves run in the same host process (one host serves the stack's dynamic resources for the whole
 * deployment), so this process-wide record is enough:
 *   - a create or update records that it wrote the instance;
 *   - a delete of the same instance later in the process finds that a newer resource owns the limits, and
 *     leaves them;
 *   - a delete that ran first (delete-before-replace) records the limits found before management began
 *     (its `previousConfig`), and the create that follows records those as its own `previousConfig`
 *     instead of what the delete left behind.
 */
import type { CanonicalLimitsConfig } from "./types";

interface Entry {
    /** A create or update of this process wrote the instance. */
    written: boolean;
    /** `previousConfig` handed over by a delete that ran before a create of the same instance. */
    handedOver?: CanonicalLimitsConfig;
}

const entries = new Map<string, Entry>();

/** One instance: its id, in a region, as seen through one role (or the caller's own credentials). */
export function instanceKey(region: string, instanceId: string, accountOrRole: string | undefined): string {
    return `${region}|${accountOrRole ?? ""}|${instanceId}`;
}

export function recordWrite(key: string): void {
    const entry = entries.get(key) ?? { written: false };
    entry.written = true;
    delete entry.handedOver;
    entries.set(key, entry);
}

/** True when a create or update of this process wrote the instance: its limits belong to that resource. */
export function ownedByNewer(key: string): boolean {
    return entries.get(key)?.written === true;
}

/** A delete hands the limits found before management began to a create of the same instance that follows. */
export function handOver(key: string, previousConfig: CanonicalLimitsConfig): void {
    entries.set(key, { written: false, handedOver: previousConfig });
}

/** The `previousConfig` a delete earlier in this process handed over, if any. */
export function handedOver(key: string): CanonicalLimitsConfig | undefined {
    return entries.get(key)?.handedOver;
}

/** Forgets everything (tests that start over in one process). */
export function resetLedger(): void {
    entries.clear();
}

/**
 * Calling the provider's methods directly, as the host would: check first, and the `__provider` text the
 * host adds back to the inputs it passes on.
 */
import assert from "node:assert/strict";

import type { InstanceCommunicationLimitsProvider } from "../../provider/provider";

/** Stands in for the serialized provider the host adds to inputs; the provider only carries it along. */
export const PROVIDER_TEXT = "exports.handler = () => ({});";

/** What `check` returns for these arguments (which must be valid), plus the `__provider` the host adds back. */
export async function checked(
    provider: InstanceCommunicationLimitsProvider,
    args: Record<string, unknown>,
): Promise<Record<string, unknown>> {
    const result = await provider.check({}, args);
    assert.deepEqual(result.failures ?? [], []);
    return { ...(result.inputs as Record<string, unknown>), __provider: PROVIDER_TEXT };
}

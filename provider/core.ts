/**
 * The core both front doors serve: the lifecycle implementation (`InstanceCommunicationLimitsProvider`)
 * and the pure modules a front door needs to speak its own protocol. The dynamic resource reaches it
 * through `stub.ts`; the provider plugin (`plugin/`) through this entry point
 * (`pulumi-connect-campaign-limits/core`). Re-exports only: no logic lives here.
 */
export { InstanceCommunicationLimitsProvider } from "./provider";
export type { CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult } from "./provider";
export {
    CONFIG_NAMESPACE,
    DEFAULT_CONNECT_TIMEOUT_MS,
    DEFAULT_MAX_ATTEMPTS,
    DEFAULT_REQUEST_BURST,
    DEFAULT_REQUEST_TIMEOUT_MS,
    DEFAULT_REQUESTS_PER_SECOND,
    PLUGIN_CONFIG_KEYS,
    STACK_CONFIG_KEYS,
    resolveSettings,
} from "./settings";
export type { ConfigSource, ProviderSettings, SettingKeys } from "./settings";
export { LIMITS, checkInputs } from "./validate";
export type { CheckFailure } from "./validate";
export { parseLimitsConfig } from "./response";
export { PROVIDER_KEY, UNKNOWN, containsUnknown, isPlainObject, isUnknown } from "./unknowns";
export { DEFAULT_DELETION_POLICY, DeletionPolicy, LimitUnit } from "./types";
export type { CanonicalLimitsConfig, CommunicationLimit } from "./types";
export { ConnectLimitsError, PartialFailureError, ProviderConfigurationError } from "./errors";

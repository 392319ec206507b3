export { InstanceCommunicationLimits } from "./resource";
export type {
    AssumeRoleArgs,
    CommunicationLimitArgs,
    InstanceCommunicationLimitsArgs,
    InstanceCommunicationLimitsConfigArgs,
} from "./resource";
export { CommunicationLimitsPolicy } from "./policy";
export type { CommunicationLimitsPolicyArgs } from "./policy";
export { getInstanceCommunicationLimits, getInstanceCommunicationLimitsOutput } from "./lookup";
export type { GetInstanceCommunicationLimitsArgs, GetInstanceCommunicationLimitsResult } from "./lookup";
export { DeletionPolicy, LimitUnit } from "./types";
export type {
    AssumeRoleInputs,
    CanonicalLimitsConfig,
    CommunicationLimit,
    InstanceCommunicationLimitsConfig,
    InstanceCommunicationLimitsInputs,
    InstanceCommunicationLimitsOutputs,
} from "./types";
export {
    CallFailedError,
    ConnectLimitsError,
    PartialFailureError,
    ProviderConfigurationError,
    StateError,
} from "./errors";
export type { CallFailure, Operation } from "./errors";

/**
 * Shapes shared by every module: the resource's arguments, its canonical inputs and its outputs.
 *
 * Field names are the service's own (`communicationLimitsConfig.allChannelSubtypes.communicationLimitsList[]`
 * with `maxCountPerRecipient`, `frequency`, `unit`), so what a user writes, what state holds and what the
 * error messages name are the same words as the API reference.
 *
 * Type layers, as in pulumi/examples' raw-API providers:
 *   InstanceCommunicationLimitsArgs  (pulumi.Input<…>, what a program writes)
 *   → InstanceCommunicationLimitsInputs (plain, canonical; what `check` returns and state stores as inputs)
 *   → InstanceCommunicationLimitsOutputs (what create/update/read return; state's outputs)
 */
import type {
    CommunicationLimit as SdkCommunicationLimit,
    CommunicationLimitTimeUnit,
    InstanceCommunicationLimitsConfig as SdkInstanceCommunicationLimitsConfig,
} from "@aws-sdk/client-connectcampaignsv2";

/** What the resource does to the instance's limits when it is deleted (destroy, or the old half of a replace). */
export const DeletionPolicy = {
    /** Write an empty limits list: the instance ends with no limits. Default. */
    Reset: "reset",
    /** Write back `previousConfig`, the limits the instance had before this resource first wrote them. */
    Restore: "restore",
    /** Leave the instance's limits as they are. */
    Retain: "retain",
} as const;
export type DeletionPolicy = (typeof DeletionPolicy)[keyof typeof DeletionPolicy];
export const DEFAULT_DELETION_POLICY: DeletionPolicy = DeletionPolicy.Reset;

/** The only time unit the service knows today. */
export const LimitUnit = { Day: "DAY" } as const satisfies Record<string, CommunicationLimitTimeUnit>;
export type LimitUnit = (typeof LimitUnit)[keyof typeof LimitUnit];

/** One limit: at most `maxCountPerRecipient` contacts per recipient in any `frequency` days. */
export interface CommunicationLimit {
    maxCountPerRecipient: number;
    frequency: number;
    unit: LimitUnit;
}

/**
 * The limits as the service's union spells them. `communicationLimitsConfig: {}` and an empty list both
 * mean "no limits".
 */
export interface InstanceCommunicationLimitsConfig {
    allChannelSubtypes?: {
        communicationLimitsList?: CommunicationLimit[];
    };
}

/**
 * The one canonical form of a limits configuration, used in state, outputs and diffs: the union's single
 * member always present, the list always present (possibly empty) and sorted by unit, frequency, then
 * maxCountPerRecipient. Two configurations mean the same thing exactly when their canonical forms are equal.
 */
export interface CanonicalLimitsConfig {
    allChannelSubtypes: {
        communicationLimitsList: CommunicationLimit[];
    };
}

/** Compile-time proof that our shapes are values the SDK accepts (its names, its types). */
type AssertSdkCompatible = [
    CommunicationLimit extends SdkCommunicationLimit ? true : never,
    CanonicalLimitsConfig extends SdkInstanceCommunicationLimitsConfig ? true : never,
];
const sdkCompatible: AssertSdkCompatible = [true, true];
void sdkCompatible;

/** A resource's own role with the STS parameters its trust policy may require (`assumeRole` argument). */
export interface AssumeRoleInputs {
    roleArn: string;
    /** `ExternalId`. Never taken from stack config. Give it as a secret: state keeps it encrypted. */
    externalId?: string;
    /** `RoleSessionName`; default "pulumi-connect-campaign-limits". */
    sessionName?: string;
}

/**
 * The role a resource's calls assume, in the shape the program gave it: `assumeRoleArn` alone, or
 * `assumeRole` with STS parameters. Kept in that shape in inputs and outputs, so the engine keeps a secret
 * `assumeRole.externalId` encrypted in state (it marks outputs secret by the paths of secret inputs).
 */
export interface RoleFields {
    /** IAM role to assume for the calls (cross-account). Absent: stack config `aws:assumeRole`, then none. */
    assumeRoleArn?: string;
    assumeRole?: AssumeRoleInputs;
}

/** Plain inputs after `check`: validated and canonical. Optional keys are absent, never `undefined`. */
export interface InstanceCommunicationLimitsInputs extends RoleFields {
    /** Amazon Connect instance id (not an ARN). The resource id. Changing it replaces the resource. */
    connectInstanceId: string;
    /** The desired limits, canonical. */
    communicationLimitsConfig: CanonicalLimitsConfig;
    /** What delete does. Defaults to "reset". */
    deletionPolicy: DeletionPolicy;
    /** AWS region of the instance. Absent: the provider's region (stack config `aws:region`, then the SDK chain). */
    region?: string;
}

/** State's outputs. Never contains `undefined` (the dynamic-provider host cannot encode it). */
export interface InstanceCommunicationLimitsOutputs extends RoleFields {
    connectInstanceId: string;
    /** The region the calls were actually made in (resolved at create time when no region was given). */
    region: string;
    /**
     * The AWS account the instance was found in (STS GetCallerIdentity of the credentials used), recorded at
     * create, or at the next refresh or update when STS could not be reached then. A later "not found" is
     * refused instead of dropping the resource when it comes from another account, or when no account is known.
     */
    accountId?: string;
    /** The live limits, canonical, as read back from the service. */
    communicationLimitsConfig: CanonicalLimitsConfig;
    deletionPolicy: DeletionPolicy;
    /**
     * The limits the instance had just before this resource first wrote them; what "restore" writes back. A
     * value in state that is not such limits (a damaged or hand-edited state) is carried as it is, never replaced.
     */
    previousConfig: CanonicalLimitsConfig;
    /**
     * True when the limits found at create already equalled the desired ones. Then `previousConfig` is those
     * limits and "restore" keeps them — also what happens after a create cut between its write and its
     * answer, or an engine-forced replacement of the same instance, where the limits from before cannot be
     * known.
     */
    previousConfigMatchedDesired: boolean;
}

/**
 * `InstanceCommunicationLimits`: the resource a Pulumi program declares.
 *
 * Pulumi serializes a dynamic resource's provider object into the state of every resource (`__provider`),
 * and refresh and destroy run that frozen copy, not the code installed now. So the object serialized here
 * is the stub of `stub.ts`, which loads the implementation from the installed package when the host first
 * uses it. No credentials, environment values or SDK objects are captured; upgrading the package changes
 * the behaviour of existing stacks as well as new ones.
 */
import * as pulumi from "@pulumi/pulumi";

import { stub } from "./stub";
import type { CanonicalLimitsConfig, DeletionPolicy, LimitUnit } from "./types";

/** One limit, as a program writes it. */
export interface CommunicationLimitArgs {
    /** Most contacts per recipient within the window. Whole number, at least 1. */
    maxCountPerRecipient: pulumi.Input<number>;
    /** The window, in days. Whole number, 1 to 30. */
    frequency: pulumi.Input<number>;
    /** Time unit of `frequency`; only "DAY". */
    unit: pulumi.Input<LimitUnit>;
}

/** The limits, in the service's own shape. `{}` or an empty list: no limits. */
export interface InstanceCommunicationLimitsConfigArgs {
    /** A union with one member: the limits that apply across all channel subtypes. */
    allChannelSubtypes?: pulumi.Input<{
        /** At most two limits, with different windows. Order does not matter. */
        communicationLimitsList?: pulumi.Input<pulumi.Input<CommunicationLimitArgs>[]>;
    }>;
}

export interface InstanceCommunicationLimitsArgs {
    /** Amazon Connect instance id (not its ARN). Changing it replaces the resource. */
    connectInstanceId: pulumi.Input<string>;
    /** The limits the instance should have. */
    communicationLimitsConfig: pulumi.Input<InstanceCommunicationLimitsConfigArgs>;
    /** What destroy does: "reset" (default) empties the limits, "restore" writes back `previousConfig`, "retain" leaves them. */
    deletionPolicy?: pulumi.Input<DeletionPolicy>;
    /** Region of the instance. Default: stack config `aws:region`, then `AWS_REGION`, then the AWS profile. Changing it replaces. */
    region?: pulumi.Input<string>;
    /** IAM role to assume for the calls (another account). Default: stack config `aws:assumeRole.roleArn`, else none. */
    assumeRoleArn?: pulumi.Input<string>;
    /**
     * The same, with the STS parameters a role's trust policy may require. Give this or `assumeRoleArn`, not
     * both. Pass `externalId` as a secret (`config.requireSecret`), so state keeps it encrypted.
     */
    assumeRole?: pulumi.Input<AssumeRoleArgs>;
}

export interface AssumeRoleArgs {
    roleArn: pulumi.Input<string>;
    /** `ExternalId` for STS AssumeRole. */
    externalId?: pulumi.Input<string>;
    /** `RoleSessionName`; default "pulumi-connect-campaign-limits". */
    sessionName?: pulumi.Input<string>;
}

export class InstanceCommunicationLimits extends pulumi.dynamic.Resource {
    /** The Amazon Connect instance id; also the resource id. */
    declare public readonly connectInstanceId: pulumi.Output<string>;
    /** The region the instance's limits were written in. */
    declare public readonly region: pulumi.Output<string>;
    /** The AWS account the instance was found in at create (absent when STS could not be reached). */
    declare public readonly accountId: pulumi.Output<string | undefined>;
    /** The live limits, canonical: the list always present, sorted by unit, frequency, maxCountPerRecipient. */
    declare public readonly communicationLimitsConfig: pulumi.Output<CanonicalLimitsConfig>;
    /** What destroy does: "reset", "restore" or "retain". */
    declare public readonly deletionPolicy: pulumi.Output<DeletionPolicy>;
    /** The limits the instance had before this resource first wrote it; what "restore" writes back on destroy. */
    declare public readonly previousConfig: pulumi.Output<CanonicalLimitsConfig>;
    /**
     * True when the limits found at create already equalled the desired ones, so `previousConfig` is those
     * limits (also the case after a create cut between its write and its answer: see the README).
     */
    declare public readonly previousConfigMatchedDesired: pulumi.Output<boolean>;
    /** The role assumed for the calls, when there is one. */
    declare public readonly assumeRoleArn: pulumi.Output<string | undefined>;

    constructor(name: string, args: InstanceCommunicationLimitsArgs, opts?: pulumi.CustomResourceOptions) {
        // Passed through whole (unknown keys included), so `check` can name a misspelt argument instead of
        // it being dropped silently. Output-only properties are listed so that they become outputs.
        const props: Record<string, unknown> = {
            region: undefined,
            deletionPolicy: undefined,
            assumeRoleArn: undefined,
            ...args,
            accountId: undefined,
            previousConfig: undefined,
            previousConfigMatchedDesired: undefined,
        };
        // A replacement the engine forces (`--replace`, taint, replacementTrigger) creates the new copy first.
        // With "restore", deleting first lets the old copy hand its previousConfig to the new one (ledger.ts);
        // with the other policies the old copy's delete leaves the new copy's limits alone.
        const options =
            opts?.deleteBeforeReplace === undefined && args.deletionPolicy === "restore"
                ? { ...opts, deleteBeforeReplace: true }
                : opts;
        super(
            stub as unknown as pulumi.dynamic.ResourceProvider,
            name,
            props,
            options,
            "connectcampaignsv2",
            "InstanceCommunicationLimits",
        );
    }

    /**
     * Reads the live limits of an instance already managed elsewhere (or not managed at all) into the
     * program, without managing them: nothing is written, and destroy leaves them alone.
     */
    static get(
        name: string,
        connectInstanceId: pulumi.Input<pulumi.ID>,
        state?: { region?: pulumi.Input<string>; assumeRoleArn?: pulumi.Input<string> },
        opts?: pulumi.CustomResourceOptions,
    ): InstanceCommunicationLimits {
        const args: Record<string, unknown> = { connectInstanceId, communicationLimitsConfig: undefined };
        if (state?.region !== undefined) {
            args.region = state.region;
        }
        if (state?.assumeRoleArn !== undefined) {
            args.assumeRoleArn = state.assumeRoleArn;
        }
        return new InstanceCommunicationLimits(name, args as unknown as InstanceCommunicationLimitsArgs, {
            ...opts,
            id: connectInstanceId,
        });
    }
}

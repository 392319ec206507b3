/**
 * `getInstanceCommunicationLimits`: reads an instance's live limits from a program, without managing them.
 *
 * Runs in the program's own process (like a data source), with the same settings the provider would use:
 * stack config (`aws:region`, `aws:profile`, `aws:assumeRole`), then the environment. One GET; nothing written.
 */
import * as pulumi from "@pulumi/pulumi";

import type * as Client from "./client";
import { ProviderConfigurationError } from "./errors";
import { resolveSettings } from "./settings";
import type { Target } from "./settings";
import type { CanonicalLimitsConfig } from "./types";
import { validateInputs } from "./validate";

export interface GetInstanceCommunicationLimitsArgs {
    /** Amazon Connect instance id (not its ARN). */
    connectInstanceId: string;
    /** Default: stack config `aws:region`, then `AWS_REGION`, then the AWS profile. */
    region?: string;
    /** Default: stack config `aws:assumeRole`, else none. */
    assumeRoleArn?: string;
}

export interface GetInstanceCommunicationLimitsResult {
    connectInstanceId: string;
    /** The region that was read. */
    region: string;
    /** The live limits, canonical (an instance never configured reads as an empty list). */
    communicationLimitsConfig: CanonicalLimitsConfig;
}

export async function getInstanceCommunicationLimits(
    args: GetInstanceCommunicationLimitsArgs,
): Promise<GetInstanceCommunicationLimitsResult> {
    const failures = validateInputs({ ...args, communicationLimitsConfig: {} });
    if (failures.length > 0) {
        throw new Error(
            `getInstanceCommunicationLimits: ${failures.map((f) => `${f.property}: ${f.reason}`).join(" ")}`,
        );
    }
    // Loaded on first use, so programs that never look anything up do not load the AWS SDK.
    const { LimitsApi } = require("./client") as typeof Client;
    const settings = resolveSettings((key) => pulumi.runtime.getConfig(key), process.env);
    if (settings.problems.length > 0) {
        throw new ProviderConfigurationError(settings.problems);
    }
    const target: Target = {};
    if (args.region !== undefined) {
        target.region = args.region;
    }
    if (args.assumeRoleArn !== undefined) {
        target.assumeRoleArn = args.assumeRoleArn;
    }
    const api = new LimitsApi(target, settings);
    try {
        const communicationLimitsConfig = await api.get(args.connectInstanceId);
        return {
            connectInstanceId: args.connectInstanceId,
            region: await api.region(),
            communicationLimitsConfig,
        };
    } finally {
        api.destroy();
    }
}

/** The same lookup taking and returning Pulumi values, for use with other resources' outputs. */
export function getInstanceCommunicationLimitsOutput(args: {
    connectInstanceId: pulumi.Input<string>;
    region?: pulumi.Input<string>;
    assumeRoleArn?: pulumi.Input<string>;
}): pulumi.Output<GetInstanceCommunicationLimitsResult> {
    return pulumi.output(args).apply((resolved) => {
        const plain: GetInstanceCommunicationLimitsArgs = { connectInstanceId: resolved.connectInstanceId };
        if (resolved.region !== undefined) {
            plain.region = resolved.region;
        }
        if (resolved.assumeRoleArn !== undefined) {
            plain.assumeRoleArn = resolved.assumeRoleArn;
        }
        return getInstanceCommunicationLimits(plain);
    });
}

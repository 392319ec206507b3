/**
 * `CommunicationLimitsPolicy`: one limits specification applied to a fleet of Connect instances.
 *
 * One `InstanceCommunicationLimits` child per instance, named after the policy and the instance id (never
 * after a position in the list), so adding or removing an instance anywhere in the list creates or deletes
 * only that instance's child; changing the shared limits updates every child that does not override them.
 */
import * as pulumi from "@pulumi/pulumi";

import { InstanceCommunicationLimits } from "./resource";
import type { AssumeRoleArgs, InstanceCommunicationLimitsConfigArgs } from "./resource";
import type { CanonicalLimitsConfig, DeletionPolicy } from "./types";

export interface CommunicationLimitsPolicyArgs {
    /** The instances the policy governs. Order does not matter; an id may appear once. */
    instanceIds: pulumi.Input<pulumi.Input<string>[]>;
    /** The limits every instance gets unless `overrides` names it. */
    communicationLimitsConfig: pulumi.Input<InstanceCommunicationLimitsConfigArgs>;
    /** Instance id → the limits that instance gets instead. Every key must be in `instanceIds`. */
    overrides?: pulumi.Input<Record<string, pulumi.Input<InstanceCommunicationLimitsConfigArgs>>>;
    /** Applies to every child; see `InstanceCommunicationLimits`. Default "reset". */
    deletionPolicy?: pulumi.Input<DeletionPolicy>;
    /** Region of all the instances. Default: the provider's (stack config `aws:region`, …). */
    region?: pulumi.Input<string>;
    /** Role to assume for all the instances. Default: stack config `aws:assumeRole`, else none. */
    assumeRoleArn?: pulumi.Input<string>;
    /** The same, with STS parameters; see `InstanceCommunicationLimits`. */
    assumeRole?: pulumi.Input<AssumeRoleArgs>;
}

type Overrides = Record<string, pulumi.Input<InstanceCommunicationLimitsConfigArgs>>;

function isPlain<T>(value: pulumi.Input<T>): value is T {
    return !pulumi.Output.isInstance(value) && !(value instanceof Promise);
}

export class CommunicationLimitsPolicy extends pulumi.ComponentResource {
    /** Instance id → the live limits of that instance, canonical. */
    public readonly limits: pulumi.Output<Record<string, CanonicalLimitsConfig>>;
    /** The children, one per instance, in the order of `instanceIds`. */
    public readonly instances: pulumi.Output<InstanceCommunicationLimits[]>;

    constructor(name: string, args: CommunicationLimitsPolicyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("pulumi-connect-campaign-limits:index:CommunicationLimitsPolicy", name, {}, opts);

        const build = (ids: readonly string[], overrides: Overrides): InstanceCommunicationLimits[] => {
            const seen = new Set<string>();
            for (const id of ids) {
                if (seen.has(id)) {
                    throw new pulumi.ResourceError(
                        `CommunicationLimitsPolicy ${name}: instance ${id} is listed twice in instanceIds; list each instance once.`,
                        this,
                        true,
                    );
                }
                seen.add(id);
            }
            const strays = Object.keys(overrides).filter((id) => !seen.has(id));
            if (strays.length > 0) {
                throw new pulumi.ResourceError(
                    `CommunicationLimitsPolicy ${name}: overrides name ${strays.join(", ")}, which ` +
                        `${strays.length === 1 ? "is" : "are"} not in instanceIds; add ${strays.length === 1 ? "it" : "them"} to instanceIds or remove the override.`,
                    this,
                    true,
                );
            }
            return ids.map((id) => {
                const childArgs: Record<string, unknown> = {
                    connectInstanceId: id,
                    communicationLimitsConfig: overrides[id] ?? args.communicationLimitsConfig,
                };
                for (const key of ["deletionPolicy", "region", "assumeRoleArn", "assumeRole"] as const) {
                    if (args[key] !== undefined) {
                        childArgs[key] = args[key];
                    }
                }
                return new InstanceCommunicationLimits(`${name}-${id}`, childArgs as never, { parent: this });
            });
        };

        const ids = args.instanceIds;
        const overrides = args.overrides ?? {};
        // A list known when the program runs gives children that `pulumi preview` shows one by one. A list
        // that is itself an output (e.g. from another stack) can only be expanded once it resolves.
        const known = isPlain(ids) && ids.every((id) => typeof id === "string") && isPlain(overrides);
        const children: pulumi.Output<InstanceCommunicationLimits[]> = known
            ? pulumi.output(build(ids, overrides))
            : pulumi
                  .all([pulumi.output(ids), pulumi.output(overrides)])
                  .apply(([list, map]) => build(list, map));

        this.instances = children;
        this.limits = children.apply((list) =>
            pulumi
                .all(
                    list.map((child) =>
                        pulumi.all([child.connectInstanceId, child.communicationLimitsConfig]),
                    ),
                )
                .apply((pairs) =>
                    Object.fromEntries(pairs.map(([id, config]) => [id, config as CanonicalLimitsConfig])),
                ),
        );
        this.registerOutputs({ limits: this.limits });
    }
}

import * as pulumi from "@pulumi/pulumi";
import { CommunicationLimitsPolicy } from "pulumi-connect-campaign-limits";

/** One AWS account: the role Pulumi assumes there, the region and the instances it holds. */
interface Account {
    name: string;
    roleArn: string;
    externalId?: string;
    region: string;
    instanceIds: string[];
}

const config = new pulumi.Config();
const accounts = config.requireObject<Account[]>("accounts");

// The organisation's limits, the same in every account: at most 3 contacts per recipient in any 7 days, and
// at most 1 a day.
const limits = {
    allChannelSubtypes: {
        communicationLimitsList: [
            { maxCountPerRecipient: 3, frequency: 7, unit: "DAY" as const },
            { maxCountPerRecipient: 1, frequency: 1, unit: "DAY" as const },
        ],
    },
};

// One policy per account: its children assume that account's role, in that account's region.
const policies = accounts.map(
    (account) =>
        new CommunicationLimitsPolicy(account.name, {
            instanceIds: account.instanceIds,
            communicationLimitsConfig: limits,
            region: account.region,
            assumeRole: {
                roleArn: account.roleArn,
                ...(account.externalId === undefined
                    ? {}
                    : { externalId: pulumi.secret(account.externalId) }),
            },
            deletionPolicy: "restore",
        }),
);

/** Account name → instance id → the limits live on that instance. */
export const limitsByAccount = pulumi
    .all(policies.map((policy) => policy.limits))
    .apply((all) =>
        Object.fromEntries(all.map((byInstance, i) => [accounts[i]?.name ?? `${i}`, byInstance])),
    );

import * as pulumi from "@pulumi/pulumi";
import { CommunicationLimitsPolicy } from "pulumi-connect-campaign-limits";
import type { InstanceCommunicationLimitsConfigArgs } from "pulumi-connect-campaign-limits";

const config = new pulumi.Config();

// One policy for every instance: at most 2 contacts per recipient per week, and 1 per day.
// Adding or removing an id touches only that instance; changing the limits here updates them all.
const policy = new CommunicationLimitsPolicy("outbound", {
    instanceIds: config.requireObject<string[]>("instanceIds"),
    communicationLimitsConfig: {
        allChannelSubtypes: {
            communicationLimitsList: [
                { maxCountPerRecipient: 2, frequency: 7, unit: "DAY" },
                { maxCountPerRecipient: 1, frequency: 1, unit: "DAY" },
            ],
        },
    },
    // Exceptions by instance id, e.g. a collections team allowed more contacts.
    overrides: config.getObject<Record<string, InstanceCommunicationLimitsConfigArgs>>("overrides") ?? {},
    deletionPolicy: "restore",
});

/** Instance id → the limits live on that instance. */
export const limits = policy.limits;

import * as pulumi from "@pulumi/pulumi";
import { InstanceCommunicationLimits } from "pulumi-connect-campaign-limits";
import type { DeletionPolicy } from "pulumi-connect-campaign-limits";

const config = new pulumi.Config();

// At most 3 contacts per recipient in any 7 days, and at most 1 per day, across every channel
// (telephony, SMS, email, WhatsApp) of the instance's outbound campaigns.
const limits = new InstanceCommunicationLimits("contact-center", {
    connectInstanceId: config.require("connectInstanceId"),
    communicationLimitsConfig: {
        allChannelSubtypes: {
            communicationLimitsList: [
                { maxCountPerRecipient: 3, frequency: 7, unit: "DAY" },
                { maxCountPerRecipient: 1, frequency: 1, unit: "DAY" },
            ],
        },
    },
    // On `pulumi destroy`: "reset" empties the limits, "restore" puts back what the instance had before,
    // "retain" leaves them as they are (`pulumi config set deletionPolicy restore`).
    deletionPolicy: config.get<DeletionPolicy>("deletionPolicy") ?? "reset",
});

/** The limits live on the instance, as last read. */
export const live = limits.communicationLimitsConfig;
/** What the instance had before this stack first wrote its limits. */
export const previous = limits.previousConfig;

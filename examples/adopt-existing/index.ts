import * as pulumi from "@pulumi/pulumi";
import {
    InstanceCommunicationLimits,
    getInstanceCommunicationLimitsOutput,
} from "pulumi-connect-campaign-limits";

const config = new pulumi.Config();
const connectInstanceId = config.require("connectInstanceId");

// What the instance has now, read without managing anything (one GET, nothing written).
const before = getInstanceCommunicationLimitsOutput({ connectInstanceId });

// `pulumi import` cannot adopt dynamic resources, so adoption goes through create: it records the
// instance's existing limits in `previousConfig`, then writes these. With "restore", `pulumi destroy`
// writes the recorded limits back, leaving the instance as it was found.
const limits = new InstanceCommunicationLimits("adopted", {
    connectInstanceId,
    communicationLimitsConfig: {
        allChannelSubtypes: {
            communicationLimitsList: [{ maxCountPerRecipient: 4, frequency: 7, unit: "DAY" }],
        },
    },
    deletionPolicy: "restore",
});

// Another instance's limits, observed but not managed: `get` reads them into the program; the stack
// never writes them and destroy leaves them alone.
const observedId = config.get("observedInstanceId");
const observed =
    observedId === undefined ? undefined : InstanceCommunicationLimits.get("observed", observedId);

export const limitsBeforeAdoption = before.communicationLimitsConfig;
export const previousConfig = limits.previousConfig;
export const live = limits.communicationLimitsConfig;
export const observedLimits = observed?.communicationLimitsConfig;

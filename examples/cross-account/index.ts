import * as pulumi from "@pulumi/pulumi";
import { InstanceCommunicationLimits } from "pulumi-connect-campaign-limits";

const config = new pulumi.Config();
const limitsConfig = {
    allChannelSubtypes: {
        communicationLimitsList: [{ maxCountPerRecipient: 3, frequency: 7, unit: "DAY" as const }],
    },
};

// Uses the stack's role, as @pulumi/aws would: `pulumi config set --path aws:assumeRole.roleArn …`
// (plus sessionName / externalId when the role's trust policy asks for them).
const home = new InstanceCommunicationLimits("home", {
    connectInstanceId: config.require("homeInstanceId"),
    communicationLimitsConfig: limitsConfig,
});

// A resource's own role and region override the stack's: this instance lives in another account.
const partner = new InstanceCommunicationLimits("partner", {
    connectInstanceId: config.require("partnerInstanceId"),
    communicationLimitsConfig: limitsConfig,
    assumeRoleArn: config.require("partnerRoleArn"),
    region: config.get("partnerRegion") ?? "us-east-1",
});

export const homeRole = home.assumeRoleArn;
export const partnerRole = partner.assumeRoleArn;
export const partnerRegion = partner.region;

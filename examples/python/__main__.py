"""Amazon Connect instance communication limits from Python: at most 3 contacts per person in any 7 days,
and at most 1 a day, on the instance named by the stack's `connectInstanceId`."""

import pulumi
import pulumi_connect_campaign_limits as limits

config = pulumi.Config()

resource = limits.connectcampaignsv2.InstanceCommunicationLimits(
    "limits",
    connect_instance_id=config.require("connectInstanceId"),
    communication_limits_config={
        "all_channel_subtypes": {
            "communication_limits_list": [
                # at most 3 contacts in any 7 days
                {"max_count_per_recipient": 3, "frequency": 7, "unit": "DAY"},
                # and at most 1 a day
                {"max_count_per_recipient": 1, "frequency": 1, "unit": "DAY"},
            ],
        },
    },
    deletion_policy=config.get("deletionPolicy") or "reset",
)

pulumi.export("live", resource.communication_limits_config)
pulumi.export("previousConfig", resource.previous_config)

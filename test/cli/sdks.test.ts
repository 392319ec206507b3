/**
 * The SDKs generated from the plugin's schema, built with the toolchains this machine has: the Go SDK
 * compiles together with a program that declares the resource, the Python SDK byte-compiles and keeps the external id secret, and the
 * TypeScript SDK declares the resource. (C# and Java: their generators are not available here; see
 * plugin/README.md.)
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { generateSdk } from "../../tools/sdkgen/generate";

const GO_PROGRAM = `package main

import (
	"example.com/connect-campaign-limits/sdk/go/connectcampaignlimits/connectcampaignsv2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		limits, err := connectcampaignsv2.NewInstanceCommunicationLimits(ctx, "limits", &connectcampaignsv2.InstanceCommunicationLimitsArgs{
			ConnectInstanceId: pulumi.String("0f5a1b2c"),
			CommunicationLimitsConfig: &connectcampaignsv2.InstanceCommunicationLimitsConfigArgs{
				AllChannelSubtypes: &connectcampaignsv2.CommunicationLimitsArgs{
					CommunicationLimitsList: connectcampaignsv2.CommunicationLimitArray{
						&connectcampaignsv2.CommunicationLimitArgs{
							MaxCountPerRecipient: pulumi.Int(3),
							Frequency:            pulumi.Int(7),
							Unit:                 connectcampaignsv2.CommunicationLimitTimeUnitDay,
						},
					},
				},
			},
			DeletionPolicy: connectcampaignsv2.DeletionPolicyRestore,
		})
		if err != nil {
			return err
		}
		ctx.Export("live", limits.CommunicationLimitsConfig)
		return nil
	})
}
`;

describe("the SDKs generated from the plugin's schema", function () {
    this.timeout(900_000);
    let dir: string;

    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "sdks-"));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("Go: the SDK and a program declaring the resource compile", () => {
        const sdk = path.join(dir, "go");
        generateSdk("go", sdk);
        fs.writeFileSync(
            path.join(sdk, "go.mod"),
            "module example.com/connect-campaign-limits/sdk/go\n\ngo 1.26\n\nrequire github.com/pulumi/pulumi/sdk/v3 v3.276.0\n",
        );
        fs.mkdirSync(path.join(sdk, "example"));
        fs.writeFileSync(path.join(sdk, "example", "main.go"), GO_PROGRAM);
        const env = { ...process.env, GOTOOLCHAIN: "local", GOFLAGS: "-buildvcs=false" };
        execFileSync("go", ["mod", "tidy"], { cwd: sdk, env, stdio: "pipe" });
        execFileSync("go", ["build", "./..."], { cwd: sdk, env, stdio: "pipe" });
    });

    it("Python: the package byte-compiles and names the resource's module", () => {
        const sdk = path.join(dir, "python");
        generateSdk("python", sdk);
        execFileSync("python3", ["-m", "compileall", "-q", "pulumi_connect_campaign_limits"], { cwd: sdk });
        const module = fs.readFileSync(
            path.join(
                sdk,
                "pulumi_connect_campaign_limits",
                "connectcampaignsv2",
                "instance_communication_limits.py",
            ),
            "utf8",
        );
        assert.match(module, /connect-campaign-limits:connectcampaignsv2:InstanceCommunicationLimits/);
        assert.match(module, /additional_secret_outputs=\["assumeRole"\]/);
    });

    it("TypeScript: the SDK declares the resource with the plugin's token", () => {
        const sdk = path.join(dir, "nodejs");
        generateSdk("nodejs", sdk);
        const source = fs.readFileSync(
            path.join(sdk, "connectcampaignsv2", "instanceCommunicationLimits.ts"),
            "utf8",
        );
        assert.match(source, /connect-campaign-limits:connectcampaignsv2:InstanceCommunicationLimits/);
        assert.match(source, /additionalSecretOutputs: \["assumeRole"\]/);
    });
});

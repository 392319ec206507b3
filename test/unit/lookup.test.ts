/**
 * `getInstanceCommunicationLimits`: a plain async read of an instance's live limits, in the program's own
 * process, with the provider's settings and errors; and its form taking and returning Pulumi values.
 */
import assert from "node:assert/strict";

import * as pulumi from "@pulumi/pulumi";

import { ProviderConfigurationError } from "../../provider/errors";
import { getInstanceCommunicationLimits, getInstanceCommunicationLimitsOutput } from "../../provider/lookup";
import type { GetInstanceCommunicationLimitsResult } from "../../provider/lookup";
import { startEmulator } from "connect-campaigns-emulator";
import type { EmulatorHandle } from "connect-campaigns-emulator";
import { emulatorEnv, setEnv } from "../support/env";

const ID = "0f5a1b2c-3d4e-5f60-7182-93a4b5c6d7e8";

/** Runs `work` with these stack config values set, as a program's process has them. */
async function withStackConfig<T>(values: Record<string, string>, work: () => Promise<T>): Promise<T> {
    const saved = pulumi.runtime.allConfig();
    pulumi.runtime.setAllConfig({ ...saved, ...values });
    try {
        return await work();
    } finally {
        pulumi.runtime.setAllConfig(saved);
    }
}

describe("getInstanceCommunicationLimits", () => {
    let emulator: EmulatorHandle;
    let restore: () => void;

    before(async () => {
        // The environment's region and the one a test passes: the instance exists in both.
        emulator = await startEmulator({
            instances: [
                { id: ID, region: "eu-west-2" },
                { id: ID, region: "us-west-2" },
            ],
        });
        restore = setEnv(emulatorEnv(emulator.url, "eu-west-2"));
    });
    after(async () => {
        restore();
        await emulator.close();
    });
    beforeEach(() => emulator.clearRequests());

    it("returns the live limits in canonical form with one GET and no write", async () => {
        emulator.setLimits(
            ID,
            {
                allChannelSubtypes: {
                    communicationLimitsList: [
                        { maxCountPerRecipient: 3, frequency: 7, unit: "DAY" },
                        { maxCountPerRecipient: 1, frequency: 1, unit: "DAY" },
                    ],
                },
            },
            { region: "eu-west-2" },
        );
        const result = await getInstanceCommunicationLimits({ connectInstanceId: ID });
        assert.deepEqual(result, {
            connectInstanceId: ID,
            region: "eu-west-2",
            communicationLimitsConfig: {
                allChannelSubtypes: {
                    communicationLimitsList: [
                        { maxCountPerRecipient: 1, frequency: 1, unit: "DAY" },
                        { maxCountPerRecipient: 3, frequency: 7, unit: "DAY" },
                    ],
                },
            },
        });
        assert.deepEqual(
            emulator.requests().map((r) => `${r.method} ${r.region ?? ""}`),
            ["GET eu-west-2"],
        );
    });

    it("reads in the region it is given over the environment's", async () => {
        const result = await getInstanceCommunicationLimits({ connectInstanceId: ID, region: "us-west-2" });
        assert.equal(result.region, "us-west-2");
        assert.deepEqual(
            emulator.requests().map((r) => r.region),
            ["us-west-2"],
        );
    });

    it("rejects an instance ARN before any call, saying which id to use", async () => {
        await assert.rejects(
            getInstanceCommunicationLimits({
                connectInstanceId: `arn:aws:connect:us-west-2:123456789012:instance/${ID}`,
            }),
            new RegExp(`connectInstanceId: .*That is an instance ARN; use its last segment, "${ID}"`),
        );
        assert.equal(emulator.requests().length, 0);
    });

    it("fails with the provider's actionable error when the instance does not exist", async () => {
        await assert.rejects(
            getInstanceCommunicationLimits({ connectInstanceId: "gone" }),
            /GetInstanceCommunicationLimits for Amazon Connect instance gone in eu-west-2 failed: ResourceNotFoundException: .* is not onboarded to Amazon Connect outbound campaigns/,
        );
    });

    it("reads in the region of the stack config aws:region over AWS_REGION", async () => {
        const result = await withStackConfig({ "aws:region": "us-west-2" }, () =>
            getInstanceCommunicationLimits({ connectInstanceId: ID }),
        );
        assert.equal(result.region, "us-west-2");
        assert.deepEqual(
            emulator.requests().map((r) => r.region),
            ["us-west-2"],
        );
    });

    it("fails before any call, naming the setting, when the stack config is malformed", async () => {
        await withStackConfig({ "aws:assumeRole": "not json" }, () =>
            assert.rejects(
                getInstanceCommunicationLimits({ connectInstanceId: ID }),
                (error: unknown) =>
                    error instanceof ProviderConfigurationError &&
                    /aws:assumeRole must be an object/.test(error.message),
            ),
        );
        assert.equal(emulator.requests().length, 0);
    });

    it("takes its arguments as Pulumi values and reads once they are known (the Output form)", async () => {
        const output = getInstanceCommunicationLimitsOutput({
            connectInstanceId: pulumi.output(Promise.resolve(ID)),
            region: pulumi.output("us-west-2"),
        });
        const result = await new Promise<GetInstanceCommunicationLimitsResult>((resolve) =>
            output.apply(resolve),
        );
        assert.equal(result.connectInstanceId, ID);
        assert.equal(result.region, "us-west-2");
        assert.deepEqual(
            emulator.requests().map((r) => `${r.method} ${r.region ?? ""}`),
            ["GET us-west-2"],
        );
    });
});

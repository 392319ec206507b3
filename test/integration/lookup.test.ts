/**
 * `getInstanceCommunicationLimits`: a plain async read of an instance's live limits, in the program's own
 * process, with the provider's settings and errors.
 */
import assert from "node:assert/strict";

import { getInstanceCommunicationLimits } from "../../provider/lookup";
import { startEmulator } from "connect-campaigns-emulator";
import type { EmulatorHandle } from "connect-campaigns-emulator";
import { emulatorEnv, setEnv } from "../support/env";

const ID = "0f5a1b2c-3d4e-5f60-7182-93a4b5c6d7e8";

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
});

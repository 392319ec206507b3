/**
 * A region the service does not exist in, through the AWS SDK's real endpoint resolution and this machine's
 * real resolver: `us-wset-2` is well formed, so check accepts it, and its endpoint host name
 * (`connect-campaigns.us-wset-2.amazonaws.com`) has no DNS record. The call fails at once — one attempt, not
 * ten retries of a lookup that can never succeed — and the message names the region and where the service
 * exists, instead of blaming the network.
 */
import assert from "node:assert/strict";
import { promises as dns } from "node:dns";

import { resetBudgets } from "../../provider/budget";
import { InstanceCommunicationLimitsProvider } from "../../provider/provider";
import { resolveSettings } from "../../provider/settings";
import { setEnv } from "../support/env";
import { checked } from "../support/provider";

const TYPO = "us-wset-2";
const HOST = `connect-campaigns.${TYPO}.amazonaws.com`;

/** The code this machine's resolver gives for the host, or "resolved" when it has a record. */
async function lookupCode(host: string): Promise<string> {
    try {
        await dns.lookup(host);
        return "resolved";
    } catch (error) {
        return String((error as NodeJS.ErrnoException).code);
    }
}

describe("a region the service does not exist in, through real endpoint resolution", function () {
    this.timeout(60_000);
    let restoreEnv: () => void;

    before(async function () {
        const code = await lookupCode(HOST);
        if (code !== "ENOTFOUND") {
            // What is tested is the answer every public resolver gives for this name (NXDOMAIN). A resolver
            // that times out instead (EAI_AGAIN, no DNS at all) cannot say the name does not exist.
            console.log(
                `      (skipped: this machine's resolver answers ${code} for ${HOST}, not ENOTFOUND)`,
            );
            this.skip();
        }
        restoreEnv = setEnv({
            AWS_ACCESS_KEY_ID: "AKIAREGIONSTEST00000",
            AWS_SECRET_ACCESS_KEY: "regions/test/secret/key/0123456789abcdefgh",
            AWS_SESSION_TOKEN: undefined,
            AWS_PROFILE: undefined,
            AWS_REGION: TYPO,
            AWS_DEFAULT_REGION: undefined,
            AWS_ENDPOINT_URL: undefined,
            AWS_ENDPOINT_URL_CONNECTCAMPAIGNSV2: undefined,
            AWS_ENDPOINT_URL_STS: undefined,
            AWS_CONFIG_FILE: "/nonexistent/aws/config",
            AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws/credentials",
            AWS_EC2_METADATA_DISABLED: "true",
        });
        resetBudgets();
    });
    after(() => restoreEnv?.());

    it("check accepts the well-formed region, and create fails after one attempt naming it and where the service exists", async () => {
        const provider = new InstanceCommunicationLimitsProvider(
            resolveSettings(() => undefined, process.env),
        );
        const inputs = await checked(provider, {
            connectInstanceId: "regions-1",
            communicationLimitsConfig: {
                allChannelSubtypes: {
                    communicationLimitsList: [{ maxCountPerRecipient: 3, frequency: 7, unit: "DAY" }],
                },
            },
        });
        assert.equal(inputs.region, TYPO);
        await assert.rejects(provider.create(inputs), (error: Error) => {
            assert.match(
                error.message,
                new RegExp(`for Amazon Connect instance regions-1 in ${TYPO} failed: ENOTFOUND`),
            );
            assert.match(
                error.message,
                /\(no response, 1 attempt, endpoint https:\/\/connect-campaigns\.us-wset-2\.amazonaws\.com\)/,
            );
            assert.match(error.message, /Amazon Connect outbound campaigns has no endpoint in us-wset-2/);
            assert.match(error.message, /us-west-2/, "the regions where it exists are listed");
            assert.doesNotMatch(error.message, /network/i);
            return true;
        });
    });
});

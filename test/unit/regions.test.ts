/**
 * Where the service exists (provider/regions.ts): the contract of its lists and predicates, the README's
 * statement of them, and the host names the installed `@aws-sdk/client-connectcampaignsv2` resolves for them
 * through its own endpoint rules — the client's middleware stack, stopped before anything is signed or sent.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

import {
    ConnectCampaignsV2Client,
    GetInstanceCommunicationLimitsCommand,
} from "@aws-sdk/client-connectcampaignsv2";
import type { ConnectCampaignsV2ClientConfig } from "@aws-sdk/client-connectcampaignsv2";

import {
    ENDPOINT_DATA_AS_OF,
    FIPS_REGIONS,
    SERVICE_REGIONS,
    hasFipsEndpoint,
    isServiceRegion,
} from "../../provider/regions";
import { setEnv } from "../support/env";

const REGION_NAME = /^[a-z]{2}-[a-z]+-\d$/;
/** A key the client never uses: nothing is signed. */
const KEY = {
    accessKeyId: "AKIAREGIONSUNITTEST0",
    secretAccessKey: "regions/unit/test/secret/0123456789abcdef",
};

/** The README's **Regions.** paragraph, as one line. */
function regionsParagraph(): string {
    const readme = fs.readFileSync(path.resolve(__dirname, "..", "..", "README.md"), "utf8");
    const match = /\*\*Regions\.\*\*([\s\S]*?)\n\n/.exec(readme);
    assert.ok(match?.[1], "the README has no **Regions.** paragraph");
    return match[1].replace(/\s+/g, " ");
}

/** "a, b and c" → ["a", "b", "c"]. */
function names(list: string): string[] {
    return list.split(/,\s*|\s+and\s+/).map((name) => name.trim());
}

/** A host name the README gives, as a template: `connect-campaigns.<region>.amazonaws.com`. */
function readmeTemplate(paragraph: string, pattern: RegExp): string {
    const match = pattern.exec(paragraph);
    assert.ok(match?.[1], `the README's Regions paragraph does not give ${String(pattern)}`);
    return match[1];
}

class Resolved extends Error {
    constructor(readonly hostname: string) {
        super(hostname);
    }
}

/**
 * The host the SDK's client would send GetInstanceCommunicationLimits to: the request as built after endpoint
 * resolution, taken before it is signed or sent.
 */
async function resolvedHost(config: ConnectCampaignsV2ClientConfig): Promise<string> {
    const client = new ConnectCampaignsV2Client({ credentials: KEY, ...config });
    client.middlewareStack.add(
        () => (args) => {
            throw new Resolved((args.request as { hostname: string }).hostname);
        },
        { step: "build", name: "captureResolvedHost" },
    );
    try {
        await client.send(new GetInstanceCommunicationLimitsCommand({ connectInstanceId: "regions-1" }));
    } catch (error) {
        if (error instanceof Resolved) {
            return error.hostname;
        }
        throw error;
    } finally {
        client.destroy();
    }
    assert.fail("the request was sent");
}

describe("where the service exists (regions)", () => {
    let restoreEnv: () => void;
    before(() => {
        // Nothing of the machine's own setup may choose the endpoint: the rules alone decide.
        restoreEnv = setEnv({
            AWS_ENDPOINT_URL: undefined,
            AWS_ENDPOINT_URL_CONNECTCAMPAIGNSV2: undefined,
            AWS_USE_FIPS_ENDPOINT: undefined,
            AWS_USE_DUALSTACK_ENDPOINT: undefined,
            AWS_CONFIG_FILE: "/nonexistent/aws/config",
            AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws/credentials",
            AWS_PROFILE: undefined,
        });
    });
    after(() => restoreEnv());

    describe("the lists and predicates", () => {
        it("lists each region once, by its name, in order", () => {
            for (const region of SERVICE_REGIONS) {
                assert.match(region, REGION_NAME);
            }
            assert.deepEqual([...SERVICE_REGIONS], [...new Set(SERVICE_REGIONS)].sort());
            assert.deepEqual([...FIPS_REGIONS], [...new Set(FIPS_REGIONS)].sort());
            assert.match(ENDPOINT_DATA_AS_OF, /^\d{4}$/);
        });

        it("has FIPS endpoints only in regions the service exists in", () => {
            assert.ok(FIPS_REGIONS.length > 0);
            for (const region of FIPS_REGIONS) {
                assert.ok(isServiceRegion(region), region);
            }
        });

        it("says a region is the service's exactly when it is listed, matching names exactly", () => {
            for (const region of SERVICE_REGIONS) {
                assert.equal(isServiceRegion(region), true, region);
            }
            for (const region of [
                "us-wset-2",
                "US-WEST-2",
                " us-west-2",
                "eu-west-1",
                "cn-north-1",
                "us-gov-west-1",
                "",
            ]) {
                assert.equal(isServiceRegion(region), false, JSON.stringify(region));
            }
        });

        it("says a region has a FIPS endpoint exactly when it is in the FIPS list", () => {
            for (const region of SERVICE_REGIONS) {
                assert.equal(hasFipsEndpoint(region), FIPS_REGIONS.includes(region), region);
            }
            assert.equal(hasFipsEndpoint("us-east-1"), true);
            assert.equal(hasFipsEndpoint("eu-west-2"), false);
            assert.equal(hasFipsEndpoint("us-wset-2"), false);
        });
    });

    describe("the README", () => {
        it("names the same regions as the provider", () => {
            const listed = /the service exists in (.*?), at `/.exec(regionsParagraph());
            assert.ok(listed?.[1], "the README does not say where the service exists");
            assert.deepEqual(names(listed[1]), [...SERVICE_REGIONS]);
        });

        it("names the same FIPS regions as the provider, and the variable that asks for FIPS", () => {
            const paragraph = regionsParagraph();
            const listed = /\(`AWS_USE_FIPS_ENDPOINT=true`\), exist in (.*?) only\./.exec(paragraph);
            assert.ok(listed?.[1], "the README does not say where FIPS endpoints exist");
            assert.deepEqual(names(listed[1]), [...FIPS_REGIONS]);
            assert.match(paragraph, /`AWS_USE_DUALSTACK_ENDPOINT=true`/);
        });
    });

    describe("the host names the installed SDK's endpoint rules resolve", () => {
        /** The README's host names, read when a test runs (a missing one fails that test). */
        const templates = () => {
            const paragraph = regionsParagraph();
            return {
                standard: readmeTemplate(paragraph, /at `(connect-campaigns\.<region>\.amazonaws\.com)`/),
                fips: readmeTemplate(
                    paragraph,
                    /endpoints, `(connect-campaigns-fips\.<region>\.amazonaws\.com)`/,
                ),
                dualStack: readmeTemplate(paragraph, /give `(connect-campaigns\.<region>\.api\.aws)`/),
                dualStackFips: readmeTemplate(
                    paragraph,
                    /\(`(connect-campaigns-fips\.<region>\.api\.aws)` with FIPS/,
                ),
            };
        };
        const host = (template: string, region: string) => template.replace("<region>", region);

        for (const region of SERVICE_REGIONS) {
            it(`resolves the README's standard and dual-stack names in ${region}`, async () => {
                assert.equal(await resolvedHost({ region }), host(templates().standard, region));
                assert.equal(
                    await resolvedHost({ region, useDualstackEndpoint: true }),
                    host(templates().dualStack, region),
                );
            });
        }

        for (const region of FIPS_REGIONS) {
            it(`resolves the README's FIPS names in ${region}, also when AWS_USE_FIPS_ENDPOINT asks for them`, async () => {
                assert.equal(
                    await resolvedHost({ region, useFipsEndpoint: true }),
                    host(templates().fips, region),
                );
                assert.equal(
                    await resolvedHost({ region, useFipsEndpoint: true, useDualstackEndpoint: true }),
                    host(templates().dualStackFips, region),
                );
                const restore = setEnv({
                    AWS_USE_FIPS_ENDPOINT: "true",
                    AWS_USE_DUALSTACK_ENDPOINT: undefined,
                });
                try {
                    assert.equal(await resolvedHost({ region }), host(templates().fips, region));
                } finally {
                    restore();
                }
            });
        }

        it("builds a FIPS name in a region without a FIPS endpoint too: the rules do not know which exist", async () => {
            const region = SERVICE_REGIONS.find((r) => !hasFipsEndpoint(r));
            assert.ok(region !== undefined);
            assert.equal(
                await resolvedHost({ region, useFipsEndpoint: true }),
                host(templates().fips, region),
            );
        });
    });
});

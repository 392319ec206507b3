/**
 * `LimitsApi`, the only module that calls AWS, against the emulator through the real SDK: where its calls
 * go and as whom, what each call sends and returns, the account it asks STS for, the one set of credentials
 * its calls share, and the request budget every request takes a token from. How each failure reads is in
 * failures.test.ts, and produced for real in test/integration/errors.test.ts.
 */
import assert from "node:assert/strict";

import { budgetFor, resetBudgets } from "../../provider/budget";
import { LimitsApi } from "../../provider/client";
import type { CallTarget } from "../../provider/client";
import { resolveSettings } from "../../provider/settings";
import type { ProviderSettings } from "../../provider/settings";
import { startEmulator } from "connect-campaigns-emulator";
import type { EmulatorHandle } from "connect-campaigns-emulator";
import { emulatorEnv, setEnv } from "../support/env";

const A = "0f5a1b2c-3d4e-5f60-7182-93a4b5c6d7e8";
const ACCOUNT = "123456789012";
const ROLE_ACCOUNT = "210987654321";
const ROLE = `arn:aws:iam::${ROLE_ACCOUNT}:role/connect-limits`;
const OTHER_ROLE = `arn:aws:iam::${ROLE_ACCOUNT}:role/other`;
const RATE = 1000;
const BURST = 1000;

const UNSORTED = {
    allChannelSubtypes: {
        communicationLimitsList: [
            { maxCountPerRecipient: 3, frequency: 7, unit: "DAY" as const },
            { maxCountPerRecipient: 1, frequency: 1, unit: "DAY" as const },
        ],
    },
};
const CANONICAL = {
    allChannelSubtypes: {
        communicationLimitsList: [
            { maxCountPerRecipient: 1, frequency: 1, unit: "DAY" as const },
            { maxCountPerRecipient: 3, frequency: 7, unit: "DAY" as const },
        ],
    },
};

describe("the AWS client (client)", () => {
    let emulator: EmulatorHandle;
    let restoreEnv: () => void;
    let opened: LimitsApi[] = [];

    /** The environment's settings, one attempt per call unless told, with a budget of this file's own. */
    function settings(overrides: Partial<ProviderSettings> = {}): ProviderSettings {
        return {
            ...resolveSettings(() => undefined, process.env),
            maxAttempts: 1,
            requestsPerSecond: RATE,
            requestBurst: BURST,
            ...overrides,
        };
    }

    function api(target: CallTarget, given: ProviderSettings = settings()): LimitsApi {
        const client = new LimitsApi(target, given);
        opened.push(client);
        return client;
    }

    before(async () => {
        emulator = await startEmulator({
            instances: [A, { id: A, account: ROLE_ACCOUNT }],
            roles: [{ roleArn: ROLE, externalId: "ops-2026" }],
        });
        restoreEnv = setEnv(emulatorEnv(emulator.url));
    });
    after(async () => {
        restoreEnv();
        await emulator.close();
    });
    beforeEach(() => {
        emulator.setLimits(A, UNSORTED, { account: ACCOUNT });
        emulator.clearFaults();
        emulator.clearRequests();
        resetBudgets();
    });
    afterEach(() => {
        for (const client of opened) {
            client.destroy();
        }
        opened = [];
    });

    it("calls in the target's region, else the provider's, else the one the SDK finds (AWS_REGION)", async () => {
        assert.equal(
            await api({ region: "eu-west-2" }, settings({ region: "us-east-1" })).region(),
            "eu-west-2",
        );
        assert.equal(await api({}, settings({ region: "us-east-1" })).region(), "us-east-1");
        const none = settings();
        delete none.region;
        const restore = setEnv({ AWS_REGION: "ap-southeast-2" });
        try {
            assert.equal(await api({}, none).region(), "ap-southeast-2");
        } finally {
            restore();
        }
        assert.equal(emulator.requests().length, 0, "resolving the region calls nothing");
    });

    it("applies the stack role's external id and session name to that role only, and lets a resource's own ones win", () => {
        const stack = settings({ assumeRole: { roleArn: ROLE, externalId: "ops-2026", sessionName: "ci" } });
        const stackRole = { region: "us-west-2", roleArn: ROLE, externalId: "ops-2026", sessionName: "ci" };
        assert.deepEqual(api({}, stack).target, stackRole);
        assert.deepEqual(api({ roleArn: ROLE }, stack).target, stackRole, "the stack's role, named again");
        assert.deepEqual(api({ roleArn: OTHER_ROLE, region: "eu-west-2" }, stack).target, {
            region: "eu-west-2",
            roleArn: OTHER_ROLE,
            externalId: undefined,
            sessionName: undefined,
        });
        assert.deepEqual(api({ roleArn: ROLE, externalId: "own", sessionName: "mine" }, stack).target, {
            ...stackRole,
            externalId: "own",
            sessionName: "mine",
        });
    });

    it("reads the live limits in canonical order with one GET, and keeps that read's request id", async () => {
        const client = api({ region: "us-west-2" });
        assert.deepEqual(await client.get(A), CANONICAL);
        const requests = emulator.requests();
        assert.deepEqual(
            requests.map((r) => [r.method, r.instanceId, r.region]),
            [["GET", A, "us-west-2"]],
        );
        assert.equal(client.lastReadRequestId, requests[0]?.requestId);
    });

    it("writes exactly the limits it is given with one PUT", async () => {
        await api({}).put(A, CANONICAL, "write");
        assert.deepEqual(
            emulator.requests().map((r) => [r.method, r.body]),
            [["PUT", { communicationLimitsConfig: CANONICAL }]],
        );
        assert.deepEqual(emulator.limits(A, { account: ACCOUNT }), CANONICAL);
    });

    it("asks STS for the account once per client, and asks again after a failure", async () => {
        const client = api({});
        emulator.injectFaults("internal", 1, { operation: "GetCallerIdentity" });
        await assert.rejects(client.accountId(), /GetCallerIdentity .*failed: InternalFailure/);
        assert.equal(await client.accountId(), ACCOUNT);
        assert.equal(await client.accountId(), ACCOUNT);
        assert.equal(emulator.count("GetCallerIdentity"), 2);
    });

    it("assumes its role once for all its calls, Connect and STS alike, and signs them all with the role's key", async () => {
        const client = api({ roleArn: ROLE, externalId: "ops-2026" });
        await client.get(A);
        await client.put(A, CANONICAL, "write");
        assert.equal(await client.accountId(), ROLE_ACCOUNT);
        const assumed = emulator.requests().filter((r) => r.operation === "AssumeRole");
        assert.equal(assumed.length, 1);
        const body = assumed[0]?.body as Record<string, string> | undefined;
        assert.deepEqual(
            [body?.RoleArn, body?.ExternalId, body?.RoleSessionName],
            [ROLE, "ops-2026", "pulumi-connect-campaign-limits"],
        );
        const signed = emulator.requests().filter((r) => r.operation !== "AssumeRole");
        assert.deepEqual(
            signed.map((r) => r.operation),
            ["GetInstanceCommunicationLimits", "PutInstanceCommunicationLimits", "GetCallerIdentity"],
        );
        const keys = new Set(signed.map((r) => r.accessKeyId));
        assert.equal(keys.size, 1);
        assert.match([...keys][0] ?? "", /^ASIA/);
        assert.deepEqual(
            emulator.limits(A, { account: ROLE_ACCOUNT }),
            CANONICAL,
            "written in the role's account",
        );
    });

    it("takes a token for every request from the budget of its region and credentials, shared by clients alike", async () => {
        await api({}).get(A);
        await api({}).put(A, CANONICAL, "write");
        await api({ roleArn: ROLE, externalId: "ops-2026" }).get(A);
        assert.equal(budgetFor("us-west-2|profile:default", RATE, BURST).stats().granted, 2);
        assert.equal(budgetFor(`us-west-2|${ROLE}`, RATE, BURST).stats().granted, 1, "the role's own budget");
    });

    it("tells the budget when an answer was throttled, so that it slows down", async () => {
        emulator.injectFaults("throttle", 1, { operation: "GetInstanceCommunicationLimits" });
        await assert.rejects(api({}).get(A), /ThrottlingException/);
        const stats = budgetFor("us-west-2|profile:default", RATE, BURST).stats();
        assert.equal(stats.throttled, 1);
        assert.ok(stats.rate < RATE, `rate ${stats.rate}`);
    });
});

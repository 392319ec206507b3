/**
 * Provider configuration the way Pulumi users already write it, through the real host: stack config
 * (`aws:region`, `aws:assumeRole`) reaches `configure`, and precedence is resource argument > stack config >
 * environment. Cross-account: the Connect calls are signed with the credentials STS issued for the role.
 */
import assert from "node:assert/strict";
import * as path from "node:path";

import { startEmulator, TEST_CREDENTIALS } from "connect-campaigns-emulator";
import type { EmulatorHandle, RecordedRequest } from "connect-campaigns-emulator";
import { Stack } from "../../tools/harness";
import { stackEnv } from "../support/env";

const PROGRAM = path.join(__dirname, "..", "fixtures", "settings");
const INSTANCE = "0f5a1b2c-3d4e-5f60-7182-93a4b5c6d7e8";
const HOME_ACCOUNT = "111111111111";
const PARTNER_ACCOUNT = "222222222222";
const HOME_ROLE = `arn:aws:iam::${HOME_ACCOUNT}:role/connect-limits`;
const PARTNER_ROLE = `arn:aws:iam::${PARTNER_ACCOUNT}:role/connect-limits`;
/** An instance lives in one account and region: the same id is onboarded wherever a test reaches for it. */
const EVERYWHERE = [HOME_ACCOUNT, PARTNER_ACCOUNT].flatMap((account) =>
    ["us-west-2", "us-east-1", "eu-west-2", "ap-southeast-2"].map((region) => ({
        id: INSTANCE,
        account,
        region,
    })),
);

/** The Connect calls: not STS's AssumeRole, nor the GetCallerIdentity with which create records the account. */
function connectCalls(requests: readonly RecordedRequest[]): RecordedRequest[] {
    return requests.filter((r) => r.instanceId !== undefined);
}

function env(emulator: EmulatorHandle, overrides: Record<string, string> = {}): Record<string, string> {
    return { ...stackEnv(emulator.url), ...overrides };
}

describe("provider configuration through the host", () => {
    let emulator: EmulatorHandle;

    beforeEach(async () => {
        emulator = await startEmulator({
            instances: EVERYWHERE,
            // The base key may only assume roles: a Connect call signed with it would be denied.
            credentials: [{ ...TEST_CREDENTIALS, allowedActions: ["sts:AssumeRole"] }],
            roles: [{ roleArn: HOME_ROLE, externalId: "ops-2026" }, { roleArn: PARTNER_ROLE }],
        });
    });
    afterEach(() => emulator.close());

    describe("region: resource argument, then stack config aws:region, then AWS_REGION", () => {
        const cases = [
            { title: "AWS_REGION alone", config: {}, expected: "us-east-1" },
            {
                title: "aws:region over AWS_REGION",
                config: { "aws:region": "eu-west-2" },
                expected: "eu-west-2",
            },
            {
                title: "the resource's region over both",
                config: { "aws:region": "eu-west-2", "settings-fixture:region": "ap-southeast-2" },
                expected: "ap-southeast-2",
            },
        ];
        for (const c of cases) {
            it(`signs every call for the region given by ${c.title}`, async () => {
                const stack = new Stack({
                    programDir: PROGRAM,
                    config: {
                        "settings-fixture:connectInstanceId": INSTANCE,
                        "settings-fixture:assumeRoleArn": PARTNER_ROLE,
                        ...c.config,
                    },
                    env: env(emulator, { AWS_REGION: "us-east-1" }),
                });
                const up = await stack.up();
                assert.ok(up.ok, up.errors.join("\n"));
                assert.equal(up.outputs.usedRegion, c.expected);
                const regions = new Set(connectCalls(emulator.requests()).map((r) => r.region));
                assert.deepEqual([...regions], [c.expected]);
                assert.equal(connectCalls(emulator.requests()).length, 3);
            });
        }
    });

    it("plans a replacement when the stack's region changes under an existing resource", async () => {
        const stack = new Stack({
            programDir: PROGRAM,
            config: {
                "settings-fixture:connectInstanceId": INSTANCE,
                "settings-fixture:assumeRoleArn": PARTNER_ROLE,
                "aws:region": "us-west-2",
            },
            env: env(emulator),
        });
        assert.ok((await stack.up()).ok);
        stack.setConfig("aws:region", "eu-west-2");
        const preview = await stack.preview();
        const step = preview.steps.find((s) => s.name === "limits");
        assert.equal(step?.op, "replace");
        assert.deepEqual(step?.replaceKeys, ["region"]);
    });

    it("assumes the stack's aws:assumeRole with its session name and external id, and signs the Connect calls with the role's credentials", async () => {
        const stack = new Stack({
            programDir: PROGRAM,
            config: {
                "settings-fixture:connectInstanceId": INSTANCE,
                "aws:region": "us-west-2",
                "aws:assumeRole": JSON.stringify({
                    roleArn: HOME_ROLE,
                    sessionName: "ci-limits",
                    externalId: "ops-2026",
                }),
            },
            env: env(emulator),
        });
        const up = await stack.up();
        assert.ok(up.ok, up.errors.join("\n"));
        assert.equal(up.outputs.usedRole, HOME_ROLE);
        const assumed = emulator.requests().filter((r) => r.operation === "AssumeRole");
        assert.ok(assumed.length >= 1);
        assert.deepEqual(
            assumed.map((r) => {
                const body = r.body as Record<string, string>;
                return [body.RoleArn, body.RoleSessionName, body.ExternalId, r.accessKeyId];
            })[0],
            [HOME_ROLE, "ci-limits", "ops-2026", TEST_CREDENTIALS.accessKeyId],
        );
        const connect = connectCalls(emulator.requests());
        assert.equal(connect.length, 3);
        for (const r of connect) {
            assert.equal(r.status, 200);
            assert.match(r.accessKeyId ?? "", /^ASIA/);
            assert.notEqual(r.accessKeyId, TEST_CREDENTIALS.accessKeyId);
        }
    });

    it("lets a resource's own assumeRoleArn override the stack's role", async () => {
        const stack = new Stack({
            programDir: PROGRAM,
            config: {
                "settings-fixture:connectInstanceId": INSTANCE,
                "settings-fixture:assumeRoleArn": PARTNER_ROLE,
                "aws:region": "us-west-2",
                "aws:assumeRole": JSON.stringify({ roleArn: HOME_ROLE, externalId: "ops-2026" }),
            },
            env: env(emulator),
        });
        const up = await stack.up();
        assert.ok(up.ok, up.errors.join("\n"));
        assert.equal(up.outputs.usedRole, PARTNER_ROLE);
        const assumed = emulator
            .requests()
            .filter((r) => r.operation === "AssumeRole")
            .map((r) => r.body as Record<string, string>);
        assert.deepEqual([...new Set(assumed.map((b) => b.RoleArn))], [PARTNER_ROLE]);
        // The stack's external id belongs to the stack's role; it is not sent for another one.
        assert.ok(
            assumed.every(
                (b) => b.ExternalId === undefined && b.RoleSessionName === "pulumi-connect-campaign-limits",
            ),
        );
    });

    it("assumes a resource's own assumeRole with its sessionName and external id, and the default session name when it gives none", async () => {
        const sessions: unknown[][] = [];
        for (const [name, sessionName] of [
            ["own-session", "limits-partner-ci"],
            ["default-session", undefined],
        ] as const) {
            emulator.clearRequests();
            const stack = new Stack({
                programDir: PROGRAM,
                config: {
                    "settings-fixture:connectInstanceId": INSTANCE,
                    "settings-fixture:assumeRole": JSON.stringify({
                        roleArn: HOME_ROLE,
                        externalId: "ops-2026",
                        ...(sessionName === undefined ? {} : { sessionName }),
                    }),
                    "aws:region": "us-west-2",
                    // The stack's own role and session name belong to that role alone.
                    "aws:assumeRole": JSON.stringify({ roleArn: PARTNER_ROLE, sessionName: "stack-session" }),
                },
                env: env(emulator),
            });
            const up = await stack.up();
            assert.ok(up.ok, `${name}: ${up.errors.join("\n")}`);
            assert.equal(up.outputs.usedRole, HOME_ROLE);
            const assumed = emulator.requests().filter((r) => r.operation === "AssumeRole");
            assert.ok(assumed.length >= 1, `${name}: no AssumeRole`);
            sessions.push(
                ...assumed.map((r) => {
                    const body = r.body as Record<string, string>;
                    return [name, r.status, body.RoleArn, body.ExternalId, body.RoleSessionName];
                }),
            );
            for (const r of connectCalls(emulator.requests())) {
                assert.equal(r.status, 200);
                assert.match(r.accessKeyId ?? "", /^ASIA/);
            }
            assert.ok((await stack.destroy()).ok);
        }
        assert.deepEqual(
            [...new Set(sessions.map((s) => JSON.stringify(s)))].map((s) => JSON.parse(s) as unknown),
            [
                ["own-session", 200, HOME_ROLE, "ops-2026", "limits-partner-ci"],
                ["default-session", 200, HOME_ROLE, "ops-2026", "pulumi-connect-campaign-limits"],
            ],
        );
    });

    it("reads with `get` and looks up with the stack's role too, not only when managing", async () => {
        const observed = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
        emulator.addInstance(observed, {
            account: HOME_ACCOUNT,
            limits: { allChannelSubtypes: { communicationLimitsList: [] } },
        });
        const stack = new Stack({
            programDir: path.resolve(__dirname, "..", "..", "examples", "adopt-existing"),
            config: {
                "connect-limits-adopt:connectInstanceId": INSTANCE,
                "connect-limits-adopt:observedInstanceId": observed,
                "aws:region": "us-west-2",
                "aws:assumeRole": JSON.stringify({ roleArn: HOME_ROLE, externalId: "ops-2026" }),
            },
            env: env(emulator),
        });
        const up = await stack.up();
        assert.ok(up.ok, up.errors.join("\n"));
        assert.equal(up.steps.find((s) => s.name === "observed")?.op, "read");
        const reads = connectCalls(emulator.requests()).filter((r) => r.instanceId === observed);
        assert.ok(reads.length >= 1);
        for (const r of connectCalls(emulator.requests())) {
            assert.equal(r.status, 200, `${r.method} ${r.instanceId ?? ""} ${r.errorType ?? ""}`);
            assert.match(r.accessKeyId ?? "", /^ASIA/);
        }
    });

    it("fails with an AssumeRole error naming the role when its trust conditions are not met", async () => {
        const stack = new Stack({
            programDir: PROGRAM,
            config: {
                "settings-fixture:connectInstanceId": INSTANCE,
                "aws:region": "us-west-2",
                "aws:assumeRole": JSON.stringify({ roleArn: HOME_ROLE, externalId: "wrong" }),
            },
            env: env(emulator),
        });
        const up = await stack.up();
        assert.equal(up.ok, false);
        const error = up.errors.join("\n");
        assert.match(
            error,
            /AssumeRole for Amazon Connect instance 0f5a1b2c-3d4e-5f60-7182-93a4b5c6d7e8 in us-west-2 failed: AccessDenied/,
        );
        assert.match(error, new RegExp(`check that role ${HOME_ROLE.replace(/[/]/g, "\\/")} exists`));
        assert.equal(connectCalls(emulator.requests()).length, 0);
    });

    it("fails every operation with a clear message when the stack config itself is malformed", async () => {
        const stack = new Stack({
            programDir: PROGRAM,
            config: { "settings-fixture:connectInstanceId": INSTANCE, "aws:assumeRole": "not json" },
            env: env(emulator),
        });
        const preview = await stack.preview();
        assert.equal(preview.ok, false);
        assert.match(
            preview.errors.join("\n"),
            /The provider configuration is invalid: aws:assumeRole must be an object with roleArn \(and optionally sessionName, externalId\); got text that is not a JSON object\./,
        );
        assert.equal(emulator.requests().length, 0);
    });
});

/**
 * Security, through Pulumi's dynamic-provider host:
 * - no credential from the environment of the program and the host reaches the state (`__provider`, inputs,
 *   outputs) or anything the run prints;
 * - the emulator checks SigV4 signatures with its own secret: a wrong secret is a 403 that our error calls
 *   rejected credentials;
 * - a key allowed exactly `connect-campaigns:GetInstanceCommunicationLimits` and
 *   `connect-campaigns:PutInstanceCommunicationLimits` (on `"Resource": "*"`: the Service Authorization Reference
 *   lists no resource type for either action, so IAM cannot scope them to an instance) is enough for the whole
 *   lifecycle, and a step whose action is missing fails with the IAM action to allow;
 * - what IAM can narrow, the region through `aws:RequestedRegion`, holds: a key limited to one region is refused
 *   in another before anything is read or written.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

import { startEmulator, TEST_CREDENTIALS } from "connect-campaigns-emulator";
import type { EmulatorHandle } from "connect-campaigns-emulator";
import { Stack } from "../../tools/harness";
import type { RunResult } from "../../tools/harness";
import { emulatorEnv, setEnv } from "../support/env";
import {
    GET_ACTION,
    GET_ONLY,
    LIMITS_PROGRAM,
    NO_LIMITS,
    PUT_ACTION,
    PUT_ONLY,
    REGION,
    assertRunOk,
    leaks,
    limits,
    stepError,
    tempDir,
} from "../support/reliability";

const INSTANCES = {
    reset: "1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9",
    restore: "2c3d4e5f-6071-4829-93a4-b5c6d7e8f90a",
    retain: "3d4e5f60-7182-4930-a4b5-c6d7e8f90a1b",
} as const;
const INITIAL = limits([9, 30]);

/** Keys as a user's environment holds them: long-term keys with a session token, and a profile. */
const ENV_KEY = {
    accessKeyId: "AKIASECURITYENVKEY01",
    secretAccessKey: "securityEnvSecret/abcdefghijklmnopqrstuvwxyz01",
    sessionToken: "IQoJb3JpZ2luX2VjSecurityEnvSessionToken0001",
};
const PROFILE_KEY = {
    accessKeyId: "AKIASECURITYPROFILE1",
    secretAccessKey: "securityProfileSecret/abcdefghijklmnopqrstuv02",
    sessionToken: "IQoJb3JpZ2luX2VjSecurityProfileSessionToken02",
};
const PROFILE = "reliability-security-profile";

const LEAST_PRIVILEGE = {
    accessKeyId: "AKIALEASTPRIVILEGE01",
    secretAccessKey: "leastPrivilege/0000000000000000000000000000",
};
/** Both actions, on "*", with the condition `aws:RequestedRegion` = the instances' region. */
const ONE_REGION = {
    accessKeyId: "AKIALEASTPRIVONEREGN",
    secretAccessKey: "oneRegion/000000000000000000000000000000",
};
const OTHER_REGION = "eu-west-2";

type Policy = keyof typeof INSTANCES;
const POLICIES = Object.keys(INSTANCES) as Policy[];

function resources(pair: [number, number]): string {
    return JSON.stringify(
        POLICIES.map((policy) => ({
            name: policy,
            connectInstanceId: INSTANCES[policy],
            limits: [pair],
            deletionPolicy: policy,
        })),
    );
}

/**
 * What every AccessDenied for a missing action says: IAM's implicit deny for an action without a resource type,
 * and the provider's next step naming the action to allow.
 */
function denied(action: string): string[] {
    return [
        `is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`,
        `Next step: allow ${action} for the identity Pulumi runs as, with "Resource": "*"`,
    ];
}

function assertDenied(message: string, action: string): void {
    for (const part of denied(action)) {
        assert.ok(message.includes(part), `${JSON.stringify(part)} not in: ${message}`);
    }
}

describe("security", function () {
    this.timeout(300_000);
    let emulator: EmulatorHandle;
    let restoreEnv: () => void;

    before(async () => {
        emulator = await startEmulator({
            instances: Object.values(INSTANCES),
            credentials: [
                TEST_CREDENTIALS,
                ENV_KEY,
                PROFILE_KEY,
                { ...LEAST_PRIVILEGE, allowedActions: [GET_ACTION, PUT_ACTION] },
                { ...ONE_REGION, allowedActions: [GET_ACTION, PUT_ACTION], allowedRegions: [REGION] },
                GET_ONLY,
                PUT_ONLY,
            ],
        });
        restoreEnv = setEnv(emulatorEnv(emulator.url));
    });
    after(async () => {
        restoreEnv();
        await emulator.close();
    });
    beforeEach(() => {
        for (const id of Object.values(INSTANCES)) {
            emulator.setLimits(id, INITIAL);
        }
        emulator.clearRequests();
    });

    function stack(name: string, env: Record<string, string>): Stack {
        return new Stack({
            programDir: LIMITS_PROGRAM,
            statePath: path.join(tempDir(name), "state.json"),
            config: { "reliability:resources": resources([3, 7]) },
            env,
        });
    }

    it("keeps access keys, session tokens and the profile set in the environment out of the state and the output", async () => {
        const dir = tempDir("profile");
        const credentialsFile = path.join(dir, "credentials");
        fs.writeFileSync(
            credentialsFile,
            `[${PROFILE}]\naws_access_key_id = ${PROFILE_KEY.accessKeyId}\n` +
                `aws_secret_access_key = ${PROFILE_KEY.secretAccessKey}\naws_session_token = ${PROFILE_KEY.sessionToken}\n`,
        );
        const secured = stack("secrets", {
            AWS_ACCESS_KEY_ID: ENV_KEY.accessKeyId,
            AWS_SECRET_ACCESS_KEY: ENV_KEY.secretAccessKey,
            AWS_SESSION_TOKEN: ENV_KEY.sessionToken,
            AWS_PROFILE: PROFILE,
            AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
        });
        const runs: RunResult[] = [await secured.up()];
        secured.setConfig("reliability:resources", resources([4, 7]));
        runs.push(await secured.up({ refresh: true }));
        runs.forEach(assertRunOk);
        // The profile was in use: every request was signed with its key (the SDK prefers AWS_PROFILE).
        assert.ok(emulator.requests().length > 0);
        assert.deepEqual(
            [...new Set(emulator.requests().map((r) => r.accessKeyId))],
            [PROFILE_KEY.accessKeyId],
        );

        const secrets = {
            "the environment's access key id": ENV_KEY.accessKeyId,
            "the environment's secret access key": ENV_KEY.secretAccessKey,
            "the environment's session token": ENV_KEY.sessionToken,
            "the profile's access key id": PROFILE_KEY.accessKeyId,
            "the profile's secret access key": PROFILE_KEY.secretAccessKey,
            "the profile's session token": PROFILE_KEY.sessionToken,
            "the profile name": PROFILE,
            "the credentials file": credentialsFile,
        };
        const managed = secured.state().resources.filter((r) => r.custom);
        assert.equal(managed.length, POLICIES.length);
        for (const resource of managed) {
            const provider = resource.inputs.__provider;
            assert.ok(typeof provider === "string" && provider.length > 0, `${resource.name}: no __provider`);
            assert.deepEqual(leaks(provider, secrets), [], `${resource.name}: __provider`);
            assert.deepEqual(leaks(JSON.stringify(resource.inputs), secrets), [], `${resource.name}: inputs`);
            assert.deepEqual(
                leaks(JSON.stringify(resource.outputs), secrets),
                [],
                `${resource.name}: outputs`,
            );
        }
        assert.deepEqual(leaks(fs.readFileSync(secured.statePath, "utf8"), secrets), [], "the state file");
        for (const run of runs) {
            const printed = `${run.programOutput}\n${run.hostStderr}\n${run.errors.join("\n")}`;
            assert.deepEqual(leaks(printed, secrets), [], "what the run printed");
        }
    });

    it("redacts the session token that AWS's signature mismatch quotes back, from every message the run prints", async () => {
        const wrong = "wrongSecretKey/securityTest000000000000001";
        const rejected = stack("quoted-token", {
            AWS_ACCESS_KEY_ID: ENV_KEY.accessKeyId,
            AWS_SECRET_ACCESS_KEY: wrong,
            AWS_SESSION_TOKEN: ENV_KEY.sessionToken,
        });
        const up = await rejected.up();
        assert.equal(up.ok, false);
        const message = stepError(up, "reset");
        // The service quoted the canonical request it computed, signed headers and all; the token is not in it.
        assert.match(message, /The Canonical String for this request should have been/);
        assert.match(message, /x-amz-security-token:\[redacted\]/);
        const printed = `${up.programOutput}\n${up.hostStderr}\n${up.errors.join("\n")}`;
        assert.deepEqual(
            leaks(printed, { "the session token": ENV_KEY.sessionToken, "the wrong secret": wrong }),
            [],
        );
        assert.deepEqual(
            leaks(fs.readFileSync(rejected.statePath, "utf8"), { token: ENV_KEY.sessionToken }),
            [],
        );
    });

    it("answers a wrong secret with 403, which the error reports as rejected credentials, not as not found", async () => {
        const wrong = "wrongSecretKey/securityTest000000000000000";
        const rejected = stack("wrong-secret", { AWS_SECRET_ACCESS_KEY: wrong });
        const up = await rejected.up();
        assert.equal(up.ok, false);
        assert.deepEqual(
            emulator.requests().map((r) => `${r.status} ${r.errorType ?? ""}`),
            // The account lookup (STS, once per host) is refused first, then each resource's read (Connect),
            // all three at the engine's default parallelism, each in its service's words.
            [
                "403 SignatureDoesNotMatch",
                "403 InvalidSignatureException",
                "403 InvalidSignatureException",
                "403 InvalidSignatureException",
            ],
        );
        const message = stepError(up, "reset");
        assert.match(
            message,
            /failed: InvalidSignatureException: The request signature we calculated does not match/,
        );
        assert.match(message, /Next step: the credentials were rejected\. /);
        assert.doesNotMatch(message, /not found|NotFound|does not exist/);
        assert.ok(!message.includes(wrong) && !message.includes(TEST_CREDENTIALS.secretAccessKey));
        assert.deepEqual(
            rejected.state().resources.filter((r) => r.custom),
            [],
        );
    });

    it("a key held to one region by aws:RequestedRegion manages the instances there and is refused in another before any read or write", async () => {
        // The same instances exist in the other region too, so only the condition can refuse the calls.
        for (const id of Object.values(INSTANCES)) {
            emulator.addInstance(id, { region: OTHER_REGION, limits: INITIAL });
        }
        try {
            const env = {
                AWS_ACCESS_KEY_ID: ONE_REGION.accessKeyId,
                AWS_SECRET_ACCESS_KEY: ONE_REGION.secretAccessKey,
            };
            const allowed = stack("one-region", env);
            assertRunOk(await allowed.up());
            for (const id of Object.values(INSTANCES)) {
                assert.deepEqual(emulator.limits(id, { region: REGION }), limits([3, 7]));
            }
            assertRunOk(await allowed.destroy());

            emulator.clearRequests();
            const elsewhere = stack("other-region", { ...env, AWS_REGION: OTHER_REGION });
            const refused = await elsewhere.up();
            assert.equal(refused.ok, false);
            // The engine stops at the first failed step; each that ran was refused its first read.
            const failed = refused.steps.filter((step) => step.error !== undefined);
            assert.ok(failed.length >= 1, refused.errors.join("\n"));
            for (const step of failed) {
                assertDenied(step.error ?? "", GET_ACTION);
            }
            assert.deepEqual(
                [
                    ...new Set(
                        emulator
                            .requests()
                            .filter((r) => r.instanceId !== undefined)
                            .map((r) => `${r.region ?? ""} ${r.status} ${r.errorType ?? ""}`),
                    ),
                ],
                [`${OTHER_REGION} 403 AccessDeniedException`],
            );
            for (const id of Object.values(INSTANCES)) {
                assert.deepEqual(emulator.limits(id, { region: OTHER_REGION }), INITIAL);
            }
        } finally {
            for (const id of Object.values(INSTANCES)) {
                emulator.removeInstance(id, { region: OTHER_REGION });
            }
        }
    });

    it("runs the whole lifecycle under each deletion policy with a key allowed exactly Get and Put, on every instance of the account", async () => {
        const least = stack("least-privilege", {
            AWS_ACCESS_KEY_ID: LEAST_PRIVILEGE.accessKeyId,
            AWS_SECRET_ACCESS_KEY: LEAST_PRIVILEGE.secretAccessKey,
        });
        assertRunOk(await least.up());
        assertRunOk(await least.refresh({ expectNoChanges: true }));
        least.setConfig("reliability:resources", resources([4, 7]));
        assertRunOk(await least.up());
        for (const id of Object.values(INSTANCES)) {
            assert.deepEqual(emulator.limits(id), limits([4, 7]));
        }
        assertRunOk(await least.destroy());
        assert.deepEqual(emulator.limits(INSTANCES.reset), NO_LIMITS);
        assert.deepEqual(emulator.limits(INSTANCES.restore), INITIAL);
        assert.deepEqual(emulator.limits(INSTANCES.retain), limits([4, 7]));
        assert.deepEqual(least.state().resources, []);
        // Every request was made with that key, and none was refused.
        assert.deepEqual(
            [...new Set(emulator.requests().map((r) => r.accessKeyId))],
            [LEAST_PRIVILEGE.accessKeyId],
        );
        assert.deepEqual(
            emulator.requests().filter((r) => r.status !== 200),
            [],
        );
    });

    it("fails each step whose action the key lacks with the IAM action to allow, and needs no other action", async () => {
        const story = stack("missing-actions", {
            AWS_ACCESS_KEY_ID: LEAST_PRIVILEGE.accessKeyId,
            AWS_SECRET_ACCESS_KEY: LEAST_PRIVILEGE.secretAccessKey,
        });
        const as = (key: { accessKeyId: string; secretAccessKey: string }) => {
            story.setEnv("AWS_ACCESS_KEY_ID", key.accessKeyId);
            story.setEnv("AWS_SECRET_ACCESS_KEY", key.secretAccessKey);
        };
        // At the engine's default parallelism every resource whose step needs the action runs, and fails.
        const failsWith = (
            run: RunResult,
            action: string,
            resources = ["reset", "restore", "retain"],
        ): void => {
            assert.equal(run.ok, false, `${run.kind} succeeded without ${action}`);
            const failed = run.steps.filter((s) => s.error !== undefined);
            assert.deepEqual(
                failed.map((s) => s.name).sort(),
                [...resources].sort(),
                JSON.stringify(failed.map((s) => s.error)),
            );
            for (const step of failed) {
                assertDenied(step.error ?? "", action);
            }
        };

        // Creating reads the limits it replaces, then writes: both actions.
        as(PUT_ONLY);
        failsWith(await story.up(), GET_ACTION);
        as(GET_ONLY);
        failsWith(await story.up(), PUT_ACTION);
        as(LEAST_PRIVILEGE);
        assertRunOk(await story.up());

        // Refresh reads only.
        as(PUT_ONLY);
        failsWith(await story.refresh(), GET_ACTION);
        as(GET_ONLY);
        assertRunOk(await story.refresh({ expectNoChanges: true }));

        // Updating reads first (to refuse what it cannot represent), writes, then reads back: both actions.
        story.setConfig("reliability:resources", resources([4, 7]));
        as(GET_ONLY);
        failsWith(await story.up(), PUT_ACTION);
        as(PUT_ONLY);
        failsWith(await story.up(), GET_ACTION);
        // The guard read was refused before any write: nothing changed on the instance.
        assert.equal(
            emulator
                .requests()
                .filter(
                    (r) => r.method === "PUT" && r.status === 200 && r.accessKeyId === PUT_ONLY.accessKeyId,
                ).length,
            0,
        );

        // Destroy writes only (reset and restore; retain makes no call).
        as(GET_ONLY);
        failsWith(await story.destroy(), PUT_ACTION, ["reset", "restore"]);
        as(PUT_ONLY);
        assertRunOk(await story.destroy());
        assert.deepEqual(story.state().resources, []);
    });
});

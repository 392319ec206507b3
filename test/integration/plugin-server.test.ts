/**
 * The provider plugin over gRPC, as the engine calls it, against the emulator: configuration from the
 * engine's arguments, secrets opened and sealed, unknowns let through, the detailed diff, import's Read
 * with an id alone, partial failures the engine can keep, and delete.
 */
import assert from "node:assert/strict";

import type * as grpc from "@grpc/grpc-js";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";

import { startEmulator } from "connect-campaigns-emulator";
import type { EmulatorHandle } from "connect-campaigns-emulator";
import { emulatorEnv, setEnv } from "../support/env";
import { SECRET_SIG, SIG_KEY } from "../../plugin/src/properties";
import { PluginClient, initFailure, js, struct } from "../support/plugin-client";
import type { Props } from "../support/plugin-client";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const ROLE = "arn:aws:iam::123456789012:role/connect-limits";
const EXTERNAL_ID = "partner-external-id-7f3a";

function secret(value: unknown): Props {
    return { [SIG_KEY]: SECRET_SIG, value };
}

function list(...limits: [number, number][]) {
    return {
        allChannelSubtypes: {
            communicationLimitsList: limits.map(([maxCountPerRecipient, frequency]) => ({
                maxCountPerRecipient,
                frequency,
                unit: "DAY",
            })),
        },
    };
}

function kinds(response: provproto.DiffResponse): Record<string, number> {
    const out: Record<string, number> = {};
    response.getDetaileddiffMap().forEach((diff, path) => (out[path] = diff.getKind()));
    return out;
}

function message(error: unknown): string {
    return (error as grpc.ServiceError).details ?? String(error);
}

describe("the provider plugin over gRPC", function () {
    this.timeout(30_000);
    let emulator: EmulatorHandle;
    let restore: () => void;
    let env: Record<string, string | undefined>;
    let plugin: PluginClient;

    before(async () => {
        emulator = await startEmulator({ roles: [{ roleArn: ROLE, externalId: EXTERNAL_ID }] });
        env = emulatorEnv(emulator.url);
        // The AWS SDK reads the process's environment; the plugin's settings read the one it is given.
        restore = setEnv(env);
    });
    after(async () => {
        restore();
        await emulator.close();
    });
    beforeEach(async () => {
        plugin = await PluginClient.start(env);
    });
    afterEach(() => plugin.stop());

    it("accepts secrets, and fills a resource's region from the provider's configuration over AWS_REGION", async () => {
        const configured = await plugin.configure({ region: secret("us-east-1") });
        assert.equal(configured.getAcceptsecrets(), true);
        assert.equal(configured.getSupportspreview(), false);
        const checked = await plugin.check({
            connectInstanceId: "i-1",
            communicationLimitsConfig: list([3, 7]),
        });
        assert.deepEqual(checked.getFailuresList(), []);
        assert.equal(js(checked.getInputs())?.region, "us-east-1");
        const own = await plugin.check({
            connectInstanceId: "i-1",
            communicationLimitsConfig: {},
            region: "eu-west-2",
        });
        assert.equal(js(own.getInputs())?.region, "eu-west-2", "the resource's own region wins");
    });

    it("reads configuration a language SDK sent as JSON text, and the older variables map", async () => {
        await plugin.configureRequest(
            new provproto.ConfigureRequest().setArgs(
                struct({
                    maxAttempts: "3",
                    assumeRole: JSON.stringify({ roleArn: ROLE, externalId: EXTERNAL_ID }),
                }),
            ),
        );
        const checked = await plugin.check({ connectInstanceId: "i-1", communicationLimitsConfig: {} });
        assert.equal(js(checked.getInputs())?.assumeRoleArn, ROLE);
        const legacy = await PluginClient.start(env);
        try {
            const request = new provproto.ConfigureRequest();
            request.getVariablesMap().set("connect-campaign-limits:config:region", "ap-southeast-2");
            await legacy.configureRequest(request);
            const inputs = js(
                (await legacy.check({ connectInstanceId: "i-1", communicationLimitsConfig: {} })).getInputs(),
            );
            assert.equal(inputs?.region, "ap-southeast-2");
        } finally {
            legacy.stop();
        }
    });

    it("fails Configure on an invalid setting, naming the key and never the value", async () => {
        await assert.rejects(
            plugin.configure({
                maxAttempts: "ten attempts",
                assumeRole: { externalId: secret(EXTERNAL_ID) },
            }),
            (e) => {
                const text = message(e);
                assert.match(
                    text,
                    /connect-campaign-limits:maxAttempts must be a whole number of at least 1/,
                );
                assert.match(text, /connect-campaign-limits:assumeRole has no roleArn/);
                assert.ok(!text.includes(EXTERNAL_ID) && !text.includes("ten attempts"), text);
                return true;
            },
        );
    });

    it("names an unknown configuration key in CheckConfig", async () => {
        const response = await plugin.checkConfig({ regoin: "us-west-2", version: "0.1.0" });
        assert.deepEqual(
            response.getFailuresList().map((f) => f.getProperty()),
            ["regoin"],
        );
    });

    it("opens a secret external id for check and seals it in the inputs it returns", async () => {
        await plugin.configure({});
        const checked = await plugin.check({
            connectInstanceId: "i-1",
            communicationLimitsConfig: list([3, 7]),
            assumeRole: { roleArn: ROLE, externalId: secret(EXTERNAL_ID) },
        });
        assert.deepEqual(checked.getFailuresList(), []);
        const inputs = js(checked.getInputs());
        assert.deepEqual(
            inputs?.assumeRole,
            secret({ roleArn: ROLE, externalId: EXTERNAL_ID }),
            "a property that held a secret stays secret",
        );
    });

    it("lets unknown values of a preview through check", async () => {
        await plugin.configure({});
        const checked = await plugin.check({
            connectInstanceId: UNKNOWN,
            communicationLimitsConfig: {
                allChannelSubtypes: {
                    communicationLimitsList: [{ maxCountPerRecipient: UNKNOWN, frequency: 7, unit: "DAY" }],
                },
            },
        });
        assert.deepEqual(checked.getFailuresList(), []);
    });

    it("reports the core's validation failures with their property paths", async () => {
        await plugin.configure({});
        const checked = await plugin.check({
            connectInstanceId: "i-1",
            communicationLimitsConfig: list([0, 31]),
        });
        assert.deepEqual(
            checked.getFailuresList().map((f) => [f.getProperty(), f.getReason()]),
            [
                [
                    "communicationLimitsConfig.allChannelSubtypes.communicationLimitsList[0].maxCountPerRecipient",
                    "maxCountPerRecipient must be a whole number from 1 to 2147483647; got 0.",
                ],
                [
                    "communicationLimitsConfig.allChannelSubtypes.communicationLimitsList[0].frequency",
                    "frequency (a number of days) must be a whole number from 1 to 30; got 31.",
                ],
            ],
        );
    });

    it("returns a detailed diff naming the changed limit field, and replaces on a new region", async () => {
        await plugin.configure({});
        const olds = {
            connectInstanceId: "i-1",
            region: "us-west-2",
            communicationLimitsConfig: list([3, 7]),
            deletionPolicy: "reset",
        };
        const drift = await plugin.diff("i-1", olds, { ...olds, communicationLimitsConfig: list([5, 7]) });
        assert.equal(drift.getChanges(), provproto.DiffResponse.DiffChanges.DIFF_SOME);
        assert.deepEqual(drift.getDiffsList(), ["communicationLimitsConfig"]);
        assert.deepEqual(drift.getReplacesList(), []);
        assert.deepEqual(kinds(drift), {
            "communicationLimitsConfig.allChannelSubtypes.communicationLimitsList[0].maxCountPerRecipient":
                provproto.PropertyDiff.Kind.UPDATE,
        });
        const moved = await plugin.diff("i-1", olds, { ...olds, region: "us-east-1" });
        assert.deepEqual(moved.getReplacesList(), ["region"]);
        assert.equal(kinds(moved).region, provproto.PropertyDiff.Kind.UPDATE_REPLACE);
        const same = await plugin.diff("i-1", olds, { ...olds, communicationLimitsConfig: list([3, 7]) });
        assert.equal(same.getChanges(), provproto.DiffResponse.DiffChanges.DIFF_NONE);
    });

    it("deletes before replacing with deletionPolicy restore, as the dynamic resource's class does", async () => {
        await plugin.configure({});
        const olds = {
            connectInstanceId: "i-1",
            region: "us-west-2",
            communicationLimitsConfig: list([3, 7]),
            deletionPolicy: "restore",
        };
        const response = await plugin.diff("i-1", olds, { ...olds, connectInstanceId: "i-2" });
        assert.equal(response.getDeletebeforereplace(), true);
    });

    it("creates, then reads an instance by id alone (import) without writing, and previousConfig is what it found", async () => {
        emulator.addInstance("imp-1", { limits: list([6, 14]) });
        await plugin.configure({});
        emulator.clearRequests();
        const read = await plugin.read("imp-1");
        assert.equal(read.getId(), "imp-1");
        const props = js(read.getProperties());
        assert.deepEqual(props?.communicationLimitsConfig, list([6, 14]));
        assert.deepEqual(props?.previousConfig, list([6, 14]));
        assert.deepEqual(js(read.getInputs()), {
            connectInstanceId: "imp-1",
            communicationLimitsConfig: list([6, 14]),
            deletionPolicy: "reset",
            region: "us-west-2",
        });
        assert.equal(emulator.count("PutInstanceCommunicationLimits"), 0);
    });

    it("imports <region>/<instanceId> from that region, recording the bare instance id", async () => {
        emulator.addInstance("imp-2", { limits: list([2, 3]), region: "eu-central-1" });
        await plugin.configure({});
        const read = await plugin.read("eu-central-1/imp-2");
        assert.equal(read.getId(), "imp-2");
        assert.equal(js(read.getProperties())?.region, "eu-central-1");
        assert.deepEqual(
            emulator
                .requests()
                .filter((r) => r.instanceId === "imp-2")
                .map((r) => r.region),
            ["eu-central-1"],
        );
    });

    it("refuses an import id of neither form before any call", async () => {
        await plugin.configure({});
        emulator.clearRequests();
        await assert.rejects(plugin.read("arn:aws:connect:us-west-2:123456789012:instance/imp-1"), (e) => {
            assert.match(message(e), /is not "<instanceId>" or "<region>\/<instanceId>"/);
            return true;
        });
        assert.equal(emulator.requests().length, 0);
    });

    it("fails an import of an instance that does not exist, saying what to check", async () => {
        await plugin.configure({});
        await assert.rejects(plugin.read("never-onboarded"), (e) => {
            assert.match(message(e), /ResourceNotFoundException/);
            assert.match(message(e), /Next step/);
            return true;
        });
    });

    it("creates with the resource's own role and returns its external id sealed", async () => {
        emulator.addInstance("role-1");
        await plugin.configure({});
        const inputs = js(
            (
                await plugin.check({
                    connectInstanceId: "role-1",
                    communicationLimitsConfig: list([3, 7]),
                    assumeRole: { roleArn: ROLE, externalId: secret(EXTERNAL_ID) },
                })
            ).getInputs(),
        );
        assert.ok(inputs);
        const created = await plugin.create(inputs);
        assert.equal(created.getId(), "role-1");
        const outs = js(created.getProperties());
        assert.deepEqual(outs?.assumeRole, secret({ roleArn: ROLE, externalId: EXTERNAL_ID }));
        assert.deepEqual(outs?.assumeRoleArn, secret(ROLE), "the role's ARN output came from a secret input");
        assert.deepEqual(emulator.limits("role-1"), list([3, 7]));
    });

    it("assumes the resource's own role with its sessionName as RoleSessionName, and the default name when it gives none", async () => {
        await plugin.configure({});
        const sessions: Record<string, unknown[]> = {};
        for (const [id, sessionName] of [
            ["session-1", "limits-partner-ci"],
            ["session-2", undefined],
        ] as const) {
            emulator.addInstance(id);
            emulator.clearRequests();
            const role = {
                roleArn: ROLE,
                externalId: secret(EXTERNAL_ID),
                ...(sessionName ? { sessionName } : {}),
            };
            const inputs = js(
                (
                    await plugin.check({
                        connectInstanceId: id,
                        communicationLimitsConfig: list([3, 7]),
                        assumeRole: role,
                    })
                ).getInputs(),
            );
            assert.ok(inputs);
            await plugin.create(inputs);
            assert.deepEqual(emulator.limits(id), list([3, 7]));
            sessions[id] = emulator
                .requests()
                .filter((r) => r.operation === "AssumeRole")
                .map((r) => {
                    const body = r.body as Record<string, string>;
                    return [r.status, body.RoleArn, body.ExternalId, body.RoleSessionName];
                });
        }
        assert.deepEqual(sessions, {
            "session-1": [[200, ROLE, EXTERNAL_ID, "limits-partner-ci"]],
            "session-2": [[200, ROLE, EXTERNAL_ID, "pulumi-connect-campaign-limits"]],
        });
    });

    it("reports a create whose read-back failed as a partial failure the engine can keep", async () => {
        emulator.addInstance("partial-1");
        await plugin.configure({ maxAttempts: 1 });
        let armed = true;
        const faulty = await startEmulator({
            instances: ["partial-1"],
            onRequest: (r) => {
                if (armed && r.operation === "PutInstanceCommunicationLimits" && r.status === 200) {
                    armed = false;
                    faulty.injectFaults("internal", 5, { operation: "GetInstanceCommunicationLimits" });
                }
            },
        });
        const undo = setEnv({ AWS_ENDPOINT_URL_CONNECTCAMPAIGNSV2: faulty.url });
        try {
            await assert.rejects(
                plugin.create({
                    connectInstanceId: "partial-1",
                    communicationLimitsConfig: list([3, 7]),
                    deletionPolicy: "reset",
                }),
                (e) => {
                    const detail = initFailure(e);
                    assert.ok(detail, "the error carries ErrorResourceInitFailed");
                    assert.equal(detail.getId(), "partial-1");
                    const props = detail.getProperties()?.toJavaScript() as Props;
                    assert.deepEqual(props.previousConfig, list());
                    assert.ok(!("__provider" in props));
                    assert.match(
                        detail.getReasonsList()[0] ?? "",
                        /the next `pulumi up` writes and reads them back again/,
                    );
                    return true;
                },
            );
        } finally {
            undo();
            await faulty.close();
        }
    });

    it("updates with the core's semantics: a change of deletionPolicy alone writes nothing", async () => {
        emulator.addInstance("upd-1", { limits: list([9, 30]) });
        await plugin.configure({});
        const desired = {
            connectInstanceId: "upd-1",
            communicationLimitsConfig: list([3, 7]),
            deletionPolicy: "reset",
        };
        const created = js((await plugin.create(desired)).getProperties());
        assert.ok(created);
        emulator.clearRequests();
        const updated = js(
            (await plugin.update("upd-1", created, { ...desired, deletionPolicy: "retain" })).getProperties(),
        );
        assert.equal(emulator.requests().length, 0);
        assert.equal(updated?.deletionPolicy, "retain");
        assert.deepEqual(updated?.previousConfig, list([9, 30]));
    });

    it("deletes with the core's semantics: restore writes previousConfig back, retain writes nothing", async () => {
        // Resources this process never wrote (the ledger leaves an instance written earlier in it alone).
        for (const id of ["del-restore", "del-retain"]) {
            emulator.addInstance(id, { limits: list([3, 7]) });
        }
        await plugin.configure({});
        const state = (id: string, deletionPolicy: string) => ({
            connectInstanceId: id,
            region: "us-west-2",
            communicationLimitsConfig: list([3, 7]),
            deletionPolicy,
            previousConfig: list([9, 30]),
            previousConfigMatchedDesired: false,
        });
        await plugin.delete("del-restore", state("del-restore", "restore"));
        assert.deepEqual(emulator.limits("del-restore"), list([9, 30]));
        emulator.clearRequests();
        await plugin.delete("del-retain", state("del-retain", "retain"));
        assert.equal(emulator.requests().length, 0);
    });
});

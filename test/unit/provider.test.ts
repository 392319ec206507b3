/**
 * `InstanceCommunicationLimitsProvider` called directly, as the host would, against the emulator through the
 * real AWS SDK: every row of the lifecycle table, with the exact calls each method makes (from the
 * emulator's log) and the exact payloads written; configure, the stub it carries, and `createProvider`.
 */
import assert from "node:assert/strict";

import type * as pulumi from "@pulumi/pulumi";

import { resetBudgets } from "../../provider/budget";
import { PartialFailureError, ProviderConfigurationError, StateError } from "../../provider/errors";
import { resetLedger } from "../../provider/ledger";
import {
    InstanceCommunicationLimitsProvider,
    createProvider,
    provider as shared,
} from "../../provider/provider";
import { startEmulator } from "connect-campaigns-emulator";
import type { EmulatorHandle, RecordedRequest } from "connect-campaigns-emulator";
import { emulatorEnv, setEnv } from "../support/env";
import { PROVIDER_TEXT, checked } from "../support/provider";
import { settingsFromEnv } from "../support/reliability";

const A = "0f5a1b2c-3d4e-5f60-7182-93a4b5c6d7e8";
const B = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";

const LIMITS = [
    { maxCountPerRecipient: 3, frequency: 7, unit: "DAY" },
    { maxCountPerRecipient: 1, frequency: 1, unit: "DAY" },
];
/** The same limits in canonical order. */
const CANONICAL = {
    allChannelSubtypes: {
        communicationLimitsList: [
            { maxCountPerRecipient: 1, frequency: 1, unit: "DAY" },
            { maxCountPerRecipient: 3, frequency: 7, unit: "DAY" },
        ],
    },
};
const EMPTY = { allChannelSubtypes: { communicationLimitsList: [] } };

/** Connect calls as "METHOD instance", STS calls by their action. */
function calls(requests: readonly RecordedRequest[]): string[] {
    return requests.map((r) =>
        r.instanceId === undefined ? `STS ${r.operation}` : `${r.method} ${r.instanceId}`,
    );
}

/** What the host hands `configure`: the stack config, read by full key ("aws:region"). */
function stackConfig(values: Record<string, string>): pulumi.dynamic.ConfigureRequest {
    return {
        config: {
            get: (key) => values[key],
            require: (key) => values[key] ?? assert.fail(`${key} is not set`),
        },
    };
}

/** True if `undefined` appears anywhere: the host cannot encode it. */
function hasUndefined(value: unknown): boolean {
    if (value === undefined) {
        return true;
    }
    if (Array.isArray(value)) {
        return value.some(hasUndefined);
    }
    if (typeof value === "object" && value !== null) {
        return Object.values(value).some(hasUndefined);
    }
    return false;
}

describe("InstanceCommunicationLimitsProvider against the emulator (provider)", () => {
    let emulator: EmulatorHandle;
    let restoreEnv: () => void;
    let provider: InstanceCommunicationLimitsProvider;

    before(async () => {
        emulator = await startEmulator({ instances: [A, B] });
        restoreEnv = setEnv(emulatorEnv(emulator.url));
    });
    after(async () => {
        restoreEnv();
        await emulator.close();
    });
    beforeEach(() => {
        emulator.addInstance(A, {
            limits: {
                allChannelSubtypes: {
                    communicationLimitsList: [{ maxCountPerRecipient: 9, frequency: 30, unit: "DAY" }],
                },
            },
        });
        emulator.addInstance(B, { limits: EMPTY });
        emulator.setStaleReads(0);
        emulator.clearRequests();
        // Each test is a deployment of its own: a new host process, with nothing yet written or budgeted.
        resetLedger();
        resetBudgets();
        provider = new InstanceCommunicationLimitsProvider(settingsFromEnv());
    });

    describe("check and diff", () => {
        it("check makes no call and returns canonical inputs", async () => {
            const inputs = await checked(provider, {
                connectInstanceId: A,
                communicationLimitsConfig: { allChannelSubtypes: { communicationLimitsList: LIMITS } },
            });
            assert.deepEqual(inputs.communicationLimitsConfig, CANONICAL);
            assert.equal(inputs.region, "us-west-2");
            assert.equal(emulator.requests().length, 0);
        });

        it("check reports invalid limits without any call", async () => {
            const result = await provider.check(
                {},
                {
                    connectInstanceId: A,
                    communicationLimitsConfig: {
                        allChannelSubtypes: {
                            communicationLimitsList: [{ maxCountPerRecipient: 0, frequency: 7, unit: "DAY" }],
                        },
                    },
                },
            );
            assert.deepEqual(
                result.failures?.map((f) => f.property),
                [
                    "communicationLimitsConfig.allChannelSubtypes.communicationLimitsList[0].maxCountPerRecipient",
                ],
            );
            assert.equal(emulator.requests().length, 0);
        });

        it("diff makes no call", async () => {
            const inputs = await checked(provider, { connectInstanceId: A, communicationLimitsConfig: {} });
            const result = await provider.diff(A, { ...inputs, region: "us-west-2" }, inputs);
            assert.equal(result.changes, false);
            assert.equal(emulator.requests().length, 0);
        });
    });

    describe("create", () => {
        it("records the account, reads the existing limits, writes the desired ones, reads them back: identity, get, put, get", async () => {
            const inputs = await checked(provider, {
                connectInstanceId: A,
                communicationLimitsConfig: { allChannelSubtypes: { communicationLimitsList: LIMITS } },
            });
            const result = await provider.create(inputs);
            assert.deepEqual(calls(emulator.requests()), [
                "STS GetCallerIdentity",
                `GET ${A}`,
                `PUT ${A}`,
                `GET ${A}`,
            ]);
            assert.deepEqual(emulator.requests()[2]?.body, { communicationLimitsConfig: CANONICAL });
            assert.equal(result.id, A);
            assert.deepEqual(result.outs, {
                connectInstanceId: A,
                region: "us-west-2",
                accountId: "123456789012",
                communicationLimitsConfig: CANONICAL,
                deletionPolicy: "reset",
                previousConfig: {
                    allChannelSubtypes: {
                        communicationLimitsList: [{ maxCountPerRecipient: 9, frequency: 30, unit: "DAY" }],
                    },
                },
                previousConfigMatchedDesired: false,
            });
            assert.deepEqual(emulator.limits(A), CANONICAL);
        });

        it("writes nothing when the instance already has the desired limits, and says previousConfig matched them", async () => {
            emulator.setLimits(A, CANONICAL);
            const result = await provider.create(
                await checked(provider, {
                    connectInstanceId: A,
                    communicationLimitsConfig: { allChannelSubtypes: { communicationLimitsList: LIMITS } },
                }),
            );
            assert.deepEqual(calls(emulator.requests()), ["STS GetCallerIdentity", `GET ${A}`]);
            assert.equal(result.outs.previousConfigMatchedDesired, true);
            assert.deepEqual(result.outs.previousConfig, CANONICAL);
        });

        it("refuses, writing nothing, limits the service holds that it cannot represent (a newer API's union member)", async () => {
            const future = { allChannelSubtypes: { perChannelSubtype: { telephony: [] } } };
            emulator.setLimits(A, future);
            const inputs = await checked(provider, { connectInstanceId: A, communicationLimitsConfig: {} });
            const error: unknown = await provider.create(inputs).then(
                () => assert.fail("create succeeded"),
                (e: unknown) => e,
            );
            assert.ok(error instanceof StateError, String(error));
            assert.match(
                error.message,
                /returned limits this provider cannot represent: allChannelSubtypes holds a union member this provider does not know \(perChannelSubtype\)/,
            );
            assert.equal(emulator.count("PutInstanceCommunicationLimits"), 0);
            assert.deepEqual(emulator.limits(A), future, "what the service holds is still there");
        });

        it("returns outputs with no undefined anywhere, for every shape the service may return for no limits", async () => {
            for (const shape of ["absent", "empty-object", "empty-list"] as const) {
                const fresh = await startEmulator({ instances: [A], neverConfigured: shape });
                const restore = setEnv({ AWS_ENDPOINT_URL_CONNECTCAMPAIGNSV2: fresh.url });
                try {
                    const p = new InstanceCommunicationLimitsProvider(settingsFromEnv());
                    const result = await p.create(
                        await checked(p, { connectInstanceId: A, communicationLimitsConfig: {} }),
                    );
                    assert.equal(hasUndefined(result.outs), false, shape);
                    assert.deepEqual(result.outs.previousConfig, EMPTY, shape);
                    assert.deepEqual(result.outs.communicationLimitsConfig, EMPTY, shape);
                } finally {
                    restore();
                    await fresh.close();
                }
            }
        });

        it("fails with ResourceNotFound and writes nothing when the instance does not exist", async () => {
            const inputs = await checked(provider, {
                connectInstanceId: "missing-instance",
                communicationLimitsConfig: {},
            });
            await assert.rejects(provider.create(inputs), /ResourceNotFoundException/);
            assert.deepEqual(calls(emulator.requests()), ["STS GetCallerIdentity", "GET missing-instance"]);
        });

        it("reports a partial failure carrying the id, the outputs and __provider when the read-back fails after the write", async () => {
            const strict = new InstanceCommunicationLimitsProvider(settingsFromEnv({ maxAttempts: 1 }));
            const inputs = await checked(strict, {
                connectInstanceId: A,
                communicationLimitsConfig: { allChannelSubtypes: { communicationLimitsList: LIMITS } },
            });
            const target = await startEmulator({
                instances: [A],
                onRequest: (r) => {
                    if (r.method === "PUT") {
                        target.injectFaults("internal", 1, { operation: "GetInstanceCommunicationLimits" });
                    }
                },
            });
            const restoreTarget = setEnv({ AWS_ENDPOINT_URL_CONNECTCAMPAIGNSV2: target.url });
            try {
                const error: unknown = await strict.create(inputs).then(
                    () => assert.fail("create succeeded"),
                    (e: unknown) => e,
                );
                assert.ok(error instanceof PartialFailureError, String(error));
                assert.equal(error.id, A);
                assert.equal(error.properties.__provider, PROVIDER_TEXT);
                assert.deepEqual(error.properties.communicationLimitsConfig, CANONICAL);
                assert.equal(error.properties.deletionPolicy, "reset");
                assert.match(error.message, /GetInstanceCommunicationLimits .* InternalServerException/);
                assert.deepEqual(target.limits(A), CANONICAL);
            } finally {
                restoreTarget();
                await target.close();
            }
        });

        it("re-reads a read-back that is briefly stale, and succeeds once the service catches up", async () => {
            emulator.setStaleReads(2);
            const inputs = await checked(provider, {
                connectInstanceId: A,
                communicationLimitsConfig: { allChannelSubtypes: { communicationLimitsList: LIMITS } },
            });
            const result = await provider.create(inputs);
            assert.deepEqual(result.outs.communicationLimitsConfig, CANONICAL);
            assert.deepEqual(calls(emulator.requests()), [
                "STS GetCallerIdentity",
                `GET ${A}`,
                `PUT ${A}`,
                `GET ${A}`,
                `GET ${A}`,
                `GET ${A}`,
            ]);
        });

        it("fails, saying the read-back still differs, when the service never returns what was written", async () => {
            emulator.setStaleReads(10);
            const inputs = await checked(provider, {
                connectInstanceId: A,
                communicationLimitsConfig: { allChannelSubtypes: { communicationLimitsList: LIMITS } },
            });
            const error: unknown = await provider.create(inputs).then(
                () => assert.fail("create succeeded"),
                (e: unknown) => e,
            );
            assert.ok(error instanceof PartialFailureError);
            assert.match(
                error.message,
                /ReadBackMismatch: the limits read back \(9 per 30 DAY\) differ from the limits just written \(1 per 1 DAY, 3 per 7 DAY\) on all 3 reads/,
            );
            // What was really read is what state records, so the next up sees the difference and writes again.
            assert.deepEqual(error.properties.communicationLimitsConfig, {
                allChannelSubtypes: {
                    communicationLimitsList: [{ maxCountPerRecipient: 9, frequency: 30, unit: "DAY" }],
                },
            });
        });
    });

    describe("read", () => {
        it("after create returns exactly what create returned, with one get", async () => {
            const created = await provider.create(
                await checked(provider, {
                    connectInstanceId: A,
                    communicationLimitsConfig: { allChannelSubtypes: { communicationLimitsList: LIMITS } },
                }),
            );
            emulator.clearRequests();
            const read = await provider.read(A, created.outs);
            assert.deepEqual(calls(emulator.requests()), [`GET ${A}`]);
            assert.equal(read.id, A);
            assert.deepEqual(read.props, created.outs);
        });

        it("sees an out-of-band change and returns it as props and as inputs", async () => {
            const created = await provider.create(
                await checked(provider, {
                    connectInstanceId: A,
                    communicationLimitsConfig: { allChannelSubtypes: { communicationLimitsList: LIMITS } },
                }),
            );
            const edited = {
                allChannelSubtypes: {
                    communicationLimitsList: [{ maxCountPerRecipient: 5, frequency: 7, unit: "DAY" }],
                },
            };
            emulator.setLimits(A, edited);
            const read = await provider.read(A, created.outs);
            assert.deepEqual(read.props?.communicationLimitsConfig, edited);
            assert.deepEqual(read.inputs, {
                connectInstanceId: A,
                communicationLimitsConfig: edited,
                deletionPolicy: "reset",
                region: "us-west-2",
            });
            assert.deepEqual(read.props?.previousConfig, created.outs.previousConfig);
        });

        it("returns an empty id when the instance is gone, so the engine drops the resource", async () => {
            const created = await provider.create(
                await checked(provider, { connectInstanceId: A, communicationLimitsConfig: {} }),
            );
            emulator.removeInstance(A);
            const read = await provider.read(A, created.outs);
            assert.equal(read.id, "");
        });

        it("fails, naming the error, on anything else", async () => {
            const strict = new InstanceCommunicationLimitsProvider(settingsFromEnv({ maxAttempts: 1 }));
            emulator.injectFaults("internal", 1);
            await assert.rejects(
                strict.read(A, { connectInstanceId: A, region: "us-west-2" }),
                /GetInstanceCommunicationLimits for Amazon Connect instance .* InternalServerException/,
            );
        });
    });

    describe("update", () => {
        it("reads first (to refuse what it cannot represent), writes and reads back: get, put, get", async () => {
            const created = await provider.create(
                await checked(provider, { connectInstanceId: A, communicationLimitsConfig: {} }),
            );
            emulator.clearRequests();
            const news = await checked(provider, {
                connectInstanceId: A,
                communicationLimitsConfig: { allChannelSubtypes: { communicationLimitsList: LIMITS } },
            });
            const result = await provider.update(A, created.outs, news);
            assert.deepEqual(calls(emulator.requests()), [`GET ${A}`, `PUT ${A}`, `GET ${A}`]);
            assert.deepEqual(result.outs?.communicationLimitsConfig, CANONICAL);
            assert.deepEqual(result.outs?.previousConfig, created.outs.previousConfig);
        });

        it("makes no call when only the deletion policy changes", async () => {
            const created = await provider.create(
                await checked(provider, { connectInstanceId: A, communicationLimitsConfig: {} }),
            );
            emulator.clearRequests();
            const news = await checked(provider, {
                connectInstanceId: A,
                communicationLimitsConfig: {},
                deletionPolicy: "retain",
            });
            const result = await provider.update(A, created.outs, news);
            assert.equal(emulator.requests().length, 0);
            assert.equal(result.outs?.deletionPolicy, "retain");
        });

        it("re-applying with nothing different (after a partial failure) reads, and writes only when the live limits differ", async () => {
            const created = await provider.create(
                await checked(provider, { connectInstanceId: A, communicationLimitsConfig: {} }),
            );
            const news = await checked(provider, { connectInstanceId: A, communicationLimitsConfig: {} });
            // What the host stores as outputs: the provider's, plus the serialized provider.
            const olds = { ...created.outs, __provider: PROVIDER_TEXT };
            emulator.clearRequests();
            await provider.update(A, olds, news);
            assert.deepEqual(
                calls(emulator.requests()),
                [`GET ${A}`],
                "already as desired: nothing to write",
            );
            emulator.setLimits(A, CANONICAL);
            emulator.clearRequests();
            await provider.update(A, olds, news);
            assert.deepEqual(calls(emulator.requests()), [`GET ${A}`, `PUT ${A}`, `GET ${A}`]);
            assert.deepEqual(emulator.limits(A), EMPTY);
        });

        it("refuses to write over live limits it cannot represent", async () => {
            const created = await provider.create(
                await checked(provider, { connectInstanceId: A, communicationLimitsConfig: {} }),
            );
            const future = { allChannelSubtypes: { perChannelSubtype: { sms: [] } } };
            emulator.setLimits(A, future);
            emulator.clearRequests();
            const news = await checked(provider, {
                connectInstanceId: A,
                communicationLimitsConfig: { allChannelSubtypes: { communicationLimitsList: LIMITS } },
            });
            await assert.rejects(provider.update(A, created.outs, news), StateError);
            assert.deepEqual(calls(emulator.requests()), [`GET ${A}`]);
            assert.deepEqual(emulator.limits(A), future);
        });
    });

    describe("delete", () => {
        /** Created by an earlier deployment: a later process has no record of having written it. */
        async function createWith(policy: string) {
            const created = await provider.create(
                await checked(provider, {
                    connectInstanceId: A,
                    communicationLimitsConfig: { allChannelSubtypes: { communicationLimitsList: LIMITS } },
                    deletionPolicy: policy,
                }),
            );
            resetLedger();
            return created;
        }

        it("leaves the limits when a resource created earlier in the same deployment now manages the instance", async () => {
            const old = await createWith("reset");
            // The new copy of a replacement (or a renamed resource) is created first, in this deployment.
            await provider.create(
                await checked(provider, {
                    connectInstanceId: A,
                    communicationLimitsConfig: { allChannelSubtypes: { communicationLimitsList: LIMITS } },
                }),
            );
            emulator.clearRequests();
            await provider.delete(A, old.outs);
            assert.deepEqual(
                calls(emulator.requests()),
                [],
                "the old copy's reset would undo the new copy's write",
            );
            assert.deepEqual(emulator.limits(A), CANONICAL);
        });

        it("hands the limits found before management began to the new copy of a delete-first replacement", async () => {
            const old = await createWith("restore");
            await provider.delete(A, old.outs);
            const renewed = await provider.create(
                await checked(provider, {
                    connectInstanceId: A,
                    communicationLimitsConfig: { allChannelSubtypes: { communicationLimitsList: LIMITS } },
                    deletionPolicy: "restore",
                }),
            );
            assert.deepEqual(renewed.outs.previousConfig, old.outs.previousConfig);
            assert.equal(renewed.outs.previousConfigMatchedDesired, false);
        });

        it("refuses a restore of a previousConfig the service would reject, and says how to get out", async () => {
            const created = await createWith("restore");
            const odd = {
                ...created.outs,
                previousConfig: {
                    allChannelSubtypes: {
                        communicationLimitsList: [{ maxCountPerRecipient: 0, frequency: 7, unit: "DAY" }],
                    },
                },
            };
            emulator.clearRequests();
            await assert.rejects(
                provider.delete(A, odd),
                (error: unknown) =>
                    error instanceof StateError &&
                    error.message ===
                        `Cannot restore the limits of Amazon Connect instance ${A} in us-west-2: the previousConfig in ` +
                            "state is not limits the service accepts (communicationLimitsList[0].maxCountPerRecipient is 0, " +
                            "not a whole number of at least 1). Nothing was written. Next step: set this resource's " +
                            'deletionPolicy to "reset" (or "retain") and run `pulumi up`, then `pulumi destroy`.',
            );
            assert.equal(emulator.requests().length, 0);
        });

        for (const [what, previousConfig, problem] of [
            ["null", null, "it is null"],
            [
                "an empty object",
                {},
                "it lacks allChannelSubtypes.communicationLimitsList, which this provider always records",
            ],
            [
                "three limits",
                {
                    allChannelSubtypes: {
                        communicationLimitsList: [1, 7, 30].map((frequency) => ({
                            maxCountPerRecipient: 1,
                            frequency,
                            unit: "DAY",
                        })),
                    },
                },
                "communicationLimitsList holds 3 limits; the model allows at most 2",
            ],
        ] as const) {
            it(`refuses a restore of a previousConfig that is ${what}, never reading it as "no limits"`, async () => {
                const created = await createWith("restore");
                emulator.clearRequests();
                await assert.rejects(
                    provider.delete(A, { ...created.outs, previousConfig }),
                    (error: unknown) =>
                        error instanceof StateError &&
                        error.message.includes(
                            `the previousConfig in state is not limits the service accepts (${problem}). Nothing was written. Next step: set this resource's deletionPolicy to "reset"`,
                        ),
                );
                assert.equal(emulator.requests().length, 0);
                assert.deepEqual(
                    emulator.limits(A),
                    created.outs.communicationLimitsConfig,
                    "nothing was reset",
                );
            });
        }

        it("reset writes an empty list", async () => {
            const created = await createWith("reset");
            emulator.clearRequests();
            await provider.delete(A, created.outs);
            assert.deepEqual(calls(emulator.requests()), [`PUT ${A}`]);
            assert.deepEqual(emulator.requests()[0]?.body, { communicationLimitsConfig: EMPTY });
            assert.deepEqual(emulator.limits(A), EMPTY);
        });

        it("restore writes back the limits the instance had before", async () => {
            const created = await createWith("restore");
            emulator.clearRequests();
            await provider.delete(A, created.outs);
            assert.deepEqual(calls(emulator.requests()), [`PUT ${A}`]);
            assert.deepEqual(emulator.limits(A), {
                allChannelSubtypes: {
                    communicationLimitsList: [{ maxCountPerRecipient: 9, frequency: 30, unit: "DAY" }],
                },
            });
        });

        it("retain makes no call and leaves the limits", async () => {
            const created = await createWith("retain");
            emulator.clearRequests();
            await provider.delete(A, created.outs);
            assert.equal(emulator.requests().length, 0);
            assert.deepEqual(emulator.limits(A), CANONICAL);
        });

        it("succeeds when the instance is already gone", async () => {
            const created = await createWith("reset");
            emulator.removeInstance(A);
            emulator.clearRequests();
            await provider.delete(A, created.outs);
            assert.deepEqual(calls(emulator.requests()), [`PUT ${A}`]);
        });

        it("fails the destroy when the reset fails", async () => {
            const created = await createWith("reset");
            const strict = new InstanceCommunicationLimitsProvider(settingsFromEnv({ maxAttempts: 1 }));
            emulator.injectFaults("internal", 1, { operation: "PutInstanceCommunicationLimits" });
            await assert.rejects(
                strict.delete(A, created.outs),
                /PutInstanceCommunicationLimits .* InternalServerException/,
            );
            assert.deepEqual(emulator.limits(A), CANONICAL);
        });
    });

    describe("configure", () => {
        it("rejects stack config it cannot use, and every later call rejects with the same problems, sending nothing", async () => {
            const fresh = createProvider();
            const bad = stackConfig({ "aws:assumeRole": "not json" });
            await assert.rejects(fresh.configure(bad), ProviderConfigurationError);
            const state = { connectInstanceId: A, region: "us-west-2", deletionPolicy: "reset" };
            // The host calls the methods of the provider it cached even after configure rejected.
            const outcomes = await Promise.allSettled([
                fresh.check({}, { connectInstanceId: A, communicationLimitsConfig: {} }),
                fresh.diff(A, state, state),
                fresh.create(state),
                fresh.read(A, state),
                fresh.update(A, state, state),
                fresh.delete(A, state),
            ]);
            for (const outcome of outcomes) {
                assert.equal(outcome.status, "rejected");
                const reason: unknown = outcome.status === "rejected" ? outcome.reason : undefined;
                assert.ok(reason instanceof ProviderConfigurationError, String(reason));
                assert.match(
                    reason.message,
                    /^The provider configuration is invalid: aws:assumeRole must be an object/,
                );
            }
            assert.equal(emulator.requests().length, 0);
        });

        it("takes the settings of the latest configure, so a corrected stack config serves calls again", async () => {
            const fresh = createProvider();
            await assert.rejects(fresh.configure(stackConfig({ "aws:assumeRole": "not json" })));
            await fresh.configure(stackConfig({ "aws:region": "eu-west-2" }));
            const inputs = await checked(fresh, { connectInstanceId: A, communicationLimitsConfig: {} });
            assert.equal(inputs.region, "eu-west-2", "stack config aws:region over AWS_REGION");
        });

        it("gives each serialized stub a provider of its own, so one stub's configure leaves another's settings alone", async () => {
            const first = createProvider();
            const second = createProvider();
            assert.notEqual(first, second);
            assert.ok(
                shared instanceof InstanceCommunicationLimitsProvider,
                "stubs of 0.1.0 bind to `provider`",
            );
            await second.configure(stackConfig({ "aws:region": "eu-west-2" }));
            await assert.rejects(first.configure(stackConfig({ "aws:assumeRole": "not json" })));
            const inputs = await checked(second, { connectInstanceId: A, communicationLimitsConfig: {} });
            assert.equal(inputs.region, "eu-west-2");
        });
    });

    describe("the serialized stub in state", () => {
        it("diff reports a new stub (a package upgrade) as a change of __provider alone, replacing nothing", async () => {
            const inputs = await checked(provider, { connectInstanceId: A, communicationLimitsConfig: {} });
            const result = await provider.diff(
                A,
                { ...inputs, __provider: "exports.handler = () => 1;" },
                inputs,
            );
            assert.deepEqual(result, {
                changes: true,
                replaces: [],
                deleteBeforeReplace: false,
                changedProperties: ["__provider"],
            });
        });

        it("update records a new stub without any AWS call, keeping what state held", async () => {
            const created = await provider.create(
                await checked(provider, {
                    connectInstanceId: A,
                    communicationLimitsConfig: { allChannelSubtypes: { communicationLimitsList: LIMITS } },
                }),
            );
            const olds = { ...created.outs, __provider: "exports.handler = () => 1;" };
            const news = await checked(provider, {
                connectInstanceId: A,
                communicationLimitsConfig: { allChannelSubtypes: { communicationLimitsList: LIMITS } },
            });
            emulator.clearRequests();
            const result = await provider.update(A, olds, news);
            assert.equal(emulator.requests().length, 0);
            assert.deepEqual(result.outs, created.outs);
        });
    });

    describe("an instance that is not found", () => {
        it("read with no recorded limits (a `.get()`) fails rather than report the instance gone", async () => {
            emulator.removeInstance(A);
            await assert.rejects(
                provider.read(A, { connectInstanceId: A }),
                /GetInstanceCommunicationLimits for Amazon Connect instance .* ResourceNotFoundException/,
            );
        });

        it("read of a `.get()` returns the live limits as previousConfig, asking STS for no account", async () => {
            const read = await provider.read(A, { connectInstanceId: A });
            assert.deepEqual(calls(emulator.requests()), [`GET ${A}`]);
            const live = emulator.limits(A);
            assert.deepEqual(read.props, {
                connectInstanceId: A,
                region: "us-west-2",
                communicationLimitsConfig: live,
                deletionPolicy: "reset",
                previousConfig: live,
                previousConfigMatchedDesired: false,
            });
        });

        for (const what of ["refresh", "destroy"] as const) {
            it(`is not dropped by a ${what} when the credentials belong to another account than the one recorded`, async () => {
                const created = await provider.create(
                    await checked(provider, { connectInstanceId: A, communicationLimitsConfig: {} }),
                );
                resetLedger();
                emulator.removeInstance(A);
                const state = { ...created.outs, accountId: "999999999999" };
                await assert.rejects(
                    what === "refresh" ? provider.read(A, state) : provider.delete(A, state),
                    (error: unknown) =>
                        error instanceof StateError &&
                        error.message.startsWith(
                            `Amazon Connect instance ${A} was not found with the credentials in use, which belong to AWS ` +
                                `account 123456789012; the resource was created in account 999999999999. The ${what} ` +
                                "leaves it in state rather than treat it as gone. Next step: run with credentials for account 999999999999",
                        ),
                );
            });
        }
    });

    describe("state it cannot fully trust", () => {
        /** What the provider wrote to standard error while `work` ran (the engine prints a provider's stderr). */
        async function stderrOf(work: () => Promise<unknown>): Promise<string> {
            const original = process.stderr.write.bind(process.stderr);
            let text = "";
            process.stderr.write = (chunk: string | Uint8Array) => {
                text += chunk.toString();
                return true;
            };
            try {
                await work();
            } finally {
                process.stderr.write = original;
            }
            return text;
        }

        /** A created resource's state, as the engine holds it. */
        async function stateOf(deletionPolicy: string): Promise<Record<string, unknown>> {
            const created = await provider.create(
                await checked(provider, {
                    connectInstanceId: A,
                    communicationLimitsConfig: { allChannelSubtypes: { communicationLimitsList: LIMITS } },
                    deletionPolicy,
                }),
            );
            resetLedger();
            return { ...created.outs };
        }

        /** State written before accounts were recorded (or by a create that could not reach STS). */
        async function createdWithoutAccount(deletionPolicy: string) {
            const outs = await stateOf(deletionPolicy);
            const account = outs.accountId;
            assert.ok(typeof account === "string", "the emulator answers GetCallerIdentity");
            delete outs.accountId;
            return { outs, account };
        }

        for (const what of ["refresh", "destroy"] as const) {
            it(`refuses to treat "not found" as gone at ${what} when state records no account, and says how to get out`, async () => {
                const { outs, account } = await createdWithoutAccount("reset");
                emulator.removeInstance(A);
                const fresh = new InstanceCommunicationLimitsProvider(settingsFromEnv());
                await assert.rejects(
                    what === "refresh" ? fresh.read(A, outs) : fresh.delete(A, outs),
                    (error: unknown) =>
                        error instanceof StateError &&
                        error.message ===
                            `Amazon Connect instance ${A} was not found with the credentials in use, which belong to AWS ` +
                                `account ${account}; this resource's state records no account, so the ${what} cannot tell ` +
                                "a deleted instance from credentials for another account, and leaves it in state. Next " +
                                "step: if the instance is in another account, run with credentials for it (a successful " +
                                "refresh records the account); if it was deleted, remove the resource from state with " +
                                `\`pulumi state delete <urn>\`, then run the ${what} again.`,
                );
            });
        }

        it("records the account of the credentials in use at an update of state that has none", async () => {
            const { outs, account } = await createdWithoutAccount("reset");
            const news = await checked(provider, {
                connectInstanceId: A,
                communicationLimitsConfig: { allChannelSubtypes: { communicationLimitsList: LIMITS } },
                deletionPolicy: "retain",
            });
            const updated = await new InstanceCommunicationLimitsProvider(settingsFromEnv()).update(
                A,
                outs,
                news,
            );
            assert.equal(updated.outs.accountId, account);
        });

        const unreadable = [
            ["null", null],
            [
                "three limits",
                {
                    allChannelSubtypes: {
                        communicationLimitsList: [1, 7, 30].map((frequency) => ({
                            maxCountPerRecipient: 1,
                            frequency,
                            unit: "DAY",
                        })),
                    },
                },
            ],
        ] as const;
        for (const [what, previousConfig] of unreadable) {
            it(`keeps a previousConfig that is ${what} unchanged through an update, and warns that restore will refuse it`, async () => {
                const state = await stateOf("restore");
                const news = await checked(provider, {
                    connectInstanceId: A,
                    communicationLimitsConfig: {
                        allChannelSubtypes: { communicationLimitsList: [LIMITS[0]] },
                    },
                    deletionPolicy: "reset",
                });
                let outs: object = {};
                const warned = await stderrOf(async () => {
                    ({ outs } = await provider.update(A, { ...state, previousConfig }, news));
                });
                assert.deepEqual(
                    (outs as { previousConfig?: unknown }).previousConfig,
                    previousConfig,
                    "not replaced by the limits written",
                );
                assert.match(
                    warned,
                    new RegExp(
                        `^warning: the previousConfig in state for Amazon Connect instance ${A} is not limits the ` +
                            'service accepts \\(.+\\); it is kept as it is, and a "restore" destroy will refuse it',
                    ),
                );
                resetLedger(); // the destroy is a deployment of its own
                await assert.rejects(
                    provider.delete(A, { ...outs, deletionPolicy: "restore" }),
                    /Cannot restore the limits/,
                );
                await provider.delete(A, outs);
                assert.deepEqual(emulator.limits(A), EMPTY, "reset is the way out");
            });

            it(`keeps a previousConfig that is ${what} unchanged through a refresh, never replacing it with the live limits`, async () => {
                const state = await stateOf("restore");
                const read = await provider.read(A, { ...state, previousConfig });
                assert.deepEqual(read.props?.previousConfig, previousConfig);
            });
        }

        it("warns when a restore resource records limits that already equalled the desired ones", async () => {
            const id = "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b";
            emulator.addInstance(id, { limits: CANONICAL });
            const create = async (deletionPolicy: string) =>
                provider.create(
                    await checked(provider, {
                        connectInstanceId: id,
                        communicationLimitsConfig: {
                            allChannelSubtypes: { communicationLimitsList: LIMITS },
                        },
                        deletionPolicy,
                    }),
                );
            assert.equal(await stderrOf(() => create("reset")), "", "a reset destroy does not depend on it");
            const warned = await stderrOf(() => create("restore"));
            assert.equal(
                warned,
                `warning: Amazon Connect instance ${id} in us-west-2 already had exactly these limits when this ` +
                    "resource was created, so they are recorded as its previousConfig (previousConfigMatchedDesired: " +
                    'true) and a "restore" destroy keeps them. If an earlier `pulumi up` was interrupted after writing ' +
                    "them, the limits the instance had before are not known here.\n",
            );
        });
    });
});

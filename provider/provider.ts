/**
 * The provider's implementation: the lifecycle methods Pulumi's dynamic-provider host calls.
 *
 * This module is NOT serialized into state. State holds a small forwarding stub (see `resource.ts`) that
 * `require`s this module from the installed package when a method runs, so upgrading the package changes
 * how existing stacks are refreshed and destroyed too.
 *
 * | method    | AWS calls         | contract                                                                |
 * |-----------|-------------------|-------------------------------------------------------------------------|
 * | configure | none              | stack config + environment → settings; invalid settings fail every call |
 * | check     | none              | every model constraint, all failures at once; canonical inputs          |
 * | diff      | none              | live outputs vs desired inputs; instance or region change ⇒ replace     |
 * | create    | get, put, get     | records the existing limits as previousConfig, writes, reads back       |
 * | read      | get               | live limits as props and inputs; instance gone ⇒ empty id (dropped)     |
 * | update    | put, get (or none)| writes and reads back; a deletionPolicy/role-only change calls nothing  |
 * | delete    | put or none       | reset ⇒ empty list; restore ⇒ previousConfig; retain ⇒ nothing          |
 */
import type * as pulumi from "@pulumi/pulumi";

import { LimitsApi } from "./aws";
import { diffLimits } from "./diff";
import { ConnectLimitsError, PartialFailureError, ProviderConfigurationError, isCallFailure } from "./errors";
import { formatConfig, normalizeConfig, sameConfig } from "./normalize";
import type { LooseLimitsConfig } from "./normalize";
import { defaultTarget, resolveSettings } from "./settings";
import type { ProviderSettings, Target } from "./settings";
import { DEFAULT_DELETION_POLICY, DeletionPolicy } from "./types";
import type {
    CanonicalLimitsConfig,
    InstanceCommunicationLimitsInputs,
    InstanceCommunicationLimitsOutputs,
} from "./types";
import { checkInputs } from "./validate";
import type { CheckFailure } from "./validate";

/** Inputs and state as the host hands them over: plain JSON objects, validated where they are used. */
type Props = Record<string, unknown>;

/** The host's result shapes, narrowed to what this provider returns. */
export interface CheckResult {
    inputs: object;
    failures?: CheckFailure[];
}
export interface CreateResult {
    id: string;
    outs: InstanceCommunicationLimitsOutputs;
}
export interface ReadResult {
    /** Empty when the instance is gone: the engine then drops the resource from state. */
    id: string;
    props: InstanceCommunicationLimitsOutputs | Record<string, never>;
    inputs?: InstanceCommunicationLimitsInputs;
}
export interface UpdateResult {
    outs: InstanceCommunicationLimitsOutputs;
}

const PROVIDER_KEY = "__provider";
const NOT_FOUND = "ResourceNotFoundException";

function str(value: unknown): string | undefined {
    return typeof value === "string" && value !== "" ? value : undefined;
}

function policyOf(value: unknown): DeletionPolicy {
    const allowed: readonly unknown[] = Object.values(DeletionPolicy);
    return allowed.includes(value) ? (value as DeletionPolicy) : DEFAULT_DELETION_POLICY;
}

function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Outputs built field by field: the host cannot encode `undefined`, and nothing from the SDK leaks in. */
function outputs(fields: {
    connectInstanceId: string;
    region: string;
    communicationLimitsConfig: CanonicalLimitsConfig;
    deletionPolicy: DeletionPolicy;
    previousConfig: CanonicalLimitsConfig;
    assumeRoleArn: string | undefined;
}): InstanceCommunicationLimitsOutputs {
    const outs: InstanceCommunicationLimitsOutputs = {
        connectInstanceId: fields.connectInstanceId,
        region: fields.region,
        communicationLimitsConfig: fields.communicationLimitsConfig,
        deletionPolicy: fields.deletionPolicy,
        previousConfig: fields.previousConfig,
    };
    if (fields.assumeRoleArn !== undefined) outs.assumeRoleArn = fields.assumeRoleArn;
    return outs;
}

export class InstanceCommunicationLimitsProvider implements pulumi.dynamic.ResourceProvider {
    private settings: ProviderSettings;
    private readonly clients = new Map<string, LimitsApi>();

    constructor(settings?: ProviderSettings) {
        this.settings = settings ?? resolveSettings(() => undefined, process.env);
    }

    configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
        const settings = resolveSettings((key) => req.config.get(key), process.env);
        if (settings.problems.length > 0)
            return Promise.reject(new ProviderConfigurationError(settings.problems));
        this.settings = settings;
        this.clients.forEach((client) => client.destroy());
        this.clients.clear();
        return Promise.resolve();
    }

    check(_olds: object, news: object): Promise<CheckResult> {
        if (this.settings.problems.length > 0) {
            return Promise.reject(new ProviderConfigurationError(this.settings.problems));
        }
        const result = checkInputs(news, defaultTarget(this.settings));
        if (!result.ok) return Promise.resolve({ inputs: news, failures: result.failures });
        return Promise.resolve({ inputs: result.inputs });
    }

    diff(_id: string, olds: object, news: object): Promise<pulumi.dynamic.DiffResult> {
        const { changes, replaces, deleteBeforeReplace } = diffLimits(olds, news);
        return Promise.resolve({ changes, replaces, deleteBeforeReplace });
    }

    async create(given: object): Promise<CreateResult> {
        const inputs = given as Props;
        const desired = inputs as unknown as InstanceCommunicationLimitsInputs;
        const id = desired.connectInstanceId;
        const api = this.api({ region: desired.region, assumeRoleArn: desired.assumeRoleArn });
        const region = await api.region();
        const previousConfig = await api.get(id);
        const build = (live: CanonicalLimitsConfig) =>
            outputs({
                connectInstanceId: id,
                region,
                communicationLimitsConfig: live,
                deletionPolicy: desired.deletionPolicy,
                previousConfig,
                assumeRoleArn: desired.assumeRoleArn,
            });
        const outs = await this.write(
            api,
            id,
            region,
            desired.communicationLimitsConfig,
            build,
            inputs[PROVIDER_KEY],
        );
        return { id, outs };
    }

    async read(id: string, state: object): Promise<ReadResult> {
        const props = state as Props;
        const target = { region: str(props.region), assumeRoleArn: str(props.assumeRoleArn) };
        const api = this.api(target);
        let live: CanonicalLimitsConfig;
        try {
            live = await api.get(id);
        } catch (error) {
            // The instance is gone (deleted, or offboarded from outbound campaigns): an empty id tells the
            // engine the resource no longer exists, and it is dropped from state.
            if (isCallFailure(error, NOT_FOUND)) return { id: "", props: {} };
            throw error;
        }
        const region = target.region ?? (await api.region());
        const deletionPolicy = policyOf(props.deletionPolicy);
        const outs = outputs({
            connectInstanceId: id,
            region,
            communicationLimitsConfig: live,
            deletionPolicy,
            // A resource read with `.get()` has no history: what is live now is what "restore" would give back.
            previousConfig: props.previousConfig === undefined ? live : normalizeConfig(props.previousConfig),
            assumeRoleArn: target.assumeRoleArn,
        });
        // Returned as inputs too, so a refresh replaces the stored inputs with what is live and the next
        // preview shows, property by property, how the program differs from it.
        const inputs: InstanceCommunicationLimitsInputs = {
            connectInstanceId: id,
            communicationLimitsConfig: live,
            deletionPolicy,
            region,
        };
        if (target.assumeRoleArn !== undefined) inputs.assumeRoleArn = target.assumeRoleArn;
        return { id, props: outs, inputs };
    }

    async update(id: string, oldState: object, given: object): Promise<UpdateResult> {
        const olds = oldState as Props;
        const news = given as Props;
        const desired = news as unknown as InstanceCommunicationLimitsInputs;
        const api = this.api({
            region: str(olds.region) ?? desired.region,
            assumeRoleArn: desired.assumeRoleArn,
        });
        const region = str(olds.region) ?? (await api.region());
        const oldConfig = normalizeConfig(olds.communicationLimitsConfig as LooseLimitsConfig);
        const build = (live: CanonicalLimitsConfig) =>
            outputs({
                connectInstanceId: id,
                region,
                communicationLimitsConfig: live,
                deletionPolicy: desired.deletionPolicy,
                previousConfig:
                    olds.previousConfig === undefined ? oldConfig : normalizeConfig(olds.previousConfig),
                assumeRoleArn: desired.assumeRoleArn,
            });
        const configChanged = !sameConfig(oldConfig, desired.communicationLimitsConfig);
        const othersChanged =
            policyOf(olds.deletionPolicy) !== desired.deletionPolicy ||
            str(olds.assumeRoleArn) !== desired.assumeRoleArn;
        // Only the deletion policy or the role changed: nothing to write. With no difference at all the
        // engine is re-applying (e.g. after a partial failure), so write again.
        if (!configChanged && othersChanged) return { outs: build(oldConfig) };

        const outs = await this.write(
            api,
            id,
            region,
            desired.communicationLimitsConfig,
            build,
            news[PROVIDER_KEY],
        );
        return { outs };
    }

    async delete(id: string, state: object): Promise<void> {
        const props = state as Props;
        const policy = policyOf(props.deletionPolicy);
        if (policy === DeletionPolicy.Retain) return;
        const config =
            policy === DeletionPolicy.Restore
                ? normalizeConfig(props.previousConfig as LooseLimitsConfig)
                : normalizeConfig(undefined);
        const api = this.api({ region: str(props.region), assumeRoleArn: str(props.assumeRoleArn) });
        try {
            await api.put(id, config);
        } catch (error) {
            // Nothing left to reset on an instance that no longer exists.
            if (isCallFailure(error, NOT_FOUND)) return;
            throw error;
        }
    }

    /**
     * Writes the limits and confirms them by reading back. Once the put has succeeded, a failure to confirm
     * is a partial failure: the host records the resource with the outputs as last read (or as written)
     * instead of losing it, and the next `up` writes again. The host does not add `__provider` to those
     * properties, and without it the engine could neither refresh nor delete the recorded resource.
     */
    private async write(
        api: LimitsApi,
        id: string,
        region: string,
        written: CanonicalLimitsConfig,
        build: (live: CanonicalLimitsConfig) => InstanceCommunicationLimitsOutputs,
        providerText: unknown,
    ): Promise<InstanceCommunicationLimitsOutputs> {
        await api.put(id, written);
        const live = await this.readBack(api, id, region, written, (error, lastRead) => {
            const properties = { ...build(lastRead ?? written), [PROVIDER_KEY]: providerText };
            return new PartialFailureError(id, properties, error);
        });
        return build(live);
    }

    /**
     * Reads the limits back after a write. A read that differs is retried a few times (the service may be
     * eventually consistent); if it still differs, or the read fails, `fail` builds the error to throw.
     */
    private async readBack(
        api: LimitsApi,
        id: string,
        region: string,
        written: CanonicalLimitsConfig,
        fail: (error: Error, lastRead: CanonicalLimitsConfig | undefined) => Error,
    ): Promise<CanonicalLimitsConfig> {
        let live: CanonicalLimitsConfig | undefined;
        const delays = this.settings.readBackDelaysMs;
        for (let attempt = 0; attempt <= delays.length; attempt++) {
            try {
                live = await api.get(id);
            } catch (error) {
                throw fail(error instanceof Error ? error : new Error(String(error)), live);
            }
            if (sameConfig(live, written)) return live;
            const delay = delays[attempt];
            if (delay !== undefined) await sleep(delay);
        }
        const mismatch = new ConnectLimitsError({
            operation: "GetInstanceCommunicationLimits",
            instanceId: id,
            region,
            awsError: "ReadBackMismatch",
            awsMessage:
                `the limits read back (${formatConfig(live)}) differ from the limits just written ` +
                `(${formatConfig(written)}) on all ${delays.length + 1} reads`,
            nextStep:
                "Next step: another writer may be changing these limits, or the service rewrote them; " +
                "run `pulumi up` again to see the difference and re-apply.",
        });
        throw fail(mismatch, live);
    }

    /** One client per (region, role) for the life of the host process. */
    private api(target: { region?: string | undefined; assumeRoleArn?: string | undefined }): LimitsApi {
        const clean: Target = {};
        if (target.region !== undefined) clean.region = target.region;
        if (target.assumeRoleArn !== undefined) clean.assumeRoleArn = target.assumeRoleArn;
        const key = `${clean.region ?? ""}|${clean.assumeRoleArn ?? ""}`;
        let api = this.clients.get(key);
        if (api === undefined) {
            api = new LimitsApi(clean, this.settings);
            this.clients.set(key, api);
        }
        return api;
    }
}

/** The module's single instance, shared by every resource the host serves. */
export const provider = new InstanceCommunicationLimitsProvider();

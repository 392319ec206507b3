/**
 * The provider's implementation: the lifecycle methods Pulumi's dynamic-provider host calls.
 *
 * This module is NOT serialized into state. State holds a small stub (`stub.ts`) that loads this module
 * from the installed package when the host configures it, so upgrading the package changes how existing
 * stacks are refreshed and destroyed too.
 *
 * | method    | AWS calls                  | contract                                                                   |
 * |-----------|----------------------------|----------------------------------------------------------------------------|
 * | configure | none                       | stack config + environment → settings; invalid settings fail every call    |
 * | check     | none                       | every model constraint, all failures at once; canonical inputs             |
 * | diff      | none                       | live outputs vs desired inputs; instance or region change ⇒ replace        |
 * | create    | identity, get, put, get    | records the account and the existing limits, writes, reads back            |
 * | read      | get (identity on 404)      | live limits as props and inputs; instance gone ⇒ dropped (same account only) |
 * | update    | get, put, get (or fewer)   | refuses what it cannot represent, writes, reads back                       |
 * | delete    | put or none                | reset ⇒ empty list; restore ⇒ previousConfig; retain ⇒ nothing             |
 *
 * Failures after a create has read the limits it records are partial failures when the write may have
 * happened: the engine keeps the resource (with `previousConfig`) and the next `up` updates it.
 */
import type * as pulumi from "@pulumi/pulumi";

import { LimitsApi } from "./client";
import type { CallTarget } from "./client";
import { diffLimits } from "./diff";
import type { CallFailure } from "./errors";
import {
    CallFailedError,
    ConnectLimitsError,
    PartialFailureError,
    ProviderConfigurationError,
    StateError,
    isCallFailure,
} from "./errors";
import { handOver, handedOver, instanceKey, ownedByNewer, recordWrite } from "./ledger";
import { NO_LIMITS, formatConfig, sameConfig } from "./normalize";
import { warn } from "./notice";
import { parseLimitsConfig } from "./response";
import { defaultTarget, resolveSettings } from "./settings";
import type { ProviderSettings } from "./settings";
import { DEFAULT_DELETION_POLICY, DeletionPolicy } from "./types";
import type {
    AssumeRoleInputs,
    CanonicalLimitsConfig,
    InstanceCommunicationLimitsInputs,
    InstanceCommunicationLimitsOutputs,
    RoleFields,
} from "./types";
import { PROVIDER_KEY, isPlainObject } from "./unknowns";
import { checkInputs } from "./validate";
import type { CheckFailure } from "./validate";

/** Inputs and state as the host hands them over: plain JSON objects, read field by field. */
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
/**
 * What the dynamic host forwards (`changes`, `replaces`, `deleteBeforeReplace`), and the top-level
 * properties that differ, which only the provider plugin can hand to the engine (a detailed diff).
 */
export interface DiffResult {
    changes: boolean;
    replaces: string[];
    deleteBeforeReplace: boolean;
    changedProperties: string[];
}

const NOT_FOUND = "ResourceNotFoundException";

function str(value: unknown): string | undefined {
    return typeof value === "string" && value !== "" ? value : undefined;
}

function policyOf(value: unknown): DeletionPolicy {
    return Object.values(DeletionPolicy).find((p) => p === value) ?? DEFAULT_DELETION_POLICY;
}

function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The role as inputs or state hold it, in the shape the program gave (see `RoleFields`). */
function roleOf(props: Props): RoleFields {
    const given = props.assumeRole;
    if (typeof given === "object" && given !== null && !Array.isArray(given)) {
        const fields = given as Record<string, unknown>;
        const roleArn = str(fields.roleArn);
        if (roleArn !== undefined) {
            const assumeRole: AssumeRoleInputs = { roleArn };
            const externalId = str(fields.externalId);
            const sessionName = str(fields.sessionName);
            if (externalId !== undefined) {
                assumeRole.externalId = externalId;
            }
            if (sessionName !== undefined) {
                assumeRole.sessionName = sessionName;
            }
            return { assumeRole };
        }
    }
    const arn = str(props.assumeRoleArn);
    return arn === undefined ? {} : { assumeRoleArn: arn };
}

function roleArnOf(role: RoleFields): string | undefined {
    return role.assumeRole?.roleArn ?? role.assumeRoleArn;
}

function targetOf(region: string | undefined, role: RoleFields): CallTarget {
    return {
        region,
        roleArn: roleArnOf(role),
        externalId: role.assumeRole?.externalId,
        sessionName: role.assumeRole?.sessionName,
    };
}

/**
 * A stored limits value, read strictly: the shape this provider records (the union and its list always
 * present, as `normalizeConfig` writes them), holding limits the service accepts; `undefined` otherwise.
 * Unlike a response body, where an absent list means "no limits", a `null` or partial value in state is not
 * something this provider wrote, and must not be read as "no limits" (a restore would silently reset).
 */
function storedConfig(value: unknown): CanonicalLimitsConfig | undefined {
    if (storedProblem(value) !== undefined) {
        return undefined;
    }
    const parsed = parseLimitsConfig(value);
    return parsed.ok ? parsed.config : undefined;
}

/** What is wrong with a stored limits value, or `undefined` when it reads as limits the service accepts. */
function storedProblem(value: unknown): string | undefined {
    if (value === undefined || value === null) {
        return `it is ${value === null ? "null" : "absent"}`;
    }
    const union = isPlainObject(value) ? value.allChannelSubtypes : undefined;
    const list = isPlainObject(union) ? union.communicationLimitsList : undefined;
    if (!Array.isArray(list)) {
        return "it lacks allChannelSubtypes.communicationLimitsList, which this provider always records";
    }
    const parsed = parseLimitsConfig(value);
    return parsed.ok ? undefined : parsed.problem;
}

/** A stored `previousConfig` that is not limits the service accepts: carried unchanged, never replaced. */
class Unreadable {
    constructor(readonly value: unknown) {}
}
type Previous = CanonicalLimitsConfig | Unreadable;

/**
 * The `previousConfig` a state's update or refresh carries on: the stored limits, or — when they are not
 * limits the service accepts (a hand-edited or damaged state) — the stored value itself, with a warning.
 * Replacing it with the limits written or read now would make a later `restore` silently keep them.
 */
function carriedPrevious(props: Props, id: string): Previous {
    const stored = storedConfig(props.previousConfig);
    if (stored !== undefined) {
        return stored;
    }
    warn(
        `the previousConfig in state for Amazon Connect instance ${id} is not limits the service accepts ` +
            `(${storedProblem(props.previousConfig) ?? "unreadable"}); it is kept as it is, and a "restore" ` +
            'destroy will refuse it. Set deletionPolicy to "reset" or "retain" to be able to destroy.',
    );
    return new Unreadable(props.previousConfig);
}

/**
 * The one thing a create cannot know: limits found equal to the desired ones may be the instance's own, or
 * the write of an earlier create cut before its answer (a killed `pulumi up`). Said where it matters.
 */
function warnMatched(id: string, region: string): void {
    warn(
        `Amazon Connect instance ${id} in ${region} already had exactly these limits when this resource was ` +
            "created, so they are recorded as its previousConfig (previousConfigMatchedDesired: true) and a " +
            '"restore" destroy keeps them. If an earlier `pulumi up` was interrupted after writing them, the ' +
            "limits the instance had before are not known here.",
    );
}

interface OutputFields {
    connectInstanceId: string;
    region: string;
    accountId: string | undefined;
    communicationLimitsConfig: CanonicalLimitsConfig;
    deletionPolicy: DeletionPolicy;
    previousConfig: Previous;
    previousConfigMatchedDesired: boolean;
    role: RoleFields;
}

/** The outputs of a write, for whichever limits it ends up confirming. */
function builder(
    fields: Omit<OutputFields, "communicationLimitsConfig">,
): (config: CanonicalLimitsConfig) => InstanceCommunicationLimitsOutputs {
    return (config) => outputs({ ...fields, communicationLimitsConfig: config });
}

/** Outputs built field by field: the host cannot encode `undefined`, and nothing from the SDK leaks in. */
function outputs(fields: OutputFields): InstanceCommunicationLimitsOutputs {
    const outs: InstanceCommunicationLimitsOutputs = {
        connectInstanceId: fields.connectInstanceId,
        region: fields.region,
        communicationLimitsConfig: fields.communicationLimitsConfig,
        deletionPolicy: fields.deletionPolicy,
        previousConfig: NO_LIMITS,
        previousConfigMatchedDesired: fields.previousConfigMatchedDesired,
        ...fields.role,
    };
    const previous = fields.previousConfig;
    if (previous instanceof Unreadable) {
        // Kept as state holds it (absent stays absent), so a later restore still refuses it and says why.
        Reflect.deleteProperty(outs, "previousConfig");
        if (previous.value !== undefined) {
            Reflect.set(outs, "previousConfig", previous.value);
        }
    } else {
        outs.previousConfig = previous;
    }
    const roleArn = roleArnOf(fields.role);
    if (roleArn !== undefined) {
        // Shown whichever form the program used; the role's STS parameters stay in `assumeRole` only.
        outs.assumeRoleArn = roleArn;
    }
    if (fields.accountId !== undefined) {
        outs.accountId = fields.accountId;
    }
    return outs;
}

/**
 * True when a failed write certainly changed nothing: the service answered and refused it (a 4xx other
 * than throttling or a timeout), or no request was sent. Anything else — a timeout, a dropped connection,
 * a 5xx, an answer whose body never completed whatever its status — may have been applied while the answer
 * was lost.
 */
function certainlyNotWritten(error: unknown): boolean {
    if (!(error instanceof CallFailedError)) {
        return error instanceof ConnectLimitsError;
    }
    const { httpStatus, sent, bodyIncomplete } = error.failure;
    if (sent === false) {
        return true;
    }
    return (
        bodyIncomplete !== true &&
        httpStatus !== undefined &&
        httpStatus >= 400 &&
        httpStatus < 500 &&
        httpStatus !== 408
    );
}

export class InstanceCommunicationLimitsProvider implements pulumi.dynamic.ResourceProvider {
    private settings: ProviderSettings;
    private clients = new Map<string, LimitsApi>();

    constructor(settings?: ProviderSettings) {
        this.settings = settings ?? resolveSettings(() => undefined, process.env);
    }

    /**
     * Settings from the stack config and the environment. Invalid settings are kept, so that every later
     * call fails with them too: the host caches this object before `configure` settles and calls its
     * methods even after `configure` rejected. Clients of calls in flight are never destroyed here (a
     * second provider object in the same host may configure while another one's calls run).
     */
    configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
        this.settings = resolveSettings((key) => req.config.get(key), process.env);
        this.clients = new Map();
        return this.settings.problems.length > 0
            ? Promise.reject(new ProviderConfigurationError(this.settings.problems))
            : Promise.resolve();
    }

    check(_olds: object, news: object): Promise<CheckResult> {
        return this.guarded(() => {
            const result = checkInputs(news, defaultTarget(this.settings));
            return result.ok ? { inputs: result.inputs } : { inputs: news, failures: result.failures };
        });
    }

    diff(_id: string, olds: object, news: object): Promise<DiffResult> {
        return this.guarded(() => {
            const { changes, replaces, deleteBeforeReplace, changedProperties } = diffLimits(olds, news);
            // A new serialized stub (a package upgrade) is recorded, so refresh and destroy run it; the update
            // that records it makes no AWS call. State written by the dynamic resource and now served by the
            // provider plugin (which has no stub) drops it the same way.
            const stubChanged = (olds as Props)[PROVIDER_KEY] !== (news as Props)[PROVIDER_KEY];
            return {
                changes: changes || stubChanged,
                replaces,
                deleteBeforeReplace,
                changedProperties: stubChanged ? [...changedProperties, PROVIDER_KEY] : changedProperties,
            };
        });
    }

    async create(given: object): Promise<CreateResult> {
        this.ensureConfigured();
        const inputs = given as Props;
        const desired = given as InstanceCommunicationLimitsInputs;
        const id = desired.connectInstanceId;
        const role = roleOf(inputs);
        const api = this.api(targetOf(desired.region, role));
        const region = await api.region();
        const key = instanceKey(region, id, roleArnOf(role));
        const accountId = await this.accountOf(api);
        const live = await api.get(id);
        const handed = handedOver(key);
        const previousConfig = handed ?? live;
        const matched = handed === undefined && sameConfig(live, desired.communicationLimitsConfig);
        if (matched && desired.deletionPolicy === DeletionPolicy.Restore) {
            warnMatched(id, region);
        }
        const build = builder({
            connectInstanceId: id,
            region,
            accountId,
            deletionPolicy: desired.deletionPolicy,
            previousConfig,
            previousConfigMatchedDesired: matched,
            role,
        });
        const outs = await this.write(
            api,
            key,
            id,
            desired.communicationLimitsConfig,
            live,
            build,
            inputs[PROVIDER_KEY],
        );
        return { id, outs };
    }

    async read(id: string, state: object): Promise<ReadResult> {
        this.ensureConfigured();
        const props = state as Props;
        // `InstanceCommunicationLimits.get()` reads with no state of ours: its "not found" is an error.
        const lookup = props.communicationLimitsConfig === undefined;
        const role = roleOf(props);
        const api = this.api(targetOf(str(props.region), role));
        let live: CanonicalLimitsConfig;
        try {
            live = await api.get(id);
        } catch (error) {
            if (isCallFailure(error, NOT_FOUND) && !lookup) {
                // The instance is gone (deleted, or offboarded from outbound campaigns): an empty id tells the
                // engine the resource no longer exists — unless these credentials look at another account.
                await this.refuseOtherAccount(api, props, id, "refresh");
                return { id: "", props: {} };
            }
            throw error;
        }
        const region = str(props.region) ?? (await api.region());
        const deletionPolicy = policyOf(props.deletionPolicy);
        const outs = outputs({
            connectInstanceId: id,
            region,
            accountId: str(props.accountId) ?? (lookup ? undefined : await this.accountOf(api)),
            communicationLimitsConfig: live,
            deletionPolicy,
            // A resource read with `.get()` has no history: what is live now is what "restore" would give back.
            previousConfig: lookup ? live : carriedPrevious(props, id),
            previousConfigMatchedDesired: props.previousConfigMatchedDesired === true,
            role,
        });
        // Returned as inputs too, so a refresh replaces the stored inputs with what is live and the next
        // preview shows, property by property, how the program differs from it.
        const inputs: InstanceCommunicationLimitsInputs = {
            connectInstanceId: id,
            communicationLimitsConfig: live,
            deletionPolicy,
            region,
            ...role,
        };
        return { id, props: outs, inputs };
    }

    async update(id: string, oldState: object, given: object): Promise<UpdateResult> {
        this.ensureConfigured();
        const olds = oldState as Props;
        const news = given as Props;
        const desired = given as InstanceCommunicationLimitsInputs;
        const role = roleOf(news);
        const api = this.api(targetOf(str(olds.region) ?? desired.region, role));
        const region = str(olds.region) ?? (await api.region());
        const key = instanceKey(region, id, roleArnOf(role));
        const recorded = storedConfig(olds.communicationLimitsConfig);
        const previousConfig = carriedPrevious(olds, id);
        // State written before accounts were recorded, or by a create that could not reach STS, learns it now.
        const accountId = str(olds.accountId) ?? (await this.accountOf(api));
        if (
            desired.deletionPolicy === DeletionPolicy.Restore &&
            policyOf(olds.deletionPolicy) !== DeletionPolicy.Restore &&
            olds.previousConfigMatchedDesired === true
        ) {
            warnMatched(id, region);
        }
        const build = builder({
            connectInstanceId: id,
            region,
            accountId,
            deletionPolicy: desired.deletionPolicy,
            previousConfig,
            previousConfigMatchedDesired: olds.previousConfigMatchedDesired === true,
            role,
        });
        const configChanged =
            recorded === undefined || !sameConfig(recorded, desired.communicationLimitsConfig);
        const othersChanged =
            policyOf(olds.deletionPolicy) !== desired.deletionPolicy ||
            JSON.stringify(roleOf(olds)) !== JSON.stringify(role) ||
            olds[PROVIDER_KEY] !== news[PROVIDER_KEY];
        // Only the deletion policy, the role or the stub changed: nothing to write. With no difference at all
        // the engine is re-applying (after a partial failure), so the limits are written again.
        if (recorded !== undefined && !configChanged && othersChanged) {
            return { outs: build(recorded) };
        }
        // What is live may hold what this provider cannot represent (a newer API's member): refuse before
        // writing over it.
        const live = await api.get(id);
        const outs = await this.write(
            api,
            key,
            id,
            desired.communicationLimitsConfig,
            live,
            build,
            news[PROVIDER_KEY],
        );
        return { outs };
    }

    async delete(id: string, state: object): Promise<void> {
        this.ensureConfigured();
        const props = state as Props;
        const policy = policyOf(props.deletionPolicy);
        if (policy === DeletionPolicy.Retain) {
            return;
        }
        const role = roleOf(props);
        const api = this.api(targetOf(str(props.region), role));
        const region = str(props.region) ?? (await api.region());
        const key = instanceKey(region, id, roleArnOf(role));
        if (ownedByNewer(key)) {
            // A resource created or updated earlier in this deployment manages this instance now (the new
            // copy of a replacement, or a rename): undoing its write would leave the instance without the
            // limits the state says it has.
            return;
        }
        const previous = storedConfig(props.previousConfig);
        let config: CanonicalLimitsConfig;
        if (policy === DeletionPolicy.Restore) {
            if (previous === undefined) {
                throw new StateError(
                    `Cannot restore the limits of Amazon Connect instance ${id} in ${region}: the previousConfig in ` +
                        `state is not limits the service accepts (${storedProblem(props.previousConfig) ?? "unreadable"}). Nothing was ` +
                        'written. Next step: set this resource\'s deletionPolicy to "reset" (or "retain") and run ' +
                        "`pulumi up`, then `pulumi destroy`.",
                );
            }
            config = previous;
        } else {
            config = NO_LIMITS;
        }
        try {
            await api.put(id, config, policy === DeletionPolicy.Restore ? "restore" : "reset");
        } catch (error) {
            // Nothing left to reset on an instance that no longer exists — in the account the state names.
            if (isCallFailure(error, NOT_FOUND)) {
                await this.refuseOtherAccount(api, props, id, "destroy");
                return;
            }
            throw error;
        }
        if (previous !== undefined) {
            handOver(key, previous);
        }
    }

    /**
     * Writes the limits and confirms them by reading back (a few re-reads: the service may be briefly
     * stale). From the moment the write is sent, a failure is a partial failure — the engine records the
     * resource with what is known (`lastKnown`: the limits read before the write) instead of losing it, and
     * the next `up` writes again — unless the service certainly refused the write. The host does not add
     * `__provider` to those properties; without it the engine could neither refresh nor delete the resource.
     */
    private async write(
        api: LimitsApi,
        key: string,
        id: string,
        written: CanonicalLimitsConfig,
        lastKnown: CanonicalLimitsConfig,
        build: (live: CanonicalLimitsConfig) => InstanceCommunicationLimitsOutputs,
        providerText: unknown,
    ): Promise<InstanceCommunicationLimitsOutputs> {
        const partial = (error: Error, known: CanonicalLimitsConfig) =>
            new PartialFailureError(
                id,
                { ...build(known), [PROVIDER_KEY]: providerText },
                error,
                "The limits may have been written, so the resource stays in state with previousConfig kept; the next " +
                    "`pulumi up` writes and reads them back again.",
            );
        if (sameConfig(lastKnown, written)) {
            recordWrite(key);
            return build(lastKnown);
        }
        try {
            await api.put(id, written, "write");
        } catch (error) {
            if (certainlyNotWritten(error)) {
                throw error;
            }
            throw partial(error instanceof Error ? error : new Error(String(error)), lastKnown);
        }
        recordWrite(key);
        let live: CanonicalLimitsConfig | undefined;
        const delays = this.settings.readBackDelaysMs;
        for (let attempt = 0; attempt <= delays.length; attempt++) {
            try {
                live = await api.get(id);
            } catch (error) {
                throw partial(error instanceof Error ? error : new Error(String(error)), live ?? written);
            }
            if (sameConfig(live, written)) {
                return build(live);
            }
            const delay = delays[attempt];
            if (delay !== undefined) {
                await sleep(delay);
            }
        }
        const failure: CallFailure = {
            operation: "GetInstanceCommunicationLimits",
            instanceId: id,
            region: api.target.region ?? "",
            httpStatus: 200,
            awsError: "ReadBackMismatch",
            awsMessage:
                `the limits read back (${formatConfig(live)}) differ from the limits just written ` +
                `(${formatConfig(written)}) on all ${delays.length + 1} reads`,
            nextStep:
                "Next step: another writer may be changing these limits, or the service rewrote them; " +
                "run `pulumi up` again to see the difference and re-apply.",
        };
        if (api.lastReadRequestId !== undefined) {
            failure.requestId = api.lastReadRequestId;
        }
        throw partial(new CallFailedError(failure), live ?? written);
    }

    /** The account of the calls' credentials, or undefined when STS cannot be reached (it is a safeguard). */
    private async accountOf(api: LimitsApi): Promise<string | undefined> {
        try {
            return await api.accountId();
        } catch {
            return undefined;
        }
    }

    /**
     * "Not found" is "gone" only in the account the resource was created in: with another account's
     * credentials every instance is "not found", and dropping them all would empty the state.
     */
    private async refuseOtherAccount(
        api: LimitsApi,
        props: Props,
        id: string,
        what: "refresh" | "destroy",
    ): Promise<void> {
        const recorded = str(props.accountId);
        const current = await api.accountId();
        if (recorded === undefined) {
            // No account to compare with (state written before accounts were recorded, or a create that could
            // not reach STS): "not found" cannot be told apart from credentials for another account.
            throw new StateError(
                `Amazon Connect instance ${id} was not found with the credentials in use, which belong to AWS account ` +
                    `${current}; this resource's state records no account, so the ${what} cannot tell a deleted ` +
                    "instance from credentials for another account, and leaves it in state. Next step: if the instance " +
                    "is in another account, run with credentials for it (a successful refresh records the account); if " +
                    `it was deleted, remove the resource from state with \`pulumi state delete <urn>\`, then run the ` +
                    `${what} again.`,
            );
        }
        if (current !== recorded) {
            throw new StateError(
                `Amazon Connect instance ${id} was not found with the credentials in use, which belong to AWS account ` +
                    `${current}; the resource was created in account ${recorded}. The ${what} leaves it in state rather ` +
                    `than treat it as gone. Next step: run with credentials for account ${recorded} (AWS_PROFILE, ` +
                    "aws:profile, aws:assumeRole or the resource's assumeRoleArn).",
            );
        }
    }

    /** Settings problems fail every call, not only the first: see `configure`. */
    private ensureConfigured(): void {
        if (this.settings.problems.length > 0) {
            throw new ProviderConfigurationError(this.settings.problems);
        }
    }

    private guarded<T>(work: () => T): Promise<T> {
        try {
            this.ensureConfigured();
            return Promise.resolve(work());
        } catch (error) {
            return Promise.reject(error instanceof Error ? error : new Error(String(error)));
        }
    }

    /** One client per (region, role) for the life of the configured provider. */
    private api(target: CallTarget): LimitsApi {
        const key = JSON.stringify([
            target.region ?? "",
            target.roleArn ?? "",
            target.externalId ?? "",
            target.sessionName ?? "",
        ]);
        let api = this.clients.get(key);
        if (api === undefined) {
            api = new LimitsApi(target, this.settings);
            this.clients.set(key, api);
        }
        return api;
    }
}

/** A configured-on-demand implementation for each serialized stub (see `stub.ts`). */
export function createProvider(): InstanceCommunicationLimitsProvider {
    return new InstanceCommunicationLimitsProvider();
}

/**
 * The implementation object stubs of version 0.1.0 bind to (`require(…/provider).provider`); kept so that
 * stacks whose state still holds that stub keep working until their next `pulumi up` records the new one.
 */
export const provider = new InstanceCommunicationLimitsProvider();

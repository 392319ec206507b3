/**
 * The provider plugin's gRPC server: `pulumirpc.ResourceProvider`, each lifecycle call handed to the same
 * core the dynamic resource runs (`InstanceCommunicationLimitsProvider`), with the engine's values opened
 * on the way in and sealed on the way out (`properties.ts`).
 *
 * Why a server of its own over `@pulumi/pulumi/proto` and `@grpc/grpc-js`, not `@pulumi/pulumi/provider`'s
 * `main()`: that server (provider/server.js in @pulumi/pulumi 3.248) has gaps on exactly the paths this
 * provider needs, and none can be closed from the `Provider` interface it takes —
 *   - `read` calls `req.getProperties().toJavaScript()`; `pulumi import` (and `.get()`) send no
 *     properties since engine v3.198, so an import crashes with "Cannot read properties of undefined";
 *   - `configure` answers without looking at the request: the interface has no configure hook, so the
 *     stack config and a `Provider` resource's arguments never reach the provider; `checkConfig` and
 *     `diffConfig` answer UNIMPLEMENTED;
 *   - it declares `acceptSecrets` and then hands `check`, `create`, … the engine's secret wrappers and
 *     the unknown sentinel raw, and seals nothing on the way back;
 *   - `diff` forwards `changes`, `replaces` and `deleteBeforeReplace` only: no changed keys and no
 *     detailed diff, so `replaceOnChanges` could never match (the dynamic host's gap, again);
 *   - it installs process-wide handlers for uncaught errors, and needs the Pulumi runtime for `construct`,
 *     which a custom-resource provider does not have.
 * Patching its methods would tie this package to the internals of one SDK release. What is left is the
 * protocol itself, which is stable and small: the generated stubs, and a dozen unary handlers.
 */
import * as grpc from "@grpc/grpc-js";
import * as anyproto from "google-protobuf/google/protobuf/any_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { JavaScriptValue } from "google-protobuf/google/protobuf/struct_pb";
import * as plugproto from "@pulumi/pulumi/proto/plugin_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";
import {
    DeletionPolicy,
    InstanceCommunicationLimitsProvider,
    PartialFailureError,
    ProviderConfigurationError,
    checkInputs,
} from "pulumi-connect-campaign-limits/core";
import type { CheckFailure } from "pulumi-connect-campaign-limits/core";

import { CONFIG_KEYS, checkConfig, pluginSettings } from "./configuration";
import { detailedDiff } from "./detailed-diff";
import type { DiffKind } from "./detailed-diff";
import { parseId } from "./ids";
import { openProperties, sealProperties, secretOutputs } from "./properties";
import type { Properties } from "./properties";
import { SCHEMA_JSON } from "./schema";
import { VERSION } from "./version";

type Env = Readonly<Record<string, string | undefined>>;

const KIND: Record<DiffKind, provproto.PropertyDiff.Kind> = {
    add: provproto.PropertyDiff.Kind.ADD,
    addReplace: provproto.PropertyDiff.Kind.ADD_REPLACE,
    delete: provproto.PropertyDiff.Kind.DELETE,
    deleteReplace: provproto.PropertyDiff.Kind.DELETE_REPLACE,
    update: provproto.PropertyDiff.Kind.UPDATE,
    updateReplace: provproto.PropertyDiff.Kind.UPDATE_REPLACE,
};

function toJs(struct: Struct | undefined): Properties | undefined {
    return struct === undefined ? undefined : struct.toJavaScript();
}

function toStruct(props: object): Struct {
    return Struct.fromJavaScript(props as Record<string, JavaScriptValue>);
}

function failuresOf(failures: readonly CheckFailure[]): provproto.CheckFailure[] {
    return failures.map((f) => new provproto.CheckFailure().setProperty(f.property).setReason(f.reason));
}

/** A gRPC error whose message the CLI prints; a partial failure carries the resource the engine keeps. */
function grpcError(error: unknown, seal: (props: object) => Properties = (p) => p as Properties) {
    const message = error instanceof Error ? error.message : String(error);
    const metadata = new grpc.Metadata();
    if (error instanceof PartialFailureError) {
        const detail = new provproto.ErrorResourceInitFailed()
            .setId(error.id)
            .setProperties(toStruct(seal(error.properties)))
            .setReasonsList(error.reasons);
        const any = new anyproto.Any();
        any.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
        const status = new statusproto.Status().setCode(grpc.status.UNKNOWN).setMessage(message);
        status.addDetails(any);
        metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
    }
    return { code: grpc.status.UNKNOWN, details: message, metadata };
}

function unary<Req, Res>(
    work: (request: Req) => Promise<Res> | Res,
    onError?: (request: Req, error: unknown) => ReturnType<typeof grpcError>,
): grpc.handleUnaryCall<Req, Res> {
    return (call, callback) => {
        Promise.resolve()
            .then(() => work(call.request))
            .then(
                (response) => callback(null, response),
                (error: unknown) => callback(onError?.(call.request, error) ?? grpcError(error)),
            );
    };
}

/** The core's `check` of a bare id (import, `.get()`): the same rules and messages as for inputs. */
function checkReadId(id: string): { instanceId: string; region?: string } {
    const parsed = parseId(id);
    const probe: Properties = { connectInstanceId: parsed.instanceId, communicationLimitsConfig: {} };
    if (parsed.region !== undefined) {
        probe.region = parsed.region;
    }
    const checked = checkInputs(probe);
    if (!checked.ok) {
        throw new Error(
            `The id ${JSON.stringify(id.length > 300 ? `${id.slice(0, 300)}…` : id)} is not "<instanceId>" or ` +
                `"<region>/<instanceId>": ${checked.failures.map((f) => f.reason).join(" ")} Nothing was read.`,
        );
    }
    return parsed;
}

class ProviderServer {
    private core: InstanceCommunicationLimitsProvider;

    constructor(private readonly env: Env = process.env) {
        // Until Configure: the environment alone (the engine always configures first).
        this.core = new InstanceCommunicationLimitsProvider(pluginSettings(undefined, new Map(), env));
    }

    readonly implementation = {
        getPluginInfo: unary(() => new plugproto.PluginInfo().setVersion(VERSION)),
        getSchema: unary((req: provproto.GetSchemaRequest) => {
            if (req.getVersion() !== 0) {
                throw new Error(`unsupported schema version ${req.getVersion()}`);
            }
            return new provproto.GetSchemaResponse().setSchema(SCHEMA_JSON);
        }),
        checkConfig: unary((req: provproto.CheckRequest) => {
            const news = req.getNews() ?? new Struct();
            const failures = checkConfig(openProperties(toJs(news)).values, this.env);
            return new provproto.CheckResponse().setInputs(news).setFailuresList(failuresOf(failures));
        }),
        diffConfig: unary((req: provproto.DiffRequest) => {
            const olds = openProperties(toJs(req.getOldInputs()) ?? toJs(req.getOlds())).values;
            const news = openProperties(toJs(req.getNews())).values;
            // No setting replaces resources: a region reaches a resource through its own checked inputs, and
            // the resource's diff replaces it when that changes.
            const changed = CONFIG_KEYS.filter((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k]));
            return new provproto.DiffResponse()
                .setChanges(
                    changed.length > 0
                        ? provproto.DiffResponse.DiffChanges.DIFF_SOME
                        : provproto.DiffResponse.DiffChanges.DIFF_NONE,
                )
                .setDiffsList(changed);
        }),
        configure: unary((req: provproto.ConfigureRequest) => {
            const variables = new Map(req.getVariablesMap().getEntryList());
            const settings = pluginSettings(toJs(req.getArgs()), variables, this.env);
            this.core = new InstanceCommunicationLimitsProvider(settings);
            if (settings.problems.length > 0) {
                throw new ProviderConfigurationError(settings.problems);
            }
            // Create and update are never called in a preview; outputs and resource references are not needed.
            return new provproto.ConfigureResponse()
                .setAcceptsecrets(true)
                .setSupportspreview(false)
                .setAcceptresources(false)
                .setAcceptoutputs(false);
        }),
        check: unary(async (req: provproto.CheckRequest) => {
            const olds = openProperties(toJs(req.getOlds()));
            const news = openProperties(toJs(req.getNews()));
            const result = await this.core.check(olds.values, news.values);
            const response = new provproto.CheckResponse().setInputs(
                toStruct(sealProperties(result.inputs, secretOutputs(news.secrets))),
            );
            return response.setFailuresList(failuresOf(result.failures ?? []));
        }),
        diff: unary(async (req: provproto.DiffRequest) => {
            const olds = openProperties(toJs(req.getOlds())).values;
            const news = openProperties(toJs(req.getNews())).values;
            const result = await this.core.diff(parseId(req.getId()).instanceId, olds, news);
            const response = new provproto.DiffResponse()
                .setChanges(
                    result.changes
                        ? provproto.DiffResponse.DiffChanges.DIFF_SOME
                        : provproto.DiffResponse.DiffChanges.DIFF_NONE,
                )
                .setReplacesList(result.replaces)
                .setDiffsList(result.changedProperties)
                // As the dynamic resource's class does with its resource option: with "restore", the old copy's
                // delete runs first and hands its previousConfig to the new copy (provider/ledger.ts).
                .setDeletebeforereplace(
                    result.deleteBeforeReplace || news.deletionPolicy === DeletionPolicy.Restore,
                )
                .setHasdetaileddiff(true);
            const detail = detailedDiff(olds, news, result.changedProperties, result.replaces);
            for (const [path, kind] of Object.entries(detail)) {
                response
                    .getDetaileddiffMap()
                    .set(path, new provproto.PropertyDiff().setKind(KIND[kind]).setInputdiff(false));
            }
            return response;
        }),
        create: unary(
            async (req: provproto.CreateRequest) => {
                const inputs = openProperties(toJs(req.getProperties()));
                const result = await this.core.create(inputs.values);
                return new provproto.CreateResponse()
                    .setId(result.id)
                    .setProperties(toStruct(sealProperties(result.outs, secretOutputs(inputs.secrets))));
            },
            (req, error) => {
                const secrets = secretOutputs(openProperties(toJs(req.getProperties())).secrets);
                return grpcError(error, (p) => sealProperties(p, secrets));
            },
        ),
        read: unary(async (req: provproto.ReadRequest) => {
            // Import and `.get()` send an id and nothing else (`hasProperties()` is false): the core then reads
            // the instance as a lookup, whose "not found" is an error rather than "gone".
            const state = openProperties(req.hasProperties() ? toJs(req.getProperties()) : undefined);
            const stored = openProperties(req.hasInputs() ? toJs(req.getInputs()) : undefined);
            const bare = Object.keys(state.values).length === 0;
            const { instanceId, region } = bare ? checkReadId(req.getId()) : parseId(req.getId());
            const props: Properties = { ...state.values };
            if (region !== undefined && props.region === undefined) {
                props.region = region;
            }
            const result = await this.core.read(instanceId, props);
            const secrets = secretOutputs([...state.secrets, ...stored.secrets]);
            const response = new provproto.ReadResponse()
                .setId(result.id)
                .setProperties(toStruct(sealProperties(result.props, secrets)));
            if (result.inputs !== undefined && result.id !== "") {
                response.setInputs(toStruct(sealProperties(result.inputs, secrets)));
            }
            return response;
        }),
        update: unary(
            async (req: provproto.UpdateRequest) => {
                const olds = openProperties(toJs(req.getOlds()));
                const news = openProperties(toJs(req.getNews()));
                const result = await this.core.update(
                    parseId(req.getId()).instanceId,
                    olds.values,
                    news.values,
                );
                return new provproto.UpdateResponse().setProperties(
                    toStruct(sealProperties(result.outs, secretOutputs(news.secrets))),
                );
            },
            (req, error) => {
                const secrets = secretOutputs(openProperties(toJs(req.getNews())).secrets);
                return grpcError(error, (p) => sealProperties(p, secrets));
            },
        ),
        delete: unary(async (req: provproto.DeleteRequest) => {
            const state = openProperties(toJs(req.getProperties()));
            await this.core.delete(parseId(req.getId()).instanceId, state.values);
            return new Empty();
        }),
        cancel: unary(() => new Empty()),
        attach: unary(() => new Empty()),
        getMapping: unary(() => new provproto.GetMappingResponse()),
        getMappings: unary(() => new provproto.GetMappingsResponse()),
    } satisfies Partial<provrpc.IResourceProviderServer>;
}

/** Serves on 127.0.0.1 at a free port; resolves with the port and the server (to stop it). */
export async function serve(env: Env = process.env): Promise<{ port: number; server: grpc.Server }> {
    const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
    server.addService(provrpc.ResourceProviderService, new ProviderServer(env).implementation);
    const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
            error === null ? resolve(bound) : reject(error),
        ),
    );
    return { port, server };
}

/**
 * A gRPC client of the provider plugin, as the engine is: the plugin's server started in this process on
 * 127.0.0.1:0, calls made with the engine's value encoding (secrets wrapped, unknowns as the sentinel).
 */
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { JavaScriptValue } from "google-protobuf/google/protobuf/struct_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";

import { serve } from "../../plugin/src/server";

const URN =
    "urn:pulumi:dev::test::connect-campaign-limits:connectcampaignsv2:InstanceCommunicationLimits::limits";

export type Props = Record<string, unknown>;

export function struct(props: Props): Struct {
    return Struct.fromJavaScript(props as Record<string, JavaScriptValue>);
}

export function js(value: Struct | undefined): Props | undefined {
    return value?.toJavaScript();
}

export class PluginClient {
    private constructor(
        private readonly server: grpc.Server,
        readonly client: provrpc.ResourceProviderClient,
    ) {}

    static async start(env: Record<string, string | undefined>): Promise<PluginClient> {
        const { port, server } = await serve(env);
        const client = new provrpc.ResourceProviderClient(
            `127.0.0.1:${port}`,
            grpc.credentials.createInsecure(),
        );
        return new PluginClient(server, client);
    }

    private unary<Res>(
        start: (callback: (error: grpc.ServiceError | null, response: Res) => void) => unknown,
    ): Promise<Res> {
        return new Promise((resolve, reject) => {
            start((error, response) => (error === null ? resolve(response) : reject(error)));
        });
    }

    configureRequest(request: provproto.ConfigureRequest): Promise<provproto.ConfigureResponse> {
        return this.unary((cb) => this.client.configure(request, cb));
    }

    configure(args: Props): Promise<provproto.ConfigureResponse> {
        return this.configureRequest(
            new provproto.ConfigureRequest().setArgs(struct(args)).setAcceptsecrets(true),
        );
    }

    checkConfig(news: Props): Promise<provproto.CheckResponse> {
        return this.unary((cb) =>
            this.client.checkConfig(new provproto.CheckRequest().setUrn(URN).setNews(struct(news)), cb),
        );
    }

    check(news: Props, olds: Props = {}): Promise<provproto.CheckResponse> {
        const request = new provproto.CheckRequest().setUrn(URN).setOlds(struct(olds)).setNews(struct(news));
        return this.unary((cb) => this.client.check(request, cb));
    }

    diff(id: string, olds: Props, news: Props): Promise<provproto.DiffResponse> {
        const request = new provproto.DiffRequest()
            .setId(id)
            .setUrn(URN)
            .setOlds(struct(olds))
            .setNews(struct(news));
        return this.unary((cb) => this.client.diff(request, cb));
    }

    create(inputs: Props): Promise<provproto.CreateResponse> {
        const request = new provproto.CreateRequest().setUrn(URN).setProperties(struct(inputs));
        return this.unary((cb) => this.client.create(request, cb));
    }

    /** With `state` undefined: an import's or `.get()`'s Read, which carries the id alone. */
    read(id: string, state?: Props, inputs?: Props): Promise<provproto.ReadResponse> {
        const request = new provproto.ReadRequest().setId(id).setUrn(URN);
        if (state !== undefined) {
            request.setProperties(struct(state));
        }
        if (inputs !== undefined) {
            request.setInputs(struct(inputs));
        }
        return this.unary((cb) => this.client.read(request, cb));
    }

    update(id: string, olds: Props, news: Props): Promise<provproto.UpdateResponse> {
        const request = new provproto.UpdateRequest()
            .setId(id)
            .setUrn(URN)
            .setOlds(struct(olds))
            .setNews(struct(news));
        return this.unary((cb) => this.client.update(request, cb));
    }

    delete(id: string, state: Props): Promise<unknown> {
        const request = new provproto.DeleteRequest().setId(id).setUrn(URN).setProperties(struct(state));
        return this.unary((cb) => this.client.delete(request, cb));
    }

    stop(): void {
        this.client.close();
        this.server.forceShutdown();
    }
}

/** The partial-failure detail of a failed create or update, as the engine unpacks it. */
export function initFailure(error: unknown): provproto.ErrorResourceInitFailed | undefined {
    const metadata = (error as grpc.ServiceError).metadata;
    const raw = metadata?.get("grpc-status-details-bin")[0];
    if (!(raw instanceof Buffer)) {
        return undefined;
    }
    const detail = statusproto.Status.deserializeBinary(new Uint8Array(raw)).getDetailsList()[0];
    return detail === undefined
        ? undefined
        : provproto.ErrorResourceInitFailed.deserializeBinary(detail.getValue_asU8());
}

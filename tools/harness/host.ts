// The provider side of the harness: starts Pulumi's own dynamic-provider host
// (@pulumi/pulumi/cmd/dynamic-provider) exactly as the engine starts the `pulumi-nodejs` plugin, and talks
// to it over gRPC with the generated ResourceProvider client. Requests are built the way the engine's
// provider_plugin.go builds them for a provider that accepts no secrets (the host answers
// acceptSecrets=false): secrets travel as plain values.
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import type { Empty } from "google-protobuf/google/protobuf/empty_pb";
import {
    CheckRequest,
    ConfigureRequest,
    CreateRequest,
    DeleteRequest,
    DiffRequest,
    DiffResponse,
    ErrorResourceInitFailed,
    ReadRequest,
    UpdateRequest,
    type CheckResponse,
    type ConfigureResponse,
    type CreateResponse,
    type ReadResponse,
    type UpdateResponse,
} from "@pulumi/pulumi/proto/provider_pb";
import { Status } from "@pulumi/pulumi/proto/status_pb";
import { track, stopProcess } from "./processes";
import { toPropertyMap, unwrapSecretMap, type PropertyMap } from "./props";

/** The package name the engine gives the Node dynamic provider (its Configure variables are namespaced by it). */
const DYNAMIC_PACKAGE = "pulumi-nodejs";

type DiffChanges = "unknown" | "none" | "some";

export interface DiffResult {
    changes: DiffChanges;
    replaces: string[];
    deleteBeforeReplace: boolean;
}

/** A failed provider RPC. `initFailure` is set for partial failures (ErrorResourceInitFailed). */
export class ProviderError extends Error {
    override readonly name = "ProviderError";
    constructor(
        readonly rpc: string,
        readonly code: number,
        message: string,
        readonly initFailure?: { id: string; properties: PropertyMap; reasons: string[] },
    ) {
        super(message);
    }
}

function struct(map: PropertyMap): Struct {
    return Struct.fromJavaScript(map);
}

function fromStruct(value: Struct | undefined, what: string): PropertyMap {
    return value ? unwrapSecretMap(toPropertyMap(value.toJavaScript(), what)) : {};
}

/** Decodes `grpc-status-details-bin` the way the engine's parseError does. */
function initFailureOf(error: grpc.ServiceError): ProviderError["initFailure"] {
    for (const raw of error.metadata?.get("grpc-status-details-bin") ?? []) {
        const bytes = typeof raw === "string" ? Buffer.from(raw, "base64") : raw;
        for (const detail of Status.deserializeBinary(bytes).getDetailsList()) {
            if (detail.getTypeUrl().endsWith("pulumirpc.ErrorResourceInitFailed")) {
                const failure = ErrorResourceInitFailed.deserializeBinary(detail.getValue_asU8());
                return {
                    id: failure.getId(),
                    properties: fromStruct(failure.getProperties(), "ErrorResourceInitFailed.properties"),
                    reasons: failure.getReasonsList(),
                };
            }
        }
    }
    return undefined;
}

export interface HostOptions {
    /** The host's working directory, where serialized `require`s resolve (the engine's pwd). */
    programDir: string;
    env: NodeJS.ProcessEnv;
    onStderr: (text: string) => void;
    /** The Node.js executable (default: the one running the harness). */
    node?: string;
}

/** A running dynamic-provider host and a connected client. */
export class ProviderHost {
    private constructor(
        private readonly child: ChildProcess,
        private readonly client: ResourceProviderClient,
        readonly startMs: number,
    ) {}

    get pid(): number | undefined {
        return this.child.pid;
    }

    /**
     * Spawns `node <@pulumi/pulumi/cmd/dynamic-provider> <engine address>` with cwd = programDir (as the
     * engine does), reads the port from the first line of stdout and connects.
     */
    static async start(options: HostOptions): Promise<ProviderHost> {
        const started = Date.now();
        const hostPath = createRequire(path.join(options.programDir, "index.js")).resolve(
            "@pulumi/pulumi/cmd/dynamic-provider",
        );
        // The host never calls the engine back; the address only has to be present.
        const child = spawn(options.node ?? process.execPath, [hostPath, "127.0.0.1:0"], {
            cwd: options.programDir,
            env: options.env,
            stdio: ["ignore", "pipe", "pipe"],
        });
        track(child);
        child.stderr?.setEncoding("utf8");
        child.stderr?.on("data", (chunk: string) => options.onStderr(chunk));
        try {
            const port = await new Promise<number>((resolve, reject) => {
                let buffered = "";
                const onData = (chunk: Buffer): void => {
                    buffered += chunk.toString("utf8");
                    const newline = buffered.indexOf("\n");
                    if (newline >= 0) {
                        child.stdout?.off("data", onData);
                        const port = Number(buffered.slice(0, newline).trim());
                        if (Number.isInteger(port) && port > 0) {
                            resolve(port);
                        } else {
                            reject(
                                new Error(
                                    `dynamic-provider host printed ${JSON.stringify(buffered)}, not a port`,
                                ),
                            );
                        }
                    }
                };
                child.stdout?.on("data", onData);
                child.once("error", reject);
                child.once("exit", (code, signal) =>
                    reject(
                        new Error(
                            `dynamic-provider host exited before listening (code ${code}, signal ${signal})`,
                        ),
                    ),
                );
            });
            const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
            return new ProviderHost(child, client, Date.now() - started);
        } catch (error) {
            await stopProcess(child);
            throw error;
        }
    }

    /** Closes the connection and ends the host; resolves once the process has exited. */
    async stop(): Promise<void> {
        this.client.close();
        await stopProcess(this.child);
    }

    private call<Res>(
        rpc: string,
        invoke: (callback: (error: grpc.ServiceError | null, response: Res) => void) => unknown,
    ): Promise<Res> {
        return new Promise((resolve, reject) => {
            invoke((error, response) => {
                if (error) {
                    reject(
                        new ProviderError(
                            rpc,
                            error.code,
                            error.details || error.message,
                            initFailureOf(error),
                        ),
                    );
                } else {
                    resolve(response);
                }
            });
        });
    }

    /**
     * Configure as the engine sends it to a dynamic provider: `args` holds the whole stack config with
     * namespaced keys (Target.GetPackageConfig special-cases pulumi-nodejs), `variables` the same values
     * under the legacy `<package>:config:<key>` spelling.
     */
    async configure(config: Record<string, string>): Promise<void> {
        const request = new ConfigureRequest();
        request.setArgs(struct(config));
        const variables = request.getVariablesMap();
        for (const [key, value] of Object.entries(config)) {
            variables.set(`${DYNAMIC_PACKAGE}:config:${key}`, value);
        }
        request.setAcceptsecrets(true);
        request.setAcceptresources(true);
        request.setSendsOldInputs(true);
        request.setSendsOldInputsToDelete(true);
        await this.call<ConfigureResponse>("Configure", (callback) =>
            this.client.configure(request, callback),
        );
    }

    async check(
        urn: string,
        olds: PropertyMap,
        news: PropertyMap,
    ): Promise<{ inputs: PropertyMap; failures: { property: string; reason: string }[] }> {
        const request = new CheckRequest();
        setIdentity(request, urn);
        request.setOlds(struct(olds));
        request.setNews(struct(news));
        request.setRandomseed(randomSeed());
        const response = await this.call<CheckResponse>("Check", (callback) =>
            this.client.check(request, callback),
        );
        return {
            inputs: fromStruct(response.getInputs(), "Check.inputs"),
            failures: response
                .getFailuresList()
                .map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
        };
    }

    async diff(
        urn: string,
        id: string,
        oldInputs: PropertyMap,
        oldOutputs: PropertyMap,
        newInputs: PropertyMap,
    ): Promise<DiffResult> {
        const request = new DiffRequest();
        setIdentity(request, urn);
        request.setId(id);
        request.setOldInputs(struct(oldInputs));
        request.setOlds(struct(oldOutputs));
        request.setNews(struct(newInputs));
        const response = await this.call<DiffResponse>("Diff", (callback) =>
            this.client.diff(request, callback),
        );
        const changes = response.getChanges();
        return {
            changes:
                changes === DiffResponse.DiffChanges.DIFF_SOME
                    ? "some"
                    : changes === DiffResponse.DiffChanges.DIFF_NONE
                      ? "none"
                      : "unknown",
            replaces: response.getReplacesList(),
            deleteBeforeReplace: response.getDeletebeforereplace(),
        };
    }

    async create(urn: string, inputs: PropertyMap): Promise<{ id: string; outputs: PropertyMap }> {
        const request = new CreateRequest();
        setIdentity(request, urn);
        request.setProperties(struct(inputs));
        const response = await this.call<CreateResponse>("Create", (callback) =>
            this.client.create(request, callback),
        );
        return { id: response.getId(), outputs: fromStruct(response.getProperties(), "Create.properties") };
    }

    async read(
        urn: string,
        id: string,
        inputs: PropertyMap,
        state: PropertyMap,
    ): Promise<{ id: string; outputs: PropertyMap; inputs?: PropertyMap }> {
        const request = new ReadRequest();
        setIdentity(request, urn);
        request.setId(id);
        request.setInputs(struct(inputs));
        request.setProperties(struct(state));
        const response = await this.call<ReadResponse>("Read", (callback) =>
            this.client.read(request, callback),
        );
        const result: { id: string; outputs: PropertyMap; inputs?: PropertyMap } = {
            id: response.getId(),
            outputs: fromStruct(response.getProperties(), "Read.properties"),
        };
        const liveInputs = response.getInputs();
        if (liveInputs) {
            result.inputs = fromStruct(liveInputs, "Read.inputs");
        }
        return result;
    }

    async update(
        urn: string,
        id: string,
        oldInputs: PropertyMap,
        oldOutputs: PropertyMap,
        newInputs: PropertyMap,
    ): Promise<{ outputs: PropertyMap }> {
        const request = new UpdateRequest();
        setIdentity(request, urn);
        request.setId(id);
        request.setOldInputs(struct(oldInputs));
        request.setOlds(struct(oldOutputs));
        request.setNews(struct(newInputs));
        const response = await this.call<UpdateResponse>("Update", (callback) =>
            this.client.update(request, callback),
        );
        return { outputs: fromStruct(response.getProperties(), "Update.properties") };
    }

    async delete(urn: string, id: string, inputs: PropertyMap, outputs: PropertyMap): Promise<void> {
        const request = new DeleteRequest();
        setIdentity(request, urn);
        request.setId(id);
        request.setOldInputs(struct(inputs));
        request.setProperties(struct(outputs));
        await this.call<Empty>("Delete", (callback) => this.client.delete(request, callback));
    }
}

/** URN, name and type, as every resource RPC from the engine carries them. */
function setIdentity(
    request: {
        setUrn(value: string): unknown;
        setName(value: string): unknown;
        setType(value: string): unknown;
    },
    urn: string,
): void {
    const parts = urn.split("::");
    request.setUrn(urn);
    request.setName(parts[3] ?? "");
    request.setType((parts[2] ?? "").split("$").pop() ?? "");
}

function randomSeed(): Uint8Array {
    return crypto.getRandomValues(new Uint8Array(32));
}

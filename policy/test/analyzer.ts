// Runs the built pack the way the Pulumi CLI does for `--policy-pack <dir>` with a Node.js PulumiPolicy.yaml:
// the `pulumi-analyzer-policy` shim resolves @pulumi/pulumi/cmd/run-policy-pack from the pack's folder and runs
// `node <it> <engine address> .` there, with the stack named in PULUMI_NODEJS_STACK (the CLI's constructEnv);
// the pack prints its gRPC port. This client then speaks the Analyzer protocol as the engine does, including
// the config reconciliation the CLI does before Configure (schema defaults, then the given config).
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import {
    AnalyzeRequest,
    AnalyzeStackRequest,
    AnalyzerResource,
    AnalyzerResourceOptions,
    ConfigureAnalyzerRequest,
    EnforcementLevel,
    PolicyConfig,
} from "@pulumi/pulumi/proto/analyzer_pb";
import type { AnalyzeDiagnostic, AnalyzeResponse, AnalyzerInfo } from "@pulumi/pulumi/proto/analyzer_pb";

export const PACK_DIR = path.resolve(__dirname, "..");

type Level = "advisory" | "mandatory" | "disabled" | "remediate";

const LEVELS: Record<Level, EnforcementLevel> = {
    advisory: EnforcementLevel.ADVISORY,
    mandatory: EnforcementLevel.MANDATORY,
    disabled: EnforcementLevel.DISABLED,
    remediate: EnforcementLevel.REMEDIATE,
};

function levelName(level: EnforcementLevel): Level {
    const found = (Object.keys(LEVELS) as Level[]).find((name) => LEVELS[name] === level);
    if (found === undefined) {
        throw new Error(`unexpected enforcement level ${level}`);
    }
    return found;
}

export interface Diagnostic {
    policyName: string;
    enforcementLevel: Level;
    urn: string;
    message: string;
}

export interface PolicyDescription {
    name: string;
    description: string;
    enforcementLevel: Level;
    configSchema: Record<string, unknown> | undefined;
}

/** A resource as the engine sends it to Analyze (inputs after check) or AnalyzeStack (outputs). */
export interface EngineResource {
    type: string;
    name: string;
    urn: string;
    props: Record<string, unknown>;
}

export type PolicyPackConfig = Record<string, { enforcementLevel?: Level; [property: string]: unknown }>;

function diagnosticOf(d: AnalyzeDiagnostic): Diagnostic {
    return {
        policyName: d.getPolicyname(),
        enforcementLevel: levelName(d.getEnforcementlevel()),
        urn: d.getUrn(),
        message: d.getMessage(),
    };
}

function resourceMessage<T extends AnalyzeRequest | AnalyzerResource>(
    message: T,
    resource: EngineResource,
): T {
    message.setType(resource.type);
    message.setName(resource.name);
    message.setUrn(resource.urn);
    message.setProperties(
        Struct.fromJavaScript(resource.props as Parameters<typeof Struct.fromJavaScript>[0]),
    );
    message.setOptions(new AnalyzerResourceOptions());
    return message;
}

export class PackProcess {
    private constructor(
        private readonly child: ChildProcess,
        private readonly client: AnalyzerClient,
        readonly stderr: () => string,
    ) {}

    /** Starts the pack for a stack; fails if the pack was not built (`npm run build`). */
    static async start(stack: string): Promise<PackProcess> {
        const main = path.join(PACK_DIR, "dist", "index.js");
        if (!fs.existsSync(main)) {
            throw new Error(`${main} is missing: run \`npm run build\` at the repository root first`);
        }
        const runner = createRequire(path.join(PACK_DIR, "package.json")).resolve(
            "@pulumi/pulumi/cmd/run-policy-pack",
        );
        const child = spawn(process.execPath, [runner, "127.0.0.1:0", "."], {
            cwd: PACK_DIR,
            env: {
                PATH: process.env.PATH,
                HOME: process.env.HOME,
                PULUMI_NODEJS_ORGANIZATION: "organization",
                PULUMI_NODEJS_PROJECT: "connect-limits",
                PULUMI_NODEJS_STACK: stack,
                PULUMI_NODEJS_DRY_RUN: "true",
            },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let stderr = "";
        child.stderr?.setEncoding("utf8");
        child.stderr?.on("data", (chunk: string) => {
            stderr += chunk;
        });
        const port = await new Promise<number>((resolve, reject) => {
            let stdout = "";
            child.stdout?.setEncoding("utf8");
            child.stdout?.on("data", (chunk: string) => {
                stdout += chunk;
                const line = stdout.split("\n")[0] ?? "";
                if (stdout.includes("\n")) {
                    const parsed = Number(line.trim());
                    if (Number.isInteger(parsed) && parsed > 0) {
                        resolve(parsed);
                    } else {
                        reject(
                            new Error(
                                `the pack printed ${JSON.stringify(stdout)}, not a port; stderr: ${stderr}`,
                            ),
                        );
                    }
                }
            });
            child.once("error", reject);
            child.once("exit", (code) =>
                reject(new Error(`the pack exited (code ${code}) before listening: ${stderr}`)),
            );
        }).catch(async (error: unknown) => {
            await stop(child);
            throw error;
        });
        const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        return new PackProcess(child, client, () => stderr);
    }

    async stop(): Promise<void> {
        this.client.close();
        await stop(this.child);
    }

    private call<Res>(
        invoke: (callback: (error: grpc.ServiceError | null, response: Res) => void) => unknown,
    ): Promise<Res> {
        return new Promise((resolve, reject) => {
            invoke((error, response) => (error ? reject(error) : resolve(response)));
        });
    }

    async info(): Promise<{
        name: string;
        version: string;
        supportsConfig: boolean;
        policies: PolicyDescription[];
    }> {
        const info: AnalyzerInfo = await this.call((done) => this.client.getAnalyzerInfo(new Empty(), done));
        return {
            name: info.getName(),
            version: info.getVersion(),
            supportsConfig: info.getSupportsconfig(),
            policies: info.getPoliciesList().map((p) => ({
                name: p.getName(),
                description: p.getDescription(),
                enforcementLevel: levelName(p.getEnforcementlevel()),
                configSchema: p.getConfigschema()?.getProperties()?.toJavaScript(),
            })),
        };
    }

    /**
     * Configures the pack as the CLI does: every policy gets its default level and its schema's defaults, then
     * what `config` (a `--policy-pack-config` file's content) gives.
     */
    async configure(config: PolicyPackConfig = {}): Promise<void> {
        const { policies } = await this.info();
        const request = new ConfigureAnalyzerRequest();
        for (const policy of policies) {
            const { enforcementLevel, ...given } = config[policy.name] ?? {};
            const defaults = Object.fromEntries(
                Object.entries(policy.configSchema ?? {}).flatMap(([key, schema]) =>
                    typeof schema === "object" && schema !== null && "default" in schema
                        ? [[key, schema.default]]
                        : [],
                ),
            );
            const entry = new PolicyConfig();
            entry.setEnforcementlevel(LEVELS[enforcementLevel ?? policy.enforcementLevel]);
            entry.setProperties(
                Struct.fromJavaScript({ ...defaults, ...given } as Parameters<
                    typeof Struct.fromJavaScript
                >[0]),
            );
            request.getPolicyconfigMap().set(policy.name, entry);
        }
        await this.call((done) => this.client.configure(request, done));
    }

    async analyze(resource: EngineResource): Promise<Diagnostic[]> {
        const response: AnalyzeResponse = await this.call((done) =>
            this.client.analyze(resourceMessage(new AnalyzeRequest(), resource), done),
        );
        return response.getDiagnosticsList().map(diagnosticOf);
    }

    async analyzeStack(resources: EngineResource[]): Promise<Diagnostic[]> {
        const request = new AnalyzeStackRequest();
        request.setResourcesList(resources.map((r) => resourceMessage(new AnalyzerResource(), r)));
        const response: AnalyzeResponse = await this.call((done) => this.client.analyzeStack(request, done));
        return response.getDiagnosticsList().map(diagnosticOf);
    }
}

async function stop(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) {
        return;
    }
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 2000);
    await exited;
    clearTimeout(timer);
}

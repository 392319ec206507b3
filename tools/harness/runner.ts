// The program side of the harness: runs a Pulumi program in this (child) process the way the Node language
// host does (`runInPulumiStack(() => require(program))`), with the SDK's mock monitor standing in for the
// engine's ResourceMonitor. Every RegisterResource / ReadResource / RegisterResourceOutputs the program makes
// is forwarded over IPC to the harness, which performs the engine step and answers with the resource's id and
// outputs, so the program sees real values exactly as it would under `pulumi up`.
//
// Started as: node -r ts-node/register/transpile-only runner.ts <program>   (cwd = the engine's pwd), where
// <program> is the entry point @pulumi/pulumi/cmd/run would require (project.ts resolves it).
// Environment: PULUMI_CONFIG, PULUMI_NODEJS_PROJECT, PULUMI_NODEJS_STACK, PULUMI_NODEJS_DRY_RUN,
// PULUMI_NODEJS_PARALLEL.
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import type * as PulumiModule from "@pulumi/pulumi";
import type {
    ReadResourceRequest,
    RegisterResourceOutputsRequest,
    RegisterResourceRequest,
} from "@pulumi/pulumi/proto/resource_pb";
import { SECRET_SIG, SIG_KEY, UNKNOWN, isObject, type JsonValue, type PropertyMap } from "./props";
import { isParentMessage, type ChildMessage, type RegisterMessage, type ResolvedMessage } from "./protocol";

type Callback = (error: Error | null, response?: unknown) => void;

/** The parts of the SDK's MockMonitor (runtime/mocks.js) the harness hooks into. */
interface MockMonitorLike {
    registerResource(request: RegisterResourceRequest, callback: Callback): unknown;
    readResource(request: ReadResourceRequest, callback: Callback): unknown;
    registerResourceOutputs(request: RegisterResourceOutputsRequest, callback: Callback): unknown;
    newUrn(parent: string, type: string, name: string): string;
}

/** What the monitor knows about a registration and MockResourceArgs does not carry. */
type Pending = Omit<RegisterMessage, "kind" | "seq" | "type" | "name" | "custom" | "inputs">;

/** The signature of an output value (rpc.specialOutputValueSig), as a replacementTrigger may carry one. */
const OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";

const program = path.resolve(process.argv[2] ?? ".");
// Set by program.ts for this file's own compilation only.
delete process.env["TS_NODE_PROJECT"];
const programIsDirectory = fs.existsSync(program) && fs.statSync(program).isDirectory();
const project = process.env["PULUMI_NODEJS_PROJECT"] ?? "test";
const stack = process.env["PULUMI_NODEJS_STACK"] ?? "dev";
const dryRun = process.env["PULUMI_NODEJS_DRY_RUN"] === "true";

// Resolve @pulumi/pulumi from the program, so the mocks are installed in the copy the program uses.
const load = createRequire(programIsDirectory ? path.join(program, "index.js") : program);
const pulumi = load("@pulumi/pulumi") as typeof PulumiModule;

/** The SDK's own helpers for finding TypeScript and ts-node (`@pulumi/pulumi/tsutils`, used by cmd/run). */
interface TsUtils {
    loadTypeScriptCompilerOptions(tsConfigPath: string): Record<string, unknown>;
    typeScriptRequireStrings(): { tsnodeRequire: string; typescriptRequire: string };
}

/**
 * What cmd/run (run.js) does before it requires a TypeScript program (PULUMI_NODEJS_TYPESCRIPT=true): register
 * the ts-node the SDK finds (the program's, else its vendored one) with the project's tsconfig.json in the
 * working directory (PULUMI_NODEJS_TSCONFIG_PATH), or none at all when there is none there — never one
 * further up — and its defaults (ES2020, nodenext) under the tsconfig's own options. One difference: the
 * harness always transpiles only, where run.js type-checks unless the tsconfig sets `noCheck` or
 * PULUMI_NODEJS_TRANSPILE_ONLY=true. This registration replaces the harness's own (which compiled this file).
 */
function registerTypeScript(): void {
    if (process.env["PULUMI_NODEJS_TYPESCRIPT"] !== "true") {
        return;
    }
    const sdk = createRequire(load.resolve("@pulumi/pulumi/package.json"));
    const tsutils = sdk("./tsutils") as TsUtils;
    const tsConfigPath = process.env["PULUMI_NODEJS_TSCONFIG_PATH"] ?? "tsconfig.json";
    const compilerOptions = tsutils.loadTypeScriptCompilerOptions(tsConfigPath);
    const { tsnodeRequire, typescriptRequire } = tsutils.typeScriptRequireStrings();
    const typescript = sdk(typescriptRequire) as { version: string };
    const [major = 0, minor = 0] = typescript.version.split(".").map(Number);
    const nodeNext = major > 4 || (major === 4 && minor >= 7);
    const tsNode = sdk(tsnodeRequire) as { register(options: object): unknown };
    tsNode.register({
        compiler: typescriptRequire,
        transpileOnly: true,
        project: tsConfigPath,
        skipProject: !fs.existsSync(tsConfigPath),
        compilerOptions: {
            target: "ES2020",
            module: nodeNext ? "nodenext" : "commonjs",
            moduleResolution: nodeNext ? "nodenext" : "node",
            sourceMap: "true",
            ...compilerOptions,
        },
    });
}

function send(message: ChildMessage): Promise<void> {
    return new Promise((resolve, reject) => {
        if (!process.send) {
            reject(new Error("runner.ts must be started with an IPC channel (child_process.fork)"));
            return;
        }
        process.send(message, undefined, {}, (error) => (error ? reject(error) : resolve()));
    });
}

const waiting = new Map<
    number,
    { resolve: (reply: ResolvedMessage) => void; reject: (error: Error) => void }
>();
let nextSeq = 1;
process.on("message", (message: unknown) => {
    if (!isParentMessage(message)) {
        return;
    }
    const waiter = waiting.get(message.seq);
    waiting.delete(message.seq);
    if (message.kind === "resolved") {
        waiter?.resolve(message);
    } else {
        waiter?.reject(new Error(message.error));
    }
});

/** The engine's URN rule (resource.NewURN; the SDK's createUrn): children of the root stack get no type prefix. */
function engineUrn(parent: string, type: string, name: string): string {
    let prefix = `urn:pulumi:${stack}::${project}::`;
    if (parent !== "") {
        const parentPrefix = `${parent.substring(0, parent.lastIndexOf("::"))}$`;
        if (!parentPrefix.endsWith("::pulumi:pulumi:Stack$")) {
            prefix = parentPrefix;
        }
    }
    return `${prefix}${type}::${name}`;
}

/**
 * Converts inputs as the mock monitor deserialized them into wire JSON: the SDK's `unknown` marker (what a
 * preview hands over for outputs of resources not created yet) becomes the UNKNOWN sentinel, undefined
 * properties are dropped. Secret wrappers are left for the harness to unwrap.
 */
function toWire(value: unknown, where: string): JsonValue | undefined {
    if (pulumi.isUnknown(value)) {
        return UNKNOWN;
    }
    if (value === undefined) {
        return undefined;
    }
    if (value === null || typeof value === "string" || typeof value === "boolean") {
        return value;
    }
    if (typeof value === "number") {
        return value;
    }
    if (Array.isArray(value)) {
        return value.map((element: unknown, index) => toWire(element, `${where}[${index}]`) ?? null);
    }
    if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
        const result: PropertyMap = {};
        for (const [key, inner] of Object.entries(value)) {
            const wire = toWire(inner, `${where}.${key}`);
            if (wire !== undefined) {
                result[key] = wire;
            }
        }
        return result;
    }
    throw new Error(
        `harness: ${where} is not plain data (assets, archives and resource references are not supported)`,
    );
}

/** A replacementTrigger as the engine compares it: secrets unwrapped, an output without a value unknown. */
function triggerValue(value: unknown): JsonValue {
    if (Array.isArray(value)) {
        return value.map(triggerValue);
    }
    if (isObject(value)) {
        if (value[SIG_KEY] === OUTPUT_SIG) {
            return "value" in value ? triggerValue(value["value"]) : UNKNOWN;
        }
        if (value[SIG_KEY] === SECRET_SIG) {
            return triggerValue(value["value"] ?? null);
        }
        const result: PropertyMap = {};
        for (const [key, inner] of Object.entries(value)) {
            result[key] = triggerValue(inner);
        }
        return result;
    }
    if (
        value === null ||
        typeof value === "string" ||
        typeof value === "number" ||
        typeof value === "boolean"
    ) {
        return value;
    }
    return null;
}

let pending: Pending | undefined;

const mocks: PulumiModule.runtime.Mocks = {
    call(args) {
        throw new Error(`harness: invoke ${args.token} is not supported (only dynamic resources are)`);
    },
    async newResource(args) {
        // The mock monitor calls newResource synchronously from registerResource/readResource, so `pending`
        // still holds what the wrapped monitor method recorded about this very request.
        const context = pending;
        pending = undefined;
        if (!context) {
            throw new Error(`harness: ${args.type} ${args.name} was registered outside the monitor`);
        }
        const inputs = toWire(args.inputs, args.name);
        const message: RegisterMessage = {
            kind: "register",
            seq: nextSeq++,
            type: args.type,
            name: args.name,
            custom: args.custom ?? true,
            inputs: isObject(inputs) ? inputs : {},
            ...context,
        };
        const reply = new Promise<ResolvedMessage>((resolve, reject) => {
            waiting.set(message.seq, { resolve, reject });
        });
        await send(message);
        const resolved = await reply;
        return { id: resolved.id, state: resolved.state };
    },
};

function describe(error: unknown): string {
    if (error instanceof Error) {
        return error.stack ?? error.message;
    }
    return String(error);
}

let finished = false;
async function finish(error?: unknown): Promise<void> {
    if (finished) {
        return;
    }
    finished = true;
    try {
        await send(error === undefined ? { kind: "done" } : { kind: "done", error: describe(error) });
    } finally {
        process.exit(error === undefined ? 0 : 1);
    }
}

process.on("uncaughtException", (error) => void finish(error));
process.on("unhandledRejection", (reason) => void finish(reason));

async function main(): Promise<void> {
    await pulumi.runtime.setMocks(mocks, project, stack, dryRun);
    const monitor = pulumi.runtime.getMonitor() as unknown as MockMonitorLike;
    monitor.newUrn = (parent, type, name) => engineUrn(parent, type, name);

    const registerResource = monitor.registerResource.bind(monitor);
    monitor.registerResource = (request, callback) => {
        const context: Pending = {
            read: false,
            urn: engineUrn(request.getParent(), request.getType(), request.getName()),
            parent: request.getParent(),
            id: request.getImportid(),
            provider: request.getProvider(),
            dependencies: request.getDependenciesList(),
        };
        if (request.getDeletebeforereplacedefined()) {
            context.deleteBeforeReplace = request.getDeletebeforereplace();
        }
        const trigger = request.getReplacementTrigger();
        if (trigger !== undefined) {
            context.replacementTrigger = triggerValue(trigger.toJavaScript());
        }
        pending = context;
        try {
            return registerResource(request, callback);
        } finally {
            pending = undefined;
        }
    };

    const readResource = monitor.readResource.bind(monitor);
    monitor.readResource = (request, callback) => {
        pending = {
            read: true,
            urn: engineUrn(request.getParent(), request.getType(), request.getName()),
            parent: request.getParent(),
            id: request.getId(),
            provider: request.getProvider(),
            dependencies: request.getDependenciesList(),
        };
        try {
            return readResource(request, callback);
        } finally {
            pending = undefined;
        }
    };

    const registerResourceOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (request, callback) => {
        const outputs = toWire(request.getOutputs()?.toJavaScript() ?? {}, "outputs");
        send({ kind: "outputs", urn: request.getUrn(), outputs: isObject(outputs) ? outputs : {} }).then(
            () => registerResourceOutputs(request, callback),
            (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
        );
    };

    registerTypeScript();
    // What the language host's run.js does for a CommonJS program: a folder ends with a separator, so that
    // Node.js resolves the folder (its package.json main, else its index), not an adjacent file.
    await pulumi.runtime.runInPulumiStack(async () => {
        const programExport: unknown = load(
            programIsDirectory && !program.endsWith(path.sep) ? `${program}${path.sep}` : program,
        );
        const result: unknown =
            programExport instanceof Function ? (programExport as () => unknown)() : programExport;
        return await result;
    });
    // Let queued registrations (e.g. the stack's RegisterResourceOutputs) reach the harness before "done".
    const runtime = pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> };
    if (runtime.waitForRPCs) {
        await runtime.waitForRPCs();
    }
}

main().then(
    () => finish(),
    (error: unknown) => finish(error),
);

// The program side of the harness: runs a Pulumi program in this (child) process the way the Node language
// host does (`runInPulumiStack(() => require(program))`), with the SDK's mock monitor standing in for the
// engine's ResourceMonitor. Every RegisterResource / ReadResource / RegisterResourceOutputs the program makes
// is forwarded over IPC to the harness, which performs the engine step and answers with the resource's id and
// outputs, so the program sees real values exactly as it would under `pulumi up`.
//
// Started as: node -r ts-node/register/transpile-only runner.ts <programDir>   (cwd = programDir)
// Environment: PULUMI_CONFIG, PULUMI_NODEJS_PROJECT, PULUMI_NODEJS_STACK, PULUMI_NODEJS_DRY_RUN,
// PULUMI_NODEJS_PARALLEL.
import { createRequire } from "node:module";
import * as path from "node:path";
import type * as PulumiModule from "@pulumi/pulumi";
import type {
    ReadResourceRequest,
    RegisterResourceOutputsRequest,
    RegisterResourceRequest,
} from "@pulumi/pulumi/proto/resource_pb";
import { UNKNOWN, isObject, type JsonValue, type PropertyMap } from "./props";
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

const programDir = path.resolve(process.argv[2] ?? ".");
const project = process.env["PULUMI_NODEJS_PROJECT"] ?? "test";
const stack = process.env["PULUMI_NODEJS_STACK"] ?? "dev";
const dryRun = process.env["PULUMI_NODEJS_DRY_RUN"] === "true";

// Resolve @pulumi/pulumi from the program, so the mocks are installed in the copy the program uses.
const load = createRequire(path.join(programDir, "index.js"));
const pulumi = load("@pulumi/pulumi") as typeof PulumiModule;

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

    // What the language host's run.js does for a CommonJS program.
    await pulumi.runtime.runInPulumiStack(async () => {
        const programExport: unknown = load(`${programDir}${path.sep}`);
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

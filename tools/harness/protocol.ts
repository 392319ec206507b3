// Messages between the harness (parent) and the program runner (child, runner.ts) over the fork IPC channel.
// They stand in for the ResourceMonitor gRPC calls a language host makes to the engine.
import type { JsonValue, PropertyMap } from "./props";

/** RegisterResource or ReadResource from the program (intercepted in the mock monitor). */
export interface RegisterMessage {
    kind: "register";
    seq: number;
    /** true for ReadResource (`Resource.get`, a resource constructed with an `id`). */
    read: boolean;
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    parent: string;
    /** ReadResource: the id to read. RegisterResource: the `import` id, if any. */
    id: string;
    /** Program inputs as the mock monitor saw them; unknowns already mapped to the UNKNOWN sentinel. */
    inputs: PropertyMap;
    provider: string;
    dependencies: string[];
    /** The `deleteBeforeReplace` resource option, when set. */
    deleteBeforeReplace?: boolean;
    /** The `replacementTrigger` resource option, when set (unknowns as the UNKNOWN sentinel). */
    replacementTrigger?: JsonValue;
}

/** RegisterResourceOutputs (component outputs; for the root stack, the stack outputs). */
interface OutputsMessage {
    kind: "outputs";
    urn: string;
    outputs: PropertyMap;
}

/** The program finished (error set if it threw or an unhandled error occurred). */
interface DoneMessage {
    kind: "done";
    error?: string;
}

export type ChildMessage = RegisterMessage | OutputsMessage | DoneMessage;

/** The engine's answer to a registration: what RegisterResourceResponse would carry. */
export interface ResolvedMessage {
    kind: "resolved";
    seq: number;
    id: string;
    state: PropertyMap;
}

interface RejectedMessage {
    kind: "rejected";
    seq: number;
    error: string;
}

export type ParentMessage = ResolvedMessage | RejectedMessage;

export function isChildMessage(value: unknown): value is ChildMessage {
    if (typeof value !== "object" || value === null || !("kind" in value)) {
        return false;
    }
    const kind = value.kind;
    return kind === "register" || kind === "outputs" || kind === "done";
}

export function isParentMessage(value: unknown): value is ParentMessage {
    if (typeof value !== "object" || value === null || !("kind" in value)) {
        return false;
    }
    const kind = value.kind;
    return kind === "resolved" || kind === "rejected";
}

// Public types of the engine harness.
import type { PropertyMap } from "./props";

export interface StackOptions {
    /** Directory holding the Pulumi program (index.ts); the cwd of the program and of the provider host. */
    programDir: string;
    /** Default: `name` from programDir/Pulumi.yaml, else "test". */
    project?: string;
    /** Default: "dev". */
    stack?: string;
    /** Stack config with full keys (`proj:key`, `aws:region`); structured values as JSON strings. */
    config?: Record<string, string>;
    /** Extra environment for the program and the host, merged over process.env. */
    env?: Record<string, string>;
    /** JSON state file; default: a fresh temporary file. */
    statePath?: string;
    /** Maximum concurrent resource operations (default 1), like `pulumi --parallel`. */
    parallel?: number;
    /** A run that takes longer fails and its processes are killed (default 120000 ms). */
    timeoutMs?: number;
}

/** One resource in the state file, as the engine's checkpoint records it (simplified). */
export interface StateResource {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    /** Empty for components. */
    id: string;
    /** URN of the parent ("" for the stack itself). */
    parent: string;
    inputs: PropertyMap;
    outputs: PropertyMap;
    dependencies: string[];
    /** Read with `get` (ReadResource): Pulumi does not own its lifecycle. */
    external?: boolean;
    /** An old copy replaced create-before-delete, awaiting its Delete. */
    delete?: boolean;
    /** Deleted by a delete-before-replace whose Create has not happened yet. */
    pendingReplacement?: boolean;
    /** Reasons from a partial failure (ErrorResourceInitFailed); the next up updates the resource. */
    initErrors?: string[];
}

export interface StateFile {
    version: 1;
    resources: StateResource[];
}

export interface PropertyChange {
    /** e.g. `communicationLimitsConfig.allChannelSubtypes.communicationLimitsList[1].frequency` */
    path: string;
    old?: unknown;
    new?: unknown;
}

export type StepOp = "same" | "create" | "update" | "replace" | "delete" | "read" | "refresh" | "discard";

export interface StepResult {
    urn: string;
    type: string;
    name: string;
    op: StepOp;
    /** Which pass produced the step: the refresh pass, the program (update) pass, or destroy. */
    phase: "refresh" | "update" | "destroy";
    /** The resource's id after the step (empty in preview for creates and for components). */
    id: string;
    changes: PropertyChange[];
    replaceKeys?: string[];
    deleteBeforeReplace?: boolean;
    checkFailures: { property: string; reason: string }[];
    error?: string;
    /** Refresh: the provider's Diff(live outputs, desired inputs) reported changes. */
    drift?: boolean;
    /** The provider RPCs made for this resource, in order, e.g. ["Check", "Diff", "Create"]. */
    rpc: string[];
}

export type RunKind = "preview" | "up" | "refresh" | "destroy";

export interface RunResult {
    kind: RunKind;
    /** True when nothing was (or would be) written: preview, refresh({preview: true}). */
    dryRun: boolean;
    ok: boolean;
    steps: StepResult[];
    /** Every provider RPC of the run in the order it was made (Configure excluded). */
    calls: { urn: string; rpc: string }[];
    /** Stack outputs exported by the program: real values after up, UNKNOWN_DISPLAY where unknown in preview. */
    outputs: Record<string, unknown>;
    errors: string[];
    hostStderr: string;
    /** What the program printed (stdout and stderr). */
    programOutput: string;
    /** 0 ok; EXIT_FAILURE on failure; EXIT_NO_CHANGES_EXPECTED when `expectNoChanges` saw changes. */
    exitCode: number;
    /** Process ids of the provider host and the program, both dead when the run returns. */
    hostPid?: number;
    programPid?: number;
    /** Milliseconds from spawn to ready: the host's port line, the program's first message. */
    timings: { hostStartMs?: number; programStartMs?: number; totalMs: number };
}

/** `pulumi` exits 255 when an operation fails. */
export const EXIT_FAILURE = 255;

/** Exit code of current `pulumi` releases when `--expect-no-changes` sees changes. */
export const EXIT_NO_CHANGES_EXPECTED = 7;

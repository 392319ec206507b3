// Public types of the engine harness.
import type { JsonValue, KeyDiff, PropertyMap } from "./props";

export interface StackOptions {
    /**
     * The project directory (where Pulumi.yaml is). The program and the provider host run in the directory
     * the engine derives from it (Pulumi.yaml `main`), and the program is the entry point `cmd/run` resolves.
     */
    programDir: string;
    /** Default: `name` from programDir/Pulumi.yaml, else "test". */
    project?: string;
    /** Default: "dev". */
    stack?: string;
    /** Stack config with full keys (`proj:key`, `aws:region`); structured values as JSON strings. */
    config?: Record<string, string>;
    /** Extra environment for the program and the host, merged over process.env; `undefined` unsets a variable. */
    env?: Record<string, string | undefined>;
    /** JSON state file; default: a fresh temporary file. */
    statePath?: string;
    /** Maximum concurrent resource operations, like `pulumi --parallel` (default: the CLI's, 4 × GOMAXPROCS). */
    parallel?: number;
    /** A run that takes longer fails and its processes are killed (default 120000 ms). */
    timeoutMs?: number;
    /** The `pulumi` CLI version whose exit codes and messages the run reports (default: the CLI tier's pin). */
    cliVersion?: string;
    /** The Node.js executable for the program and the provider host (default: the one running the harness). */
    node?: string;
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
    /** `pulumi state taint`: the next up replaces the resource. */
    taint?: boolean;
    /** The `replacementTrigger` resource option as last applied. */
    replacementTrigger?: JsonValue;
}

/**
 * The default provider resource (`pulumi:providers:pulumi-nodejs::default`) as the engine stores it: its
 * inputs are the whole stack config as of the last update that registered a dynamic resource. Refresh,
 * destroy and deletes in a run that registers no dynamic resource configure the provider from these.
 */
export interface DefaultProviderState {
    urn: string;
    id: string;
    inputs: Record<string, string>;
}

export interface StateFile {
    version: 1;
    resources: StateResource[];
    defaultProvider?: DefaultProviderState;
}

export interface PropertyChange {
    /** e.g. `communicationLimitsConfig.allChannelSubtypes.communicationLimitsList[1].frequency` */
    path: string;
    old?: unknown;
    new?: unknown;
}

/** The logical operation on a resource (what the summary counts). */
export type StepOp = "same" | "create" | "update" | "replace" | "delete" | "read" | "refresh" | "discard";

/** The ops the engine reports in its event stream (pkg/resource/deploy/step.go, `Op*`). */
type EngineOp =
    | StepOp
    | "create-replacement"
    | "delete-replaced"
    | "read-replacement"
    | "discard-replaced"
    | "remove-pending-replace";

export interface StepResult {
    urn: string;
    type: string;
    name: string;
    /**
     * The logical op. Refresh steps carry what the engine reports for them: in `refresh` the outcome
     * (RefreshStep.ResultOp: same, update, or delete when Read returned no id); in the refresh pass of
     * `--refresh`, "refresh" (the outcome is in `resultOp`).
     */
    op: StepOp;
    /** The engine's ops for this resource in the order its events report them (e.g. create-replacement, replace, delete-replaced). */
    engineOps: EngineOp[];
    /** Which pass produced the step: the refresh pass, the program (update) pass, or destroy. */
    phase: "refresh" | "update" | "destroy";
    /** The resource's id after the step (empty in preview for creates and for components). */
    id: string;
    changes: PropertyChange[];
    /** The top-level keys added, deleted and updated (what `[diff: +a-b~c]` lists; `__provider` aside). */
    diff?: KeyDiff;
    replaceKeys?: string[];
    deleteBeforeReplace?: boolean;
    checkFailures: { property: string; reason: string }[];
    error?: string;
    /** Refresh: the outcome (RefreshStep.ResultOp). */
    resultOp?: "same" | "update" | "delete";
    /** Refresh: the provider's Diff(live outputs, desired inputs) reported changes (resultOp "update"). */
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
    /** Steps of the program's resources and the stack, in the order they started. */
    steps: StepResult[];
    /** Steps of the default provider resource (`pulumi:providers:pulumi-nodejs::default`). */
    providerSteps: StepResult[];
    /** Every provider RPC of the run in the order it was made (Configure excluded). */
    calls: { urn: string; rpc: string }[];
    /** Stack outputs exported by the program: real values after up, UNKNOWN_DISPLAY where unknown in preview. */
    outputs: Record<string, unknown>;
    errors: string[];
    hostStderr: string;
    /** What the program printed (stdout and stderr). */
    programOutput: string;
    /** 0 ok; the CLI version's failure code; its `--expect-no-changes` code when changes were seen. */
    exitCode: number;
    /** The first provider host's process id (see hostPids). */
    hostPid?: number;
    /** Every provider host process the run started, all dead when the run returns. */
    hostPids: number[];
    /** The config each configured host received, in order: one host per distinct config. */
    configurations: Record<string, string>[];
    programPid?: number;
    /** Milliseconds from spawn to ready: the first host's port line, the program's first message. */
    timings: { hostStartMs?: number; programStartMs?: number; totalMs: number };
}

export { EXIT_FAILURE, EXIT_FAILURE_LEGACY, EXIT_NO_CHANGES_EXPECTED } from "./cli";

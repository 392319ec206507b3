// The engine: turns program registrations and stored state into provider RPCs, the way pulumi/pulumi's
// deployment does (pkg/resource/deploy/step_generator.go, step.go, source_eval.go,
// providers/registry.go), for dynamic resources.
//
// The default provider: the engine keeps `pulumi:providers:pulumi-nodejs::default` in state with the whole
// stack config as its inputs (Target.GetPackageConfig passes dynamic providers everything). Refresh (and the
// refresh pass of --refresh), destroy, and the deletes of a run that registers no dynamic resource configure
// the provider from those stored inputs (Deployment.EnsureProvider → Registry.Same). The program phase
// registers the default provider with the current config (Check, then Update when it differs: DiffConfig is
// unimplemented, so any difference is an update that keeps its id); from then on — deletes at the end of the
// run included — that configuration is used. Each distinct configuration is its own host process.
//
// Simplifications (each also noted where it applies):
// - CheckConfig/DiffConfig/Handshake/GetPluginInfo are not called (the dynamic host answers UNIMPLEMENTED or
//   a constant). An engine started for Check but left unconfigured (Registry.Check then Same) is not started.
// - Secrets are unwrapped on the way in and stored in plain text (the engine would keep the secret bit).
// - Resource options honoured: parent, dependsOn (dependencies), deleteBeforeReplace, replacementTrigger.
//   Not honoured: protect, ignoreChanges, replaceOnChanges, retainOnDelete, deletedWith, aliases, custom
//   timeouts, import.
// - The snapshot is resources touched by this run (in completion order) followed by untouched old ones.
// - After the first failed step no new step starts (steps already running finish), and the program is then
//   stopped, as the engine cancels the source; deletes run only after the program finished without error.
// - `up` is `pulumi up --skip-preview`: the engine's up without it previews first and stops if the preview
//   fails, which writes nothing (not even the default provider's new config).
import { randomUUID } from "node:crypto";

import { messageOf } from "../shared";
import { exitCodesOf, noChangesExpectedMessage } from "./cli";
import { ProviderError, ProviderHost } from "./host";
import { ProgramProcess } from "./program";
import {
    UNKNOWN,
    changedKeys,
    containsUnknowns,
    deepEqual,
    displayValue,
    isObject,
    keyDiff,
    pathChanges,
    stripUnknowns,
    unwrapSecretMap,
    type JsonValue,
    type PropertyMap,
} from "./props";
import type { ChildMessage, RegisterMessage } from "./protocol";
import { writeState } from "./state";
import type {
    DefaultProviderState,
    RunKind,
    RunResult,
    StateFile,
    StateResource,
    StepOp,
    StepResult,
} from "./types";

const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";
const DEFAULT_PROVIDER_TYPE = "pulumi:providers:pulumi-nodejs";

export interface DeploymentOptions {
    kind: RunKind;
    /** Nothing is written (preview; refresh --preview-only). */
    dryRun: boolean;
    /** Run a refresh pass before the program (preview/up --refresh). */
    refresh: boolean;
    expectNoChanges: boolean;
    project: string;
    stack: string;
    /** The working directory of the program and of the provider host. */
    pwd: string;
    /** The program's entry point. */
    program: string;
    statePath: string;
    state: StateFile;
    config: Record<string, string>;
    /** What the language host gives the program. */
    programEnv: NodeJS.ProcessEnv;
    /** What the engine gives the provider plugin. */
    hostEnv: NodeJS.ProcessEnv;
    parallel: number;
    timeoutMs: number;
    cliVersion: string;
    /** `--replace` URNs. */
    replaceTargets: readonly string[];
    node?: string;
}

/** Fails the run without a further message (the reason is already recorded). */
class Bail extends Error {
    override readonly name = "Bail";
}

class Semaphore {
    private active = 0;
    private readonly queue: (() => void)[] = [];
    constructor(private readonly limit: number) {}

    async run<T>(work: () => Promise<T>): Promise<T> {
        if (this.active < this.limit) {
            this.active++;
        } else {
            // The finishing holder hands its slot over without releasing it.
            await new Promise<void>((resolve) => this.queue.push(resolve));
        }
        try {
            return await work();
        } finally {
            const next = this.queue.shift();
            if (next) {
                next();
            } else {
                this.active--;
            }
        }
    }
}

function nameOf(urn: string): string {
    return urn.split("::")[3] ?? urn;
}

function typeOf(urn: string): string {
    return (urn.split("::")[2] ?? "").split("$").pop() ?? "";
}

function configKey(config: Record<string, string>): string {
    return JSON.stringify(Object.entries(config).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function sameConfig(a: Record<string, string>, b: Record<string, string>): boolean {
    return configKey(a) === configKey(b);
}

/**
 * How Go's fmt prints a resource.PropertyValue (`{<value>}`), as diagnostic 2003 shows it. Numbers use
 * JavaScript's shortest form, which matches Go's %v for the values a program sends; unknowns are shown as
 * `{<computed>}` (the engine prints its Computed struct).
 */
function goPropertyValue(value: JsonValue | undefined): string {
    const inner = (v: JsonValue | undefined): string => {
        if (v === undefined || v === null) {
            return "<nil>";
        }
        if (v === UNKNOWN) {
            return "<computed>";
        }
        if (Array.isArray(v)) {
            return `[${v.map((element) => `{${inner(element)}}`).join(" ")}]`;
        }
        if (isObject(v)) {
            const keys = Object.keys(v).sort();
            return `map[${keys.map((key) => `${key}:{${inner(v[key])}}`).join(" ")}]`;
        }
        return String(v);
    };
    return `{${inner(value)}}`;
}

/** The property paths a step changes, and its top-level keys as the CLI's `[diff: …]` shows them. */
function describe(
    step: StepResult,
    olds: PropertyMap,
    news: PropertyMap,
    ignoreKeys?: readonly string[],
): void {
    step.changes = ignoreKeys === undefined ? pathChanges(olds, news) : pathChanges(olds, news, ignoreKeys);
    step.diff = keyDiff(olds, news);
}

/** step_generator.go shouldTriggerReplace: unknowns always change; null on either side is no trigger. */
function triggerChanged(now: JsonValue | undefined, before: JsonValue | undefined): boolean {
    if ((now !== undefined && containsUnknowns(now)) || (before !== undefined && containsUnknowns(before))) {
        return true;
    }
    if (now === undefined || now === null || before === undefined || before === null) {
        return false;
    }
    return !deepEqual(now, before);
}

export class Deployment {
    private readonly steps: StepResult[] = [];
    private readonly providerSteps: StepResult[] = [];
    private readonly calls: { urn: string; rpc: string }[] = [];
    private readonly errors: string[] = [];
    private failed = false;
    private onFailed: () => void = () => undefined;
    private readonly failedSignal = new Promise<void>((resolve) => (this.onFailed = resolve));

    /** Old resources (from the state file) and what this run did to them. */
    private readonly olds: StateResource[];
    private readonly removed = new Set<StateResource>();
    /** Resources produced by this run, in completion order. */
    private readonly news: StateResource[] = [];
    /** URNs registered or read by the program in this run. */
    private readonly seen = new Set<string>();
    private readonly inFlight = new Set<Promise<void>>();
    private readonly semaphore: Semaphore;

    /** The default provider as the snapshot holds it now. */
    private provider: DefaultProviderState | undefined;
    private providerRegistration?: Promise<ProviderHost>;
    /** The program registered a dynamic resource, so the default provider now has the current config. */
    private providerRegistered = false;

    /** Configured hosts by configuration; each is its own process. */
    private readonly hosts = new Map<string, Promise<ProviderHost>>();
    private readonly hostStarts: Promise<ProviderHost>[] = [];
    private readonly hostPids: number[] = [];
    private readonly configurations: Record<string, string>[] = [];
    /** A host started ahead of its first use (runs with a program), not configured yet. */
    private spare: Promise<ProviderHost> | undefined;
    private hostStartMs?: number;

    private program?: ProgramProcess;
    private stackOutputs: Record<string, unknown> = {};
    private hostStderr = "";
    private programOutput = "";

    constructor(private readonly options: DeploymentOptions) {
        this.olds = structuredClone(options.state.resources);
        this.provider =
            options.state.defaultProvider === undefined
                ? undefined
                : structuredClone(options.state.defaultProvider);
        this.semaphore = new Semaphore(Math.max(1, options.parallel));
    }

    async run(): Promise<RunResult> {
        const runStarted = Date.now();
        if (this.options.kind === "preview" || this.options.kind === "up") {
            // The program phase will almost surely need a host: start one while the program starts.
            this.spare = this.startHost();
        }

        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
            timer = setTimeout(
                () => reject(new Error(`${this.options.kind} timed out after ${this.options.timeoutMs} ms`)),
                this.options.timeoutMs,
            );
        });
        const work = this.phases();
        work.catch(() => undefined);
        try {
            await Promise.race([work, timeout]);
        } catch (error) {
            this.fail(error);
        } finally {
            clearTimeout(timer);
            await this.program?.stop();
            const started = await Promise.allSettled(this.hostStarts);
            await Promise.all(
                started.map((outcome) =>
                    outcome.status === "fulfilled" ? outcome.value.stop() : Promise.resolve(),
                ),
            );
        }
        return this.result(Date.now() - runStarted);
    }

    private async phases(): Promise<void> {
        const { kind } = this.options;
        if (kind === "refresh" || this.options.refresh) {
            // Reads really happen; in a preview (or refresh --preview-only) nothing is saved.
            await this.refreshPhase();
        }
        if (this.failed) {
            return;
        }
        if (kind === "preview" || kind === "up") {
            await this.programPhase();
        } else if (kind === "destroy") {
            await this.deletePhase(this.liveOlds(), "destroy");
            this.deleteDefaultProvider("destroy");
        }
    }

    private result(totalMs: number): RunResult {
        const codes = exitCodesOf(this.options.cliVersion);
        let exitCode = this.failed ? codes.failure : 0;
        if (!this.failed && this.options.expectNoChanges && this.hasChanges()) {
            exitCode = codes.noChangesExpected;
            const operation =
                this.options.kind === "preview"
                    ? "preview"
                    : this.options.kind === "refresh"
                      ? "refresh"
                      : "update";
            this.errors.push(noChangesExpectedMessage(this.options.cliVersion, operation));
        }
        const result: RunResult = {
            kind: this.options.kind,
            dryRun: this.options.dryRun,
            ok: exitCode === 0,
            steps: this.steps,
            providerSteps: this.providerSteps,
            calls: this.calls,
            outputs: this.stackOutputs,
            errors: this.errors,
            hostStderr: this.hostStderr,
            programOutput: this.programOutput,
            exitCode,
            hostPids: this.hostPids,
            configurations: this.configurations,
            timings: { totalMs },
        };
        if (this.hostPids[0] !== undefined) {
            result.hostPid = this.hostPids[0];
        }
        if (this.program?.pid !== undefined) {
            result.programPid = this.program.pid;
        }
        if (this.hostStartMs !== undefined) {
            result.timings.hostStartMs = this.hostStartMs;
        }
        if (this.program?.startMs !== undefined) {
            result.timings.programStartMs = this.program.startMs;
        }
        return result;
    }

    /**
     * What `--expect-no-changes` looks at (engine.HasChanges over the logical steps the run counted): reads
     * do not count, the refresh pass of --refresh does not count (its steps are not logical), a classic
     * refresh counts its outcomes, and default provider steps are not counted.
     */
    private hasChanges(): boolean {
        if (this.options.kind === "refresh") {
            return this.steps.some((step) => step.resultOp === "delete" || step.resultOp === "update");
        }
        return this.steps.some(
            (step) =>
                step.phase !== "refresh" &&
                step.error === undefined &&
                ["create", "update", "replace", "delete"].includes(step.op),
        );
    }

    // ---- failures and bookkeeping -------------------------------------------------------------------------

    private fail(error: unknown, step?: StepResult): void {
        if (!(error instanceof Bail)) {
            const message = messageOf(error);
            if (step) {
                step.error = message;
                this.errors.push(`${step.type} (${step.name}): error: ${message}`);
            } else {
                this.errors.push(`error: ${message}`);
            }
        }
        if (!this.failed) {
            this.failed = true;
            this.onFailed();
        }
    }

    private makeStep(urn: string, op: StepOp, phase: StepResult["phase"], id: string): StepResult {
        return {
            urn,
            type: typeOf(urn),
            name: nameOf(urn),
            op,
            engineOps: [op],
            phase,
            id,
            changes: [],
            checkFailures: [],
            rpc: [],
        };
    }

    private newStep(urn: string, op: StepOp, phase: StepResult["phase"], id = ""): StepResult {
        const step = this.makeStep(urn, op, phase, id);
        this.steps.push(step);
        return step;
    }

    private providerUrn(): string {
        return (
            this.provider?.urn ??
            `urn:pulumi:${this.options.stack}::${this.options.project}::${DEFAULT_PROVIDER_TYPE}::default`
        );
    }

    private newProviderStep(op: StepOp, phase: StepResult["phase"]): StepResult {
        const step = this.makeStep(this.providerUrn(), op, phase, this.provider?.id ?? "");
        this.providerSteps.push(step);
        return step;
    }

    /** Notes a provider RPC against its step and in the run's call log, just before it is made. */
    private record(step: StepResult, rpc: string): void {
        step.rpc.push(rpc);
        this.calls.push({ urn: step.urn, rpc });
    }

    /** Old resources still in the snapshot. */
    private liveOlds(): StateResource[] {
        return this.olds.filter((old) => !this.removed.has(old));
    }

    private snapshot(): StateResource[] {
        return [...this.news, ...this.liveOlds()];
    }

    private persist(): void {
        if (!this.options.dryRun) {
            writeState(this.options.statePath, this.snapshot(), this.provider);
        }
    }

    // ---- provider hosts -----------------------------------------------------------------------------------

    private startHost(): Promise<ProviderHost> {
        const start = ProviderHost.start({
            programDir: this.options.pwd,
            env: this.options.hostEnv,
            onStderr: (text) => (this.hostStderr += text),
            ...(this.options.node === undefined ? {} : { node: this.options.node }),
        }).then((host) => {
            if (host.pid !== undefined) {
                this.hostPids.push(host.pid);
            }
            this.hostStartMs ??= host.startMs;
            return host;
        });
        // Errors surface where the host is awaited; this keeps an unused failed start from going unhandled.
        start.catch(() => undefined);
        this.hostStarts.push(start);
        return start;
    }

    /** The host configured with `config`, started (and sent Configure) on first use. */
    private hostFor(config: Record<string, string>): Promise<ProviderHost> {
        const key = configKey(config);
        const existing = this.hosts.get(key);
        if (existing) {
            return existing;
        }
        const start = this.spare ?? this.startHost();
        this.spare = undefined;
        const configured = start.then(async (host) => {
            this.configurations.push({ ...config });
            await host.configure(config);
            return host;
        });
        configured.catch(() => undefined);
        this.hosts.set(key, configured);
        return configured;
    }

    /** The default provider's stored inputs (the current config when the state holds no provider). */
    private storedConfig(): Record<string, string> {
        return this.options.state.defaultProvider?.inputs ?? this.options.config;
    }

    /** Deletes use the provider as registered in this run, else as stored (EnsureProvider). */
    private deleteHost(): Promise<ProviderHost> {
        return this.hostFor(this.providerRegistered ? this.options.config : this.storedConfig());
    }

    /**
     * The default provider's step, made before the first dynamic resource's Check (RegisterDefaultProvider):
     * create when the state holds none, same when its stored inputs equal the current config, else update
     * (same id). Written at once, so a later failure keeps the new config.
     */
    private registerDefaultProvider(): Promise<ProviderHost> {
        this.providerRegistration ??= (async () => {
            const stored = this.options.state.defaultProvider;
            const config = this.options.config;
            const op: StepOp =
                stored === undefined ? "create" : sameConfig(stored.inputs, config) ? "same" : "update";
            const step = this.newProviderStep(op, "update");
            describe(step, stored?.inputs ?? {}, config, []);
            try {
                const host = await this.hostFor(config);
                this.providerRegistered = true;
                if (!this.options.dryRun) {
                    this.provider = {
                        urn: this.providerUrn(),
                        id: stored?.id ?? randomUUID(),
                        inputs: { ...config },
                    };
                    step.id = this.provider.id;
                    this.persist();
                }
                return host;
            } catch (error) {
                this.fail(error, step);
                throw error;
            }
        })();
        return this.providerRegistration;
    }

    /** The default provider goes once nothing in state uses it (GenerateDeletes, ScheduleDeletes). */
    private deleteDefaultProvider(phase: StepResult["phase"]): void {
        if (this.failed || this.providerRegistered || this.options.state.defaultProvider === undefined) {
            return;
        }
        this.newProviderStep("delete", phase);
        if (!this.options.dryRun) {
            this.provider = undefined;
            this.persist();
        }
    }

    // ---- refresh ------------------------------------------------------------------------------------------

    /**
     * RefreshStep for every resource in state (step.go), with the provider configured from its stored
     * inputs: Read(id, inputs = stored inputs, properties = stored outputs); an empty id means the resource
     * is gone; otherwise the outputs are replaced, and the inputs too when Read returned inputs. Drift is then
     * computed like the engine does since refresh diffs against the desired state: Diff(id, olds = refreshed
     * outputs, news = the inputs stored BEFORE the refresh, oldInputs = the refreshed inputs), shown inverted.
     * DIFF_UNKNOWN falls back to comparing the refreshed inputs with the stored ones. External (read)
     * resources compare outputs only. A classic refresh reports each step by its outcome (ResultOp); the
     * refresh pass of --refresh reports "refresh" (updateActions.OnResourceStepPost).
     */
    private async refreshPhase(): Promise<void> {
        const classic = this.options.kind === "refresh";
        const reported = (outcome: "same" | "update" | "delete"): StepOp => (classic ? outcome : "refresh");
        if (this.provider !== undefined) {
            this.newProviderStep(reported("same"), "refresh").resultOp = "same";
        }
        const work = this.liveOlds().map((old) =>
            this.semaphore.run(async () => {
                if (this.failed) {
                    return;
                }
                const step = this.newStep(old.urn, reported("same"), "refresh", old.id);
                step.resultOp = "same";
                step.drift = false;
                // Components and resources deleted by an unfinished delete-before-replace do not change.
                if (!old.custom || old.pendingReplacement) {
                    return;
                }
                try {
                    const host = await this.hostFor(this.storedConfig());
                    this.record(step, "Read");
                    const read = await host.read(old.urn, old.id, old.inputs, old.outputs);
                    if (read.id === "") {
                        step.resultOp = "delete";
                        step.op = reported("delete");
                        step.engineOps = [step.op];
                        step.id = "";
                        this.removed.add(old);
                        this.persist();
                        return;
                    }
                    const inputs = read.inputs ?? old.inputs;
                    const id = read.id;
                    step.id = id;
                    if (old.external) {
                        step.drift = !deepEqual(old.outputs, read.outputs);
                    } else {
                        this.record(step, "Diff");
                        const diff = await host.diff(old.urn, id, inputs, read.outputs, old.inputs);
                        const changes =
                            diff.changes === "unknown"
                                ? changedKeys(inputs, old.inputs).length > 0
                                    ? "some"
                                    : "none"
                                : diff.changes;
                        step.drift = changes === "some";
                    }
                    step.resultOp = step.drift ? "update" : "same";
                    step.op = reported(step.resultOp);
                    step.engineOps = [step.op];
                    // Desired → live, as the CLI shows it: the stored inputs against the refreshed ones (the
                    // host sends no detailed diff, so the display diffs inputs). A Read that returns no inputs
                    // keeps them: drift then shows no property.
                    describe(step, old.inputs, inputs);
                    old.id = id;
                    old.inputs = inputs;
                    old.outputs = read.outputs;
                    // The refreshed state carries the init errors of this Read, none when it succeeds
                    // (RefreshStep.Apply): a partial failure is forgiven by a successful refresh.
                    delete old.initErrors;
                    this.persist();
                } catch (error) {
                    // A failed step is reported by its own op (resourceOperationFailedEvent).
                    step.engineOps = ["refresh"];
                    this.fail(error, step);
                }
            }),
        );
        await Promise.all(work);
    }

    // ---- the program --------------------------------------------------------------------------------------

    private async programPhase(): Promise<void> {
        let finished: (error?: string) => void = () => undefined;
        const done = new Promise<string | undefined>((resolve) => (finished = resolve));
        const program = ProgramProcess.start({
            pwd: this.options.pwd,
            program: this.options.program,
            env: this.options.programEnv,
            ...(this.options.node === undefined ? {} : { node: this.options.node }),
            onOutput: (text) => (this.programOutput += text),
            onMessage: (message) => this.onProgramMessage(message, finished),
        });
        this.program = program;
        const exited = program.exited.then((code) => `the program exited with code ${code} before finishing`);

        const outcome = await Promise.race([done, exited, this.failedSignal.then(() => "failed")]);
        await this.settle();
        if (this.failed) {
            return;
        }
        if (outcome !== undefined) {
            this.fail(new Error(`an unhandled error occurred: ${outcome}`));
            return;
        }
        // Resources in the old state that the program no longer registers, and old copies awaiting deletion
        // after a create-before-delete replacement (GenerateDeletes).
        const condemned = this.liveOlds().filter((old) => old.delete === true || !this.seen.has(old.urn));
        await this.deletePhase(condemned, "update");
        this.deleteDefaultProvider("update");
    }

    private async settle(): Promise<void> {
        while (this.inFlight.size > 0) {
            await Promise.allSettled([...this.inFlight]);
        }
    }

    private onProgramMessage(message: ChildMessage, finished: (error?: string) => void): void {
        switch (message.kind) {
            case "register": {
                const work = this.register(message);
                this.inFlight.add(work);
                void work.finally(() => this.inFlight.delete(work));
                break;
            }
            case "outputs":
                this.registerOutputs(message.urn, message.outputs);
                break;
            case "done":
                finished(message.error);
                break;
        }
    }

    private async register(message: RegisterMessage): Promise<void> {
        const reply = await this.semaphore
            .run(async () => {
                if (this.failed) {
                    throw new Error("skipped because an earlier step failed");
                }
                if (this.seen.has(message.urn)) {
                    const error = new Error(
                        `Duplicate resource URN '${message.urn}'; try giving it a unique name`,
                    );
                    this.fail(error);
                    throw error;
                }
                this.seen.add(message.urn);
                if (message.read) {
                    return this.readStep(message);
                }
                return message.custom ? this.customStep(message) : this.componentStep(message);
            })
            .then(
                (resolved) => ({ ok: true as const, resolved }),
                (error: unknown) => ({ ok: false as const, error: messageOf(error) }),
            );
        if (reply.ok) {
            this.program?.send({ kind: "resolved", seq: message.seq, ...reply.resolved });
        } else {
            this.program?.send({ kind: "rejected", seq: message.seq, error: reply.error });
        }
    }

    /** RegisterResourceOutputs: component outputs; for the root stack, the stack outputs. */
    private registerOutputs(urn: string, outputs: PropertyMap): void {
        const resource = this.news.find((candidate) => candidate.urn === urn);
        if (resource) {
            resource.outputs = stripUnknowns(unwrapSecretMap(outputs));
            if (resource.type === ROOT_STACK_TYPE) {
                this.stackOutputs = displayValue(outputs) as Record<string, unknown>;
            }
            this.persist();
        }
    }

    private newState(message: RegisterMessage, inputs: PropertyMap): StateResource {
        const state: StateResource = {
            urn: message.urn,
            type: message.type,
            name: message.name,
            custom: message.custom,
            id: "",
            parent: message.parent,
            inputs,
            outputs: {},
            dependencies: message.dependencies,
        };
        if (message.replacementTrigger !== undefined && message.replacementTrigger !== null) {
            state.replacementTrigger = message.replacementTrigger;
        }
        return state;
    }

    /** The old state for a URN, unless it is an old copy awaiting deletion. */
    private oldOf(urn: string): StateResource | undefined {
        return this.liveOlds().find((old) => old.urn === urn && old.delete !== true);
    }

    /** Components have no provider: the engine diffs their inputs itself and makes no RPC. */
    private componentStep(message: RegisterMessage): { id: string; state: PropertyMap } {
        const inputs = unwrapSecretMap(message.inputs);
        const old = this.oldOf(message.urn);
        const step = this.newStep(message.urn, "create", "update");
        const state = this.newState(message, inputs);
        if (old) {
            step.op = changedKeys(old.inputs, inputs).length > 0 ? "update" : "same";
            step.engineOps = [step.op];
            describe(step, old.inputs, inputs);
            state.outputs = old.outputs;
            this.removed.add(old);
        } else {
            describe(step, {}, inputs);
        }
        this.news.push(state);
        this.persist();
        // source_eval.go returns no outputs for local components.
        return { id: "", state: {} };
    }

    /** ReadStep: Read(id, inputs = properties = the program's props); runs in preview too. */
    private async readStep(message: RegisterMessage): Promise<{ id: string; state: PropertyMap }> {
        const props = unwrapSecretMap(message.inputs);
        const step = this.newStep(message.urn, "read", "update", message.id);
        const old = this.oldOf(message.urn);
        try {
            const host = await this.registerDefaultProvider();
            let id = message.id;
            let outputs: PropertyMap = {};
            if (id !== UNKNOWN) {
                this.record(step, "Read");
                const read = await host.read(message.urn, id, props, props);
                if (read.id === "") {
                    throw new Error(`resource '${id}' does not exist`);
                }
                id = read.id;
                outputs = read.outputs;
            }
            step.id = id;
            const state: StateResource = { ...this.newState(message, props), id, outputs, external: true };
            if (old) {
                if (!old.external && old.id !== message.id) {
                    old.delete = true; // read-replacement: the owned resource is deleted at the end
                    step.engineOps = ["read-replacement"];
                } else {
                    this.removed.add(old);
                }
            }
            this.news.push(state);
            this.persist();
            return { id, state: outputs };
        } catch (error) {
            this.fail(error, step);
            throw error;
        }
    }

    /**
     * Check, then Diff against the old state, then create / update / replace / same (generateSteps).
     * Engine-forced replacements skip Diff (step_generator.go): a `--replace` target or a tainted resource
     * (isTargetedReplace) is checked without its old inputs and replaced; a changed replacementTrigger
     * (shouldTriggerReplace) is checked as usual, then checked again without old inputs and replaced. Both
     * replace create-before-delete unless the deleteBeforeReplace option says otherwise.
     */
    private async customStep(message: RegisterMessage): Promise<{ id: string; state: PropertyMap }> {
        const { dryRun } = this.options;
        const old = this.oldOf(message.urn);
        const step = this.newStep(message.urn, old ? "same" : "create", "update", old?.id ?? "");
        // The engine emits a step only once Check (and Diff) decided it: an error before has no step event.
        step.engineOps = [];
        try {
            if (!message.type.startsWith("pulumi-nodejs:dynamic")) {
                throw new Error(
                    `${message.type} is not a dynamic resource; the harness only drives pulumi-nodejs dynamic providers`,
                );
            }
            if (message.id !== "") {
                throw new Error("import is not supported for dynamic resources (pulumi/pulumi#16175)");
            }
            // Unknown values reach the provider only in preview (AllowUnknowns = DryRun).
            const goal = dryRun
                ? unwrapSecretMap(message.inputs)
                : stripUnknowns(unwrapSecretMap(message.inputs));
            const host = await this.registerDefaultProvider();
            const owned = old !== undefined && old.external !== true ? old : undefined;
            const targeted =
                owned !== undefined &&
                (this.options.replaceTargets.includes(message.urn) || owned.taint === true);

            // Check(olds = stored inputs, news = program inputs); a new, formerly external or targeted resource
            // has no olds.
            const inputs = await this.check(
                host,
                step,
                message,
                owned !== undefined && !targeted ? owned.inputs : {},
                goal,
            );
            const state = this.newState(message, inputs);

            if (!old) {
                step.engineOps = ["create"];
                describe(step, {}, inputs);
                return await this.create(host, step, state);
            }
            if (!owned) {
                // Taking ownership of a formerly read resource: create, and discard the external copy later.
                step.op = "replace";
                step.engineOps = ["create-replacement", "replace"];
                describe(step, old.inputs, inputs);
                old.delete = true;
                return await this.create(host, step, state);
            }
            if (targeted) {
                step.replaceKeys = ["id"];
                return await this.replace(host, step, message, owned, goal, inputs, false);
            }
            if (
                !dryRun &&
                message.replacementTrigger !== undefined &&
                containsUnknowns(message.replacementTrigger)
            ) {
                throw new Error(`replacement trigger contains unknowns for ${message.urn}`);
            }
            if (triggerChanged(message.replacementTrigger, owned.replacementTrigger)) {
                return await this.replace(host, step, message, owned, goal, undefined, false);
            }

            this.record(step, "Diff");
            const diff = await host.diff(message.urn, owned.id, owned.inputs, owned.outputs, inputs);
            // DIFF_UNKNOWN: the engine compares old and new inputs itself (keeping the provider's replaces).
            const changes =
                diff.changes === "unknown"
                    ? changedKeys(owned.inputs, inputs).length > 0
                        ? "some"
                        : "none"
                    : diff.changes;
            if (diff.replaces.length > 0) {
                step.replaceKeys = diff.replaces;
            }

            if (changes === "some" || owned.pendingReplacement) {
                if (diff.replaces.length > 0 || owned.pendingReplacement) {
                    return await this.replace(
                        host,
                        step,
                        message,
                        owned,
                        goal,
                        undefined,
                        diff.deleteBeforeReplace,
                    );
                }
                step.op = "update";
                step.engineOps = ["update"];
                describe(step, owned.inputs, inputs);
                return await this.update(host, step, owned, state);
            }
            if (owned.initErrors && owned.initErrors.length > 0) {
                // An unchanged resource with init errors gets an empty update to retry initialisation.
                step.op = "update";
                step.engineOps = ["update"];
                describe(step, owned.inputs, inputs);
                return await this.update(host, step, owned, state);
            }
            // SameStep: keep id and outputs, record the new (checked) inputs.
            step.op = "same";
            step.engineOps = ["same"];
            state.id = owned.id;
            state.outputs = owned.outputs;
            this.removed.add(owned);
            this.news.push(state);
            this.persist();
            return { id: owned.id, state: owned.outputs };
        } catch (error) {
            this.fail(error, step);
            throw error;
        }
    }

    private async check(
        host: ProviderHost,
        step: StepResult,
        message: RegisterMessage,
        olds: PropertyMap,
        news: PropertyMap,
    ): Promise<PropertyMap> {
        this.record(step, "Check");
        const checked = await host.check(message.urn, olds, news);
        if (checked.failures.length > 0) {
            step.checkFailures = checked.failures;
            // The engine reports no step event for a resource whose inputs are invalid; the deployment bails.
            step.engineOps = [];
            for (const failure of checked.failures) {
                // diag.GetResourcePropertyInvalidValueError (2003) / GetResourceInvalidError (2002); the value
                // is looked up as a top-level key of the program's inputs, as the engine does.
                this.errors.push(
                    failure.property !== ""
                        ? `${message.type} resource '${message.name}': property ${failure.property} value ` +
                              `${goPropertyValue(news[failure.property])} has a problem: ${failure.reason}`
                        : `${message.type} resource '${message.name}' has a problem: ${failure.reason}`,
                );
            }
            step.error = "one or more inputs failed to validate";
            throw new Bail(step.error);
        }
        return checked.inputs;
    }

    /** CreateStep. In preview the dynamic provider is not called (supportsPreview=false): outputs = inputs. */
    private async create(
        host: ProviderHost,
        step: StepResult,
        state: StateResource,
    ): Promise<{ id: string; state: PropertyMap }> {
        if (this.options.dryRun) {
            return { id: "", state: state.inputs };
        }
        this.record(step, "Create");
        try {
            const created = await host.create(state.urn, state.inputs);
            if (created.id === "") {
                throw new Error("provider did not return an ID from Create");
            }
            state.id = created.id;
            state.outputs = created.outputs;
        } catch (error) {
            this.recordPartialFailure(error, step, state, "");
            throw error;
        }
        step.id = state.id;
        this.news.push(state);
        this.persist();
        return { id: state.id, state: state.outputs };
    }

    /** UpdateStep: Update(id, olds = old outputs, news = checked inputs, oldInputs). */
    private async update(
        host: ProviderHost,
        step: StepResult,
        old: StateResource,
        state: StateResource,
    ): Promise<{ id: string; state: PropertyMap }> {
        state.id = old.id;
        if (this.options.dryRun) {
            return { id: old.id, state: state.inputs };
        }
        this.record(step, "Update");
        try {
            const updated = await host.update(state.urn, old.id, old.inputs, old.outputs, state.inputs);
            state.outputs = updated.outputs;
        } catch (error) {
            if (this.recordPartialFailure(error, step, state, old.id)) {
                this.removed.add(old);
                this.persist();
            }
            throw error;
        }
        this.removed.add(old);
        this.news.push(state);
        this.persist();
        return { id: old.id, state: state.outputs };
    }

    /**
     * Replacement (continueStepsFromDiff): with `checked` unset, Check again with no olds (a targeted
     * replace was already checked without them); then either Create the new resource and leave the old one
     * to be deleted with the other deletes at the end, or — delete-before-replace, asked by the provider's
     * Diff or the resource option — Delete the old one first.
     */
    private async replace(
        host: ProviderHost,
        step: StepResult,
        message: RegisterMessage,
        old: StateResource,
        goal: PropertyMap,
        checked: PropertyMap | undefined,
        providerDeleteBeforeReplace: boolean,
    ): Promise<{ id: string; state: PropertyMap }> {
        step.op = "replace";
        const inputs = checked ?? (await this.check(host, step, message, {}, goal));
        const state = this.newState(message, inputs);
        describe(step, old.inputs, inputs);
        const deleteBeforeReplace = message.deleteBeforeReplace ?? providerDeleteBeforeReplace;
        step.deleteBeforeReplace = deleteBeforeReplace;
        if (deleteBeforeReplace) {
            step.engineOps = old.pendingReplacement
                ? ["replace", "create-replacement"]
                : ["delete-replaced", "replace", "create-replacement"];
        } else {
            // The delete-replaced step follows at the end of the run, with the other deletes.
            step.engineOps = ["create-replacement", "replace"];
        }
        if (this.options.dryRun) {
            if (!deleteBeforeReplace) {
                step.engineOps.push("delete-replaced");
            }
            return { id: "", state: inputs };
        }
        if (deleteBeforeReplace) {
            if (!old.pendingReplacement) {
                this.record(step, "Delete");
                await host.delete(old.urn, old.id, old.inputs, old.outputs);
                old.pendingReplacement = true;
                this.persist();
            }
            const result = await this.create(host, step, state);
            this.removed.add(old);
            this.persist();
            return result;
        }
        try {
            return await this.create(host, step, state);
        } finally {
            // CreateStep marks the old copy for deletion once the new one exists (also on a partial failure).
            if (this.news.includes(state)) {
                old.delete = true;
                this.persist();
            }
        }
    }

    /**
     * A Create/Update error carrying ErrorResourceInitFailed is a partial failure: the engine records the
     * resource with the id and properties from the error (and its reasons as init errors). Returns true if
     * the error was one.
     */
    private recordPartialFailure(
        error: unknown,
        step: StepResult,
        state: StateResource,
        id: string,
    ): boolean {
        if (!(error instanceof ProviderError) || !error.initFailure) {
            return false;
        }
        const failure = error.initFailure;
        state.id = failure.id !== "" ? failure.id : id;
        if (state.id === "") {
            return false;
        }
        state.outputs = failure.properties;
        if (failure.reasons.length > 0) {
            state.initErrors = failure.reasons;
        }
        step.id = state.id;
        this.news.push(state);
        this.persist();
        return true;
    }

    // ---- deletes ------------------------------------------------------------------------------------------

    /**
     * Deletes `condemned` dependents first (ScheduleDeletes: antichains of the dependency graph, each run with
     * up to `parallel` at once). Delete receives the stored outputs (and the stored inputs as oldInputs).
     * External resources are discarded and components dropped without an RPC.
     */
    private async deletePhase(condemned: StateResource[], phase: StepResult["phase"]): Promise<void> {
        const remaining = new Set(condemned);
        while (remaining.size > 0 && !this.failed) {
            const dependsOn = (resource: StateResource, target: StateResource): boolean =>
                resource.parent === target.urn || resource.dependencies.includes(target.urn);
            // Resources nothing remaining depends on can go now; in reverse state order, like the engine's.
            const ready = [...remaining]
                .filter(
                    (target) => ![...remaining].some((other) => other !== target && dependsOn(other, target)),
                )
                .reverse();
            const batch = ready.length > 0 ? ready : [...remaining].reverse();
            for (const resource of batch) {
                remaining.delete(resource);
            }
            await Promise.all(
                batch.map((resource) => this.semaphore.run(() => this.deleteStep(resource, phase))),
            );
        }
    }

    private async deleteStep(old: StateResource, phase: StepResult["phase"]): Promise<void> {
        if (this.failed) {
            return;
        }
        // A create-before-delete replacement made earlier in this run: its Delete belongs to that step.
        const replacing = phase === "update" && old.delete === true && this.seen.has(old.urn);
        const replacement = replacing
            ? this.steps.find((s) => s.urn === old.urn && s.phase === "update")
            : undefined;
        let step: StepResult;
        if (replacement) {
            step = replacement;
            replacement.engineOps.push(old.external ? "discard-replaced" : "delete-replaced");
        } else {
            step = this.newStep(old.urn, old.external ? "discard" : "delete", phase, old.id);
        }
        if (this.options.dryRun) {
            return;
        }
        try {
            if (old.custom && !old.external && !old.pendingReplacement) {
                const host = await this.deleteHost();
                this.record(step, "Delete");
                await host.delete(old.urn, old.id, old.inputs, old.outputs);
            }
            this.removed.add(old);
            this.persist();
        } catch (error) {
            this.fail(error, step);
        }
    }
}

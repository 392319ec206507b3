// The engine: turns program registrations and stored state into provider RPCs, the way pulumi/pulumi's
// deployment does (pkg/resource/deploy/step_generator.go, step.go, source_eval.go), for dynamic resources.
//
// Simplifications (each also noted where it applies):
// - No default provider resource (`pulumi:providers:pulumi-nodejs`) in state: the host is configured once per
//   run with the stack config; CheckConfig/DiffConfig/Handshake/GetPluginInfo are not called (the host
//   answers UNIMPLEMENTED or a constant).
// - Secrets are unwrapped on the way in and stored in plain text (the engine would keep the secret bit).
// - Resource options honoured: parent, dependsOn (dependencies), deleteBeforeReplace. Not honoured: protect,
//   ignoreChanges, replaceOnChanges, retainOnDelete, deletedWith, aliases, custom timeouts, import.
// - The snapshot is resources touched by this run (in completion order) followed by untouched old ones.
// - After the first failed step no new step starts (steps already running finish), and the program is then
//   stopped, as the engine cancels the source; deletes run only after the program finished without error.
import { ProviderError, ProviderHost } from "./host";
import { ProgramProcess } from "./program";
import {
    UNKNOWN,
    changedKeys,
    deepEqual,
    displayValue,
    pathChanges,
    stripUnknowns,
    unwrapSecretMap,
    type PropertyMap,
} from "./props";
import type { ChildMessage, RegisterMessage } from "./protocol";
import { writeState } from "./state";
import {
    EXIT_FAILURE,
    EXIT_NO_CHANGES_EXPECTED,
    type RunKind,
    type RunResult,
    type StateFile,
    type StateResource,
    type StepResult,
} from "./types";

const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

export interface DeploymentOptions {
    kind: RunKind;
    /** Nothing is written (preview; refresh --preview-only). */
    dryRun: boolean;
    /** Run a refresh pass before the program (preview/up --refresh). */
    refresh: boolean;
    expectNoChanges: boolean;
    programDir: string;
    statePath: string;
    state: StateFile;
    config: Record<string, string>;
    env: NodeJS.ProcessEnv;
    parallel: number;
    timeoutMs: number;
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

function messageOf(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}

function nameOf(urn: string): string {
    return urn.split("::")[3] ?? urn;
}

function typeOf(urn: string): string {
    return (urn.split("::")[2] ?? "").split("$").pop() ?? "";
}

export class Deployment {
    private readonly steps: StepResult[] = [];
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

    private hostPromise?: Promise<ProviderHost>;
    private program?: ProgramProcess;
    private stackOutputs: Record<string, unknown> = {};
    private hostStderr = "";
    private programOutput = "";
    private hostStartMs?: number;
    private hostPid: number | undefined;

    constructor(private readonly options: DeploymentOptions) {
        this.olds = structuredClone(options.state.resources);
        this.semaphore = new Semaphore(Math.max(1, options.parallel));
    }

    async run(): Promise<RunResult> {
        const runStarted = Date.now();
        let host: ProviderHost | undefined;
        this.hostPromise = ProviderHost.start({
            programDir: this.options.programDir,
            env: this.options.env,
            onStderr: (text) => (this.hostStderr += text),
        }).then(async (started) => {
            host = started;
            this.hostPid = started.pid;
            this.hostStartMs = started.startMs;
            // The engine configures the provider before its first resource RPC.
            await started.configure(this.options.config);
            return started;
        });
        // Errors surface where the host is awaited; this keeps an unused failed start from going unhandled.
        this.hostPromise.catch(() => undefined);

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
            await this.hostPromise.then(
                (started) => started.stop(),
                () => host?.stop(),
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
        }
    }

    private result(totalMs: number): RunResult {
        let exitCode = this.failed ? EXIT_FAILURE : 0;
        if (!this.failed && this.options.expectNoChanges && this.hasChanges()) {
            exitCode = EXIT_NO_CHANGES_EXPECTED;
            this.errors.push(
                this.options.kind === "preview" || this.options.dryRun
                    ? "error: no changes were expected but changes were proposed"
                    : "error: no changes were expected but changes occurred",
            );
        }
        const result: RunResult = {
            kind: this.options.kind,
            dryRun: this.options.dryRun,
            ok: exitCode === 0,
            steps: this.steps,
            calls: this.calls,
            outputs: this.stackOutputs,
            errors: this.errors,
            hostStderr: this.hostStderr,
            programOutput: this.programOutput,
            exitCode,
            timings: { totalMs },
        };
        if (this.hostPid !== undefined) {
            result.hostPid = this.hostPid;
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

    /** What `--expect-no-changes` looks at (engine.ResourceChanges.HasChanges: reads do not count). */
    private hasChanges(): boolean {
        if (this.options.kind === "refresh") {
            return this.steps.some((step) => step.op === "delete" || step.drift === true);
        }
        return this.steps.some(
            (step) => step.phase === "update" && !["same", "read", "discard"].includes(step.op),
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

    private newStep(urn: string, op: StepResult["op"], phase: StepResult["phase"], id = ""): StepResult {
        const step: StepResult = {
            urn,
            type: typeOf(urn),
            name: nameOf(urn),
            op,
            phase,
            id,
            changes: [],
            checkFailures: [],
            rpc: [],
        };
        this.steps.push(step);
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
            writeState(this.options.statePath, this.snapshot());
        }
    }

    private async host(): Promise<ProviderHost> {
        if (!this.hostPromise) {
            throw new Error("the provider host was not started");
        }
        return this.hostPromise;
    }

    // ---- refresh ------------------------------------------------------------------------------------------

    /**
     * RefreshStep for every resource in state (step.go): Read(id, inputs = stored inputs, properties = stored
     * outputs); an empty id means the resource is gone; otherwise the outputs are replaced, and the inputs too
     * when Read returned inputs. Drift is then computed like the engine does since refresh diffs against the
     * desired state: Diff(id, olds = refreshed outputs, news = the inputs stored BEFORE the refresh,
     * oldInputs = the refreshed inputs), shown inverted. DIFF_UNKNOWN falls back to comparing the refreshed
     * inputs with the stored ones. External (read) resources compare outputs only.
     */
    private async refreshPhase(): Promise<void> {
        const work = this.liveOlds().map((old) =>
            this.semaphore.run(async () => {
                if (this.failed) {
                    return;
                }
                const step = this.newStep(old.urn, "refresh", "refresh", old.id);
                step.drift = false;
                // Components and resources deleted by an unfinished delete-before-replace do not change.
                if (!old.custom || old.pendingReplacement) {
                    return;
                }
                try {
                    const host = await this.host();
                    this.record(step, "Read");
                    const read = await host.read(old.urn, old.id, old.inputs, old.outputs);
                    if (read.id === "") {
                        step.op = "delete";
                        step.id = "";
                        this.removed.add(old);
                        this.persist();
                        return;
                    }
                    const inputs = read.inputs ?? old.inputs;
                    const id = read.id !== "" ? read.id : old.id;
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
                    // Desired → live: the stored inputs against Read's inputs when it returned some, else the
                    // stored outputs against the live ones.
                    step.changes = read.inputs
                        ? pathChanges(old.inputs, read.inputs)
                        : pathChanges(old.outputs, read.outputs);
                    old.id = id;
                    old.inputs = inputs;
                    old.outputs = read.outputs;
                    // The refreshed state carries the init errors of this Read, none when it succeeds
                    // (RefreshStep.Apply): a partial failure is forgiven by a successful refresh.
                    delete old.initErrors;
                    this.persist();
                } catch (error) {
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
            programDir: this.options.programDir,
            env: this.options.env,
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
        return {
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
            step.changes = pathChanges(old.inputs, inputs);
            state.outputs = old.outputs;
            this.removed.add(old);
        } else {
            step.changes = pathChanges({}, inputs);
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
            let id = message.id;
            let outputs: PropertyMap = {};
            if (id !== UNKNOWN) {
                const host = await this.host();
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

    /** Check, then Diff against the old state, then create / update / replace / same (generateSteps). */
    private async customStep(message: RegisterMessage): Promise<{ id: string; state: PropertyMap }> {
        const { dryRun } = this.options;
        const old = this.oldOf(message.urn);
        const step = this.newStep(message.urn, old ? "same" : "create", "update", old?.id ?? "");
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
            const host = await this.host();

            // Check(olds = stored inputs, news = program inputs); a new or formerly external resource has no olds.
            const inputs = await this.check(
                host,
                step,
                message,
                old && !old.external ? old.inputs : {},
                goal,
            );
            const state = this.newState(message, inputs);

            if (!old) {
                step.changes = pathChanges({}, inputs);
                return await this.create(host, step, state);
            }
            if (old.external) {
                // Taking ownership of a formerly read resource: create, and discard the external copy later.
                step.op = "replace";
                step.changes = pathChanges(old.inputs, inputs);
                old.delete = true;
                return await this.create(host, step, state);
            }

            this.record(step, "Diff");
            const diff = await host.diff(message.urn, old.id, old.inputs, old.outputs, inputs);
            // DIFF_UNKNOWN: the engine compares old and new inputs itself (keeping the provider's replaces).
            const changes =
                diff.changes === "unknown"
                    ? changedKeys(old.inputs, inputs).length > 0
                        ? "some"
                        : "none"
                    : diff.changes;
            if (diff.replaces.length > 0) {
                step.replaceKeys = diff.replaces;
            }

            if (changes === "some" || old.pendingReplacement) {
                if (diff.replaces.length > 0 || old.pendingReplacement) {
                    return await this.replace(host, step, message, old, goal, diff.deleteBeforeReplace);
                }
                step.op = "update";
                step.changes = pathChanges(old.inputs, inputs);
                return await this.update(host, step, old, state);
            }
            if (old.initErrors && old.initErrors.length > 0) {
                // An unchanged resource with init errors gets an empty update to retry initialisation.
                step.op = "update";
                return await this.update(host, step, old, state);
            }
            // SameStep: keep id and outputs, record the new (checked) inputs.
            step.op = "same";
            state.id = old.id;
            state.outputs = old.outputs;
            this.removed.add(old);
            this.news.push(state);
            this.persist();
            return { id: old.id, state: old.outputs };
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
            for (const failure of checked.failures) {
                // diag.GetResourcePropertyInvalidValueError / GetResourceInvalidError
                this.errors.push(
                    failure.property !== ""
                        ? // The engine's diagnostic 2003; it looks the path up as a top-level key, as here.
                          `${message.type} resource '${message.name}'s property '${failure.property}' value ` +
                              `{${JSON.stringify(displayValue(news[failure.property] ?? null))}} has a problem: ${failure.reason}`
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
     * Replacement (continueStepsFromDiff): Check again with no olds, then either Create the new resource and
     * leave the old one to be deleted with the other deletes at the end, or — delete-before-replace, asked
     * by the provider's Diff or the resource option — Delete the old one first.
     */
    private async replace(
        host: ProviderHost,
        step: StepResult,
        message: RegisterMessage,
        old: StateResource,
        goal: PropertyMap,
        providerDeleteBeforeReplace: boolean,
    ): Promise<{ id: string; state: PropertyMap }> {
        step.op = "replace";
        const inputs = await this.check(host, step, message, {}, goal);
        const state = this.newState(message, inputs);
        step.changes = pathChanges(old.inputs, inputs);
        const deleteBeforeReplace = message.deleteBeforeReplace ?? providerDeleteBeforeReplace;
        step.deleteBeforeReplace = deleteBeforeReplace;
        if (this.options.dryRun) {
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
        const step =
            (replacing ? this.steps.find((s) => s.urn === old.urn && s.phase === "update") : undefined) ??
            this.newStep(old.urn, old.external ? "discard" : "delete", phase, old.id);
        if (this.options.dryRun) {
            return;
        }
        try {
            if (old.custom && !old.external && !old.pendingReplacement) {
                const host = await this.host();
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

// A stack: a program, its config and environment, and a state file — driven like the `pulumi` CLI drives one.
import * as path from "node:path";
import { DEFAULT_CLI_VERSION, defaultParallel } from "./cli";
import { Deployment } from "./engine";
import { tempFolder } from "./temp";
import { projectNameOf, resolveEntryPoint, runtimeOptionsOf } from "./project";
import { readState, writeState } from "./state";
import type { RunKind, RunResult, StackOptions, StateFile } from "./types";

interface RunOptions {
    kind: RunKind;
    dryRun: boolean;
    refresh: boolean;
    expectNoChanges: boolean;
    replace: readonly string[];
}

export class Stack {
    readonly programDir: string;
    readonly project: string;
    readonly stack: string;
    readonly statePath: string;
    private readonly config: Record<string, string>;
    private readonly env: Record<string, string | undefined>;
    private readonly parallel: number | undefined;
    private readonly timeoutMs: number;
    readonly cliVersion: string;
    private readonly node: string | undefined;

    constructor(options: StackOptions) {
        this.programDir = path.resolve(options.programDir);
        this.project = options.project ?? projectNameOf(this.programDir) ?? "test";
        this.stack = options.stack ?? "dev";
        this.statePath = options.statePath ?? path.join(tempFolder("pulumi-harness-"), "state.json");
        this.config = { ...options.config };
        this.env = { ...options.env };
        this.parallel = options.parallel;
        this.timeoutMs = options.timeoutMs ?? 120_000;
        this.cliVersion = options.cliVersion ?? DEFAULT_CLI_VERSION;
        this.node = options.node;
    }

    /** `pulumi config set <key> <value>`: full key (`proj:key`, `aws:region`); structured values as JSON. */
    setConfig(key: string, value: string): void {
        this.config[key] = value;
    }

    removeConfig(key: string): void {
        delete this.config[key];
    }

    /** Sets (or, with `undefined`, removes) an environment variable for the program and the host. */
    setEnv(key: string, value: string | undefined): void {
        this.env[key] = value;
    }

    /** The current state file. */
    state(): StateFile {
        return readState(this.statePath);
    }

    /** `pulumi state taint <urn>`: the next `up` replaces the resource. */
    taint(urn: string): void {
        this.setTaint(urn, true);
    }

    /** `pulumi state untaint <urn>`. */
    untaint(urn: string): void {
        this.setTaint(urn, false);
    }

    private setTaint(urn: string, taint: boolean): void {
        const state = this.state();
        const resource = state.resources.find(
            (candidate) => candidate.urn === urn && candidate.delete !== true,
        );
        if (!resource) {
            throw new Error(`No such resource ${JSON.stringify(urn)} exists in the current state`);
        }
        if (taint) {
            resource.taint = true;
        } else {
            delete resource.taint;
        }
        writeState(this.statePath, state.resources, state.defaultProvider);
    }

    /** `pulumi preview [--refresh] [--expect-no-changes] [--replace <urn>…]`: nothing is written. */
    preview(
        options: { refresh?: boolean; expectNoChanges?: boolean; replace?: readonly string[] } = {},
    ): Promise<RunResult> {
        return this.run({
            kind: "preview",
            dryRun: true,
            refresh: options.refresh ?? false,
            expectNoChanges: options.expectNoChanges ?? false,
            replace: options.replace ?? [],
        });
    }

    /** `pulumi up --yes --skip-preview [--refresh] [--expect-no-changes] [--replace <urn>…]`. */
    up(
        options: { refresh?: boolean; expectNoChanges?: boolean; replace?: readonly string[] } = {},
    ): Promise<RunResult> {
        return this.run({
            kind: "up",
            dryRun: false,
            refresh: options.refresh ?? false,
            expectNoChanges: options.expectNoChanges ?? false,
            replace: options.replace ?? [],
        });
    }

    /** `pulumi refresh --yes [--preview-only] [--expect-no-changes]`. */
    refresh(options: { expectNoChanges?: boolean; preview?: boolean } = {}): Promise<RunResult> {
        return this.run({
            kind: "refresh",
            dryRun: options.preview ?? false,
            refresh: false,
            expectNoChanges: options.expectNoChanges ?? false,
            replace: [],
        });
    }

    /** `pulumi destroy --yes` (without running the program). */
    destroy(): Promise<RunResult> {
        return this.run({
            kind: "destroy",
            dryRun: false,
            refresh: false,
            expectNoChanges: false,
            replace: [],
        });
    }

    private run(options: RunOptions): Promise<RunResult> {
        const base = this.baseEnv();
        const parallel = this.parallel ?? defaultParallel(base);
        // Every operation runs in the directory the project's `main` names (getPwdMain), destroy included.
        const entry = resolveEntryPoint(this.programDir);
        const deployment = new Deployment({
            ...options,
            replaceTargets: options.replace,
            project: this.project,
            stack: this.stack,
            pwd: entry.pwd,
            program: entry.program,
            statePath: this.statePath,
            state: this.state(),
            config: { ...this.config },
            programEnv: this.programEnv(base, options.dryRun, parallel),
            hostEnv: this.hostEnv(base),
            parallel,
            timeoutMs: this.timeoutMs,
            cliVersion: this.cliVersion,
            ...(this.node === undefined ? {} : { node: this.node }),
        });
        return deployment.run();
    }

    /** process.env with this stack's environment over it (`undefined` removes a variable). */
    private baseEnv(): NodeJS.ProcessEnv {
        const env: NodeJS.ProcessEnv = { ...process.env };
        for (const [key, value] of Object.entries(this.env)) {
            if (value === undefined) {
                delete env[key];
            } else {
                env[key] = value;
            }
        }
        return env;
    }

    /**
     * What the Node.js language host puts in the program's environment, the runtime options among it
     * (`typescript` defaults to true, `tsconfig` names the tsconfig file).
     */
    private programEnv(base: NodeJS.ProcessEnv, dryRun: boolean, parallel: number): NodeJS.ProcessEnv {
        const options = runtimeOptionsOf(this.programDir);
        const runtime: NodeJS.ProcessEnv = {};
        if (options["typescript"] !== "false") {
            runtime["PULUMI_NODEJS_TYPESCRIPT"] = "true";
        }
        if (options["tsconfig"] !== undefined && options["tsconfig"] !== "") {
            runtime["PULUMI_NODEJS_TSCONFIG_PATH"] = options["tsconfig"];
        }
        return {
            ...base,
            ...runtime,
            PULUMI_CONFIG: JSON.stringify(this.config),
            PULUMI_CONFIG_SECRET_KEYS: "[]",
            PULUMI_PROJECT: this.project,
            PULUMI_STACK: this.stack,
            PULUMI_NODEJS_PROJECT: this.project,
            PULUMI_NODEJS_STACK: this.stack,
            PULUMI_NODEJS_DRY_RUN: String(dryRun),
            PULUMI_NODEJS_PARALLEL: String(parallel),
        };
    }

    /**
     * What the engine puts in a provider plugin's environment (plugin.NewProvider): the CLI's own, plus
     * PULUMI_PROJECT and PULUMI_NODEJS_PROJECT, and PULUMI_CONFIG holding only the config of the plugin's own
     * package (`pulumi-nodejs:*`, keys without the namespace: host.Provider) — the provider gets the stack
     * config through Configure.
     */
    private hostEnv(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
        const own: Record<string, string> = {};
        for (const [key, value] of Object.entries(this.config)) {
            if (key.startsWith("pulumi-nodejs:")) {
                own[key.slice("pulumi-nodejs:".length)] = value;
            }
        }
        return {
            ...base,
            PULUMI_PROJECT: this.project,
            PULUMI_NODEJS_PROJECT: this.project,
            PULUMI_CONFIG: JSON.stringify(own),
        };
    }
}

// A stack: a program, its config and environment, and a state file — driven like the `pulumi` CLI drives one.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Deployment } from "./engine";
import { projectNameOf, readState } from "./state";
import type { RunKind, RunResult, StackOptions, StateFile } from "./types";

export class Stack {
    readonly programDir: string;
    readonly project: string;
    readonly stack: string;
    readonly statePath: string;
    private readonly config: Record<string, string>;
    private readonly env: Record<string, string>;
    private readonly parallel: number;
    private readonly timeoutMs: number;

    constructor(options: StackOptions) {
        this.programDir = path.resolve(options.programDir);
        this.project = options.project ?? projectNameOf(this.programDir) ?? "test";
        this.stack = options.stack ?? "dev";
        this.statePath =
            options.statePath ??
            path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-harness-")), "state.json");
        this.config = { ...options.config };
        this.env = { ...options.env };
        this.parallel = options.parallel ?? 1;
        this.timeoutMs = options.timeoutMs ?? 120_000;
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
        if (value === undefined) {
            delete this.env[key];
        } else {
            this.env[key] = value;
        }
    }

    /** The current state file. */
    state(): StateFile {
        return readState(this.statePath);
    }

    /** `pulumi preview [--refresh] [--expect-no-changes]`: nothing is written. */
    preview(options: { refresh?: boolean; expectNoChanges?: boolean } = {}): Promise<RunResult> {
        return this.run("preview", true, options.refresh ?? false, options.expectNoChanges ?? false);
    }

    /** `pulumi up --yes --skip-preview [--refresh] [--expect-no-changes]`. */
    up(options: { refresh?: boolean; expectNoChanges?: boolean } = {}): Promise<RunResult> {
        return this.run("up", false, options.refresh ?? false, options.expectNoChanges ?? false);
    }

    /** `pulumi refresh --yes [--preview-only] [--expect-no-changes]`. */
    refresh(options: { expectNoChanges?: boolean; preview?: boolean } = {}): Promise<RunResult> {
        return this.run("refresh", options.preview ?? false, false, options.expectNoChanges ?? false);
    }

    /** `pulumi destroy --yes` (without running the program). */
    destroy(): Promise<RunResult> {
        return this.run("destroy", false, false, false);
    }

    private run(
        kind: RunKind,
        dryRun: boolean,
        refresh: boolean,
        expectNoChanges: boolean,
    ): Promise<RunResult> {
        const deployment = new Deployment({
            kind,
            dryRun,
            refresh,
            expectNoChanges,
            programDir: this.programDir,
            statePath: this.statePath,
            state: this.state(),
            config: { ...this.config },
            env: this.processEnv(dryRun),
            parallel: this.parallel,
            timeoutMs: this.timeoutMs,
        });
        return deployment.run();
    }

    /** What the language host and the engine put in the environment of the program and of the plugin. */
    private processEnv(dryRun: boolean): NodeJS.ProcessEnv {
        return {
            ...process.env,
            ...this.env,
            PULUMI_CONFIG: JSON.stringify(this.config),
            PULUMI_CONFIG_SECRET_KEYS: "[]",
            PULUMI_PROJECT: this.project,
            PULUMI_STACK: this.stack,
            PULUMI_NODEJS_PROJECT: this.project,
            PULUMI_NODEJS_STACK: this.stack,
            PULUMI_NODEJS_DRY_RUN: String(dryRun),
            PULUMI_NODEJS_PARALLEL: String(this.parallel),
        };
    }
}

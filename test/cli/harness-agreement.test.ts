/**
 * The engine harness (tools/harness) held to the real engine: every lifecycle story both can run goes through
 * the harness and through the real `pulumi` CLI, each against a fresh emulator holding the same instances, and
 * what each reports must agree — per command, the ops per resource (as the engine's event log names them),
 * the property paths of each planned or applied change, the exit code and the CLI's failure messages; after
 * the story, the limits the emulator holds.
 *
 * Both sides run the same project (a copy of test/cli/fixtures/instances with the matrix entry's modules),
 * the same default parallelism and, for the harness, the CLI's version and Node.js. `up` is
 * `pulumi up --yes --skip-preview` on both (the harness has no preview pass before an up).
 *
 * What the harness does not represent, and is therefore not compared:
 * - the root stack's steps (the CLI reports `pulumi:pulumi:Stack` twice in a preview, once per registration and
 *   once for its outputs; the harness once);
 * - the order of steps across resources (the engine runs them in parallel): ops are compared per resource;
 * - the text of the progress display, and diagnostics other than check failures and `--expect-no-changes`.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

import { nodeBinDir, MATRIX } from "../../tools/pulumi-cli/locate";
import { Stack, formatRun } from "../../tools/harness";
import type { RunResult } from "../../tools/harness";
import { CliWorkspace, diagnostics, transcript } from "./support/cli";
import type { CliResult, StepMetadata } from "./support/cli";
import { serviceEnv, startService } from "./support/service";
import type { Service } from "./support/service";

const PROVIDER_TYPE = "pulumi:providers:pulumi-nodejs";
const STACK = "dev";

/** A program both sides run, and the type of the resources compared. */
interface Program {
    dir: string;
    project: string;
    type: string;
}

/** The CLI tier's program: instance limits from stack config, against the emulator. */
const INSTANCES: Program = {
    dir: path.join(__dirname, "fixtures", "instances"),
    project: "cli-instances",
    type: "pulumi-nodejs:dynamic/connectcampaignsv2:InstanceCommunicationLimits",
};

/** The harness's own fixture: values in a JSON file, every engine path switched by config (no AWS). */
const STORE: Program = {
    dir: path.join(__dirname, "..", "fixtures", "harness", "store"),
    project: "store",
    type: "pulumi-nodejs:dynamic:Resource",
};

const limits = (...list: [number, number][]) => ({
    allChannelSubtypes: {
        communicationLimitsList: list.map(([maxCountPerRecipient, frequency]) => ({
            maxCountPerRecipient,
            frequency,
            unit: "DAY",
        })),
    },
});
const ORIGINAL = limits([9, 30]);

function urnOf(program: Program, name: string): string {
    return `urn:pulumi:${STACK}::${program.project}::${program.type}::${name}`;
}

/** One operation, spelled once for both sides. */
interface Operation {
    command: "preview" | "up" | "refresh" | "destroy";
    refresh?: boolean;
    expectNoChanges?: boolean;
    /** Resource names for `--replace`. */
    replace?: string[];
}

/**
 * What a side's resources act on: the emulator, or the store fixture's file; and what the story compares
 * at its end.
 */
interface World {
    service?: Service;
    storeFile?: string;
    /** Environment for the program and the provider. */
    env: Record<string, string | undefined>;
    /** Config the world adds (the store file's path). */
    config: Record<string, string>;
    final(): unknown;
    close(): Promise<void>;
}

/** What one side is asked to do between operations. */
interface Side {
    readonly name: "harness" | "cli";
    readonly world: World;
    setConfig(values: Record<string, string>): Promise<void>;
    taint(name: string): Promise<void>;
    run(operation: Operation): Promise<Observation>;
    dispose(): Promise<void>;
}

/** What each side reports for one operation. */
interface Observation {
    command: string;
    exitCode: number;
    /** Resource name (the default provider is "default") → the engine's ops for it, in order. */
    ops: Record<string, string[]>;
    /** Resource name → the property paths its create, update, replace or refresh changes, sorted. */
    paths: Record<string, string[]>;
    /** Check failures and the `--expect-no-changes` error, sorted. */
    messages: string[];
    /** The side's own account of the run, for assertion messages only. */
    transcript: string;
}

type StoryStep = Operation | { label: string; edit: (side: Side) => Promise<void> | void };

interface Story {
    title: string;
    program: Program;
    /** A fresh world for one side (`dir`: a folder of that side's own). */
    start: (dir: string) => Promise<World>;
    config: Record<string, string>;
    steps: StoryStep[];
}

function serviceOf(side: Side): Service {
    const service = side.world.service;
    assert.ok(service, "this story runs against the emulator");
    return service;
}

function storeOf(side: Side): string {
    const file = side.world.storeFile;
    assert.ok(file !== undefined, "this story runs against the store fixture");
    return file;
}

/** A fresh emulator from `start`; the limits of `ids` are compared at the end. */
function emulated(start: () => Promise<Service>, ids: string[]): (dir: string) => Promise<World> {
    return async () => {
        const service = await start();
        return {
            service,
            env: serviceEnv(service),
            config: {},
            final: () =>
                Object.fromEntries(
                    ids.map((id) => [
                        id,
                        service.hasInstance(id) ? (service.limits(id) ?? null) : "(no instance)",
                    ]),
                ),
            close: () => service.close(),
        };
    };
}

/** The store fixture's file in the side's folder; its records are compared at the end. */
function stored(dir: string): Promise<World> {
    const storeFile = path.join(dir, "store.json");
    return Promise.resolve({
        storeFile,
        env: {},
        config: { "store:file": storeFile },
        final: () =>
            fs.existsSync(storeFile) ? (JSON.parse(fs.readFileSync(storeFile, "utf8")) as unknown) : {},
        close: () => Promise.resolve(),
    });
}

function args(program: Program, operation: Operation): string[] {
    const list: string[] = [operation.command];
    if (operation.command === "up") {
        list.push("--yes", "--skip-preview");
    } else if (operation.command !== "preview") {
        list.push("--yes");
    }
    if (operation.refresh === true) {
        list.push("--refresh");
    }
    if (operation.expectNoChanges === true) {
        list.push("--expect-no-changes");
    }
    for (const name of operation.replace ?? []) {
        list.push("--replace", urnOf(program, name));
    }
    return list;
}

// ---- property paths, computed from the inputs the engine's events carry -------------------------------------

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Leaf paths where `a` and `b` differ (null ≡ missing), `a.b[1].c`; the harness's `["odd key"]` becomes `.odd key`. */
function leafPaths(a: unknown, b: unknown, prefix = ""): string[] {
    const join = (key: string) => (prefix === "" ? key : `${prefix}.${key}`);
    const present = (v: unknown) => v !== undefined && v !== null;
    if (!present(a) && !present(b)) {
        return [];
    }
    if (isPlainObject(a) || isPlainObject(b)) {
        if (present(a) && present(b) && !(isPlainObject(a) && isPlainObject(b))) {
            return [prefix];
        }
        const left = isPlainObject(a) ? a : {};
        const right = isPlainObject(b) ? b : {};
        const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])];
        return keys.flatMap((key) => leafPaths(left[key], right[key], join(key)));
    }
    if (Array.isArray(a) || Array.isArray(b)) {
        if (present(a) && present(b) && !(Array.isArray(a) && Array.isArray(b))) {
            return [prefix];
        }
        const left: unknown[] = Array.isArray(a) ? a : [];
        const right: unknown[] = Array.isArray(b) ? b : [];
        const paths: string[] = [];
        for (let index = 0; index < Math.max(left.length, right.length); index++) {
            paths.push(...leafPaths(left[index], right[index], `${prefix}[${index}]`));
        }
        return paths;
    }
    return JSON.stringify(a) === JSON.stringify(b) ? [] : [prefix];
}

function inputPaths(meta: StepMetadata): string[] {
    const strip = (inputs: Record<string, unknown> | undefined) => {
        const copy = { ...inputs };
        delete copy["__provider"];
        return copy;
    };
    return leafPaths(strip(meta.old?.inputs), strip(meta.new?.inputs)).sort();
}

function normalisePath(harnessPath: string): string {
    return harnessPath.replace(/^\["(.*)"\]/, "$1").replace(/\["([^"]*)"\]/g, ".$1");
}

/** The ops whose property paths are compared: what a plan or an apply shows a diff for. */
const DIFFED = new Set(["create", "update", "replace", "refresh"]);

function nameOf(urn: string): string {
    return urn.split("::").pop() ?? urn;
}

function sortedUnique(lines: string[]): string[] {
    return [...new Set(lines.map((line) => line.trim()))].sort();
}

function interesting(line: string): boolean {
    return /has a problem:|no changes were expected/.test(line);
}

function observeCli(program: Program, operation: Operation, result: CliResult): Observation {
    const ops: Record<string, string[]> = {};
    const paths: Record<string, string[]> = {};
    for (const event of result.events) {
        const meta = (event.resOutputsEvent ?? event.resOpFailedEvent)?.metadata;
        if (meta === undefined || (meta.type !== program.type && meta.type !== PROVIDER_TYPE)) {
            continue;
        }
        const name = nameOf(meta.urn);
        (ops[name] ??= []).push(meta.op);
        if (DIFFED.has(meta.op)) {
            paths[name] = [...new Set([...(paths[name] ?? []), ...inputPaths(meta)])].sort();
        }
    }
    const printed = [
        ...result.stderr.split("\n"),
        ...diagnostics(result).flatMap((message) => message.split("\n")),
    ];
    return {
        command: args(program, operation).join(" "),
        exitCode: result.code,
        ops,
        paths,
        messages: sortedUnique(printed.filter(interesting)),
        transcript: transcript(result),
    };
}

function observeHarness(program: Program, operation: Operation, result: RunResult): Observation {
    const ops: Record<string, string[]> = {};
    const paths: Record<string, string[]> = {};
    for (const step of [...result.providerSteps, ...result.steps]) {
        if (step.type !== program.type && step.type !== PROVIDER_TYPE) {
            continue;
        }
        if (step.engineOps.length === 0) {
            continue;
        }
        (ops[step.name] ??= []).push(...step.engineOps);
        if (DIFFED.has(step.op)) {
            paths[step.name] = [
                ...new Set([...(paths[step.name] ?? []), ...step.changes.map((c) => normalisePath(c.path))]),
            ].sort();
        }
    }
    return {
        command: args(program, operation).join(" "),
        exitCode: result.exitCode,
        ops,
        paths,
        messages: sortedUnique(result.errors.filter(interesting)),
        transcript: `${formatRun(result)}\n${result.hostStderr}\n${result.programOutput}`,
    };
}

// ---- the two sides ---------------------------------------------------------------------------------------------

/** The Node.js the matrix entry runs programs on (the CLI finds it first on PATH). */
function matrixNode(workspace: CliWorkspace): string {
    const entry = MATRIX[workspace.cli.matrix];
    return entry.node === "system" ? process.execPath : path.join(nodeBinDir(entry.node), "node");
}

async function cliSide(story: Story): Promise<Side> {
    const { program } = story;
    const workspace = CliWorkspace.create();
    let world: World | undefined;
    try {
        world = await story.start(workspace.dir);
        const env = world.env;
        const stack = await workspace.stack(workspace.project(program.dir), STACK);
        const run = (list: string[]) => stack.run(list, { env });
        const setConfig = async (values: Record<string, string>) => {
            for (const [key, value] of Object.entries(values)) {
                const result = await run(["config", "set", key, value]);
                assert.equal(result.code, 0, transcript(result));
            }
        };
        await setConfig({ ...story.config, ...world.config });
        const own = world;
        return {
            name: "cli",
            world: own,
            setConfig,
            async taint(name) {
                const result = await run(["state", "taint", urnOf(program, name), "--yes"]);
                assert.equal(result.code, 0, transcript(result));
            },
            async run(operation) {
                return observeCli(program, operation, await run(args(program, operation)));
            },
            async dispose() {
                workspace.dispose();
                await own.close();
            },
        };
    } catch (error) {
        workspace.dispose();
        await world?.close();
        throw error;
    }
}

async function harnessSide(story: Story): Promise<Side> {
    const { program } = story;
    // A workspace only for its project copy (the same modules as the CLI side) and its temporary folder.
    const workspace = CliWorkspace.create();
    const world = await story.start(workspace.dir);
    const stack = new Stack({
        programDir: workspace.project(program.dir),
        stack: STACK,
        statePath: path.join(workspace.dir, "harness-state.json"),
        config: prefixed(program, { ...story.config, ...world.config }),
        env: world.env,
        cliVersion: workspace.cli.version,
        node: matrixNode(workspace),
        timeoutMs: 300_000,
    });
    return {
        name: "harness",
        world,
        setConfig(values) {
            for (const [key, value] of Object.entries(prefixed(program, values))) {
                stack.setConfig(key, value);
            }
            return Promise.resolve();
        },
        taint(name) {
            stack.taint(urnOf(program, name));
            return Promise.resolve();
        },
        async run(operation) {
            const options = {
                refresh: operation.refresh ?? false,
                expectNoChanges: operation.expectNoChanges ?? false,
                replace: (operation.replace ?? []).map((name) => urnOf(program, name)),
            };
            let result: RunResult;
            switch (operation.command) {
                case "preview":
                    result = await stack.preview(options);
                    break;
                case "up":
                    result = await stack.up(options);
                    break;
                case "refresh":
                    result = await stack.refresh({ expectNoChanges: options.expectNoChanges });
                    break;
                case "destroy":
                    result = await stack.destroy();
                    break;
            }
            return observeHarness(program, operation, result);
        },
        async dispose() {
            workspace.dispose();
            await world.close();
        },
    };
}

/** `pulumi config set key value` names a key of the project unless it has a namespace; the harness wants full keys. */
function prefixed(program: Program, values: Record<string, string>): Record<string, string> {
    return Object.fromEntries(
        Object.entries(values).map(([key, value]) => [
            key.includes(":") ? key : `${program.project}:${key}`,
            value,
        ]),
    );
}

interface Account {
    commands: Omit<Observation, "transcript">[];
    /** The emulator's limits, or the store's records, after the story. */
    final: unknown;
}

async function play(story: Story, side: Side): Promise<{ account: Account; transcripts: string[] }> {
    const commands: Omit<Observation, "transcript">[] = [];
    const transcripts: string[] = [];
    for (const step of story.steps) {
        if ("edit" in step) {
            await step.edit(side);
            continue;
        }
        const { transcript: text, ...observed } = await side.run(step);
        commands.push(observed);
        transcripts.push(text);
    }
    return { account: { commands, final: side.world.final() }, transcripts };
}

const instances = (specs: object[]) => JSON.stringify(specs);

/** A service whose first read-back after a successful write fails (the partial failure of a create). */
async function readBackFails(): Promise<Service> {
    let armed = true;
    const service: Service = await startService({
        instances: [],
        onRequest: (request) => {
            if (armed && request.operation === "PutInstanceCommunicationLimits" && request.status === 200) {
                armed = false;
                service.injectFaults("internal", 1, { operation: "GetInstanceCommunicationLimits" });
            }
        },
    });
    service.addInstance("partial-1", { limits: ORIGINAL });
    return service;
}

const STORIES: Story[] = [
    {
        title: "create: a preview plans it, up applies it, then preview and up plan nothing",
        start: emulated(async () => {
            const service = await startService({ instances: [] });
            service.addInstance("i-1", { limits: ORIGINAL });
            service.addInstance("i-2");
            return service;
        }, ["i-1", "i-2"]),
        program: INSTANCES,
        config: {
            instances: instances([
                { name: "a", id: "i-1" },
                {
                    name: "b",
                    id: "i-2",
                    limits: [
                        [4, 7],
                        [9, 30],
                    ],
                },
            ]),
        },
        steps: [
            { command: "preview" },
            { command: "up" },
            { command: "preview", expectNoChanges: true },
            { command: "up", expectNoChanges: true },
        ],
    },
    {
        title: "a console edit: preview --refresh --expect-no-changes exits 7, refresh records it, up repairs it",
        start: emulated(async () => {
            const service = await startService({ instances: [] });
            service.addInstance("i-1", { limits: ORIGINAL });
            service.addInstance("i-2");
            return service;
        }, ["i-1", "i-2"]),
        program: INSTANCES,
        config: {
            instances: instances([
                { name: "a", id: "i-1" },
                { name: "b", id: "i-2" },
            ]),
        },
        steps: [
            { command: "up" },
            {
                label: "the console changes a's limits",
                edit: (side) => serviceOf(side).setLimits("i-1", limits([5, 7], [1, 1])),
            },
            { command: "preview", refresh: true, expectNoChanges: true },
            { command: "refresh", expectNoChanges: true },
            { command: "refresh" },
            { command: "preview", expectNoChanges: true },
            { command: "up" },
            { command: "preview", refresh: true, expectNoChanges: true },
        ],
    },
    {
        title: "destroy under each deletion policy: reset empties, restore gives back, retain keeps",
        start: emulated(
            () =>
                startService({
                    instances: ["p-reset", "p-restore", "p-retain"].map((id) => ({ id, limits: ORIGINAL })),
                }),
            ["p-reset", "p-restore", "p-retain"],
        ),
        program: INSTANCES,
        config: {
            instances: instances([
                { name: "reset", id: "p-reset", deletionPolicy: "reset" },
                { name: "restore", id: "p-restore", deletionPolicy: "restore" },
                { name: "retain", id: "p-retain", deletionPolicy: "retain" },
            ]),
        },
        steps: [{ command: "up" }, { command: "destroy" }],
    },
    {
        title: "invalid limits are rejected at preview with every failure, and up writes nothing",
        start: emulated(() => startService({ instances: [{ id: "bad-1", limits: ORIGINAL }] }), ["bad-1"]),
        program: INSTANCES,
        config: {
            instances: instances([
                {
                    name: "bad",
                    id: "bad-1",
                    limits: [
                        [0, 31],
                        [2, 0],
                        [1, 1],
                    ],
                },
            ]),
        },
        steps: [{ command: "preview" }, { command: "up" }],
    },
    {
        title: "an instance that disappears: refresh drops it, preview plans its create, up fails",
        start: emulated(() => startService({ instances: ["gone-1", "stays-1"] }), ["gone-1", "stays-1"]),
        program: INSTANCES,
        config: {
            instances: instances([
                { name: "gone", id: "gone-1" },
                { name: "stays", id: "stays-1" },
            ]),
        },
        steps: [
            { command: "up" },
            { label: "the instance is removed", edit: (side) => serviceOf(side).removeInstance("gone-1") },
            { command: "refresh" },
            { command: "preview" },
            { command: "up" },
        ],
    },
    {
        title: "a partial failure: the read-back after the write fails, the next up completes it",
        start: emulated(readBackFails, ["partial-1"]),
        program: INSTANCES,
        config: {
            instances: instances([{ name: "limits", id: "partial-1", deletionPolicy: "restore" }]),
            "connect-campaign-limits:maxAttempts": "1",
        },
        steps: [{ command: "up" }, { command: "preview" }, { command: "up" }, { command: "destroy" }],
    },
    {
        title: "up --replace and state taint replace without Diff: delete first with restore, create first otherwise",
        start: emulated(
            () =>
                startService({
                    instances: [
                        { id: "r-1", limits: ORIGINAL },
                        { id: "r-2", limits: ORIGINAL },
                    ],
                }),
            ["r-1", "r-2"],
        ),
        program: INSTANCES,
        config: {
            instances: instances([
                { name: "restored", id: "r-1", deletionPolicy: "restore" },
                { name: "reset", id: "r-2", deletionPolicy: "reset" },
            ]),
        },
        steps: [
            { command: "up" },
            { command: "preview", replace: ["restored", "reset"] },
            { command: "up", replace: ["restored", "reset"] },
            { label: "pulumi state taint", edit: (side) => side.taint("reset") },
            { command: "preview" },
            { command: "up" },
            { command: "preview", refresh: true, expectNoChanges: true },
            { command: "destroy" },
        ],
    },
    {
        title: "a replacementTrigger change replaces without Diff: delete first with restore, create first otherwise",
        start: emulated(
            () =>
                startService({
                    instances: [
                        { id: "t-1", limits: ORIGINAL },
                        { id: "t-2", limits: ORIGINAL },
                    ],
                }),
            ["t-1", "t-2"],
        ),
        program: INSTANCES,
        config: {
            instances: instances([
                { name: "restored", id: "t-1", deletionPolicy: "restore" },
                { name: "reset", id: "t-2", deletionPolicy: "reset" },
            ]),
            trigger: "v1",
        },
        steps: [
            { command: "up" },
            { label: "the trigger changes", edit: (side) => side.setConfig({ trigger: "v2" }) },
            { command: "preview" },
            { command: "up" },
            { command: "preview", expectNoChanges: true },
            { command: "destroy" },
        ],
    },
    {
        title: "a config change after up: refresh, the refresh pass and destroy use the stored config, the program the new one",
        start: emulated(() => startService({ instances: [{ id: "c-1", limits: ORIGINAL }] }), ["c-1"]),
        program: INSTANCES,
        config: { instances: instances([{ name: "limits", id: "c-1" }]) },
        steps: [
            { command: "up" },
            {
                label: "an invalid setting",
                edit: (side) => side.setConfig({ "connect-campaign-limits:maxAttempts": "ten" }),
            },
            { command: "refresh" },
            { command: "preview", refresh: true },
            { command: "preview" },
            { command: "destroy" },
        ],
    },
    {
        title: "deletes of removed resources: the new config while the program still registers one, the stored config once it registers none",
        start: emulated(() => startService({ instances: ["d-1", "d-2"] }), ["d-1", "d-2"]),
        program: INSTANCES,
        config: {
            instances: instances([
                { name: "a", id: "d-1" },
                { name: "b", id: "d-2" },
            ]),
            "connect-campaign-limits:maxAttempts": "1",
        },
        steps: [
            { command: "up" },
            {
                label: "b leaves the program, 3 attempts now, and b's write fails once",
                async edit(side) {
                    await side.setConfig({
                        instances: instances([{ name: "a", id: "d-1" }]),
                        "connect-campaign-limits:maxAttempts": "3",
                    });
                    serviceOf(side).injectFaults("internal", 1, {
                        operation: "PutInstanceCommunicationLimits",
                        instanceId: "d-2",
                    });
                },
            },
            { command: "up" },
            {
                label: "nothing left in the program, and an invalid setting",
                edit: (side) =>
                    side.setConfig({ instances: "[]", "connect-campaign-limits:maxAttempts": "ten" }),
            },
            { command: "preview" },
            { command: "up" },
        ],
    },
];

/** The store fixture's program: its resources as a `store:resources` config value. */
const resources = (specs: object[]) => ({ "store:resources": JSON.stringify(specs) });

function editStore(side: Side, edit: (records: Record<string, { value: string }>) => void): void {
    const file = storeOf(side);
    const records = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, { value: string }>;
    edit(records);
    fs.writeFileSync(file, JSON.stringify(records));
}

/** Engine paths the product's resource never takes, through the harness's store fixture. */
const STORE_STORIES: Story[] = [
    {
        title: "store: a Diff-driven replacement creates first and deletes the old copy last; a removed resource is deleted",
        program: STORE,
        start: stored,
        config: resources([
            { name: "a", key: "k1", value: "v" },
            { name: "b", value: "x" },
        ]),
        steps: [
            { command: "up" },
            {
                label: "a's key changes, b leaves, c arrives",
                edit: (side) =>
                    side.setConfig(
                        resources([
                            { name: "a", key: "k2", value: "v" },
                            { name: "c", value: "new" },
                        ]),
                    ),
            },
            { command: "preview" },
            { command: "up" },
            { command: "preview", expectNoChanges: true },
        ],
    },
    {
        title: "store: delete-before-replace, asked by Diff and by the resource option",
        program: STORE,
        start: stored,
        config: resources([
            { name: "a", key: "k1", value: "v", deleteBeforeReplace: true },
            { name: "b", key: "m1", value: "v", deleteBeforeReplaceOption: true },
        ]),
        steps: [
            { command: "up" },
            {
                label: "both keys change",
                edit: (side) =>
                    side.setConfig(
                        resources([
                            { name: "a", key: "k2", value: "v", deleteBeforeReplace: true },
                            { name: "b", key: "m2", value: "v", deleteBeforeReplaceOption: true },
                        ]),
                    ),
            },
            { command: "preview" },
            { command: "up" },
        ],
    },
    {
        title: "store: a Diff that answers neither changes nor none leaves the decision to the engine's input diff",
        program: STORE,
        start: stored,
        config: { ...resources([{ name: "a", key: "k1", value: "v" }]), "store:diffUnknown": "true" },
        steps: [
            { command: "up" },
            { command: "preview", expectNoChanges: true },
            {
                label: "a's value changes",
                edit: (side) => side.setConfig(resources([{ name: "a", key: "k1", value: "w" }])),
            },
            { command: "preview" },
            { command: "up" },
            {
                label: "a's key changes",
                edit: (side) => side.setConfig(resources([{ name: "a", key: "k2", value: "w" }])),
            },
            { command: "preview" },
            { command: "up" },
        ],
    },
    {
        title: "store: components and a read resource, refreshed and destroyed",
        program: STORE,
        start: stored,
        config: resources([
            { name: "group", component: true },
            { name: "a", value: "1", parent: "group" },
            { name: "copy", readFrom: "a" },
            { name: "c", value: "3" },
        ]),
        steps: [
            { command: "preview" },
            { command: "up" },
            { command: "preview", refresh: true, expectNoChanges: true },
            { command: "refresh" },
            { command: "destroy" },
        ],
    },
    {
        title: "store: drift when Read returns no inputs: refresh keeps the desired inputs, up repairs",
        program: STORE,
        start: stored,
        config: { ...resources([{ name: "a", value: "one" }]), "store:readReturnsInputs": "false" },
        steps: [
            { command: "up" },
            {
                label: "the record is edited behind the program's back",
                edit: (side) =>
                    editStore(side, (records) => {
                        const record = records["a"];
                        if (record) {
                            record.value = "edited";
                        }
                    }),
            },
            { command: "preview", refresh: true, expectNoChanges: true },
            { command: "refresh" },
            { command: "preview" },
            { command: "up" },
        ],
    },
    {
        title: "store: a plain create failure records nothing and stops the dependents; a partial failure is retried",
        program: STORE,
        start: stored,
        config: resources([
            { name: "a", value: "v", failCreate: true },
            { name: "b", valueFrom: "a" },
        ]),
        steps: [
            { command: "up" },
            {
                label: "a create that fails after writing",
                edit: (side) =>
                    side.setConfig(resources([{ name: "p", value: "v", failCreateAfterWrite: true }])),
            },
            { command: "up" },
            {
                label: "the failing flag is gone",
                edit: (side) => side.setConfig(resources([{ name: "p", value: "v" }])),
            },
            { command: "preview" },
            { command: "up" },
            { command: "preview", expectNoChanges: true },
        ],
    },
    {
        title: "store: a Delete that fails fails the destroy and keeps the resource; a program error deletes nothing",
        program: STORE,
        start: stored,
        config: resources([
            { name: "a", value: "undeletable" },
            { name: "b", value: "v" },
        ]),
        steps: [
            { command: "up" },
            { command: "destroy" },
            {
                label: "the program throws",
                edit: (side) => side.setConfig(resources([{ name: "r", readFrom: "missing" }])),
            },
            { command: "preview" },
            { command: "up" },
        ],
    },
];

describe("the engine harness agrees with the real pulumi CLI", function () {
    this.timeout(900_000);

    for (const story of [...STORIES, ...STORE_STORIES]) {
        it(story.title, async () => {
            const sides: Side[] = [];
            try {
                sides.push(await harnessSide(story), await cliSide(story));
                const [harness, cli] = await Promise.all(sides.map((side) => play(story, side)));
                assert.ok(harness && cli);
                const explain = () =>
                    story.steps
                        .filter((step): step is Operation => !("edit" in step))
                        .map(
                            (step, index) =>
                                `### ${args(story.program, step).join(" ")}\n--- harness\n${harness.transcripts[index]}\n--- cli\n${cli.transcripts[index]}`,
                        )
                        .join("\n");
                assert.deepEqual(harness.account, cli.account, explain());
            } finally {
                await Promise.all(sides.map((side) => side.dispose()));
            }
        });
    }
});

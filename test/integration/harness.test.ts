// The engine harness, tested with a tiny dynamic provider that keeps values in a JSON file
// (test/fixtures/harness/store): no AWS, one provider host and one program process per run.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
    EXIT_FAILURE,
    EXIT_NO_CHANGES_EXPECTED,
    Stack,
    UNKNOWN,
    UNKNOWN_DISPLAY,
    changedKeys,
    formatRun,
    pathChanges,
    pidAlive,
    type RunResult,
    type StepResult,
} from "../../tools/harness";
import { SECRET_SIG, SIG_KEY, unwrapSecrets } from "../../tools/harness/props";

const PROGRAM = path.join(__dirname, "..", "fixtures", "harness", "store");
const DYNAMIC = "pulumi-nodejs:dynamic:Resource";

interface Spec {
    name: string;
    key?: string;
    value?: string;
    valueFrom?: string;
    nested?: { items: string[]; label?: string };
    deleteBeforeReplace?: boolean;
    deleteBeforeReplaceOption?: boolean;
    failCreate?: boolean;
    failCreateAfterWrite?: boolean;
    readFrom?: string;
    hang?: boolean;
    component?: boolean;
    parent?: string;
}

interface Fixture {
    stack: Stack;
    storeFile: string;
    /** Runs an operation and checks that it left no process behind. */
    run(operation: (stack: Stack) => Promise<RunResult>): Promise<RunResult>;
    program(specs: Spec[]): void;
    store(): Record<string, { value: string; revision: number; nested?: unknown }>;
    editStore(edit: (store: Record<string, { value: string; revision: number }>) => void): void;
}

function fixture(specs: Spec[], options: { parallel?: number; timeoutMs?: number } = {}): Fixture {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "harness-test-"));
    const storeFile = path.join(dir, "store.json");
    const stack = new Stack({
        programDir: PROGRAM,
        statePath: path.join(dir, "state.json"),
        config: { "store:file": storeFile, "store:resources": JSON.stringify(specs) },
        ...options,
    });
    const readStore = (): Record<string, { value: string; revision: number }> =>
        fs.existsSync(storeFile)
            ? (JSON.parse(fs.readFileSync(storeFile, "utf8")) as Record<
                  string,
                  { value: string; revision: number }
              >)
            : {};
    return {
        stack,
        storeFile,
        async run(operation) {
            const result = await operation(stack);
            assertProcessesGone(result);
            return result;
        },
        program(next) {
            stack.setConfig("store:resources", JSON.stringify(next));
        },
        store: readStore,
        editStore(edit) {
            const store = readStore();
            edit(store);
            fs.writeFileSync(storeFile, JSON.stringify(store));
        },
    };
}

function assertProcessesGone(result: RunResult): void {
    assert.ok(result.hostPid !== undefined, "the run started a provider host");
    assert.equal(pidAlive(result.hostPid), false, `host ${result.hostPid} is still running`);
    if (result.programPid !== undefined) {
        assert.equal(pidAlive(result.programPid), false, `program ${result.programPid} is still running`);
    }
}

/** The step for a dynamic resource by name. */
function step(result: RunResult, name: string, phase: StepResult["phase"] = "update"): StepResult {
    const found = result.steps.find((s) => s.type === DYNAMIC && s.name === name && s.phase === phase);
    assert.ok(found, `no ${phase} step for ${name} in ${JSON.stringify(result.steps.map((s) => s.name))}`);
    return found;
}

function ops(result: RunResult): Record<string, string> {
    return Object.fromEntries(result.steps.filter((s) => s.type === DYNAMIC).map((s) => [s.name, s.op]));
}

function resourceNames(f: Fixture): string[] {
    return f.stack
        .state()
        .resources.filter((r) => r.type === DYNAMIC)
        .map((r) => r.name);
}

function assertOk(result: RunResult): void {
    assert.ok(result.ok, `run failed:\n${formatRun(result)}\n${result.hostStderr}\n${result.programOutput}`);
    assert.equal(result.exitCode, 0);
}

describe("engine harness property rules", () => {
    it("pathChanges names changed leaves by path, sorted, with old and new values", () => {
        assert.deepEqual(
            pathChanges(
                { b: { list: [1, 2, 3] }, a: "x", gone: "g", __provider: "old" },
                { b: { list: [1, 5] }, a: "x", added: { deep: ["v"] }, __provider: "new" },
            ),
            [
                { path: "added.deep[0]", new: "v" },
                { path: "b.list[1]", old: 2, new: 5 },
                { path: "b.list[2]", old: 3 },
                { path: "gone", old: "g" },
            ],
        );
    });

    it("pathChanges treats a missing property and null alike, and shows unknowns", () => {
        assert.deepEqual(pathChanges({ a: null }, {}), []);
        assert.deepEqual(pathChanges({ "odd key": 1 }, { "odd key": UNKNOWN }), [
            { path: '["odd key"]', old: 1, new: UNKNOWN_DISPLAY },
        ]);
    });

    it("changedKeys mirrors the engine's input diff: unknown always differs, null equals missing", () => {
        assert.deepEqual(changedKeys({ a: 1, b: null, c: [1] }, { a: 1, c: [1], d: UNKNOWN }), ["d"]);
        assert.deepEqual(changedKeys({ a: UNKNOWN }, { a: UNKNOWN }), ["a"]);
        assert.deepEqual(changedKeys({ a: { x: [1, 2] } }, { a: { x: [2, 1] } }), ["a"]);
    });

    it("unwrapSecrets removes secret wrappers at any depth", () => {
        const secret = (value: string) => ({ [SIG_KEY]: SECRET_SIG, value });
        assert.deepEqual(unwrapSecrets({ __provider: secret("code"), list: [{ token: secret("t") }] }), {
            __provider: "code",
            list: [{ token: "t" }],
        });
    });
});

describe("engine harness", function () {
    this.timeout(60_000);

    describe("up and preview", () => {
        const f = fixture([
            { name: "a", value: "one", nested: { items: ["x", "y"] } },
            { name: "b", valueFrom: "a" },
        ]);

        it("a first preview plans creates, passes unknown inputs through Check only, and writes nothing", async () => {
            const result = await f.run((s) => s.preview());
            assertOk(result);
            assert.deepEqual(ops(result), { a: "create", b: "create" });
            assert.deepEqual(step(result, "a").rpc, ["Check"]);
            assert.deepEqual(step(result, "b").rpc, ["Check"]);
            assert.deepEqual(
                step(result, "b").changes.find((c) => c.path === "value"),
                { path: "value", new: UNKNOWN_DISPLAY },
                "b.value comes from a.revision, unknown until a exists",
            );
            assert.deepEqual(result.outputs, { revisions: UNKNOWN_DISPLAY, values: UNKNOWN_DISPLAY });
            assert.equal(fs.existsSync(f.stack.statePath), false);
            assert.deepEqual(f.store(), {});
        });

        it("up creates every resource and the program sees real outputs", async () => {
            const result = await f.run((s) => s.up());
            assertOk(result);
            assert.deepEqual(ops(result), { a: "create", b: "create" });
            assert.deepEqual(step(result, "a").rpc, ["Check", "Create"]);
            assert.deepEqual(step(result, "a").changes, [
                { path: "key", new: "a" },
                { path: "nested.items[0]", new: "x" },
                { path: "nested.items[1]", new: "y" },
                { path: "value", new: "one" },
            ]);
            assert.deepEqual(result.outputs, { revisions: { a: 1, b: 1 }, values: { a: "one", b: "a@1" } });
            assert.deepEqual(Object.keys(f.store()), ["a", "b"]);

            const state = f.stack.state();
            const a = state.resources.find((r) => r.name === "a");
            assert.equal(a?.id, "a");
            assert.equal(a?.outputs["revision"], 1);
            assert.equal(typeof a?.inputs["__provider"], "string");
            assert.equal(a?.parent, "urn:pulumi:dev::store::pulumi:pulumi:Stack::store-dev");
            assert.deepEqual(
                state.resources.find((r) => r.type === "pulumi:pulumi:Stack")?.outputs,
                result.outputs,
            );
        });

        it("a preview right after up plans no change and passes expectNoChanges", async () => {
            const result = await f.run((s) => s.preview({ expectNoChanges: true }));
            assertOk(result);
            assert.ok(result.steps.every((s) => s.op === "same"));
            assert.deepEqual(step(result, "a").rpc, ["Check", "Diff"]);
            assert.deepEqual(result.outputs, { revisions: { a: 1, b: 1 }, values: { a: "one", b: "a@1" } });
        });

        it("an update reports the changed property paths with old and new values", async () => {
            f.program([
                { name: "a", value: "two", nested: { items: ["x", "z"] } },
                { name: "b", valueFrom: "a" },
            ]);
            const preview = await f.run((s) => s.preview());
            assertOk(preview);
            assert.equal(step(preview, "a").op, "update");
            assert.deepEqual(step(preview, "a").changes, [
                { path: "nested.items[1]", old: "y", new: "z" },
                { path: "value", old: "one", new: "two" },
            ]);
            assert.match(
                formatRun(preview),
                /~ pulumi-nodejs:dynamic:Resource a update \[diff: ~nested ~value\]/,
            );
            assert.match(formatRun(preview), /~ nested\.items\[1\]: "y" → "z"/);

            const result = await f.run((s) => s.up());
            assertOk(result);
            assert.deepEqual(step(result, "a").rpc, ["Check", "Diff", "Update"]);
            // b's value follows a's revision: an update driven by another resource's new output.
            assert.deepEqual(step(result, "b").changes, [{ path: "value", old: "a@1", new: "a@2" }]);
            assert.deepEqual(result.outputs["values"], { a: "two", b: "a@2" });
            assert.equal(f.store()["a"]?.value, "two");
        });

        it("a resource removed from the program is planned, then deleted", async () => {
            f.program([{ name: "a", value: "two", nested: { items: ["x", "z"] } }]);
            const preview = await f.run((s) => s.preview());
            assert.equal(step(preview, "b").op, "delete");
            assert.deepEqual(step(preview, "b").rpc, []);

            const result = await f.run((s) => s.up());
            assertOk(result);
            assert.equal(step(result, "b").op, "delete");
            assert.deepEqual(step(result, "b").rpc, ["Delete"]);
            assert.deepEqual(Object.keys(f.store()), ["a"]);
            assert.deepEqual(resourceNames(f), ["a"]);
        });
    });

    describe("replacement", () => {
        it("creates the replacement first and deletes the old resource after every other step", async () => {
            const f = fixture([{ name: "a", key: "k1", value: "v" }]);
            assertOk(await f.run((s) => s.up()));
            f.program([
                { name: "a", key: "k2", value: "v" },
                { name: "c", value: "new" },
            ]);
            const result = await f.run((s) => s.up());
            assertOk(result);
            const a = step(result, "a");
            assert.equal(a.op, "replace");
            assert.deepEqual(a.replaceKeys, ["key"]);
            assert.deepEqual(a.rpc, ["Check", "Diff", "Check", "Create", "Delete"]);
            assert.deepEqual(
                result.calls
                    .filter((c) => c.rpc !== "Check" && c.rpc !== "Diff")
                    .map((c) => `${c.rpc} ${c.urn.split("::")[3]}`),
                ["Create a", "Create c", "Delete a"],
            );
            assert.deepEqual(Object.keys(f.store()).sort(), ["c", "k2"]);
            assert.equal(f.stack.state().resources.find((r) => r.name === "a")?.id, "k2");
        });

        it("deletes the old resource first when Diff asks for delete-before-replace", async () => {
            const f = fixture([{ name: "a", key: "k1", value: "v", deleteBeforeReplace: true }]);
            assertOk(await f.run((s) => s.up()));
            f.program([{ name: "a", key: "k2", value: "v", deleteBeforeReplace: true }]);
            const result = await f.run((s) => s.up());
            assertOk(result);
            assert.equal(step(result, "a").deleteBeforeReplace, true);
            assert.deepEqual(step(result, "a").rpc, ["Check", "Diff", "Check", "Delete", "Create"]);
            assert.deepEqual(Object.keys(f.store()), ["k2"]);
            assert.deepEqual(resourceNames(f), ["a"]);
        });

        it("deletes the old resource first when the deleteBeforeReplace option is set", async () => {
            const f = fixture([{ name: "a", key: "k1", value: "v", deleteBeforeReplaceOption: true }]);
            assertOk(await f.run((s) => s.up()));
            f.program([{ name: "a", key: "k2", value: "v", deleteBeforeReplaceOption: true }]);
            const result = await f.run((s) => s.up());
            assertOk(result);
            assert.deepEqual(step(result, "a").rpc, ["Check", "Diff", "Check", "Delete", "Create"]);
        });
    });

    describe("a Diff that answers neither changes nor no changes", () => {
        const f = fixture([{ name: "a", key: "k1", value: "v" }]);
        before(async () => {
            assertOk(await f.run((s) => s.up()));
            f.stack.setConfig("store:diffUnknown", "true");
        });

        it("leaves the resource alone when the inputs are unchanged", async () => {
            const result = await f.run((s) => s.preview({ expectNoChanges: true }));
            assertOk(result);
            assert.equal(step(result, "a").op, "same");
        });

        it("is an update when the engine's own input diff finds a change", async () => {
            f.program([{ name: "a", key: "k1", value: "w" }]);
            const result = await f.run((s) => s.preview());
            assert.equal(step(result, "a").op, "update");
            assert.deepEqual(step(result, "a").changes, [{ path: "value", old: "v", new: "w" }]);
        });

        it("keeps the provider's replaces once the inputs differ", async () => {
            f.program([{ name: "a", key: "k2", value: "v" }]);
            const result = await f.run((s) => s.preview());
            assert.equal(step(result, "a").op, "replace");
            assert.deepEqual(step(result, "a").rpc, ["Check", "Diff", "Check"]);
        });
    });

    describe("refresh", () => {
        const f = fixture([
            { name: "a", value: "one" },
            { name: "b", value: "two" },
        ]);

        before(async () => assertOk(await f.run((s) => s.up())));

        it("finds nothing to change when the live state matches", async () => {
            const result = await f.run((s) => s.refresh({ expectNoChanges: true }));
            assertOk(result);
            assert.ok(result.steps.every((s) => s.drift === false));
            assert.deepEqual(step(result, "a", "refresh").rpc, ["Read", "Diff"]);
        });

        it("detects an out-of-band edit in a preview-only refresh and writes nothing", async () => {
            f.editStore((store) => {
                if (store["a"]) {
                    store["a"].value = "edited";
                }
            });
            const before = fs.readFileSync(f.stack.statePath, "utf8");
            const result = await f.run((s) => s.refresh({ preview: true, expectNoChanges: true }));
            assert.equal(result.ok, false);
            assert.equal(result.exitCode, EXIT_NO_CHANGES_EXPECTED);
            assert.equal(step(result, "a", "refresh").drift, true);
            assert.equal(step(result, "b", "refresh").drift, false);
            assert.equal(fs.readFileSync(f.stack.statePath, "utf8"), before);
        });

        it("fails preview --refresh --expect-no-changes on drift and plans the repair", async () => {
            const result = await f.run((s) => s.preview({ refresh: true, expectNoChanges: true }));
            assert.equal(result.exitCode, EXIT_NO_CHANGES_EXPECTED);
            assert.equal(step(result, "a", "refresh").drift, true);
            assert.deepEqual(step(result, "a").changes, [{ path: "value", old: "edited", new: "one" }]);
            assert.equal(f.stack.state().resources.find((r) => r.name === "a")?.inputs["value"], "one");
        });

        it("records the drift and replaces the stored inputs with the inputs Read returned", async () => {
            const result = await f.run((s) => s.refresh());
            assertOk(result);
            const a = step(result, "a", "refresh");
            assert.equal(a.drift, true);
            assert.deepEqual(a.changes, [{ path: "value", old: "one", new: "edited" }]);
            const stored = f.stack.state().resources.find((r) => r.name === "a");
            assert.equal(stored?.inputs["value"], "edited");
            assert.equal(stored?.outputs["value"], "edited");
            assert.equal(typeof stored?.inputs["__provider"], "string", "Read's inputs keep __provider");

            const preview = await f.run((s) => s.preview({ expectNoChanges: true }));
            assert.equal(preview.exitCode, EXIT_NO_CHANGES_EXPECTED);
            assert.deepEqual(step(preview, "a").changes, [{ path: "value", old: "edited", new: "one" }]);
            assertOk(await f.run((s) => s.up()));
            assert.equal(f.store()["a"]?.value, "one");
        });

        it("up --refresh reads the drift and repairs it in one run", async () => {
            f.editStore((store) => {
                if (store["b"]) {
                    store["b"].value = "edited";
                }
            });
            const result = await f.run((s) => s.up({ refresh: true }));
            assertOk(result);
            assert.equal(step(result, "b", "refresh").drift, true);
            assert.deepEqual(step(result, "b").rpc, ["Check", "Diff", "Update"]);
            assert.deepEqual(step(result, "b").changes, [{ path: "value", old: "edited", new: "two" }]);
            assert.equal(f.store()["b"]?.value, "two");
        });

        it("drops a resource whose Read returns an empty id, and the next preview re-creates it", async () => {
            f.editStore((store) => delete store["b"]);
            const result = await f.run((s) => s.refresh());
            assertOk(result);
            assert.equal(step(result, "b", "refresh").op, "delete");
            assert.deepEqual(step(result, "b", "refresh").rpc, ["Read"]);
            assert.deepEqual(resourceNames(f), ["a"]);

            const preview = await f.run((s) => s.preview());
            assert.equal(step(preview, "b").op, "create");
        });
    });

    describe("failures", () => {
        it("check failures fail the preview, are all reported, and stop that resource's RPCs", async () => {
            const f = fixture([{ name: "a", key: "", value: "bad value" }]);
            const result = await f.run((s) => s.preview());
            assert.equal(result.ok, false);
            assert.equal(result.exitCode, EXIT_FAILURE);
            const a = step(result, "a");
            assert.deepEqual(a.rpc, ["Check"]);
            assert.deepEqual(
                a.checkFailures.map((c) => c.property),
                ["value", "key"],
            );
            assert.ok(
                result.errors.some((e) =>
                    e.includes(`'s property 'value' value {"bad value"} has a problem`),
                ),
            );
            assert.ok(
                result.errors.some((e) =>
                    e.includes("'s property 'key' value {\"\"} has a problem: key is required"),
                ),
            );
        });

        it("a create that fails after writing records the resource as a partial failure", async () => {
            const f = fixture([{ name: "a", value: "v", failCreateAfterWrite: true }]);
            const result = await f.run((s) => s.up());
            assert.equal(result.ok, false);
            assert.equal(result.exitCode, EXIT_FAILURE);
            assert.match(step(result, "a").error ?? "", /was written but failed to initialise/);
            const stored = f.stack.state().resources.find((r) => r.name === "a");
            assert.equal(stored?.id, "a");
            assert.deepEqual(stored?.initErrors, ["initialisation failed"]);
            assert.equal(stored?.outputs["revision"], 1);
            assert.deepEqual(Object.keys(f.store()), ["a"]);

            // With init errors in state the engine updates the resource even though Diff reports no change.
            f.program([{ name: "a", value: "v" }]);
            const retry = await f.run((s) => s.up());
            assertOk(retry);
            assert.equal(step(retry, "a").op, "update");
            assert.deepEqual(step(retry, "a").rpc, ["Check", "Diff", "Update"]);
            assert.equal(f.stack.state().resources.find((r) => r.name === "a")?.initErrors, undefined);
        });

        it("a successful refresh clears a partial failure's init errors, so the next preview plans nothing", async () => {
            const f = fixture([{ name: "a", value: "v", failCreateAfterWrite: true }]);
            assert.equal((await f.run((s) => s.up())).ok, false);
            assert.deepEqual(f.stack.state().resources.find((r) => r.name === "a")?.initErrors, [
                "initialisation failed",
            ]);
            f.program([{ name: "a", value: "v" }]);
            assertOk(await f.run((s) => s.refresh()));
            assert.equal(f.stack.state().resources.find((r) => r.name === "a")?.initErrors, undefined);
            const preview = await f.run((s) => s.preview());
            assertOk(preview);
            assert.equal(step(preview, "a").op, "same");
        });

        it("a create that fails plainly records nothing, and its dependents are never registered", async () => {
            const f = fixture([
                { name: "a", value: "v", failCreate: true },
                { name: "b", valueFrom: "a" },
            ]);
            const result = await f.run((s) => s.up());
            assert.equal(result.ok, false);
            assert.match(step(result, "a").error ?? "", /create of a rejected/);
            assert.equal(
                result.steps.some((s) => s.name === "b"),
                false,
            );
            assert.deepEqual(resourceNames(f), []);
            assert.deepEqual(f.store(), {});
        });

        it("a program error fails the run and deletes nothing", async () => {
            const f = fixture([{ name: "a", value: "v" }]);
            assertOk(await f.run((s) => s.up()));
            f.program([{ name: "r", readFrom: "missing" }]);
            const result = await f.run((s) => s.up());
            assert.equal(result.ok, false);
            assert.ok(
                result.errors.some((e) => e.includes("readFrom missing: no such resource")),
                result.errors.join("\n"),
            );
            assert.equal(
                result.steps.some((s) => s.op === "delete"),
                false,
            );
            assert.deepEqual(resourceNames(f), ["a"]);
        });

        it("a program that never finishes times out and leaves no process behind", async () => {
            const f = fixture([{ name: "a", value: "v", hang: true }], { timeoutMs: 4000 });
            const result = await f.run((s) => s.up());
            assert.equal(result.ok, false);
            assert.ok(result.errors.includes("error: up timed out after 4000 ms"), result.errors.join("\n"));
            assert.ok(result.programPid !== undefined);
        });

        it("expectNoChanges makes a preview with changes exit non-zero", async () => {
            const f = fixture([{ name: "a", value: "v" }]);
            const result = await f.run((s) => s.preview({ expectNoChanges: true }));
            assert.equal(result.ok, false);
            assert.equal(result.exitCode, EXIT_NO_CHANGES_EXPECTED);
            assert.ok(result.errors.includes("error: no changes were expected but changes were proposed"));
        });
    });

    describe("reads, components and destroy", () => {
        it("reads an existing resource by id, unknown in preview until its source exists", async () => {
            const f = fixture([
                { name: "a", value: "v" },
                { name: "copy", readFrom: "a" },
            ]);
            const preview = await f.run((s) => s.preview());
            assertOk(preview);
            assert.equal(step(preview, "copy").op, "read");
            assert.deepEqual(step(preview, "copy").rpc, [], "the id is unknown: nothing to read yet");

            const result = await f.run((s) => s.up());
            assertOk(result);
            assert.deepEqual(step(result, "copy").rpc, ["Read"]);
            const copy = f.stack.state().resources.find((r) => r.name === "copy");
            assert.equal(copy?.external, true);
            assert.equal(copy?.outputs["value"], "v");
            assert.deepEqual(result.outputs["values"], { a: "v", copy: "v" });
        });

        it("records components without provider calls and destroys dependents first", async () => {
            const f = fixture(
                [
                    { name: "group", component: true },
                    { name: "a", value: "1", parent: "group" },
                    { name: "b", value: "2", parent: "group" },
                    { name: "c", value: "3" },
                ],
                { parallel: 4 },
            );
            const up = await f.run((s) => s.up());
            assertOk(up);
            const group = up.steps.find((s) => s.name === "group");
            assert.deepEqual(group?.rpc, []);
            assert.equal(
                f.stack.state().resources.find((r) => r.name === "a")?.urn,
                "urn:pulumi:dev::store::harness:fixture:Group$pulumi-nodejs:dynamic:Resource::a",
            );

            const destroy = await f.run((s) => s.destroy());
            assertOk(destroy);
            const order = destroy.steps.map((s) => s.name);
            assert.ok(
                order.indexOf("a") < order.indexOf("group") && order.indexOf("b") < order.indexOf("group"),
            );
            assert.equal(order.at(-1), "store-dev", "the stack goes last");
            assert.deepEqual(
                destroy.calls.map((c) => c.rpc),
                ["Delete", "Delete", "Delete"],
            );
            assert.deepEqual(f.stack.state().resources, []);
            assert.deepEqual(f.store(), {});
        });

        it("a Delete that fails fails the destroy and keeps the resource in state", async () => {
            const f = fixture([
                { name: "a", value: "undeletable" },
                { name: "b", value: "v" },
            ]);
            assertOk(await f.run((s) => s.up()));
            const result = await f.run((s) => s.destroy());
            assert.equal(result.ok, false);
            assert.equal(result.exitCode, EXIT_FAILURE);
            assert.match(step(result, "a", "destroy").error ?? "", /a is undeletable/);
            assert.ok(result.errors.some((e) => e.includes("a is undeletable")));
            assert.ok(resourceNames(f).includes("a"));
            assert.deepEqual(Object.keys(f.store()), ["a"]);
        });
    });
});

// The engine harness, tested with a tiny dynamic provider that keeps values in a JSON file
// (test/fixtures/harness/store): no AWS, one provider host and one program process per run.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
    DEFAULT_CLI_VERSION,
    EXIT_FAILURE,
    EXIT_FAILURE_LEGACY,
    EXIT_NO_CHANGES_EXPECTED,
    Stack,
    UNKNOWN,
    UNKNOWN_DISPLAY,
    changedKeys,
    defaultParallel,
    exitCodesOf,
    formatRun,
    goMaxProcs,
    noChangesExpectedMessage,
    pathChanges,
    pidAlive,
    tempFolder,
    resolveEntryPoint,
    type RunResult,
    type StepResult,
} from "../../tools/harness";
import { SECRET_SIG, SIG_KEY, keyDiff, unwrapSecrets } from "../../tools/harness/props";
import type { Spec } from "../fixtures/harness/store/spec";
import { assertRunOk } from "../support/reliability";

const PROGRAM = path.join(__dirname, "..", "fixtures", "harness", "store");
const DYNAMIC = "pulumi-nodejs:dynamic:Resource";

interface Fixture {
    stack: Stack;
    storeFile: string;
    /** Runs an operation and checks that it left no process behind. */
    run(operation: (stack: Stack) => Promise<RunResult>): Promise<RunResult>;
    program(specs: Spec[]): void;
    store(): Record<string, { value: string; revision: number; nested?: unknown }>;
    editStore(edit: (store: Record<string, { value: string; revision: number }>) => void): void;
}

function fixture(
    specs: Spec[],
    options: { parallel?: number; timeoutMs?: number; cliVersion?: string } = {},
): Fixture {
    const dir = tempFolder("harness-test-");
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
    assert.ok(result.hostPids.length > 0, "the run started a provider host");
    for (const pid of result.hostPids) {
        assert.equal(pidAlive(pid), false, `host ${pid} is still running`);
    }
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
            assertRunOk(result);
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
            assertRunOk(result);
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
            assertRunOk(result);
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
            assertRunOk(preview);
            assert.equal(step(preview, "a").op, "update");
            assert.deepEqual(step(preview, "a").changes, [
                { path: "nested.items[1]", old: "y", new: "z" },
                { path: "value", old: "one", new: "two" },
            ]);
            // The CLI's short diff: changed top-level keys after "~", joined by commas.
            assert.match(
                formatRun(preview),
                /~ pulumi-nodejs:dynamic:Resource a update \[diff: ~nested,value\]/,
            );
            assert.match(formatRun(preview), /~ nested\.items\[1\]: "y" → "z"/);

            const result = await f.run((s) => s.up());
            assertRunOk(result);
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
            assertRunOk(result);
            assert.equal(step(result, "b").op, "delete");
            assert.deepEqual(step(result, "b").rpc, ["Delete"]);
            assert.deepEqual(Object.keys(f.store()), ["a"]);
            assert.deepEqual(resourceNames(f), ["a"]);
        });
    });

    describe("replacement", () => {
        it("creates the replacement first and deletes the old resource after every other step", async () => {
            const f = fixture([{ name: "a", key: "k1", value: "v" }]);
            assertRunOk(await f.run((s) => s.up()));
            f.program([
                { name: "a", key: "k2", value: "v" },
                { name: "c", value: "new" },
            ]);
            const result = await f.run((s) => s.up());
            assertRunOk(result);
            const a = step(result, "a");
            assert.equal(a.op, "replace");
            assert.deepEqual(a.replaceKeys, ["key"]);
            assert.deepEqual(a.rpc, ["Check", "Diff", "Check", "Create", "Delete"]);
            assert.deepEqual(a.engineOps, ["create-replacement", "replace", "delete-replaced"]);
            const writes = result.calls
                .filter((c) => c.rpc !== "Check" && c.rpc !== "Diff")
                .map((c) => `${c.rpc} ${c.urn.split("::")[3]}`);
            // a and c are created in parallel (in either order); the old a goes after both.
            assert.deepEqual(writes.slice(0, 2).sort(), ["Create a", "Create c"]);
            assert.deepEqual(writes.slice(2), ["Delete a"]);
            assert.deepEqual(Object.keys(f.store()).sort(), ["c", "k2"]);
            assert.equal(f.stack.state().resources.find((r) => r.name === "a")?.id, "k2");
        });

        it("deletes the old resource first when Diff asks for delete-before-replace", async () => {
            const f = fixture([{ name: "a", key: "k1", value: "v", deleteBeforeReplace: true }]);
            assertRunOk(await f.run((s) => s.up()));
            f.program([{ name: "a", key: "k2", value: "v", deleteBeforeReplace: true }]);
            const result = await f.run((s) => s.up());
            assertRunOk(result);
            assert.equal(step(result, "a").deleteBeforeReplace, true);
            assert.deepEqual(step(result, "a").rpc, ["Check", "Diff", "Check", "Delete", "Create"]);
            assert.deepEqual(step(result, "a").engineOps, [
                "delete-replaced",
                "replace",
                "create-replacement",
            ]);
            assert.deepEqual(Object.keys(f.store()), ["k2"]);
            assert.deepEqual(resourceNames(f), ["a"]);
        });

        it("deletes the old resource first when the deleteBeforeReplace option is set", async () => {
            const f = fixture([{ name: "a", key: "k1", value: "v", deleteBeforeReplaceOption: true }]);
            assertRunOk(await f.run((s) => s.up()));
            f.program([{ name: "a", key: "k2", value: "v", deleteBeforeReplaceOption: true }]);
            const result = await f.run((s) => s.up());
            assertRunOk(result);
            assert.deepEqual(step(result, "a").rpc, ["Check", "Diff", "Check", "Delete", "Create"]);
        });
    });

    describe("a Diff that answers neither changes nor no changes", () => {
        const f = fixture([{ name: "a", key: "k1", value: "v" }]);
        before(async () => {
            assertRunOk(await f.run((s) => s.up()));
            f.stack.setConfig("store:diffUnknown", "true");
        });

        it("leaves the resource alone when the inputs are unchanged", async () => {
            const result = await f.run((s) => s.preview({ expectNoChanges: true }));
            assertRunOk(result);
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

        before(async () => assertRunOk(await f.run((s) => s.up())));

        it("finds nothing to change when the live state matches", async () => {
            const result = await f.run((s) => s.refresh({ expectNoChanges: true }));
            assertRunOk(result);
            assert.ok(result.steps.every((s) => s.drift === false));
            // A refresh reports each resource by its outcome (RefreshStep.ResultOp), the stack and provider too.
            assert.ok(result.steps.every((s) => s.op === "same" && s.resultOp === "same"));
            assert.deepEqual(
                result.providerSteps.map((s) => s.op),
                ["same"],
            );
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
            // The refresh pass reports "refresh" whatever it found; the outcome is kept apart.
            assert.equal(step(result, "a", "refresh").op, "refresh");
            assert.equal(step(result, "a", "refresh").resultOp, "update");
            assert.deepEqual(step(result, "a").changes, [{ path: "value", old: "edited", new: "one" }]);
            assert.equal(f.stack.state().resources.find((r) => r.name === "a")?.inputs["value"], "one");
        });

        it("records the drift and replaces the stored inputs with the inputs Read returned", async () => {
            const result = await f.run((s) => s.refresh());
            assertRunOk(result);
            const a = step(result, "a", "refresh");
            assert.equal(a.drift, true);
            assert.equal(a.op, "update");
            assert.deepEqual(a.changes, [{ path: "value", old: "one", new: "edited" }]);
            const stored = f.stack.state().resources.find((r) => r.name === "a");
            assert.equal(stored?.inputs["value"], "edited");
            assert.equal(stored?.outputs["value"], "edited");
            assert.equal(typeof stored?.inputs["__provider"], "string", "Read's inputs keep __provider");

            const preview = await f.run((s) => s.preview({ expectNoChanges: true }));
            assert.equal(preview.exitCode, EXIT_NO_CHANGES_EXPECTED);
            assert.deepEqual(step(preview, "a").changes, [{ path: "value", old: "edited", new: "one" }]);
            assertRunOk(await f.run((s) => s.up()));
            assert.equal(f.store()["a"]?.value, "one");
        });

        it("up --refresh reads the drift and repairs it in one run", async () => {
            f.editStore((store) => {
                if (store["b"]) {
                    store["b"].value = "edited";
                }
            });
            const result = await f.run((s) => s.up({ refresh: true }));
            assertRunOk(result);
            assert.equal(step(result, "b", "refresh").drift, true);
            assert.deepEqual(step(result, "b").rpc, ["Check", "Diff", "Update"]);
            assert.deepEqual(step(result, "b").changes, [{ path: "value", old: "edited", new: "two" }]);
            assert.equal(f.store()["b"]?.value, "two");
        });

        it("drops a resource whose Read returns an empty id, and the next preview re-creates it", async () => {
            f.editStore((store) => delete store["b"]);
            const result = await f.run((s) => s.refresh());
            assertRunOk(result);
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
            // Diagnostic 2003 as the engine prints it: the value as Go prints a PropertyValue.
            assert.ok(
                result.errors.includes(
                    `${DYNAMIC} resource 'a': property value value {bad value} has a problem: ` +
                        `value must not start with "bad"`,
                ),
                result.errors.join("\n"),
            );
            assert.ok(
                result.errors.includes(
                    `${DYNAMIC} resource 'a': property key value {} has a problem: key is required`,
                ),
                result.errors.join("\n"),
            );
            assert.deepEqual(a.engineOps, [], "the engine reports no step for an invalid resource");
            assert.equal(fs.existsSync(f.stack.statePath), false);
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
            assertRunOk(retry);
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
            assertRunOk(await f.run((s) => s.refresh()));
            assert.equal(f.stack.state().resources.find((r) => r.name === "a")?.initErrors, undefined);
            const preview = await f.run((s) => s.preview());
            assertRunOk(preview);
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
            assertRunOk(await f.run((s) => s.up()));
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
            assert.ok(
                result.errors.includes(
                    "error: no changes were expected for preview but changes were proposed",
                ),
            );
        });
    });

    describe("reads, components and destroy", () => {
        it("reads an existing resource by id, unknown in preview until its source exists", async () => {
            const f = fixture([
                { name: "a", value: "v" },
                { name: "copy", readFrom: "a" },
            ]);
            const preview = await f.run((s) => s.preview());
            assertRunOk(preview);
            assert.equal(step(preview, "copy").op, "read");
            assert.deepEqual(step(preview, "copy").rpc, [], "the id is unknown: nothing to read yet");

            const result = await f.run((s) => s.up());
            assertRunOk(result);
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
            assertRunOk(up);
            const group = up.steps.find((s) => s.name === "group");
            assert.deepEqual(group?.rpc, []);
            assert.equal(
                f.stack.state().resources.find((r) => r.name === "a")?.urn,
                "urn:pulumi:dev::store::harness:fixture:Group$pulumi-nodejs:dynamic:Resource::a",
            );

            const destroy = await f.run((s) => s.destroy());
            assertRunOk(destroy);
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
            assertRunOk(await f.run((s) => s.up()));
            const result = await f.run((s) => s.destroy());
            assert.equal(result.ok, false);
            assert.equal(result.exitCode, EXIT_FAILURE);
            assert.match(step(result, "a", "destroy").error ?? "", /a is undeletable/);
            assert.ok(result.errors.some((e) => e.includes("a is undeletable")));
            assert.ok(resourceNames(f).includes("a"));
            assert.deepEqual(Object.keys(f.store()), ["a"]);
        });
    });

    describe("exit codes and messages of the CLI version in use", () => {
        it("an older CLI (before 3.226) exits 255 for a failure and for --expect-no-changes, with its wording", async () => {
            const f = fixture([{ name: "a", value: "v" }], { cliVersion: "v3.225.0" });
            const changes = await f.run((s) => s.preview({ expectNoChanges: true }));
            assert.equal(changes.exitCode, EXIT_FAILURE_LEGACY);
            assert.ok(
                changes.errors.includes("error: error: no changes were expected but changes were proposed"),
                changes.errors.join("\n"),
            );
            f.program([{ name: "a", value: "bad" }]);
            const failed = await f.run((s) => s.preview());
            assert.equal(failed.exitCode, EXIT_FAILURE_LEGACY);
        });

        it("up and refresh name their operation when --expect-no-changes sees changes", async () => {
            const f = fixture([{ name: "a", value: "v" }]);
            const up = await f.run((s) => s.up({ expectNoChanges: true }));
            assert.equal(up.exitCode, EXIT_NO_CHANGES_EXPECTED);
            assert.ok(
                up.errors.includes("error: no changes were expected for update but changes were proposed"),
            );
            assert.equal(f.store()["a"]?.value, "v", "up applies the changes before it fails");
            f.editStore((store) => {
                if (store["a"]) {
                    store["a"].value = "edited";
                }
            });
            const refresh = await f.run((s) => s.refresh({ expectNoChanges: true }));
            assert.equal(refresh.exitCode, EXIT_NO_CHANGES_EXPECTED);
            assert.ok(
                refresh.errors.includes(
                    "error: no changes were expected for refresh but changes were proposed",
                ),
            );
        });
    });

    describe("which config the provider sees", () => {
        /** A fixture whose store file is switched by config, so the file a call used shows its config. */
        function twoStores(specs: Spec[]) {
            const f = fixture(specs);
            const other = path.join(path.dirname(f.storeFile), "other.json");
            const read = (file: string): Record<string, unknown> =>
                fs.existsSync(file)
                    ? (JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>)
                    : {};
            return { f, other, first: () => read(f.storeFile), second: () => read(other) };
        }

        it("up records the stack config as the default provider's inputs", async () => {
            const { f } = twoStores([{ name: "a", value: "v" }]);
            const up = await f.run((s) => s.up());
            assertRunOk(up);
            assert.deepEqual(
                up.providerSteps.map((s) => s.op),
                ["create"],
            );
            const provider = f.stack.state().defaultProvider;
            assert.equal(provider?.urn, "urn:pulumi:dev::store::pulumi:providers:pulumi-nodejs::default");
            assert.deepEqual(provider?.inputs, {
                "store:file": f.storeFile,
                "store:resources": JSON.stringify([{ name: "a", value: "v" }]),
            });
            assert.match(provider?.id ?? "", /^[0-9a-f-]{36}$/);
        });

        it("refresh and destroy after a config change configure the provider from the stored config", async () => {
            const { f, other, first, second } = twoStores([{ name: "a", value: "v" }]);
            assertRunOk(await f.run((s) => s.up()));
            const stored = f.stack.state().defaultProvider?.inputs;
            f.stack.setConfig("store:file", other);

            const refresh = await f.run((s) => s.refresh());
            assertRunOk(refresh);
            assert.equal(step(refresh, "a", "refresh").op, "same", "a is read from the stored config's file");
            assert.deepEqual(refresh.configurations, [stored]);

            const preview = await f.run((s) => s.preview());
            assertRunOk(preview);
            assert.deepEqual(
                preview.providerSteps.map((s) => s.op),
                ["update"],
            );
            assert.deepEqual(preview.configurations, [{ ...stored, "store:file": other }]);

            const destroy = await f.run((s) => s.destroy());
            assertRunOk(destroy);
            assert.deepEqual(first(), {}, "a was deleted from the stored config's file");
            assert.deepEqual(second(), {});
            assert.deepEqual(
                destroy.providerSteps.map((s) => s.op),
                ["delete"],
            );
            assert.equal(f.stack.state().defaultProvider, undefined);
        });

        it("up --refresh refreshes with the stored config and updates with the new one, in a second host", async () => {
            const { f, other, second } = twoStores([{ name: "a", value: "v" }]);
            assertRunOk(await f.run((s) => s.up()));
            const stored = f.stack.state().defaultProvider?.inputs ?? {};
            f.stack.setConfig("store:file", other);
            const up = await f.run((s) => s.up({ refresh: true }));
            assertRunOk(up);
            assert.equal(step(up, "a", "refresh").resultOp, "same");
            assert.equal(step(up, "a").op, "same");
            assert.deepEqual(up.configurations, [stored, { ...stored, "store:file": other }]);
            assert.equal(up.hostPids.length, 2);
            assert.deepEqual(second(), {}, "nothing was re-created in the new file");
            assert.equal(f.stack.state().defaultProvider?.inputs["store:file"], other);
        });

        it("a failed up keeps the new config: the provider's step comes before the first Check", async () => {
            const { f, other } = twoStores([{ name: "a", value: "v" }]);
            assertRunOk(await f.run((s) => s.up()));
            f.stack.setConfig("store:file", other);
            f.program([{ name: "a", value: "bad" }]);
            const up = await f.run((s) => s.up());
            assert.equal(up.exitCode, EXIT_FAILURE);
            assert.equal(f.stack.state().defaultProvider?.inputs["store:file"], other);
        });

        it("deletes use the new config while the program registers a dynamic resource, the stored one once it registers none", async () => {
            const { f, other, first } = twoStores([
                { name: "a", value: "1" },
                { name: "b", value: "2" },
            ]);
            assertRunOk(await f.run((s) => s.up()));
            // b leaves the program and the file changes: the provider is updated, then b is deleted with it.
            f.program([{ name: "a", value: "1" }]);
            f.stack.setConfig("store:file", other);
            const removing = await f.run((s) => s.up());
            assertRunOk(removing);
            assert.equal(step(removing, "b").op, "delete");
            assert.deepEqual(Object.keys(first()).sort(), ["a", "b"], "b's Delete went to the new file");

            // Nothing left in the program and the first file again: a is deleted with the stored config.
            f.program([]);
            f.stack.setConfig("store:file", f.storeFile);
            const emptied = await f.run((s) => s.up());
            assertRunOk(emptied);
            assert.deepEqual(Object.keys(first()).sort(), ["a", "b"], "a's Delete went to the stored file");
            assert.deepEqual(
                emptied.providerSteps.map((s) => s.op),
                ["delete"],
            );
            assert.deepEqual(resourceNames(f), []);
            assert.equal(f.stack.state().defaultProvider, undefined);
        });
    });

    describe("engine-forced replacements", () => {
        const urnOf = (name: string) => `urn:pulumi:dev::store::${DYNAMIC}::${name}`;

        it("up --replace replaces without Diff, checking without old inputs, and creates first", async () => {
            const f = fixture([{ name: "a", value: "v" }]);
            assertRunOk(await f.run((s) => s.up()));
            const preview = await f.run((s) => s.preview({ replace: [urnOf("a")] }));
            assertRunOk(preview);
            assert.equal(step(preview, "a").op, "replace");
            assert.deepEqual(step(preview, "a").rpc, ["Check"]);
            assert.deepEqual(step(preview, "a").engineOps, [
                "create-replacement",
                "replace",
                "delete-replaced",
            ]);

            const up = await f.run((s) => s.up({ replace: [urnOf("a")] }));
            assertRunOk(up);
            const a = step(up, "a");
            assert.deepEqual(a.replaceKeys, ["id"]);
            assert.equal(a.deleteBeforeReplace, false);
            assert.deepEqual(a.rpc, ["Check", "Create", "Delete"]);
        });

        it("up --replace deletes first when the deleteBeforeReplace option is set", async () => {
            const f = fixture([{ name: "a", value: "v", deleteBeforeReplaceOption: true }]);
            assertRunOk(await f.run((s) => s.up()));
            const up = await f.run((s) => s.up({ replace: [urnOf("a")] }));
            assertRunOk(up);
            assert.deepEqual(step(up, "a").rpc, ["Check", "Delete", "Create"]);
            assert.deepEqual(step(up, "a").engineOps, ["delete-replaced", "replace", "create-replacement"]);
            assert.deepEqual(f.store()["a"]?.value, "v");
        });

        it("state taint makes the next up replace the resource and clears the mark; a preview leaves it", async () => {
            const f = fixture([{ name: "a", value: "v" }]);
            assertRunOk(await f.run((s) => s.up()));
            assert.throws(() => f.stack.taint(urnOf("missing")), /No such resource/);
            f.stack.taint(urnOf("a"));
            assert.equal(f.stack.state().resources.find((r) => r.name === "a")?.taint, true);

            const preview = await f.run((s) => s.preview());
            assert.equal(step(preview, "a").op, "replace");
            assert.equal(f.stack.state().resources.find((r) => r.name === "a")?.taint, true);

            const up = await f.run((s) => s.up());
            assertRunOk(up);
            assert.deepEqual(step(up, "a").rpc, ["Check", "Create", "Delete"]);
            assert.equal(f.stack.state().resources.find((r) => r.name === "a")?.taint, undefined);
            const again = await f.run((s) => s.preview({ expectNoChanges: true }));
            assertRunOk(again);
        });

        it("a replacementTrigger change replaces without Diff; a first trigger and an unchanged one do not", async () => {
            const f = fixture([{ name: "a", value: "v" }]);
            assertRunOk(await f.run((s) => s.up()));
            f.program([{ name: "a", value: "v", trigger: "v1" }]);
            const first = await f.run((s) => s.up());
            assertRunOk(first);
            assert.equal(step(first, "a").op, "same");
            assert.deepEqual(step(first, "a").rpc, ["Check", "Diff"]);
            assert.equal(f.stack.state().resources.find((r) => r.name === "a")?.replacementTrigger, "v1");

            f.program([{ name: "a", value: "v", trigger: "v2" }]);
            const up = await f.run((s) => s.up());
            assertRunOk(up);
            assert.equal(step(up, "a").op, "replace");
            assert.deepEqual(step(up, "a").rpc, ["Check", "Check", "Create", "Delete"]);
            assert.equal(f.stack.state().resources.find((r) => r.name === "a")?.replacementTrigger, "v2");
            assertRunOk(await f.run((s) => s.preview({ expectNoChanges: true })));
        });
    });

    describe("check failures", () => {
        it("stop the deployment at the first resource whose inputs are invalid", async () => {
            const f = fixture(
                [
                    { name: "a", value: "bad one" },
                    { name: "b", value: "bad two" },
                ],
                { parallel: 1 },
            );
            const result = await f.run((s) => s.preview());
            assert.equal(result.exitCode, EXIT_FAILURE);
            assert.deepEqual(
                result.steps.filter((s) => s.type === DYNAMIC).map((s) => s.name),
                ["a"],
            );
            assert.ok(
                result.errors.every((e) => !e.includes("resource 'b'")),
                result.errors.join("\n"),
            );
        });
    });

    describe("the program's entry point", () => {
        let root: string;
        beforeEach(() => {
            root = fs.mkdtempSync(path.join(os.tmpdir(), "harness-entry-"));
        });
        afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

        function write(file: string, text: string): void {
            fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
            fs.writeFileSync(path.join(root, file), text);
        }

        it("without a Pulumi.yaml main, the nearest package.json's main, searching upward, is the program", () => {
            write("package.json", JSON.stringify({ main: "lib/main.ts" }));
            write("lib/main.ts", "");
            write("project/Pulumi.yaml", "name: p\nruntime: nodejs\n");
            assert.deepEqual(resolveEntryPoint(path.join(root, "project")), {
                pwd: path.join(root, "project"),
                program: path.join(root, "lib", "main.ts"),
            });
        });

        it("package.json exports win over its main, as @pulumi/pulumi/cmd/run reads them", () => {
            write(
                "package.json",
                JSON.stringify({ main: "main.ts", exports: { ".": { default: "./entry.ts" } } }),
            );
            write("main.ts", "");
            write("entry.ts", "");
            write("Pulumi.yaml", "name: p\nruntime: nodejs\n");
            assert.equal(resolveEntryPoint(root).program, path.join(root, "entry.ts"));
        });

        it("a Pulumi.yaml main wins: a file makes its folder the working directory, a folder becomes it", () => {
            write("package.json", JSON.stringify({ main: "elsewhere.ts" }));
            write("elsewhere.ts", "");
            write("src/app.ts", "");
            write("Pulumi.yaml", "name: p\nruntime: nodejs\nmain: src/app.ts # the app\n");
            assert.deepEqual(resolveEntryPoint(root), {
                pwd: path.join(root, "src"),
                program: path.join(root, "src", "app.ts"),
            });
            write("Pulumi.yaml", "name: p\nruntime: nodejs\nmain: src/\n");
            const folder = resolveEntryPoint(root);
            assert.equal(folder.pwd, path.join(root, "src"));
            // With entry "." the nearest package.json decides again, from the new working directory.
            assert.equal(folder.program, path.join(root, "elsewhere.ts"));
        });

        it("without either, the directory itself is the program (Node.js resolves its index)", () => {
            write("Pulumi.yaml", "name: p\nruntime: nodejs\n");
            const entry = resolveEntryPoint(root);
            assert.equal(entry.program, path.join(root, "."));
        });

        it("up runs the program the nearest package.json names, not the project folder's index", async () => {
            // The project folder holds an index.ts that would fail; package.json points at the store program.
            for (const file of ["index.ts", "provider.ts"]) {
                write(path.join("app", file), fs.readFileSync(path.join(PROGRAM, file), "utf8"));
            }
            write("package.json", JSON.stringify({ name: "entry", private: true, main: "app/index.ts" }));
            write("Pulumi.yaml", "name: store\nruntime: nodejs\n");
            write("index.ts", 'throw new Error("the folder index ran");\n');
            fs.symlinkSync(
                path.join(__dirname, "..", "..", "node_modules"),
                path.join(root, "node_modules"),
                "dir",
            );
            const stack = new Stack({
                programDir: root,
                statePath: path.join(root, "state.json"),
                config: {
                    "store:file": path.join(root, "store.json"),
                    "store:resources": JSON.stringify([{ name: "a", value: "v" }]),
                },
            });
            const up = await stack.up();
            assertRunOk(up);
            assertProcessesGone(up);
            assert.deepEqual(ops(up), { a: "create" });
        });
    });

    describe("defaults that depend on the CLI version and the machine", () => {
        it("exit codes are 1 and 7 from CLI 3.226, and 255 for both before", () => {
            assert.deepEqual(exitCodesOf("v3.226.0"), { failure: 1, noChangesExpected: 7 });
            assert.deepEqual(exitCodesOf("v3.276.0"), { failure: 1, noChangesExpected: 7 });
            assert.deepEqual(exitCodesOf("3.225.1"), { failure: 255, noChangesExpected: 255 });
            assert.equal(EXIT_FAILURE, 1);
            assert.throws(() => exitCodesOf("latest"), /not a pulumi CLI version/);
        });

        it("--expect-no-changes messages name the operation from 3.226", () => {
            assert.equal(
                noChangesExpectedMessage("v3.248.0", "preview"),
                "error: no changes were expected for preview but changes were proposed",
            );
            assert.equal(
                noChangesExpectedMessage("v3.225.0", "update"),
                "error: no changes were expected but changes occurred",
            );
        });

        it("a stack stands in for the CLI tier's pinned CLI unless told otherwise", () => {
            assert.equal(new Stack({ programDir: PROGRAM }).cliVersion, DEFAULT_CLI_VERSION);
            assert.match(DEFAULT_CLI_VERSION, /^v3\.\d+\.\d+$/);
        });

        it("the default parallelism is 4 × GOMAXPROCS; PULUMI_PARALLEL and GOMAXPROCS win", () => {
            assert.equal(defaultParallel({}), 4 * goMaxProcs({}));
            assert.ok(goMaxProcs({}) >= 1 && goMaxProcs({}) <= os.availableParallelism());
            assert.equal(defaultParallel({ GOMAXPROCS: "3" }), 12);
            assert.equal(defaultParallel({ PULUMI_PARALLEL: "5", GOMAXPROCS: "3" }), 5);
            assert.equal(defaultParallel({ PULUMI_PARALLEL: "0", GOMAXPROCS: "2" }), 8);
        });

        it("the short diff lists added, deleted and updated top-level keys, internal keys aside", () => {
            assert.deepEqual(
                keyDiff({ a: 1, b: 2, c: 3, __provider: "x" }, { a: 1, b: 5, d: 4, __provider: "y" }),
                {
                    adds: ["d"],
                    deletes: ["c"],
                    updates: ["b"],
                },
            );
        });
    });
});

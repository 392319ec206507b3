/**
 * The stub serialized into every resource's state (`__provider`), a compatibility contract with every
 * existing stack: serialized here as the dynamic resource serializes it, then loaded the way the
 * dynamic-provider host loads it (`requireFromString(text).handler()`, in a fresh `node` whose working
 * directory is the program's) next to a stand-in for the installed package. The text the built package
 * serializes, and the real implementation behind it, are in test/integration/serialization.test.ts.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";

import * as pulumi from "@pulumi/pulumi";

import { stub } from "../../provider/stub";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "..", "..");
const LOADER = require.resolve("require-from-string", { paths: [ROOT] });
const METHODS = ["check", "diff", "create", "read", "update", "delete"] as const;

/** The text the dynamic resource puts in state: Pulumi's closure serialization of the stub object. */
async function serialized(): Promise<{ text: string; containsSecrets: boolean }> {
    const result = await pulumi.runtime.serializeFunction(() => stub, { allowSecrets: true });
    return { text: result.text, containsSecrets: result.containsSecrets };
}

/** A program directory, with `provider.js` as the installed package's `/provider` export when given. */
function programDir(provider?: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stub-"));
    if (provider !== undefined) {
        const pkg = path.join(dir, "node_modules", "pulumi-connect-campaign-limits");
        fs.mkdirSync(pkg, { recursive: true });
        fs.writeFileSync(
            path.join(pkg, "package.json"),
            JSON.stringify({
                name: "pulumi-connect-campaign-limits",
                exports: { "./provider": "./provider.js" },
            }),
        );
        fs.writeFileSync(path.join(pkg, "provider.js"), provider);
    }
    return dir;
}

/**
 * Runs `body` in a fresh `node` in `dir` with `load()` returning a newly deserialized stub, as the host
 * caches one per distinct text; `body` resolves to what the process prints as JSON.
 */
async function inFreshNode(dir: string, text: string, body: string): Promise<unknown> {
    const file = path.join(dir, "stub.js");
    fs.writeFileSync(file, text);
    const script = `
        const fs = require("fs");
        const load = () => require(${JSON.stringify(LOADER)})(fs.readFileSync(${JSON.stringify(file)}, "utf8")).handler();
        const settle = async (work) => { try { return { resolved: await work() }; } catch (e) { return { rejected: e.message }; } };
        (async () => { ${body} })().then((out) => process.stdout.write(JSON.stringify(out)), (e) => { console.error(e); process.exit(1); });`;
    const { stdout } = await run(process.execPath, ["-e", script], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? "" },
    });
    return JSON.parse(stdout) as unknown;
}

/** A stand-in implementation module: every method answers with its name, its `this` and its arguments. */
const IMPLEMENTATION = `
    const methods = ["configure", "check", "diff", "create", "read", "update", "delete"];
    function implementation(self) {
        const p = { self };
        for (const m of methods) {
            p[m] = function (...args) { return Promise.resolve({ method: m, self: this.self, args }); };
        }
        return p;
    }
    let made = 0;
    exports.provider = implementation("shared");
    exports.createProvider = () => implementation("own-" + ++made);`;

describe("the serialized stub (stub)", () => {
    let text = "";

    before(async () => {
        ({ text } = await serialized());
    });

    it("serializes to under 2 KB with no secret, since every resource's state repeats it", async () => {
        const { containsSecrets } = await serialized();
        assert.equal(containsSecrets, false);
        assert.ok(Buffer.byteLength(text) < 2048, `the stub is ${Buffer.byteLength(text)} bytes`);
    });

    it("serializes to the same text every time, whatever the environment holds", async () => {
        const saved = { ...process.env };
        Object.assign(process.env, {
            AWS_ACCESS_KEY_ID: "AKIASTUBDETERMINISM1",
            AWS_SECRET_ACCESS_KEY: "stub/determinism/secret+key/0123456789",
            AWS_PROFILE: "stub-determinism",
            AWS_REGION: "ap-southeast-4",
        });
        try {
            const again = (await serialized()).text;
            assert.equal(again, text);
            for (const value of ["AKIASTUBDETERMINISM1", "stub/determinism", "ap-southeast-4"]) {
                assert.ok(!again.includes(value), `the stub holds ${value}`);
            }
        } finally {
            for (const key of Object.keys(process.env)) {
                if (!(key in saved)) {
                    delete process.env[key];
                }
            }
            Object.assign(process.env, saved);
        }
    });

    it("offers configure alone, then takes on every method of a provider of its own from the installed package", async () => {
        const dir = programDir(IMPLEMENTATION);
        try {
            const out = await inFreshNode(
                dir,
                text,
                `
                const first = load(), second = load();
                const before = Object.keys(first);
                const configured = [await first.configure({ config: "stack config" }), await second.configure({})];
                const calls = {};
                for (const m of ${JSON.stringify(METHODS)}) { calls[m] = await first[m]("id", { a: 1 }); }
                return { before, after: Object.keys(first).sort(), configured, calls, second: (await second.read("x")).self };`,
            );
            const calls = Object.fromEntries(
                METHODS.map((m) => [m, { method: m, self: "own-1", args: ["id", { a: 1 }] }]),
            );
            assert.deepEqual(out, {
                before: ["configure"],
                after: ["check", "configure", "create", "delete", "diff", "read", "update"],
                configured: [
                    { method: "configure", self: "own-1", args: [{ config: "stack config" }] },
                    { method: "configure", self: "own-2", args: [{}] },
                ],
                calls,
                second: "own-2",
            });
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("binds to the package's shared provider when the installed package has no createProvider (0.1.0)", async () => {
        const dir = programDir(IMPLEMENTATION.replace(/exports\.createProvider = .*$/m, ""));
        try {
            const out = await inFreshNode(
                dir,
                text,
                `const p = load(); await p.configure({}); return (await p.delete("id", {})).self;`,
            );
            assert.equal(out, "shared");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("fails configure and every method, saying what it looked for and where, when the package is not installed there", async () => {
        const dir = programDir();
        try {
            const outcomes = await inFreshNode(
                dir,
                text,
                `
                const p = load();
                const outcomes = { configure: await settle(() => p.configure({ config: { get: () => undefined } })) };
                // As the host does: methods are called even when configure failed; a missing one would "succeed".
                for (const m of ${JSON.stringify(METHODS)}) {
                    outcomes[m] = p[m] === undefined ? { resolved: "missing" } : await settle(() => p[m]("a", {}, {}));
                }
                return outcomes;`,
            );
            const rejected = {
                rejected:
                    `Could not load pulumi-connect-campaign-limits/provider from ${fs.realpathSync(dir)} (Cannot find module ` +
                    "'pulumi-connect-campaign-limits/provider'). Nothing was changed. Install the program's dependencies there " +
                    "(npm ci, or npm install) and run the command again.",
            };
            assert.deepEqual(
                outcomes,
                Object.fromEntries(["configure", ...METHODS].map((m) => [m, rejected])),
            );
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("quotes only the first line of the error when the installed implementation fails to load", async () => {
        const dir = programDir(
            'throw new Error("SyntaxError in provider.js\\n    at line 3\\n    at line 9");',
        );
        try {
            const outcomes = await inFreshNode(
                dir,
                text,
                `const p = load(); return [await settle(() => p.configure({})), await settle(() => p.create({}))];`,
            );
            const rejected = {
                rejected:
                    `Could not load pulumi-connect-campaign-limits/provider from ${fs.realpathSync(dir)} (SyntaxError in ` +
                    "provider.js). Nothing was changed. Install the program's dependencies there (npm ci, or npm install) " +
                    "and run the command again.",
            };
            assert.deepEqual(outcomes, [rejected, rejected]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

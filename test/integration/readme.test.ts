/**
 * The README's TypeScript examples compile: each ```ts block is type-checked as a program of its own,
 * strict, against the package's own types. Its dependency section names exactly what package.json lists.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "..", "..");

interface Manifest {
    dependencies: Record<string, string>;
    peerDependencies: Record<string, string>;
    devDependencies: Record<string, string>;
}

/** The README's "Dependencies" section: the packages of its table by kind, and those its development sentence names. */
function readmeDependencies(readme: string): { runtime: string[]; peer: string[]; development: string[] } {
    const section = /^## Dependencies\n([\s\S]*?)^## /m.exec(readme)?.[1];
    assert.ok(section !== undefined, "the README has no Dependencies section");
    const rows = [...section.matchAll(/^\| `([^`]+)` +\| (\w+) +\|/gm)];
    const ofKind = (kind: string): string[] =>
        rows.filter((row) => row[2] === kind).map((row) => row[1] ?? "");
    const sentence = /^Development dependencies[\s\S]*?\n\n/m.exec(section)?.[0];
    assert.ok(sentence !== undefined, "the Dependencies section has no development dependencies paragraph");
    // The package names, not the files or versions quoted alongside them.
    const named = [...sentence.matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? "");
    assert.deepEqual(
        rows.map((row) => row[2]).filter((kind) => kind !== "runtime" && kind !== "peer"),
        [],
        "a row of another kind than runtime or peer",
    );
    return { runtime: ofKind("runtime"), peer: ofKind("peer"), development: named };
}

const sorted = (names: Iterable<string>): string[] => [...names].sort();

describe("the README", function () {
    this.timeout(120_000);

    it("has TypeScript examples that type-check under the project's strict settings", async () => {
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");
        assert.ok(blocks.length >= 2, "no TypeScript examples found");
        // Inside the repository, so the package resolves as it does for the examples.
        const dir = fs.mkdtempSync(path.join(ROOT, "test", ".readme-"));
        try {
            const files = blocks.map((code, i) => {
                const file = path.join(dir, `example-${i}.ts`);
                // Each block is a module of its own.
                fs.writeFileSync(file, `${code}\nexport {};\n`);
                return path.basename(file);
            });
            fs.writeFileSync(
                path.join(dir, "tsconfig.json"),
                JSON.stringify({
                    extends: "../../tsconfig.json",
                    compilerOptions: { types: ["node"] },
                    include: files,
                }),
            );
            const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
            await run(process.execPath, [tsc, "-p", dir]).catch(
                (error: { stdout?: string; message?: string }) => {
                    assert.fail(`README examples do not compile:\n${error.stdout ?? error.message ?? ""}`);
                },
            );
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("lists the runtime, peer and development dependencies package.json declares, no more and no fewer", () => {
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as Manifest;
        const listed = readmeDependencies(readme);
        assert.deepEqual(sorted(listed.runtime), sorted(Object.keys(manifest.dependencies)));
        assert.deepEqual(sorted(listed.peer), sorted(Object.keys(manifest.peerDependencies)));
        assert.deepEqual(sorted(listed.development), sorted(Object.keys(manifest.devDependencies)));
    });

    it("names gRPC and protobuf as runtime dependencies because the shipped plugin imports them", () => {
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        const server = fs.readFileSync(path.join(ROOT, "plugin", "src", "server.ts"), "utf8");
        const { runtime } = readmeDependencies(readme);
        for (const name of ["@grpc/grpc-js", "google-protobuf"]) {
            assert.match(server, new RegExp(`from "${name}(/[^"]*)?"`), `the plugin does not import ${name}`);
            assert.ok(runtime.includes(name), `the README does not list ${name} as a runtime dependency`);
        }
    });
});

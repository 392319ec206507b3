/**
 * The README's TypeScript examples compile: each ```ts block is type-checked as a program of its own,
 * strict, against the package's own types.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "..", "..");

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
});

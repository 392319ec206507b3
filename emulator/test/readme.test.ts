/**
 * The README's TypeScript examples compile, strict, against the package's own source.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { readmeBlocks } from "./readme-blocks";

const run = promisify(execFile);
const PACKAGE_ROOT = path.resolve(__dirname, "..");

describe("the emulator's README", function () {
    this.timeout(120_000);

    it("has TypeScript examples that type-check under the package's strict settings", async () => {
        const blocks = readmeBlocks()
            .filter((block) => block.language === "ts")
            .map((block) => block.code);
        assert.ok(blocks.length >= 1, "no TypeScript examples found");
        const dir = fs.mkdtempSync(path.join(PACKAGE_ROOT, "test", ".readme-"));
        try {
            const files = blocks.map((code, i) => {
                const file = path.join(dir, `example-${i}.ts`);
                fs.writeFileSync(file, `${code}\nexport {};\n`);
                return path.basename(file);
            });
            fs.writeFileSync(
                path.join(dir, "tsconfig.json"),
                JSON.stringify({
                    extends: "../../tsconfig.json",
                    compilerOptions: {
                        noUnusedLocals: false,
                        paths: { "connect-campaigns-emulator": ["../../src/index.ts"] },
                    },
                    include: files,
                }),
            );
            await run(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", dir]).catch(
                (error: { stdout?: string; message?: string }) => {
                    assert.fail(`README examples do not compile:\n${error.stdout ?? error.message ?? ""}`);
                },
            );
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

/**
 * The fresh-build guard the integration and CLI tiers load first: which sources are newer than their build.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { BUILDS, staleSources } from "../support/build-freshness";

const ROOT = path.resolve(__dirname, "..", "..");
const EARLIER = new Date("2024-01-01T00:00:00Z");
const LATER = new Date("2024-01-02T00:00:00Z");

describe("the fresh-build guard (test/support/build-freshness.ts)", () => {
    let tree: string;

    /** Writes `file` under the temporary tree, dated `when`. */
    function write(file: string, when: Date): void {
        const full = path.join(tree, file);
        fs.mkdirSync(path.dirname(full), { recursive: true });
        fs.writeFileSync(full, "");
        fs.utimesSync(full, when, when);
    }

    beforeEach(() => {
        tree = fs.mkdtempSync(path.join(os.tmpdir(), "fresh-build-"));
        // Every build as it is after `npm run build`: each output written after its source.
        for (const [source, out] of BUILDS) {
            write(path.join(source, "index.ts"), EARLIER);
            write(path.join(out, "index.js"), LATER);
        }
        write("plugin/src/server.ts", EARLIER);
        write("plugin/bin/server.js", LATER);
    });
    afterEach(() => {
        fs.rmSync(tree, { recursive: true, force: true });
    });

    it("finds nothing stale when every build is newer than its source", () => {
        assert.deepEqual(staleSources(tree), []);
    });

    it("catches a plugin source edited after plugin/bin was built", () => {
        write("plugin/src/server.ts", new Date("2024-01-03T00:00:00Z"));
        assert.deepEqual(staleSources(tree), [path.join("plugin", "src", "server.ts")]);
    });

    it("catches a plugin source that has no build at all", () => {
        write("plugin/src/version.ts", EARLIER);
        assert.deepEqual(staleSources(tree), [path.join("plugin", "src", "version.ts")]);
    });

    it("looks into subfolders, matching each source with the build at the same place", () => {
        write("plugin/src/rpc/codec.ts", EARLIER);
        write("plugin/bin/rpc/codec.js", LATER);
        write("emulator/src/wire/xml.ts", LATER);
        write("emulator/dist/wire/xml.js", EARLIER);
        write("provider/aws/retry.ts", EARLIER);
        assert.deepEqual(staleSources(tree), [
            path.join("provider", "aws", "retry.ts"),
            path.join("emulator", "src", "wire", "xml.ts"),
        ]);
    });

    it("ignores declaration files and files that are not TypeScript", () => {
        write("plugin/src/ambient.d.ts", LATER);
        write("plugin/src/README.md", LATER);
        assert.deepEqual(staleSources(tree), []);
    });

    it("checks every build the repository has: each tsconfig.build.json's rootDir and outDir", () => {
        const configs = [
            "tsconfig.build.json",
            "plugin/tsconfig.build.json",
            "emulator/tsconfig.build.json",
            "policy/tsconfig.build.json",
        ];
        const declared = configs.map((config) => {
            const { compilerOptions } = JSON.parse(fs.readFileSync(path.join(ROOT, config), "utf8")) as {
                compilerOptions: { rootDir: string; outDir: string };
            };
            const dir = path.dirname(config);
            return [path.join(dir, compilerOptions.rootDir), path.join(dir, compilerOptions.outDir)];
        });
        assert.deepEqual([...BUILDS].map(([source, out]) => [source, out]).sort(), declared.sort());
    });
});

/**
 * Loaded before the tests that run the built package (through the dynamic-provider host or the CLI): they
 * would silently test an old `dist/` otherwise. Fails the run, naming the source that is newer than its build.
 */
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");
const PAIRS: [string, string][] = [
    ["provider", "dist"],
    [path.join("emulator", "src"), path.join("emulator", "dist")],
    [path.join("policy", "src"), path.join("policy", "dist")],
];

const stale: string[] = [];
for (const [sourceDir, outDir] of PAIRS) {
    for (const file of fs.readdirSync(path.join(ROOT, sourceDir))) {
        if (!file.endsWith(".ts")) {
            continue;
        }
        const source = path.join(ROOT, sourceDir, file);
        const built = path.join(ROOT, outDir, file.replace(/\.ts$/, ".js"));
        if (!fs.existsSync(built) || fs.statSync(built).mtimeMs < fs.statSync(source).mtimeMs) {
            stale.push(path.relative(ROOT, source));
        }
    }
}
if (stale.length > 0) {
    throw new Error(
        `The build is older than ${stale.join(", ")}: run \`npm run build\` first (npm test does).`,
    );
}

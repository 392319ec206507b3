/**
 * Which compiled sources are older than their build: each `.ts` file of a source folder, subfolders too, against
 * the `.js` file at the same place under its output folder.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** Each source folder and the folder its tsconfig.build.json compiles it to, relative to the repository. */
export const BUILDS: readonly (readonly [source: string, out: string])[] = [
    ["provider", "dist"],
    [path.join("plugin", "src"), path.join("plugin", "bin")],
    [path.join("emulator", "src"), path.join("emulator", "dist")],
    [path.join("policy", "src"), path.join("policy", "dist")],
];

function sourcesIn(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            return sourcesIn(file);
        }
        return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [file] : [];
    });
}

/** The sources under `root` with no build, or a build older than themselves, relative to `root`. */
export function staleSources(
    root: string,
    builds: readonly (readonly [string, string])[] = BUILDS,
): string[] {
    const stale: string[] = [];
    for (const [sourceDir, outDir] of builds) {
        for (const source of sourcesIn(path.join(root, sourceDir))) {
            const relative = path.relative(path.join(root, sourceDir), source);
            const built = path.join(root, outDir, relative.replace(/\.ts$/, ".js"));
            if (!fs.existsSync(built) || fs.statSync(built).mtimeMs < fs.statSync(source).mtimeMs) {
                stale.push(path.relative(root, source));
            }
        }
    }
    return stale;
}

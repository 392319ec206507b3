// The project a stack runs: its Pulumi.yaml, the directory the program and the provider host run in, and the
// program's entry point, found the way the engine and `@pulumi/pulumi/cmd/run` find them.
import * as fs from "node:fs";
import * as path from "node:path";

/** The top-level scalar `key:` of a Pulumi.yaml (quotes and a trailing comment removed), if present. */
function scalar(text: string, key: string): string | undefined {
    const match = new RegExp(`^${key}:[ \\t]*(.*)$`, "m").exec(text);
    if (!match) {
        return undefined;
    }
    const raw = (match[1] ?? "").replace(/\s+#.*$/, "").trim();
    const unquoted = /^(["'])(.*)\1$/.exec(raw)?.[2] ?? raw;
    return unquoted === "" ? undefined : unquoted;
}

function projectFile(projectDir: string): string | undefined {
    const file = path.join(projectDir, "Pulumi.yaml");
    return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
}

/** `name` from <projectDir>/Pulumi.yaml, if the file exists and has one. */
export function projectNameOf(projectDir: string): string | undefined {
    const text = projectFile(projectDir);
    return text === undefined ? undefined : scalar(text, "name");
}

/**
 * The `runtime.options` of a Pulumi.yaml (`runtime: {name: nodejs, options: {typescript: false}}`), as
 * strings; empty when `runtime` is a plain name. Only the block form written by `pulumi new` is read.
 */
export function runtimeOptionsOf(projectDir: string): Record<string, string> {
    const text = projectFile(projectDir);
    const options: Record<string, string> = {};
    if (text === undefined) {
        return options;
    }
    const lines = text.split(/\r?\n/);
    const runtime = lines.findIndex((line) => /^runtime:\s*(#.*)?$/.test(line));
    if (runtime < 0) {
        return options;
    }
    let inOptions = false;
    let optionsIndent = 0;
    for (const line of lines.slice(runtime + 1)) {
        if (/^\S/.test(line)) {
            break;
        }
        const match = /^(\s+)([A-Za-z_][\w-]*):[ \t]*(.*)$/.exec(line);
        if (!match) {
            continue;
        }
        const indent = (match[1] ?? "").length;
        const key = match[2] ?? "";
        if (key === "options" && !inOptions) {
            inOptions = true;
            optionsIndent = indent;
        } else if (inOptions && indent > optionsIndent) {
            const raw = (match[3] ?? "").replace(/\s+#.*$/, "").trim();
            options[key] = /^(["'])(.*)\1$/.exec(raw)?.[2] ?? raw;
        } else if (inOptions) {
            inOptions = false;
        }
    }
    return options;
}

export interface EntryPoint {
    /** The working directory of the program and of the provider host (the engine's `pwd`). */
    pwd: string;
    /** What the language host's `cmd/run` requires: a file, or a directory Node.js resolves itself. */
    program: string;
}

/** The nearest folder holding a package.json, searching upward from `dir` (manifest.searchupPackageManifest). */
function packageRootOf(dir: string): string | undefined {
    for (let current = dir; ; current = path.dirname(current)) {
        if (fs.existsSync(path.join(current, "package.json"))) {
            return current;
        }
        if (path.dirname(current) === current) {
            return undefined;
        }
    }
}

interface PackageManifest {
    main?: unknown;
    exports?: unknown;
    type?: unknown;
}

function readManifest(root: string): PackageManifest {
    try {
        return JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as PackageManifest;
    } catch {
        return {};
    }
}

/** cmd/run's resolveEntrypoint: the manifest's entry if that file exists, else the fallback. */
function existing(root: string, entry: unknown, fallback: string): string {
    if (typeof entry !== "string") {
        return fallback;
    }
    const candidate = path.join(root, entry);
    return fs.existsSync(candidate) ? candidate : fallback;
}

/**
 * The engine's getPwdMain (pkg/engine/project.go): Pulumi.yaml `main` relative to the project; a directory
 * becomes the pwd with entry ".", a file makes its folder the pwd. Then `@pulumi/pulumi/cmd/run` (run.js):
 * with entry ".", the nearest package.json upward from the pwd decides — `exports` (a string, or "."'s
 * string or default/require/import), else `main` — falling back to the pwd itself, which Node.js resolves
 * as a directory (its index).
 */
export function resolveEntryPoint(projectDir: string): EntryPoint {
    const root = path.resolve(projectDir);
    const text = projectFile(root);
    const main = text === undefined ? undefined : scalar(text, "main");
    let pwd = root;
    let entry = ".";
    if (main !== undefined) {
        const target = path.resolve(root, main);
        if (!fs.existsSync(target)) {
            throw new Error(`project 'main' could not be read: ${target} does not exist`);
        }
        if (fs.statSync(target).isDirectory()) {
            pwd = target;
        } else {
            pwd = path.dirname(target);
            entry = path.basename(target);
        }
    }
    let program = path.join(pwd, entry);
    if (entry === ".") {
        const packageRoot = packageRootOf(pwd);
        if (packageRoot !== undefined) {
            const manifest = readManifest(packageRoot);
            if (manifest.type === "module") {
                throw new Error(
                    `${path.join(packageRoot, "package.json")} declares "type": "module": ES module programs ` +
                        "are not supported by the harness",
                );
            }
            const exported = manifest.exports;
            if (typeof exported === "string") {
                program = existing(packageRoot, exported, program);
            } else if (typeof exported === "object" && exported !== null) {
                const dot: unknown = (exported as Record<string, unknown>)["."];
                if (typeof dot === "string") {
                    program = existing(packageRoot, dot, program);
                } else if (typeof dot === "object" && dot !== null) {
                    const conditions = dot as Record<string, unknown>;
                    program = existing(
                        packageRoot,
                        conditions["default"] || conditions["require"] || conditions["import"],
                        program,
                    );
                }
            } else if (manifest.main !== undefined && manifest.main !== "") {
                program = existing(packageRoot, manifest.main, program);
            }
        }
    }
    return { pwd, program };
}

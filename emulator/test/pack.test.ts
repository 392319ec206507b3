/**
 * The package as a user installs it: `npm pack` holds the bin, compiled JS, type declarations, README and
 * LICENSE; installed from the tarball into a fresh project (offline, from the npm cache), it compiles under
 * strict TypeScript, starts from a script through `startEmulator` and from its bin, and answers signed calls
 * made with the real `@aws-sdk/client-connectcampaignsv2`.
 */
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { ConnectCampaignsV2Client } from "@aws-sdk/client-connectcampaignsv2";
import { TEST_CREDENTIALS } from "../src";
import { get, waitFor } from "./support";

const run = promisify(execFile);
const PACKAGE_ROOT = path.resolve(__dirname, "..");

/** The version installed here, so the fresh project resolves it from the npm cache. */
function installedVersion(name: string): string {
    const manifest = JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`), "utf8")) as {
        version: string;
    };
    return manifest.version;
}

const SCRIPT = `
const { startEmulator } = require("connect-campaigns-emulator");
const {
    ConnectCampaignsV2Client,
    GetInstanceCommunicationLimitsCommand,
    PutInstanceCommunicationLimitsCommand,
} = require("@aws-sdk/client-connectcampaignsv2");

(async () => {
    const emulator = await startEmulator({ instances: ["packed-1"] });
    const sdk = new ConnectCampaignsV2Client({
        endpoint: emulator.url,
        region: emulator.region,
        credentials: emulator.credentials,
    });
    const communicationLimitsConfig = {
        allChannelSubtypes: { communicationLimitsList: [{ maxCountPerRecipient: 3, frequency: 7, unit: "DAY" }] },
    };
    await sdk.send(new PutInstanceCommunicationLimitsCommand({ connectInstanceId: "packed-1", communicationLimitsConfig }));
    const read = await sdk.send(new GetInstanceCommunicationLimitsCommand({ connectInstanceId: "packed-1" }));
    process.stdout.write(JSON.stringify({
        resolved: require.resolve("connect-campaigns-emulator"),
        config: read.communicationLimitsConfig,
        log: emulator.requests().map((r) => r.operation + " " + r.status),
    }));
    sdk.destroy();
    await emulator.close();
})().catch((error) => {
    process.stderr.write(String(error && error.stack || error));
    process.exitCode = 1;
});
`;

const TYPED = `
import { startEmulator, TEST_CREDENTIALS } from "connect-campaigns-emulator";
import type { EmulatorHandle, RecordedRequest } from "connect-campaigns-emulator";

export async function typed(): Promise<RecordedRequest[]> {
    const emulator: EmulatorHandle = await startEmulator({ instances: ["t"], quota: { rate: 5, burst: 10 } });
    emulator.injectFaults("proxy-502", 1, { operation: "GetInstanceCommunicationLimits" });
    emulator.setErrorStyle({ typeHeader: "coral", messageKey: "Message" });
    const key: string = TEST_CREDENTIALS.accessKeyId;
    const env: Record<string, string | undefined> = emulator.env();
    void key;
    void env;
    await emulator.close();
    return emulator.requests();
}
`;

describe("the packed emulator", function () {
    this.timeout(600_000);
    let work: string;
    let tarball: string;
    let files: string[];

    before(async () => {
        work = fs.mkdtempSync(path.join(os.tmpdir(), "emulator-pack-"));
        const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", work], {
            cwd: PACKAGE_ROOT,
        });
        const [packed] = JSON.parse(stdout.slice(stdout.indexOf("["))) as {
            filename: string;
            files: { path: string }[];
        }[];
        assert.ok(packed);
        tarball = path.join(work, packed.filename);
        files = packed.files.map((file) => file.path).sort();
    });
    after(() => fs.rmSync(work, { recursive: true, force: true }));

    it("holds the bin, compiled JavaScript, declarations, README and LICENSE, and nothing else", () => {
        const other = files.filter(
            (file) =>
                !/^dist\/[a-z0-9]+\.(js|d\.ts)$/.test(file) &&
                !["LICENSE", "README.md", "package.json", "bin/connect-campaigns-emulator.js"].includes(file),
        );
        assert.deepEqual(other, []);
        for (const required of [
            "dist/index.js",
            "dist/index.d.ts",
            "dist/cli.js",
            "bin/connect-campaigns-emulator.js",
        ]) {
            assert.ok(files.includes(required), `${required} missing`);
        }
    });

    it("installs into a fresh project, type-checks, and serves signed SDK calls from a script and from its bin", async () => {
        const project = path.join(work, "project");
        fs.mkdirSync(project);
        fs.writeFileSync(
            path.join(project, "package.json"),
            JSON.stringify({
                name: "emulator-consumer",
                private: true,
                dependencies: {
                    "connect-campaigns-emulator": `file:${tarball}`,
                    "@aws-sdk/client-connectcampaignsv2": installedVersion(
                        "@aws-sdk/client-connectcampaignsv2",
                    ),
                    "@types/node": installedVersion("@types/node"),
                },
            }),
        );
        await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts"], {
            cwd: project,
        });
        const installed = path.join(project, "node_modules", "connect-campaigns-emulator");
        assert.equal(fs.lstatSync(installed).isSymbolicLink(), false);
        // Its runtime dependency came with it, into the project.
        assert.ok(
            fs.existsSync(path.join(project, "node_modules", "@smithy", "signature-v4", "package.json")),
        );

        // Strict TypeScript against the published declarations (skipLibCheck off).
        fs.writeFileSync(path.join(project, "typed.ts"), TYPED);
        fs.writeFileSync(
            path.join(project, "tsconfig.json"),
            JSON.stringify({
                compilerOptions: {
                    target: "ES2022",
                    module: "node16",
                    moduleResolution: "node16",
                    strict: true,
                    exactOptionalPropertyTypes: true,
                    noUncheckedIndexedAccess: true,
                    types: ["node"],
                    noEmit: true,
                },
                files: ["typed.ts"],
            }),
        );
        await run(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", project]).catch(
            (error: { stdout?: string }) =>
                assert.fail(`the declarations do not compile:\n${error.stdout ?? ""}`),
        );

        fs.writeFileSync(path.join(project, "use.js"), SCRIPT);
        const { stdout } = await run(process.execPath, ["use.js"], {
            cwd: project,
            env: { ...process.env, NODE_PATH: "", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
        });
        const result = JSON.parse(stdout) as { resolved: string; config: unknown; log: string[] };
        assert.ok(result.resolved.startsWith(fs.realpathSync(project)), result.resolved);
        assert.deepEqual(result.config, {
            allChannelSubtypes: {
                communicationLimitsList: [{ maxCountPerRecipient: 3, frequency: 7, unit: "DAY" }],
            },
        });
        assert.deepEqual(result.log, [
            "PutInstanceCommunicationLimits 200",
            "GetInstanceCommunicationLimits 200",
        ]);

        const bin = path.join(project, "node_modules", ".bin", "connect-campaigns-emulator");
        const child = spawn(bin, ["--instances", "packed-2", "--quiet"], {
            cwd: project,
            stdio: ["ignore", "pipe", "pipe"],
        });
        try {
            let output = "";
            child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
            child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
            const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
            await waitFor(() => /^Ctrl-C to stop\.$/m.test(output) || child.exitCode !== null, 30_000);
            const url = /^endpoint: (http:\/\/127\.0\.0\.1:\d+)$/m.exec(output)?.[1];
            assert.ok(url !== undefined, output);
            const sdk = new ConnectCampaignsV2Client({
                endpoint: url,
                region: "us-west-2",
                credentials: TEST_CREDENTIALS,
            });
            assert.equal((await get(sdk, "packed-2")).$metadata.httpStatusCode, 200);
            sdk.destroy();
            child.kill("SIGTERM");
            assert.equal(await exited, 0);
        } finally {
            if (child.exitCode === null && child.signalCode === null) {
                child.kill("SIGKILL");
            }
        }
    });
});

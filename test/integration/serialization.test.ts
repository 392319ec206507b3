/**
 * What a stack's state freezes: the serialized `__provider`. It must be small, hold no credentials, no
 * environment values and no SDK code, and load and run in a fresh `node` started in a program's directory,
 * finding the implementation in node_modules exactly as the dynamic-provider host does. The stub's own
 * contract (what it does when the implementation loads, or cannot) is in test/unit/stub.test.ts.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";

import * as pulumi from "@pulumi/pulumi";

import type * as PackageApi from "../../provider/index";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "..", "..");
const EXAMPLE = path.join(ROOT, "examples", "basic");
const SECRET_WRAPPER = "4dabf18193072939515e22adb298388d";

/** Credentials and settings a real user's environment holds while `pulumi up` serializes the provider. */
const SENSITIVE_ENV: Record<string, string> = {
    AWS_ACCESS_KEY_ID: "AKIASERIALIZATIONTEST",
    AWS_SECRET_ACCESS_KEY: "serialization/test/secret+key/0123456789abcdefghij",
    AWS_SESSION_TOKEN: "IQoJb3JpZ2luX2VjSerializationTestSessionToken",
    AWS_PROFILE: "serialization-test-profile",
    AWS_REGION: "ap-southeast-4",
};

interface Registered {
    type: string;
    inputs: Record<string, unknown>;
}

/** Runs a tiny program under Pulumi's mocks and returns what was registered, `__provider` included. */
async function register(): Promise<Registered[]> {
    const registered: Registered[] = [];
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                const inputs = args.inputs as Record<string, unknown>;
                registered.push({ type: args.type, inputs });
                return { id: `${args.name}-id`, state: inputs };
            },
            call: () => ({}),
        },
        "serialization",
        "test",
        false,
    );
    // The compiled package, as a user's program loads it from node_modules.
    const { InstanceCommunicationLimits } =
        (await import("pulumi-connect-campaign-limits")) as typeof PackageApi;
    const config = {
        allChannelSubtypes: {
            communicationLimitsList: [{ maxCountPerRecipient: 3, frequency: 7, unit: "DAY" as const }],
        },
    };
    const a = new InstanceCommunicationLimits("a", {
        connectInstanceId: "instance-a",
        communicationLimitsConfig: config,
    });
    const b = new InstanceCommunicationLimits("b", {
        connectInstanceId: "instance-b",
        communicationLimitsConfig: {},
        deletionPolicy: "restore",
    });
    await new Promise<void>((resolve) => pulumi.all([a.urn, b.urn, a.id, b.id]).apply(() => resolve()));
    return registered;
}

function providerText(inputs: Record<string, unknown>): string {
    const value = inputs.__provider;
    if (typeof value === "string") {
        return value;
    }
    // Secret-wrapped when the serializer found a captured secret: that alone would be a failure.
    assert.fail(`__provider is not plain text: ${JSON.stringify(value).slice(0, 200)}`);
}

describe("the serialized provider frozen into state", () => {
    const saved: Record<string, string | undefined> = {};
    let registered: Registered[] = [];

    before(async function () {
        this.timeout(60_000);
        for (const [key, value] of Object.entries(SENSITIVE_ENV)) {
            saved[key] = process.env[key];
            process.env[key] = value;
        }
        registered = await register();
    });

    after(() => {
        for (const [key, value] of Object.entries(saved)) {
            if (value === undefined) {
                delete process.env[key];
            } else {
                process.env[key] = value;
            }
        }
    });

    it("registers the resource under the type token pulumi-nodejs:dynamic/connectcampaignsv2:InstanceCommunicationLimits", () => {
        assert.deepEqual(
            registered.map((r) => r.type),
            [
                "pulumi-nodejs:dynamic/connectcampaignsv2:InstanceCommunicationLimits",
                "pulumi-nodejs:dynamic/connectcampaignsv2:InstanceCommunicationLimits",
            ],
        );
    });

    it("is the same small text for every resource, under 2 KB", () => {
        const [first, second] = registered.map((r) => providerText(r.inputs));
        assert.ok(first !== undefined && second !== undefined);
        assert.equal(first, second);
        assert.ok(first.length < 2048, `__provider is ${first.length} bytes`);
    });

    it("is not marked secret and captures no credential or environment value", () => {
        for (const r of registered) {
            assert.equal(typeof r.inputs.__provider, "string");
            const text = providerText(r.inputs);
            assert.ok(!text.includes(SECRET_WRAPPER));
            for (const [key, value] of Object.entries(SENSITIVE_ENV)) {
                assert.ok(!text.includes(value), `${key}'s value is in __provider`);
            }
        }
    });

    it("holds no AWS SDK code and none of the implementation, only a require of the installed package", () => {
        const text = providerText(registered[0]?.inputs ?? {});
        for (const needle of [
            "@aws-sdk",
            "@smithy",
            "ConnectCampaignsV2Client",
            "PutInstanceCommunicationLimits",
            "maxCountPerRecipient",
        ]) {
            assert.ok(!text.includes(needle), `__provider contains ${needle}`);
        }
        assert.match(text, /require\("pulumi-connect-campaign-limits\/provider"\)/);
    });

    it("loads in a fresh node process started in an example's directory, and once configured runs check and diff from the installed package", async function () {
        this.timeout(60_000);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "provider-text-"));
        const file = path.join(dir, "provider.js");
        fs.writeFileSync(file, providerText(registered[0]?.inputs ?? {}));
        // The host's own loading step (`requireFromString(text).handler()`), with its cwd = the program dir.
        const script = `
            const fs = require("fs");
            const requireFromString = require("require-from-string");
            const provider = requireFromString(fs.readFileSync(${JSON.stringify(file)}, "utf8")).handler();
            (async () => {
                const before = Object.keys(provider);
                // The host configures a freshly deserialized provider before any other call.
                await provider.configure({ config: { get: () => undefined, require: (k) => { throw new Error(k); } } });
                const after = Object.keys(provider).sort();
                const news = { connectInstanceId: "instance-a", communicationLimitsConfig: { allChannelSubtypes: { communicationLimitsList: [
                    { maxCountPerRecipient: 3, frequency: 7, unit: "DAY" }, { maxCountPerRecipient: 1, frequency: 1, unit: "DAY" } ] } } };
                const checked = await provider.check({}, news);
                const bad = await provider.check({}, { ...news, deletionPolicy: "keep" });
                const diff = await provider.diff("instance-a", { ...checked.inputs, region: "us-west-2" }, checked.inputs);
                const from = require.resolve("pulumi-connect-campaign-limits/provider", { paths: [process.cwd()] });
                process.stdout.write(JSON.stringify({ before, after, checked, bad, diff, from }));
            })().catch((e) => { console.error(e); process.exit(1); });`;
        try {
            const { stdout } = await run(process.execPath, ["-e", script], {
                cwd: EXAMPLE,
                env: {
                    PATH: process.env.PATH ?? "",
                    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
                },
            });
            const result = JSON.parse(stdout) as {
                before: string[];
                after: string[];
                checked: { inputs: { communicationLimitsConfig: unknown; deletionPolicy: string } };
                bad: { failures: { property: string }[] };
                diff: { changes: boolean };
                from: string;
            };
            assert.deepEqual(result.before, ["configure"]);
            assert.deepEqual(result.after, [
                "check",
                "configure",
                "create",
                "delete",
                "diff",
                "read",
                "update",
            ]);
            assert.deepEqual(result.checked.inputs.communicationLimitsConfig, {
                allChannelSubtypes: {
                    communicationLimitsList: [
                        { maxCountPerRecipient: 1, frequency: 1, unit: "DAY" },
                        { maxCountPerRecipient: 3, frequency: 7, unit: "DAY" },
                    ],
                },
            });
            assert.equal(result.checked.inputs.deletionPolicy, "reset");
            assert.deepEqual(
                result.bad.failures.map((f) => f.property),
                ["deletionPolicy"],
            );
            assert.equal(result.diff.changes, false);
            assert.equal(fs.realpathSync(result.from), path.join(ROOT, "dist", "provider.js"));
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

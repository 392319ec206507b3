/**
 * Failure paths under the real engine: what the CLI exits with, what the state holds afterwards, and what
 * is on the instance — for every resource of the run, not only the first.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

import { CliWorkspace, diagnostics, ok, stepOps, transcript } from "./support/cli";
import { limitsOf } from "./support/front-doors";
import type { CliResult, CliStack, ExportedResource } from "./support/cli";
import { serviceEnv, startService } from "./support/service";
import type { Service } from "./support/service";

const TYPE = "pulumi-nodejs:dynamic/connectcampaignsv2:InstanceCommunicationLimits";
const PROGRAM = path.join(__dirname, "fixtures", "instances");
const ORIGINAL = {
    allChannelSubtypes: {
        communicationLimitsList: [{ maxCountPerRecipient: 9, frequency: 30, unit: "DAY" }],
    },
};

function failed(result: CliResult): CliResult {
    assert.equal(result.code, 1, transcript(result));
    return result;
}

function managed(resources: ExportedResource[]): ExportedResource[] {
    return resources.filter((r) => r.type === TYPE);
}

/** Everything the CLI printed, engine diagnostics included. */
function printed(result: CliResult): string {
    return [result.stdout, result.stderr, ...diagnostics(result)].join("\n");
}

describe("failure paths through the real pulumi CLI", function () {
    this.timeout(900_000);
    let service: Service;
    let workspace: CliWorkspace;

    before(async () => {
        service = await startService();
        workspace = CliWorkspace.create(serviceEnv(service));
    });
    after(async () => {
        workspace?.dispose();
        await service?.close();
    });

    async function stackOf(
        name: string,
        instances: object[],
        extra: Record<string, string> = {},
    ): Promise<CliStack> {
        const stack = await workspace.stack(workspace.project(PROGRAM), name);
        await stack.setConfig({ instances: JSON.stringify(instances), ...extra });
        return stack;
    }

    it("rejects invalid limits in preview with every failure, and sends no request", async () => {
        service.addInstance("invalid-1");
        // One resource with everything wrong at once: the engine stops at the first resource whose check fails.
        const stack = await stackOf("invalid", [
            {
                name: "bad",
                id: "invalid-1",
                limits: [
                    [0, 31],
                    [2, 0],
                    [1, 1],
                ],
            },
        ]);
        service.clearRequests();
        const preview = failed(await stack.run(["preview"]));
        const text = printed(preview);
        for (const expected of [
            "communicationLimitsList may hold at most 2 limits (the service's rule); got 3.",
            "maxCountPerRecipient must be a whole number from 1 to 2147483647; got 0.",
            "frequency (a number of days) must be a whole number from 1 to 30; got 31.",
            "frequency (a number of days) must be a whole number from 1 to 30; got 0.",
        ]) {
            assert.ok(text.includes(expected), `missing: ${expected}\n${transcript(preview)}`);
        }
        assert.equal(service.requests().length, 0, "no request reached the service");
        failed(await stack.run(["up", "--yes"]));
        assert.equal(service.requests().length, 0);
        assert.deepEqual(managed(await stack.resources()), []);
    });

    it("drops an instance that disappeared at refresh, and plans to create it again", async () => {
        service.addInstance("gone-1");
        service.addInstance("stays-1");
        const stack = await stackOf("gone", [
            { name: "gone", id: "gone-1" },
            { name: "stays", id: "stays-1" },
        ]);
        ok(await stack.run(["up", "--yes"]));
        service.removeInstance("gone-1");
        const refresh = ok(await stack.run(["refresh", "--yes"]));
        assert.deepEqual(
            stepOps(refresh, TYPE)
                .map((s) => `${s.name}:${s.op}`)
                .sort(),
            ["gone:delete", "stays:same"],
        );
        assert.deepEqual(
            managed(await stack.resources()).map((r) => r.id),
            ["stays-1"],
        );
        const preview = ok(await stack.run(["preview"]));
        assert.deepEqual(
            stepOps(preview, TYPE)
                .filter((s) => s.op !== "same")
                .map((s) => `${s.name}:${s.op}`),
            ["gone:create"],
        );
        const up = failed(await stack.run(["up", "--yes"]));
        assert.match(printed(up), /ResourceNotFoundException/);
        assert.match(printed(up), /is not onboarded to Amazon Connect outbound campaigns/);
    });

    it("keeps a create whose read-back failed as a partial failure, and the next up completes it", async () => {
        // The pre-write read succeeds, the write succeeds, the read-back right after it fails.
        let armed = true;
        const faulty: Service = await startService({
            instances: [],
            onRequest: (r) => {
                if (armed && r.operation === "PutInstanceCommunicationLimits" && r.status === 200) {
                    armed = false;
                    faulty.injectFaults("internal", 1, { operation: "GetInstanceCommunicationLimits" });
                }
            },
        });
        faulty.addInstance("partial-1", { limits: ORIGINAL });
        const own = CliWorkspace.create(serviceEnv(faulty));
        try {
            const stack = await own.stack(own.project(PROGRAM), "partial");
            await stack.setConfig({
                instances: JSON.stringify([{ name: "limits", id: "partial-1", deletionPolicy: "restore" }]),
                "connect-campaign-limits:maxAttempts": "1",
            });
            const up = failed(await stack.run(["up", "--yes"]));
            assert.match(printed(up), /the resource stays in state with previousConfig kept/);
            const [recorded] = managed(await stack.resources());
            assert.ok(recorded, "the engine recorded the resource");
            assert.ok((recorded.initErrors ?? []).length > 0, "with the failure as an init error");
            assert.deepEqual(limitsOf(recorded.outputs?.previousConfig), ["9/30"]);

            const again = ok(await stack.run(["up", "--yes"]));
            assert.deepEqual(
                stepOps(again, TYPE).map((s) => s.op),
                ["update"],
            );
            const [done] = managed(await stack.resources());
            assert.deepEqual(done?.initErrors ?? [], []);
            assert.deepEqual(limitsOf(faulty.limits("partial-1")), ["3/7"]);
            ok(await stack.run(["destroy", "--yes"]));
            assert.deepEqual(
                limitsOf(faulty.limits("partial-1")),
                ["9/30"],
                "restore gives back the original limits",
            );
        } finally {
            own.dispose();
            await faulty.close();
        }
    });

    it("keeps previousConfig when the write's answer is lost, so a later restore gives back the original limits", async () => {
        // The service applies the write, but its answer never completes: the write is ambiguous.
        const slow: Service = await startService({ instances: [] });
        slow.addInstance("cut-1", { limits: ORIGINAL });
        const own = CliWorkspace.create(serviceEnv(slow));
        try {
            const stack = await own.stack(own.project(PROGRAM), "cut");
            await stack.setConfig({
                instances: JSON.stringify([{ name: "limits", id: "cut-1", deletionPolicy: "restore" }]),
                "connect-campaign-limits:maxAttempts": "1",
                "connect-campaign-limits:requestTimeoutMs": "1500",
            });
            // The service stores the write, then its answer stalls after the headers.
            slow.injectFaults("stall", 1, { operation: "PutInstanceCommunicationLimits" });
            const up = failed(await stack.run(["up", "--yes"]));
            assert.match(printed(up), /TimeoutError: the response was not complete within 1500 ms/);
            assert.deepEqual(limitsOf(slow.limits("cut-1")), ["3/7"], "the service applied the write");
            const [recorded] = managed(await stack.resources());
            assert.ok(recorded, "a write that may have happened keeps the resource in state");
            assert.deepEqual(limitsOf(recorded.outputs?.previousConfig), ["9/30"]);

            const again = ok(await stack.run(["up", "--yes"]));
            assert.deepEqual(
                stepOps(again, TYPE).map((s) => s.op),
                ["update"],
            );
            const [done] = managed(await stack.resources());
            assert.deepEqual(
                limitsOf(done?.outputs?.previousConfig),
                ["9/30"],
                "the retry is an update that keeps it",
            );
            ok(await stack.run(["destroy", "--yes"]));
            assert.deepEqual(limitsOf(slow.limits("cut-1")), ["9/30"]);
        } finally {
            own.dispose();
            await slow.close();
        }
    });

    it("fails every call when the provider's settings are invalid: a parallel destroy resets nothing", async () => {
        const role = "arn:aws:iam::123456789012:role/connect-limits-deployer";
        const roled: Service = await startService({ instances: [], roles: [{ roleArn: role }] });
        const ids = ["conf-1", "conf-2", "conf-3"];
        ids.forEach((id) => roled.addInstance(id, { limits: ORIGINAL }));
        const own = CliWorkspace.create(serviceEnv(roled));
        try {
            const stack = await own.stack(own.project(PROGRAM), "conf");
            await stack.setConfig({ instances: JSON.stringify(ids.map((id, i) => ({ name: `r${i}`, id }))) });
            ok(await stack.run(["config", "set", "--path", "aws:assumeRole.roleArn", role]));
            ok(await stack.run(["up", "--yes"]));
            ids.forEach((id) => assert.deepEqual(limitsOf(roled.limits(id)), ["3/7"]));

            // Destroy configures the provider from the config stored at the last up and from the environment as it
            // is now: a malformed setting in the environment makes the provider's configure fail.
            roled.clearRequests();
            const destroy = failed(
                await stack.run(["destroy", "--yes", "--parallel", "8"], {
                    env: { AWS_MAX_ATTEMPTS: "ten" },
                }),
            );
            const text = printed(destroy);
            assert.match(
                text,
                /The provider configuration is invalid: AWS_MAX_ATTEMPTS must be a whole number of at least 1/,
            );
            assert.equal(
                roled.requests().filter((r) => r.operation === "PutInstanceCommunicationLimits").length,
                0,
                "no delete ran with the caller's own credentials instead of the role",
            );
            ids.forEach((id) => assert.deepEqual(limitsOf(roled.limits(id)), ["3/7"], `${id} was not reset`));
            assert.equal(managed(await stack.resources()).length, 3, "nothing left the state");
        } finally {
            own.dispose();
            await roled.close();
        }
    });

    it("fails every call when the stack's settings are invalid, naming the setting and never its external id", async () => {
        const role = "arn:aws:iam::123456789012:role/connect-limits-deployer";
        const secret = "ext-7f3a9c2e51d84b06";
        const roled: Service = await startService({
            instances: [],
            roles: [{ roleArn: role, externalId: secret }],
        });
        const ids = ["stack-conf-1", "stack-conf-2", "stack-conf-3"];
        ids.forEach((id) => roled.addInstance(id, { limits: ORIGINAL }));
        const own = CliWorkspace.create(serviceEnv(roled));
        try {
            const stack = await own.stack(own.project(PROGRAM), "stackconf");
            await stack.setConfig({ instances: JSON.stringify(ids.map((id, i) => ({ name: `r${i}`, id }))) });
            const cases: { set: string[][]; unset: string[]; expect: RegExp }[] = [
                {
                    // Two roles, each with the external id: chaining is refused, and the id is never printed.
                    set: [0, 1].flatMap((i) => [
                        ["--path", `aws:assumeRoles[${i}].roleArn`, role],
                        ["--path", `aws:assumeRoles[${i}].externalId`, secret],
                    ]),
                    unset: ["aws:assumeRoles"],
                    expect: /aws:assumeRoles lists 2 roles; role chaining is not supported/,
                },
                {
                    set: [["aws:assumeRole", role]],
                    unset: ["aws:assumeRole"],
                    expect: /aws:assumeRole must be an object with roleArn \(and optionally sessionName, externalId\); got text that is not a JSON object/,
                },
                {
                    set: [["connect-campaign-limits:maxAttempts", "ten"]],
                    unset: ["connect-campaign-limits:maxAttempts"],
                    expect: /connect-campaign-limits:maxAttempts must be a whole number of at least 1/,
                },
            ];
            for (const { set, unset, expect } of cases) {
                for (const args of set) {
                    ok(await stack.run(["config", "set", ...args]));
                }
                roled.clearRequests();
                for (const command of [["preview"], ["up", "--yes", "--parallel", "8"]]) {
                    const result = failed(await stack.run(command));
                    const text = printed(result);
                    assert.match(text, /The provider configuration is invalid/, `${command[0]}: ${expect}`);
                    assert.match(text, expect);
                    assert.doesNotMatch(text, new RegExp(secret), "the external id is never printed");
                }
                assert.deepEqual(
                    roled.requests().map((r) => r.operation),
                    [],
                    "no call ran with the caller's own credentials, in the ambient region, or with a role",
                );
                for (const key of unset) {
                    ok(await stack.run(["config", "rm", key]));
                }
            }
            ids.forEach((id) => assert.deepEqual(limitsOf(roled.limits(id)), ["9/30"], `${id} untouched`));
            assert.equal(managed(await stack.resources()).length, 0, "nothing was created");
        } finally {
            own.dispose();
            await roled.close();
        }
    });

    it("retries a create cut by a killed pulumi after its write, and says it cannot know the limits from before", async () => {
        const cut: Service = await startService({ instances: [] });
        cut.addInstance("killed-1", { limits: ORIGINAL });
        const own = CliWorkspace.create(serviceEnv(cut));
        try {
            const stack = await own.stack(own.project(PROGRAM), "killed");
            await stack.setConfig({
                instances: JSON.stringify([{ name: "limits", id: "killed-1", deletionPolicy: "restore" }]),
                "connect-campaign-limits:maxAttempts": "1",
                "connect-campaign-limits:requestTimeoutMs": "120000",
            });
            // The service stores the write and its answer stalls; the machine running `pulumi up` is lost then.
            cut.injectFaults("stall", 1, { operation: "PutInstanceCommunicationLimits" });
            const abort = new AbortController();
            const running = stack.run(["up", "--yes"], { signal: abort.signal });
            const deadline = Date.now() + 120_000;
            while (limitsOf(cut.limits("killed-1")).join() !== "3/7" && Date.now() < deadline) {
                await new Promise((resolve) => setTimeout(resolve, 100));
            }
            assert.deepEqual(limitsOf(cut.limits("killed-1")), ["3/7"], "the write reached the service");
            abort.abort();
            const killed = await running;
            assert.notEqual(killed.code, 0, transcript(killed));
            // What a user does next: the lost run's lock is removed, and `pulumi up` runs again.
            ok(await stack.run(["cancel", "--yes"]));

            const again = ok(await stack.run(["up", "--yes"]));
            const text = printed(again);
            assert.match(text, /interrupted while creating/, "the engine kept the pending create");
            assert.match(
                text,
                /warning: Amazon Connect instance killed-1 in us-west-2 already had exactly these limits when this resource was created, so they are recorded as its previousConfig \(previousConfigMatchedDesired: true\) and a "restore" destroy keeps them\. If an earlier `pulumi up` was interrupted after writing them, the limits the instance had before are not known here\./,
            );
            const [recorded] = managed(await stack.resources());
            assert.equal(recorded?.outputs?.previousConfigMatchedDesired, true);
            assert.deepEqual(limitsOf(recorded?.outputs?.previousConfig), ["3/7"]);
            ok(await stack.run(["destroy", "--yes"]));
            assert.deepEqual(limitsOf(cut.limits("killed-1")), ["3/7"], "restore keeps them, as it said");
        } finally {
            own.dispose();
            await cut.close();
        }
    });

    it("fails every call when the package cannot be loaded where the program runs, and destroy drops nothing", async () => {
        const ids = ["pkg-1", "pkg-2"];
        ids.forEach((id) => service.addInstance(id, { limits: ORIGINAL }));
        const dir = workspace.project(PROGRAM);
        const stack = await workspace.stack(dir, "pkg");
        await stack.setConfig({
            instances: JSON.stringify(ids.map((id, i) => ({ name: `r${i}`, id }))),
        });
        ok(await stack.run(["up", "--yes"]));
        // The program's node_modules now lacks the package, as after a partial or failed install.
        const partial = path.join(workspace.dir, "partial-modules");
        fs.mkdirSync(partial, { recursive: true });
        const modules = fs.readlinkSync(path.join(dir, "node_modules"));
        for (const entry of fs.readdirSync(modules)) {
            if (entry !== "pulumi-connect-campaign-limits") {
                fs.symlinkSync(path.join(modules, entry), path.join(partial, entry));
            }
        }
        fs.unlinkSync(path.join(dir, "node_modules"));
        fs.symlinkSync(partial, path.join(dir, "node_modules"), "dir");
        service.clearRequests();

        for (const command of [
            ["refresh", "--yes"],
            ["destroy", "--yes"],
        ]) {
            const result = failed(await stack.run(command));
            const text = printed(result);
            assert.ok(
                text.includes(
                    `Could not load pulumi-connect-campaign-limits/provider from ${fs.realpathSync(dir)}`,
                ) || text.includes(`Could not load pulumi-connect-campaign-limits/provider from ${dir}`),
                transcript(result),
            );
            assert.match(text, /npm ci, or npm install/);
            assert.equal(
                managed(await stack.resources()).length,
                2,
                `${command[0]} dropped nothing from state`,
            );
        }
        assert.equal(service.requests().length, 0);
        ids.forEach((id) =>
            assert.deepEqual(limitsOf(service.limits(id)), ["3/7"], "the limits are still there"),
        );
    });

    it("cannot import a dynamic resource, and says so with the engine's own error", async () => {
        service.addInstance("import-1", { limits: ORIGINAL });
        const stack = await stackOf("import", []);
        const result = await stack.run([
            "import",
            TYPE,
            "adopted",
            "import-1",
            "--yes",
            "--generate-code=false",
        ]);
        assert.notEqual(result.code, 0, transcript(result));
        assert.equal(service.count(undefined, "import-1"), 0, "nothing was read or written");
        assert.deepEqual(managed(await stack.resources()), []);
        // The dynamic-provider host's Read assumes properties (3.248) or a __provider (3.276), which import's Read
        // does not send; each version fails in its own words (the README quotes both).
        const hostError =
            stack.workspace.cli.matrix === "pinned"
                ? /Cannot read properties of undefined \(reading 'toJavaScript'\)/
                : /code must be a string, not undefined/;
        assert.match(printed(result), hostError, transcript(result));
    });

    it("refuses to drop resources when the credentials look at another account, naming both accounts", async () => {
        const other = {
            accessKeyId: "AKIAOTHERACCOUNT0001",
            secretAccessKey: "otherAccountSecret/00000000000000000000000",
            account: "222222222222",
        };
        const accounts: Service = await startService({
            credentials: [
                {
                    accessKeyId: "AKIAEMULATOR00000001",
                    secretAccessKey: "emulatorSecretKey0000000000000000000000/",
                },
                other,
            ],
            instances: ["acct-1", "acct-2"],
        });
        const own = CliWorkspace.create(serviceEnv(accounts));
        try {
            const stack = await own.stack(own.project(PROGRAM), "accounts");
            await stack.setConfig({
                instances: JSON.stringify([
                    { name: "a", id: "acct-1" },
                    { name: "b", id: "acct-2" },
                ]),
            });
            ok(await stack.run(["up", "--yes"]));
            const wrong = {
                AWS_ACCESS_KEY_ID: other.accessKeyId,
                AWS_SECRET_ACCESS_KEY: other.secretAccessKey,
            };
            for (const command of [
                ["refresh", "--yes"],
                ["destroy", "--yes"],
            ]) {
                const result = failed(await stack.run(command, { env: wrong }));
                const text = printed(result);
                for (const id of ["acct-1", "acct-2"]) {
                    assert.ok(
                        text.includes(
                            `Amazon Connect instance ${id} was not found with the credentials in use, which belong to AWS account ` +
                                "222222222222; the resource was created in account 123456789012.",
                        ),
                        transcript(result),
                    );
                }
                assert.equal(managed(await stack.resources()).length, 2, `${command[0]} dropped nothing`);
            }
            // With the right credentials, the same commands work.
            ok(await stack.run(["refresh", "--yes"]));
            ok(await stack.run(["destroy", "--yes"]));
        } finally {
            own.dispose();
            await accounts.close();
        }
    });

    it("leaves resources whose state records no account in state when nothing is found, until a refresh records it", async () => {
        const other = {
            accessKeyId: "AKIAOTHERACCOUNT0002",
            secretAccessKey: "otherAccountSecret/00000000000000000000001",
            account: "333333333333",
        };
        const accounts: Service = await startService({
            credentials: [
                {
                    accessKeyId: "AKIAEMULATOR00000001",
                    secretAccessKey: "emulatorSecretKey0000000000000000000000/",
                },
                other,
            ],
            instances: ["noacct-1", "noacct-2"],
        });
        const own = CliWorkspace.create(serviceEnv(accounts));
        try {
            const stack = await own.stack(own.project(PROGRAM), "noaccount");
            await stack.setConfig({
                instances: JSON.stringify([
                    { name: "a", id: "noacct-1" },
                    { name: "b", id: "noacct-2" },
                ]),
            });
            ok(await stack.run(["up", "--yes"]));
            // State as an earlier version wrote it, or a create that could not reach STS: no account recorded.
            const exported = ok(await stack.run(["stack", "export"]));
            const deployment = JSON.parse(exported.stdout) as {
                deployment: { resources: { type: string; outputs?: Record<string, unknown> }[] };
            };
            for (const resource of deployment.deployment.resources) {
                if (resource.type === TYPE) {
                    delete resource.outputs?.accountId;
                }
            }
            const file = path.join(own.dir, "no-account.json");
            fs.writeFileSync(file, JSON.stringify(deployment));
            ok(await stack.run(["stack", "import", "--file", file]));
            assert.ok(managed(await stack.resources()).every((r) => r.outputs?.accountId === undefined));

            const wrong = {
                AWS_ACCESS_KEY_ID: other.accessKeyId,
                AWS_SECRET_ACCESS_KEY: other.secretAccessKey,
            };
            const refused = failed(await stack.run(["refresh", "--yes"], { env: wrong }));
            for (const id of ["noacct-1", "noacct-2"]) {
                assert.ok(
                    printed(refused).includes(
                        `Amazon Connect instance ${id} was not found with the credentials in use, which belong to AWS ` +
                            "account 333333333333; this resource's state records no account, so the refresh cannot tell " +
                            "a deleted instance from credentials for another account, and leaves it in state.",
                    ),
                    transcript(refused),
                );
            }
            assert.equal(managed(await stack.resources()).length, 2, "the refresh dropped nothing");

            // A refresh with the right credentials records the account; from then on, both accounts are named.
            ok(await stack.run(["refresh", "--yes"]));
            assert.ok(managed(await stack.resources()).every((r) => r.outputs?.accountId === "123456789012"));
            const named = failed(await stack.run(["destroy", "--yes"], { env: wrong }));
            assert.match(printed(named), /the resource was created in account 123456789012/);
            assert.equal(managed(await stack.resources()).length, 2, "the destroy dropped nothing");
            ok(await stack.run(["destroy", "--yes"]));
        } finally {
            own.dispose();
            await accounts.close();
        }
    });
});

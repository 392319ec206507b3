/**
 * Each example, as a user runs it: copied into a project of its own, driven by the real `pulumi` CLI
 * against the emulator through stack init, config, preview, up, a console edit, the drift check, refresh,
 * the repair, destroy and stack rm — asserting exit codes, the engine's steps and what the instance holds.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

import { REPO_ROOT } from "../../tools/pulumi-cli/locate";
import { PythonStack } from "../../tools/pulumi-cli/python";
import { limitsOf, pythonSdk } from "./support/front-doors";
import { CliWorkspace, diagnostics, ok, stepOps, transcript } from "./support/cli";
import type { CliStack } from "./support/cli";
import { serviceEnv, startService } from "./support/service";
import type { Service } from "./support/service";

const TYPE = "pulumi-nodejs:dynamic/connectcampaignsv2:InstanceCommunicationLimits";
const EXIT_NO_CHANGES_EXPECTED = 7;

function example(name: string): string {
    return path.join(REPO_ROOT, "examples", name);
}

function list(...limits: [number, number][]) {
    return {
        allChannelSubtypes: {
            communicationLimitsList: limits.map(([maxCountPerRecipient, frequency]) => ({
                maxCountPerRecipient,
                frequency,
                unit: "DAY",
            })),
        },
    };
}

/** The limits as a set of "count/frequency" strings: order carries no meaning. */
describe("the examples through the real pulumi CLI", function () {
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

    async function lifecycle(
        stack: CliStack,
        instanceId: string,
        desired: string[],
        edited: ReturnType<typeof list>,
    ) {
        const preview = ok(await stack.run(["preview"]));
        assert.deepEqual(
            stepOps(preview, TYPE).map((s) => s.op),
            ["create"],
            transcript(preview),
        );
        assert.equal(service.count(undefined, instanceId), 0, "preview made no AWS call");

        const up = ok(await stack.run(["up", "--yes"]));
        assert.deepEqual(
            stepOps(up, TYPE).map((s) => s.op),
            ["create"],
        );
        assert.deepEqual(limitsOf(service.limits(instanceId)), desired);

        // What terraform-plugin-testing checks after every apply: empty plans with and without refresh.
        ok(await stack.run(["preview", "--expect-no-changes"]));
        ok(await stack.run(["preview", "--refresh", "--expect-no-changes"]));

        service.setLimits(instanceId, edited);
        const drift = await stack.run(["preview", "--refresh", "--expect-no-changes", "--diff"]);
        assert.equal(drift.code, EXIT_NO_CHANGES_EXPECTED, transcript(drift));
        assert.match(
            drift.stdout + drift.stderr,
            /no changes were expected for preview but changes were proposed/,
        );
        assert.deepEqual(
            stepOps(drift, TYPE).map((s) => s.op),
            ["refresh", "update"],
        );
        assert.match(drift.stdout, /maxCountPerRecipient/, "the preview names the drifted property");
        assert.deepEqual(limitsOf(service.limits(instanceId)), limitsOf(edited), "a preview writes nothing");

        ok(await stack.run(["refresh", "--yes"]));
        const refreshed = (await stack.resources()).find((r) => r.type === TYPE && r.id === instanceId);
        assert.deepEqual(limitsOf(refreshed?.outputs?.communicationLimitsConfig), limitsOf(edited));

        service.clearRequests();
        const repair = ok(await stack.run(["up", "--yes"]));
        assert.deepEqual(
            stepOps(repair, TYPE).map((s) => s.op),
            ["update"],
        );
        assert.equal(service.count("PutInstanceCommunicationLimits", instanceId), 1, "the repair is one Put");
        assert.deepEqual(limitsOf(service.limits(instanceId)), desired);
    }

    for (const [policy, after] of [
        ["reset", (): string[] => []],
        ["restore", (): string[] => ["9/30"]],
        ["retain", (): string[] => ["1/1", "3/7"]],
    ] as const) {
        it(`examples/basic runs its whole lifecycle and destroy with deletionPolicy "${policy}" leaves ${policy === "reset" ? "no limits" : policy === "restore" ? "the limits found at create" : "the managed limits"}`, async () => {
            const instanceId = `basic-${policy}`;
            service.addInstance(instanceId, { limits: list([9, 30]) });
            const stack = await workspace.stack(workspace.project(example("basic")), policy);
            await stack.setConfig({ connectInstanceId: instanceId, deletionPolicy: policy });

            await lifecycle(stack, instanceId, ["1/1", "3/7"], list([5, 7]));

            const destroy = ok(await stack.run(["destroy", "--yes"]));
            assert.deepEqual(
                stepOps(destroy, TYPE).map((s) => s.op),
                ["delete"],
            );
            assert.deepEqual(limitsOf(service.limits(instanceId)), after());
            assert.deepEqual(await stack.resources(), []);
            ok(await stack.remove());
        });
    }

    it("examples/fleet manages every listed instance, repairs one edited in the console, and restores all on destroy", async () => {
        const ids = ["fleet-a", "fleet-b", "fleet-c"];
        ids.forEach((id, i) => service.addInstance(id, { limits: list([10 + i, 30]) }));
        const stack = await workspace.stack(workspace.project(example("fleet")));
        // As examples/fleet/README.md says: the config key is typed as a list in Pulumi.yaml.
        for (const [i, id] of ids.entries()) {
            ok(await stack.run(["config", "set", "--path", `instanceIds[${i}]`, id]));
        }
        // The README's per-instance exception, exactly as it is written there.
        const override = "overrides.fleet-c.allChannelSubtypes.communicationLimitsList[0]";
        ok(await stack.run(["config", "set", "--path", `${override}.maxCountPerRecipient`, "5"]));
        ok(await stack.run(["config", "set", "--path", `${override}.frequency`, "7"]));
        ok(await stack.run(["config", "set", "--path", `${override}.unit`, "DAY"]));

        const up = ok(await stack.run(["up", "--yes"]));
        assert.deepEqual(
            stepOps(up, TYPE)
                .map((s) => `${s.name}:${s.op}`)
                .sort(),
            ids.map((id) => `outbound-${id}:create`),
        );
        assert.deepEqual(limitsOf(service.limits("fleet-a")), ["1/1", "2/7"]);
        assert.deepEqual(limitsOf(service.limits("fleet-b")), ["1/1", "2/7"]);
        assert.deepEqual(limitsOf(service.limits("fleet-c")), ["5/7"], "the override applies");

        service.setLimits("fleet-b", list([4, 7]));
        const drift = await stack.run(["preview", "--refresh", "--expect-no-changes"]);
        assert.equal(drift.code, EXIT_NO_CHANGES_EXPECTED, transcript(drift));
        assert.deepEqual(
            stepOps(drift, TYPE)
                .filter((s) => s.op === "update")
                .map((s) => s.name),
            ["outbound-fleet-b"],
        );

        service.clearRequests();
        ok(await stack.run(["up", "--yes", "--refresh"]));
        assert.equal(
            service.count("PutInstanceCommunicationLimits"),
            1,
            "only the edited instance is written",
        );
        assert.deepEqual(limitsOf(service.limits("fleet-b")), ["1/1", "2/7"]);

        ok(await stack.run(["destroy", "--yes"]));
        ids.forEach((id, i) => assert.deepEqual(limitsOf(service.limits(id)), [`${10 + i}/30`]));
        ok(await stack.remove());
    });

    it("examples/adopt-existing records the limits it found, shows them, and gives them back on destroy", async () => {
        service.addInstance("adopt-1", { limits: list([6, 14]) });
        service.addInstance("observed-1", { limits: list([2, 3]) });
        const stack = await workspace.stack(workspace.project(example("adopt-existing")));
        await stack.setConfig({ connectInstanceId: "adopt-1", observedInstanceId: "observed-1" });

        const up = ok(await stack.run(["up", "--yes"]));
        assert.deepEqual(
            stepOps(up, TYPE)
                .map((s) => `${s.name}:${s.op}`)
                .sort(),
            ["adopted:create", "observed:read"],
        );
        const outputs = JSON.parse((await stack.run(["stack", "output", "--json"])).stdout) as Record<
            string,
            unknown
        >;
        assert.deepEqual(limitsOf(outputs.limitsBeforeAdoption), ["6/14"]);
        assert.deepEqual(limitsOf(outputs.previousConfig), ["6/14"]);
        assert.deepEqual(limitsOf(outputs.live), ["4/7"]);
        assert.deepEqual(limitsOf(outputs.observedLimits), ["2/3"]);
        assert.equal(service.count("PutInstanceCommunicationLimits", "observed-1"), 0, "get never writes");

        ok(await stack.run(["preview", "--refresh", "--expect-no-changes"]));
        ok(await stack.run(["destroy", "--yes"]));
        assert.deepEqual(limitsOf(service.limits("adopt-1")), ["6/14"]);
        assert.deepEqual(limitsOf(service.limits("observed-1")), ["2/3"], "destroy leaves what it only read");
        ok(await stack.remove());
    });

    it("examples/adopt-existing fails naming the instance when the one it only reads with get() does not exist", async () => {
        service.addInstance("adopt-2", { limits: list([6, 14]) });
        const stack = await workspace.stack(workspace.project(example("adopt-existing")));
        await stack.setConfig({ connectInstanceId: "adopt-2", observedInstanceId: "never-onboarded-2" });

        const up = await stack.run(["up", "--yes"]);
        assert.equal(up.code, 1, transcript(up));
        const text = [up.stdout, up.stderr, ...diagnostics(up)].join("\n");
        assert.match(text, /GetInstanceCommunicationLimits for Amazon Connect instance never-onboarded-2/);
        assert.match(text, /ResourceNotFoundException/);
        assert.match(text, /onboard the instance to outbound campaigns/);
        const observed = (await stack.resources()).filter(
            (r) => r.type === TYPE && r.id === "never-onboarded-2",
        );
        assert.deepEqual(observed, [], "no resource with undefined outputs is kept for the missing instance");
        assert.equal(service.count("PutInstanceCommunicationLimits", "never-onboarded-2"), 0);

        ok(await stack.run(["destroy", "--yes"]));
        assert.deepEqual(limitsOf(service.limits("adopt-2")), ["6/14"], "the adopted instance is restored");
        ok(await stack.remove());
    });

    it("examples/cross-account writes each instance with its own role and region, and the roles reach no state secret", async () => {
        const home = "arn:aws:iam::123456789012:role/connect-limits-home";
        const partner = "arn:aws:iam::210987654321:role/connect-limits-partner";
        const roled = await startService({
            instances: [
                { id: "home-1" },
                // The partner's instance lives in the partner's account, in us-east-1.
                { id: "partner-1", account: "210987654321", region: "us-east-1" },
            ],
            roles: [{ roleArn: home }, { roleArn: partner }],
        });
        const crossWorkspace = CliWorkspace.create(serviceEnv(roled));
        try {
            const stack = await crossWorkspace.stack(crossWorkspace.project(example("cross-account")));
            await stack.setConfig({
                homeInstanceId: "home-1",
                partnerInstanceId: "partner-1",
                partnerRoleArn: partner,
            });
            ok(await stack.run(["config", "set", "--path", "aws:assumeRole.roleArn", home]));

            const up = ok(await stack.run(["up", "--yes"]));
            assert.deepEqual(
                stepOps(up, TYPE).map((s) => s.op),
                ["create", "create"],
            );
            assert.deepEqual(limitsOf(roled.limits("home-1")), ["3/7"]);
            assert.deepEqual(limitsOf(roled.limits("partner-1")), ["3/7"]);
            const partnerCalls = roled.requests().filter((r) => r.instanceId === "partner-1");
            assert.deepEqual(
                [...new Set(partnerCalls.map((r) => `${r.account}/${r.region}`))],
                ["210987654321/us-east-1"],
            );
            assert.deepEqual(diagnostics(up, "error"), []);
            const accounts = Object.fromEntries(
                (await stack.resources())
                    .filter((r) => r.type === TYPE)
                    .map((r): [string, unknown] => [r.id ?? "", r.outputs?.accountId]),
            );
            assert.deepEqual(accounts, { "home-1": "123456789012", "partner-1": "210987654321" });
            ok(await stack.run(["destroy", "--yes"]));
            ok(await stack.remove());
        } finally {
            crossWorkspace.dispose();
            await roled.close();
        }
    });
});

/**
 * The plugin's examples (YAML, Python), each copied as it is into a project of its own; the one line that
 * changes is the `packages:` entry, whose relative path (`../../plugin`) is made absolute for the copy.
 */
describe("the provider plugin's examples through the real pulumi CLI", function () {
    this.timeout(900_000);
    const PLUGIN_TYPE = "connect-campaign-limits:connectcampaignsv2:InstanceCommunicationLimits";
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

    function copied(name: string): string {
        const dir = workspace.project(example(name));
        const file = path.join(dir, "Pulumi.yaml");
        const text = fs.readFileSync(file, "utf8");
        const entry = "connect-campaign-limits: ../../plugin";
        assert.ok(text.includes(entry), `examples/${name}/Pulumi.yaml has no "${entry}"`);
        fs.writeFileSync(
            file,
            text.replace(entry, `connect-campaign-limits: ${path.join(REPO_ROOT, "plugin")}`),
        );
        return dir;
    }

    const stacks: Record<string, (dir: string) => Promise<CliStack>> = {
        yaml: (dir) => workspace.stack(dir),
        python: (dir) => PythonStack.init(workspace, dir, "dev", pythonSdk(workspace)),
    };

    for (const [name, stackOf] of Object.entries(stacks)) {
        it(`examples/${name} sets its two limits, sees a console edit, repairs it and resets on destroy`, async () => {
            const id = `example-${name}`;
            service.addInstance(id, { limits: list([9, 30]) });
            const stack = await stackOf(copied(name));
            await stack.setConfig({ connectInstanceId: id });

            const up = ok(await stack.run(["up", "--yes"]));
            assert.deepEqual(
                stepOps(up, PLUGIN_TYPE).map((s) => s.op),
                ["create"],
            );
            assert.deepEqual(limitsOf(service.limits(id)), ["1/1", "3/7"]);
            const created = (await stack.resources()).find((r) => r.type === PLUGIN_TYPE);
            assert.deepEqual(limitsOf(created?.outputs?.previousConfig), ["9/30"]);
            ok(await stack.run(["preview", "--refresh", "--expect-no-changes"]));

            service.setLimits(id, list([5, 7]));
            const drift = await stack.run(["preview", "--refresh", "--expect-no-changes"]);
            assert.equal(drift.code, EXIT_NO_CHANGES_EXPECTED, transcript(drift));
            ok(await stack.run(["up", "--refresh", "--yes"]));
            assert.deepEqual(limitsOf(service.limits(id)), ["1/1", "3/7"]);

            ok(await stack.run(["destroy", "--yes"]));
            assert.deepEqual(limitsOf(service.limits(id)), [], "reset by default");
        });
    }
});

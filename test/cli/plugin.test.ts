/**
 * What only the provider plugin can do, through the real CLI against the emulator: `pulumi import` by id
 * (reading, never writing) whose generated code previews with no changes; `replaceOnChanges`, which needs
 * the detailed diff the dynamic host cannot send; an explicit `Provider` resource beside stack config; and
 * the migration of a stack created with the dynamic resource, without a write or a replacement.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

import { REPO_ROOT } from "../../tools/pulumi-cli/locate";
import { CliWorkspace, ok, stepOps, transcript } from "./support/cli";
import { DYNAMIC_TYPE, PLUGIN_TYPE, limitsOf, list, yamlProject } from "./support/front-doors";
import { serviceEnv, startService } from "./support/service";
import type { Service } from "./support/service";

describe("the provider plugin through the real pulumi CLI", function () {
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

    for (const [form, id, region] of [
        ["<instanceId>, in the region of the configuration", "import-1", "us-west-2"],
        ["<region>/<instanceId>", "eu-central-1/import-2", "eu-central-1"],
    ] as const) {
        it(`imports ${form} without a write, and the generated code previews with no changes`, async () => {
            const instanceId = id.split("/").pop() ?? id;
            service.addInstance(instanceId, { region, limits: list([6, 14]) });
            const dir = path.join(workspace.dir, "projects", `import-${instanceId}`);
            fs.mkdirSync(dir, { recursive: true });
            fs.writeFileSync(
                path.join(dir, "Pulumi.yaml"),
                `name: cli-import\nruntime: yaml\npackages:\n  connect-campaign-limits: ${path.join(REPO_ROOT, "plugin")}\n`,
            );
            const stack = await workspace.stack(dir, instanceId);
            service.clearRequests();
            const generated = path.join(workspace.dir, `generated-${instanceId}.yaml`);
            const imported = ok(
                await stack.run(["import", PLUGIN_TYPE, "adopted", id, "--yes", "--out", generated]),
            );
            assert.deepEqual(
                stepOps(imported, PLUGIN_TYPE).map((s) => s.op),
                ["import"],
            );
            assert.equal(service.count("PutInstanceCommunicationLimits"), 0, "import only reads");
            const resource = (await stack.resources()).find((r) => r.type === PLUGIN_TYPE);
            assert.equal(resource?.id, instanceId, "the bare instance id is recorded");
            assert.equal(resource?.outputs?.region, region);
            assert.deepEqual(
                limitsOf(resource?.outputs?.previousConfig),
                ["6/14"],
                "previousConfig is the imported value",
            );

            // The generated code, as is, appended to the program.
            fs.appendFileSync(path.join(dir, "Pulumi.yaml"), fs.readFileSync(generated, "utf8"));
            ok(await stack.run(["preview", "--expect-no-changes"]));
            ok(await stack.run(["preview", "--refresh", "--expect-no-changes"]));
            assert.equal(service.count("PutInstanceCommunicationLimits"), 0);
        });
    }

    it("replaces on a limits change under replaceOnChanges, which the dynamic resource can only update", async () => {
        for (const [name, project, type] of [
            ["plugin", yamlProject(workspace, { replaceOnChanges: true }), PLUGIN_TYPE],
            [
                "dynamic",
                workspace.project(path.join(REPO_ROOT, "test", "cli", "fixtures", "single")),
                DYNAMIC_TYPE,
            ],
        ] as const) {
            const id = `roc-${name}`;
            service.addInstance(id);
            const stack = await workspace.stack(project, id);
            await stack.setConfig({ instanceId: id, replaceOnChanges: "true" });
            ok(await stack.run(["up", "--yes"]));
            await stack.setConfig({ count: "4" });
            const up = ok(await stack.run(["up", "--yes"]));
            const ops = stepOps(up, type).map((s) => s.op);
            if (name === "plugin") {
                assert.ok(
                    ops.includes("create-replacement") && ops.includes("delete-replaced"),
                    transcript(up),
                );
            } else {
                assert.deepEqual(
                    ops,
                    ["update"],
                    "the dynamic host sends no detailed diff for replaceOnChanges to match",
                );
            }
            assert.deepEqual(
                limitsOf(service.limits(id)),
                ["4/7"],
                `${name}: the instance holds the new limits`,
            );
            ok(await stack.run(["preview", "--refresh", "--expect-no-changes"]));
        }
    });

    it("takes its settings from stack config and from an explicit Provider resource, each for its own resources", async () => {
        service.addInstance("cfg-default", { region: "eu-west-2" });
        service.addInstance("cfg-explicit", { region: "us-east-1" });
        const project = yamlProject(workspace, {
            extraResources: [
                "  east:",
                "    type: pulumi:providers:connect-campaign-limits",
                "    properties:",
                "      region: us-east-1",
                "      maxAttempts: 2",
                "  explicit:",
                `    type: ${PLUGIN_TYPE}`,
                "    properties:",
                "      connectInstanceId: cfg-explicit",
                "      communicationLimitsConfig: {}",
                "    options:",
                "      provider: ${east}",
            ].join("\n"),
        });
        const stack = await workspace.stack(project, "configured");
        await stack.setConfig({ instanceId: "cfg-default", "connect-campaign-limits:region": "eu-west-2" });
        ok(await stack.run(["up", "--yes"]));
        const regionOf = (id: string) => [
            ...new Set(
                service
                    .requests()
                    .filter((r) => r.instanceId === id)
                    .map((r) => r.region),
            ),
        ];
        assert.deepEqual(regionOf("cfg-default"), ["eu-west-2"], "stack config over AWS_REGION");
        assert.deepEqual(regionOf("cfg-explicit"), ["us-east-1"], "the Provider resource's own region");
        await stack.setConfig({ "connect-campaign-limits:maxAttempts": "none" });
        const invalid = await stack.run(["preview"]);
        assert.equal(invalid.code, 1, transcript(invalid));
        assert.match(
            invalid.stdout + invalid.stderr,
            /connect-campaign-limits:maxAttempts must be a whole number of at least 1/,
        );
    });

    it("migrates a stack created with the dynamic resource by an alias: no write, no replacement, previousConfig kept", async () => {
        const id = "migrate-1";
        service.addInstance(id, { limits: list([9, 30]) });
        const project = workspace.project(path.join(REPO_ROOT, "test", "cli", "fixtures", "single"));
        const stack = await workspace.stack(project, "migrate");
        await stack.setConfig({ instanceId: id, deletionPolicy: "restore" });
        ok(await stack.run(["up", "--yes"]));
        const before = (await stack.resources()).find((r) => r.type === DYNAMIC_TYPE);
        assert.ok(before);

        // The same project, now a YAML program declaring the plugin's resource under the old URN as an alias.
        for (const file of fs.readdirSync(project)) {
            if (!file.startsWith("Pulumi.")) {
                fs.rmSync(path.join(project, file), { recursive: true, force: true });
            }
        }
        yamlProject(workspace, { name: "cli-single", aliases: [before.urn] }, project);

        service.clearRequests();
        const preview = ok(await stack.run(["preview", "--diff"]));
        const planned = stepOps(preview, PLUGIN_TYPE).map((s) => s.op);
        assert.ok(!planned.some((op) => /replace|create|delete/.test(op)), transcript(preview));
        const up = ok(await stack.run(["up", "--yes"]));
        assert.ok(!stepOps(up, PLUGIN_TYPE).some((s) => /replace|create|delete/.test(s.op)), transcript(up));
        assert.equal(service.count("PutInstanceCommunicationLimits"), 0, "the migration writes nothing");

        const after = (await stack.resources()).filter(
            (r) => r.type === PLUGIN_TYPE || r.type === DYNAMIC_TYPE,
        );
        assert.deepEqual(
            after.map((r) => r.type),
            [PLUGIN_TYPE],
        );
        assert.equal(after[0]?.id, id);
        assert.deepEqual(
            after[0]?.outputs?.previousConfig,
            before.outputs?.previousConfig,
            "previousConfig kept",
        );
        assert.equal(after[0]?.outputs?.accountId, before.outputs?.accountId);
        assert.ok(!("__provider" in (after[0]?.outputs ?? {})), "the dynamic provider's stub left the state");

        ok(await stack.run(["preview", "--expect-no-changes"]));
        ok(await stack.run(["preview", "--refresh", "--expect-no-changes"]));
        ok(await stack.run(["destroy", "--yes"]));
        assert.deepEqual(
            limitsOf(service.limits(id)),
            ["9/30"],
            "restore gives back what the dynamic resource found",
        );
    });
});

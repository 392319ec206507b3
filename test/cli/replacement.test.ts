/**
 * Replacements of the same instance, as the real engine performs them: `pulumi up --replace`, `pulumi state
 * taint` then `up`, and a `replacementTrigger` change. The engine does not ask the provider (no Diff), and
 * creates the new copy before deleting the old one unless `deleteBeforeReplace`. After each, the instance
 * must hold the desired limits, and with "restore" the state must still hold the limits found before the
 * first create.
 */
import assert from "node:assert/strict";
import * as path from "node:path";

import { CliWorkspace, ok, stepOps, transcript } from "./support/cli";
import { limitsOf } from "./support/front-doors";
import type { CliStack } from "./support/cli";
import { serviceEnv, startService } from "./support/service";
import type { Service } from "./support/service";

const TYPE = "pulumi-nodejs:dynamic/connectcampaignsv2:InstanceCommunicationLimits";
const PROGRAM = path.join(__dirname, "fixtures", "instances");
const ORIGINAL = {
    allChannelSubtypes: {
        communicationLimitsList: [{ maxCountPerRecipient: 9, frequency: 30, unit: "DAY" }],
    },
};

describe("replacing a resource of the same instance through the real pulumi CLI", function () {
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

    async function deployed(
        instanceId: string,
        deletionPolicy: string,
    ): Promise<{ stack: CliStack; urn: string }> {
        service.addInstance(instanceId, { limits: ORIGINAL });
        const stack = await workspace.stack(workspace.project(PROGRAM), `${instanceId}`);
        await stack.setConfig({
            instances: JSON.stringify([{ name: "limits", id: instanceId, deletionPolicy }]),
        });
        ok(await stack.run(["up", "--yes"]));
        assert.deepEqual(limitsOf(service.limits(instanceId)), ["3/7"]);
        const urn = (await stack.resources()).find((r) => r.type === TYPE)?.urn;
        assert.ok(urn);
        return { stack, urn };
    }

    async function assertIntact(stack: CliStack, instanceId: string, deletionPolicy: string) {
        assert.deepEqual(
            limitsOf(service.limits(instanceId)),
            ["3/7"],
            "the instance holds the desired limits",
        );
        const resource = (await stack.resources()).find((r) => r.type === TYPE);
        assert.deepEqual(limitsOf(resource?.outputs?.communicationLimitsConfig), ["3/7"]);
        if (deletionPolicy === "restore") {
            assert.deepEqual(
                limitsOf(resource?.outputs?.previousConfig),
                ["9/30"],
                "previousConfig survives the replacement",
            );
        }
        // The state and the instance agree: a refresh finds nothing to change.
        ok(await stack.run(["preview", "--refresh", "--expect-no-changes"]));
        ok(await stack.run(["destroy", "--yes"]));
        const after = { reset: [], restore: ["9/30"], retain: ["3/7"] }[deletionPolicy];
        assert.deepEqual(
            limitsOf(service.limits(instanceId)),
            after,
            "destroy still does what the policy says",
        );
    }

    for (const policy of ["reset", "restore"]) {
        it(`up --replace keeps the limits on the instance (deletionPolicy "${policy}")`, async () => {
            const id = `replace-${policy}`;
            const { stack, urn } = await deployed(id, policy);
            const up = ok(await stack.run(["up", "--yes", "--replace", urn]));
            assert.ok(
                stepOps(up, TYPE).some((s) => s.op === "create-replacement" || s.op === "replace"),
                transcript(up),
            );
            await assertIntact(stack, id, policy);
        });

        it(`state taint, then up, keeps the limits on the instance (deletionPolicy "${policy}")`, async () => {
            const id = `taint-${policy}`;
            const { stack, urn } = await deployed(id, policy);
            ok(await stack.run(["state", "taint", urn, "--yes"]));
            const up = ok(await stack.run(["up", "--yes"]));
            assert.ok(
                stepOps(up, TYPE).some((s) => s.op === "create-replacement" || s.op === "replace"),
                transcript(up),
            );
            await assertIntact(stack, id, policy);
        });

        it(`a replacementTrigger change keeps the limits on the instance (deletionPolicy "${policy}")`, async () => {
            const id = `trigger-${policy}`;
            const { stack } = await deployed(id, policy);
            await stack.setConfig({ trigger: "v1" });
            ok(await stack.run(["up", "--yes"]));
            await stack.setConfig({ trigger: "v2" });
            const up = ok(await stack.run(["up", "--yes"]));
            assert.ok(
                stepOps(up, TYPE).some((s) => s.op === "create-replacement" || s.op === "replace"),
                transcript(up),
            );
            await assertIntact(stack, id, policy);
        });
    }
});

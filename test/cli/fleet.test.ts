/**
 * A fleet at the CLI's parallelism: 100 instances with `--parallel 32`, through up, refresh, a repair of a
 * few console edits and destroy. Every instance ends as the program says, with one request budget shared
 * by every resource of the host.
 */
import assert from "node:assert/strict";
import * as path from "node:path";

import { CliWorkspace, ok, stepOps } from "./support/cli";
import { limitsOf } from "./support/front-doors";
import { serviceEnv, startService } from "./support/service";
import type { Service } from "./support/service";

const TYPE = "pulumi-nodejs:dynamic/connectcampaignsv2:InstanceCommunicationLimits";
const PROGRAM = path.join(__dirname, "fixtures", "instances");
const COUNT = 100;

describe("a fleet of 100 instances through the real pulumi CLI", function () {
    this.timeout(1_200_000);
    let service: Service;
    let workspace: CliWorkspace;
    const ids = Array.from({ length: COUNT }, (_, i) => `fleet-${String(i).padStart(3, "0")}`);

    before(async () => {
        service = await startService({ instances: ids });
        workspace = CliWorkspace.create(serviceEnv(service));
    });
    after(async () => {
        workspace?.dispose();
        await service?.close();
    });

    it("creates, refreshes, repairs and destroys every instance at --parallel 32", async () => {
        const stack = await workspace.stack(workspace.project(PROGRAM), "fleet");
        await stack.setConfig({
            instances: JSON.stringify(
                ids.map((id) => ({
                    name: id,
                    id,
                    limits: [
                        [2, 7],
                        [1, 1],
                    ],
                })),
            ),
            // No quota in this emulator: let the budget run fast, the engine's parallelism is under test.
            "connect-campaign-limits:requestsPerSecond": "1000",
            "connect-campaign-limits:requestBurst": "1000",
        });
        const up = ok(await stack.run(["up", "--yes", "--parallel", "32"]));
        assert.equal(stepOps(up, TYPE).filter((s) => s.op === "create").length, COUNT);
        for (const id of ids) {
            assert.deepEqual(limitsOf(service.limits(id)), ["1/1", "2/7"], id);
        }

        const edited = [ids[3], ids[50], ids[99]] as string[];
        for (const id of edited) {
            service.setLimits(id, { allChannelSubtypes: { communicationLimitsList: [] } });
        }
        ok(await stack.run(["refresh", "--yes", "--parallel", "32"]));
        service.clearRequests();
        const repair = ok(await stack.run(["up", "--yes", "--parallel", "32"]));
        assert.deepEqual(
            stepOps(repair, TYPE)
                .filter((s) => s.op === "update")
                .map((s) => s.name)
                .sort(),
            edited,
        );
        assert.equal(service.count("PutInstanceCommunicationLimits"), edited.length);
        for (const id of ids) {
            assert.deepEqual(limitsOf(service.limits(id)), ["1/1", "2/7"], id);
        }

        const destroy = ok(await stack.run(["destroy", "--yes", "--parallel", "32"]));
        assert.equal(stepOps(destroy, TYPE).filter((s) => s.op === "delete").length, COUNT);
        for (const id of ids) {
            assert.deepEqual(limitsOf(service.limits(id)), [], id);
        }
    });
});

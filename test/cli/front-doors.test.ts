/**
 * The key lifecycle stories, written once and run through both front doors of the one core: the dynamic
 * resource from a TypeScript program, and the provider plugin from a YAML and a Python program — same stack config,
 * same emulator, same assertions on exit codes, engine steps, messages and what the instance holds.
 */
import assert from "node:assert/strict";

import { CliWorkspace, diagnostics, ok, stepOps, transcript } from "./support/cli";
import type { CliResult, CliStack } from "./support/cli";
import { FRONT_DOORS, limitsOf, list } from "./support/front-doors";
import { serviceEnv, startService } from "./support/service";
import type { Service } from "./support/service";

const EXIT_NO_CHANGES_EXPECTED = 7;

function printed(result: CliResult): string {
    return [result.stdout, result.stderr, ...diagnostics(result)].join("\n");
}

for (const door of FRONT_DOORS) {
    describe(`lifecycle stories through ${door.name}`, function () {
        this.timeout(900_000);
        let service: Service;
        let workspace: CliWorkspace;
        let serial = 0;

        before(async () => {
            service = await startService();
            workspace = CliWorkspace.create(serviceEnv(service));
        });
        after(async () => {
            workspace?.dispose();
            await service?.close();
        });

        async function stackFor(instanceId: string, config: Record<string, string> = {}): Promise<CliStack> {
            const stack = await door.stack(workspace, `s${++serial}`);
            await stack.setConfig({ instanceId, ...config });
            return stack;
        }

        const ops = (result: CliResult) => stepOps(result, door.type).map((s) => s.op);

        for (const [policy, after] of [
            ["reset", [] as string[]],
            ["restore", ["9/30"]],
            ["retain", ["3/7"]],
        ] as const) {
            it(`runs preview, up, drift, refresh, repair and destroy, and destroy with "${policy}" leaves ${JSON.stringify(after)}`, async () => {
                const id = `${door.type.startsWith("pulumi-nodejs") ? "dyn" : "plg"}-${policy}`;
                service.addInstance(id, { limits: list([9, 30]) });
                const stack = await stackFor(id, { deletionPolicy: policy });

                service.clearRequests();
                const preview = ok(await stack.run(["preview"]));
                assert.deepEqual(ops(preview), ["create"]);
                assert.equal(service.count(undefined, id), 0, "a preview makes no AWS call");

                const up = ok(await stack.run(["up", "--yes"]));
                assert.deepEqual(ops(up), ["create"]);
                assert.deepEqual(limitsOf(service.limits(id)), ["3/7"]);
                const created = (await stack.resources()).find((r) => r.type === door.type);
                assert.deepEqual(limitsOf(created?.outputs?.previousConfig), ["9/30"]);

                ok(await stack.run(["preview", "--expect-no-changes"]));
                ok(await stack.run(["preview", "--refresh", "--expect-no-changes"]));

                service.setLimits(id, list([5, 7]));
                const drift = await stack.run(["preview", "--refresh", "--expect-no-changes", "--diff"]);
                assert.equal(drift.code, EXIT_NO_CHANGES_EXPECTED, transcript(drift));
                assert.deepEqual(ops(drift), ["refresh", "update"]);
                assert.match(drift.stdout, /maxCountPerRecipient/, "the preview names the drifted property");
                assert.deepEqual(limitsOf(service.limits(id)), ["5/7"], "a preview writes nothing");

                ok(await stack.run(["refresh", "--yes"]));
                const refreshed = (await stack.resources()).find((r) => r.type === door.type);
                assert.deepEqual(limitsOf(refreshed?.outputs?.communicationLimitsConfig), ["5/7"]);

                service.clearRequests();
                const repair = ok(await stack.run(["up", "--yes"]));
                assert.deepEqual(ops(repair), ["update"]);
                assert.equal(service.count("PutInstanceCommunicationLimits", id), 1, "the repair is one Put");
                assert.deepEqual(limitsOf(service.limits(id)), ["3/7"]);

                const destroy = ok(await stack.run(["destroy", "--yes"]));
                assert.deepEqual(ops(destroy), ["delete"]);
                assert.deepEqual(limitsOf(service.limits(id)), after);
                assert.deepEqual(await stack.resources(), []);
            });
        }

        it("rejects invalid limits in preview with the core's message, and sends no request", async () => {
            const id = `${serial}-invalid`;
            service.addInstance(id);
            const stack = await stackFor(id, { count: "0", days: "31" });
            service.clearRequests();
            const preview = await stack.run(["preview"]);
            assert.equal(preview.code, 1, transcript(preview));
            for (const expected of [
                "maxCountPerRecipient must be a whole number from 1 to 2147483647; got 0.",
                "frequency (a number of days) must be a whole number from 1 to 30; got 31.",
            ]) {
                assert.ok(
                    printed(preview).includes(expected),
                    `missing: ${expected}\n${transcript(preview)}`,
                );
            }
            assert.equal(service.requests().length, 0);
        });

        it("changes only deletionPolicy with an update that makes no AWS call", async () => {
            const id = `${serial}-policy`;
            service.addInstance(id);
            const stack = await stackFor(id);
            ok(await stack.run(["up", "--yes"]));
            await stack.setConfig({ deletionPolicy: "retain" });
            service.clearRequests();
            const up = ok(await stack.run(["up", "--yes"]));
            assert.deepEqual(ops(up), ["update"]);
            assert.equal(service.requests().length, 0);
            ok(await stack.run(["destroy", "--yes"]));
            assert.deepEqual(limitsOf(service.limits(id)), ["3/7"], "retain leaves the limits");
        });

        it("drops an instance that disappeared at refresh, and the next up fails naming the onboarding step", async () => {
            const id = `${serial}-gone`;
            service.addInstance(id);
            const stack = await stackFor(id);
            ok(await stack.run(["up", "--yes"]));
            service.removeInstance(id);
            const refresh = ok(await stack.run(["refresh", "--yes"]));
            assert.deepEqual(ops(refresh), ["delete"]);
            assert.deepEqual(
                (await stack.resources()).filter((r) => r.type === door.type),
                [],
            );
            const up = await stack.run(["up", "--yes"]);
            assert.equal(up.code, 1, transcript(up));
            assert.match(printed(up), /ResourceNotFoundException/);
            assert.match(printed(up), /is not onboarded to Amazon Connect outbound campaigns/);
        });

        it("retries a throttled write within the call's attempts and succeeds", async () => {
            const id = `${serial}-throttled`;
            service.addInstance(id);
            const stack = await stackFor(id);
            service.injectFaults("throttle", 2, {
                operation: "PutInstanceCommunicationLimits",
                instanceId: id,
            });
            ok(await stack.run(["up", "--yes"]));
            assert.deepEqual(limitsOf(service.limits(id)), ["3/7"]);
            assert.equal(
                service.count("PutInstanceCommunicationLimits", id),
                3,
                "two throttled attempts, then one that lands",
            );
        });
    });
}

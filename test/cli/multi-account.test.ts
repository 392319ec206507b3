/**
 * The README's multi-account recipe, run as written: 30 instances in 3 accounts, each account's resources
 * assuming that account's role (with its external id, set as a secret) in that account's region.
 */
import assert from "node:assert/strict";
import * as path from "node:path";

import { REPO_ROOT } from "../../tools/pulumi-cli/locate";
import { CliWorkspace, ok, stepOps } from "./support/cli";
import { serviceEnv, startService } from "./support/service";
import type { Service } from "./support/service";

const TYPE = "pulumi-nodejs:dynamic/connectcampaignsv2:InstanceCommunicationLimits";
const ACCOUNTS = [
    { name: "retail", account: "111111111111", region: "us-east-1", externalId: "retail-2026" },
    { name: "banking", account: "222222222222", region: "eu-west-2", externalId: "banking-2026" },
    { name: "care", account: "333333333333", region: "ap-southeast-2", externalId: "care-2026" },
];
const PER_ACCOUNT = 10;
const BEFORE = {
    allChannelSubtypes: {
        communicationLimitsList: [{ maxCountPerRecipient: 12, frequency: 30, unit: "DAY" }],
    },
};

function role(account: string): string {
    return `arn:aws:iam::${account}:role/connect-limits`;
}

function ids(name: string): string[] {
    return Array.from({ length: PER_ACCOUNT }, (_, i) => `${name}-${String(i).padStart(2, "0")}`);
}

describe("examples/multi-account through the real pulumi CLI", function () {
    this.timeout(1_200_000);
    let service: Service;
    let workspace: CliWorkspace;

    before(async () => {
        service = await startService({
            instances: ACCOUNTS.flatMap((a) =>
                ids(a.name).map((id) => ({ id, account: a.account, region: a.region, limits: BEFORE })),
            ),
            roles: ACCOUNTS.map((a) => ({ roleArn: role(a.account), externalId: a.externalId })),
        });
        workspace = CliWorkspace.create({
            ...serviceEnv(service),
            // The stack has no limits of its own to pace: the emulator has no quota here.
        });
    });
    after(async () => {
        workspace?.dispose();
        await service?.close();
    });

    it("writes 30 instances in 3 accounts with each account's role, external id and region, and restores them all", async () => {
        const stack = await workspace.stack(
            workspace.project(path.join(REPO_ROOT, "examples", "multi-account")),
        );
        for (const [i, a] of ACCOUNTS.entries()) {
            ok(await stack.run(["config", "set", "--path", `accounts[${i}].name`, a.name]));
            ok(await stack.run(["config", "set", "--path", `accounts[${i}].roleArn`, role(a.account)]));
            ok(
                await stack.run([
                    "config",
                    "set",
                    "--secret",
                    "--path",
                    `accounts[${i}].externalId`,
                    a.externalId,
                ]),
            );
            ok(await stack.run(["config", "set", "--path", `accounts[${i}].region`, a.region]));
            for (const [j, id] of ids(a.name).entries()) {
                ok(await stack.run(["config", "set", "--path", `accounts[${i}].instanceIds[${j}]`, id]));
            }
        }
        await stack.setConfig({
            "connect-campaign-limits:requestsPerSecond": "200",
            "connect-campaign-limits:requestBurst": "200",
        });

        const up = ok(await stack.run(["up", "--yes"]));
        assert.equal(
            stepOps(up, TYPE).filter((s) => s.op === "create").length,
            ACCOUNTS.length * PER_ACCOUNT,
        );
        for (const a of ACCOUNTS) {
            for (const id of ids(a.name)) {
                assert.deepEqual(service.limits(id, { account: a.account, region: a.region }), {
                    allChannelSubtypes: {
                        communicationLimitsList: [
                            { maxCountPerRecipient: 1, frequency: 1, unit: "DAY" },
                            { maxCountPerRecipient: 3, frequency: 7, unit: "DAY" },
                        ],
                    },
                });
            }
            const calls = service.requests().filter((r) => r.instanceId?.startsWith(`${a.name}-`) === true);
            assert.deepEqual(
                [...new Set(calls.map((r) => `${r.account}/${r.region}`))],
                [`${a.account}/${a.region}`],
            );
        }
        const assumed = service.requests().filter((r) => r.operation === "AssumeRole");
        for (const a of ACCOUNTS) {
            const body = assumed
                .map((r) => r.body as Record<string, string>)
                .find((b) => b.RoleArn === role(a.account));
            assert.equal(body?.ExternalId, a.externalId, `${a.name} assumed with its external id`);
        }
        const resources = (await stack.resources()).filter((r) => r.type === TYPE);
        const exported = JSON.stringify(await stack.resources());
        for (const a of ACCOUNTS) {
            assert.ok(!exported.includes(a.externalId), "the external id is kept encrypted in state");
        }
        assert.deepEqual(
            [...new Set(resources.map((r) => r.outputs?.accountId))].sort(),
            ACCOUNTS.map((a) => a.account).sort(),
        );

        ok(await stack.run(["preview", "--refresh", "--expect-no-changes"]));
        ok(await stack.run(["destroy", "--yes"]));
        for (const a of ACCOUNTS) {
            for (const id of ids(a.name)) {
                assert.deepEqual(service.limits(id, { account: a.account, region: a.region }), BEFORE, id);
            }
        }
    });
});

/**
 * Two provider texts in one host. The dynamic-provider host caches one provider per distinct `__provider`
 * text and configures each new one when it first meets it — normal right after a package upgrade, when the
 * state of some resources still holds the text an older version serialized. Configuring a second text must
 * never disturb the calls the first one has in flight: no write sent twice, no call failed.
 *
 * Texts written by this version take a provider of their own (`createProvider`); texts of stub v1 share the
 * module's `provider`, which is then configured once per text — the harder case, also covered.
 */
import assert from "node:assert/strict";
import * as path from "node:path";

import { startEmulator } from "connect-campaigns-emulator";
import type { EmulatorHandle } from "connect-campaigns-emulator";
import { Stack } from "../../tools/harness";
import { ProviderHost } from "../../tools/harness/host";
import type { PropertyMap } from "../../tools/harness/props";
import { emulatorEnv, setEnv } from "../support/env";
import { LIMITS_PROGRAM, assertRunOk, tempDir } from "../support/reliability";

const TYPE = "pulumi-nodejs:dynamic/connectcampaignsv2:InstanceCommunicationLimits";
const PUT = "PutInstanceCommunicationLimits";
const SLOW_PUT_MS = 1500;

function inputs(connectInstanceId: string, providerText: string): PropertyMap {
    return {
        connectInstanceId,
        region: "us-west-2",
        deletionPolicy: "reset",
        communicationLimitsConfig: {
            allChannelSubtypes: {
                communicationLimitsList: [{ maxCountPerRecipient: 3, frequency: 7, unit: "DAY" }],
            },
        },
        __provider: providerText,
    };
}

function urn(name: string): string {
    return `urn:pulumi:dev::reliability::${TYPE}::${name}`;
}

/** The stub as stub v1 used it: the module's shared `provider`, never a provider of its own. */
function asStubV1(text: string): string {
    const v1 = text.replace(
        /\w+\.createProvider === undefined \? (\w+)\.provider : \w+\.createProvider\(\)/,
        "$1.provider",
    );
    assert.notEqual(v1, text, "the stored stub text chooses between createProvider and provider");
    return v1;
}

describe("two provider texts in one dynamic-provider host", function () {
    this.timeout(120_000);
    let emulator: EmulatorHandle;
    let restoreEnv: () => void;
    let host: ProviderHost | undefined;
    let stored = "";

    before(async () => {
        emulator = await startEmulator({
            instances: ["texts-new-a", "texts-new-b", "texts-v1-a", "texts-v1-b"],
        });
        restoreEnv = setEnv(emulatorEnv(emulator.url));
        // The `__provider` a real deployment stores, taken from the state of a successful `pulumi up`.
        const stack = new Stack({
            programDir: LIMITS_PROGRAM,
            statePath: path.join(tempDir("provider-texts"), "state.json"),
            config: {
                "reliability:resources": JSON.stringify([
                    { name: "seed", connectInstanceId: "texts-new-a", limits: [[1, 1]] },
                ]),
            },
        });
        assertRunOk(await stack.up());
        const text = stack.state().resources.find((r) => r.custom)?.inputs.__provider;
        assert.equal(typeof text, "string");
        stored = text as string;
    });
    beforeEach(async () => {
        host = await ProviderHost.start({
            programDir: LIMITS_PROGRAM,
            env: process.env,
            onStderr: () => undefined,
        });
        await host.configure({ "aws:region": "us-west-2" });
        emulator.clearRequests();
    });
    afterEach(async () => {
        await host?.stop();
        host = undefined;
    });
    after(async () => {
        restoreEnv();
        await emulator.close();
    });

    async function slowCreateWhileAnotherTextArrives(first: string, second: string, ids: [string, string]) {
        assert.ok(host !== undefined);
        emulator.injectFaults("latency", 1, { latencyMs: SLOW_PUT_MS, operation: PUT, instanceId: ids[0] });
        const slow = host.create(urn(ids[0]), inputs(ids[0], first));
        // Wait until the slow write is on the wire, then bring the second text: the host configures it now.
        const deadline = Date.now() + 30_000;
        while (emulator.count(PUT, ids[0]) === 0) {
            assert.ok(Date.now() < deadline, "the first create's write never arrived");
            await new Promise((resolve) => setTimeout(resolve, 20));
        }
        const other = await host.create(urn(ids[1]), inputs(ids[1], second));
        const created = await slow;
        return [created, other];
    }

    it("a text of this version configured while another's write is in flight leaves that write alone", async () => {
        const second = `${stored}\n`;
        const [a, b] = await slowCreateWhileAnotherTextArrives(stored, second, [
            "texts-new-a",
            "texts-new-b",
        ]);
        assert.equal(a?.id, "texts-new-a");
        assert.equal(b?.id, "texts-new-b");
        assert.equal(emulator.count(PUT, "texts-new-a"), 1, "the in-flight write was sent once");
        assert.equal(emulator.count(PUT, "texts-new-b"), 1);
        for (const id of ["texts-new-a", "texts-new-b"]) {
            assert.deepEqual(emulator.limits(id), inputs(id, "").communicationLimitsConfig);
        }
    });

    it("two stub v1 texts sharing the module's provider: the second configure leaves the first's write alone", async () => {
        const first = asStubV1(stored);
        const second = `${first}\n`;
        const [a, b] = await slowCreateWhileAnotherTextArrives(first, second, ["texts-v1-a", "texts-v1-b"]);
        assert.equal(a?.id, "texts-v1-a");
        assert.equal(b?.id, "texts-v1-b");
        assert.equal(emulator.count(PUT, "texts-v1-a"), 1, "the in-flight write was sent once");
        assert.equal(emulator.count(PUT, "texts-v1-b"), 1);
        for (const id of ["texts-v1-a", "texts-v1-b"]) {
            assert.deepEqual(emulator.limits(id), inputs(id, "").communicationLimitsConfig);
        }
    });
});

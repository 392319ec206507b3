/**
 * Bad input is rejected at check, before any request: every case of the invalid-input corpus goes through
 * Pulumi's real dynamic-provider host (its Check RPC, with the `__provider` text a real `pulumi up` stored),
 * fails with exactly its property and reason, and the emulator sees nothing.
 *
 * Numbers that arrive as strings from stack config are rejected, not converted: `config.require` returns
 * text, and silently turning "3" into 3 would also accept "3.0", " 3" or "0x3" from a typo. The reason names
 * the fix (`config.requireNumber()` or `Number()`), and a program that reads the value as a number works.
 */
import assert from "node:assert/strict";
import * as path from "node:path";

import { startEmulator } from "connect-campaigns-emulator";
import type { EmulatorHandle } from "connect-campaigns-emulator";
import { Stack } from "../../tools/harness";
import { ProviderHost } from "../../tools/harness/host";
import { INSTANCE_ID, INVALID_CASES } from "../fixtures/invalid-inputs";
import { emulatorEnv, setEnv } from "../support/env";
import { FIXTURES, LIMITS_PROGRAM, assertRunOk, limits, tempDir } from "../support/reliability";

const TYPE = "pulumi-nodejs:dynamic/connectcampaignsv2:InstanceCommunicationLimits";
const CONFIG_STRINGS = path.join(FIXTURES, "config-strings");
const LIST = "communicationLimitsConfig.allChannelSubtypes.communicationLimitsList";

describe("invalid input through the dynamic-provider host", function () {
    this.timeout(120_000);
    let emulator: EmulatorHandle;
    let restoreEnv: () => void;
    let host: ProviderHost | undefined;
    let providerText = "";

    before(async () => {
        emulator = await startEmulator({ instances: [INSTANCE_ID] });
        restoreEnv = setEnv(emulatorEnv(emulator.url));
        // The `__provider` a real deployment stores, taken from the state of a successful `pulumi up`.
        const stack = new Stack({
            programDir: LIMITS_PROGRAM,
            statePath: path.join(tempDir("invalid-input"), "state.json"),
            config: {
                "reliability:resources": JSON.stringify([
                    { name: "valid", connectInstanceId: INSTANCE_ID, limits: [[3, 7]] },
                ]),
            },
        });
        assertRunOk(await stack.up());
        const stored = stack.state().resources.find((r) => r.custom)?.inputs.__provider;
        assert.equal(typeof stored, "string");
        providerText = stored as string;
        host = await ProviderHost.start({
            programDir: LIMITS_PROGRAM,
            env: process.env,
            onStderr: () => undefined,
        });
        await host.configure({ "aws:region": "us-west-2" });
    });
    after(async () => {
        await host?.stop();
        restoreEnv();
        await emulator.close();
    });
    beforeEach(() => emulator.clearRequests());

    it(`the corpus holds at least 40 cases (${INVALID_CASES.length})`, () => {
        assert.ok(INVALID_CASES.length >= 40);
    });

    for (const [index, c] of INVALID_CASES.entries()) {
        it(`rejects ${c.title} at ${c.property || "the top level"} with its reason, and sends no request`, async () => {
            assert.ok(host !== undefined);
            const urn = `urn:pulumi:dev::reliability::${TYPE}::case-${index}`;
            const result = await host.check(urn, {}, { ...c.inputs, __provider: providerText });
            assert.deepEqual(result.failures, [{ property: c.property, reason: c.reason }]);
            assert.equal(emulator.requests().length, 0);
        });
    }

    it("rejects a count read with config.require (a string) with a hint, through preview, and sends no request", async () => {
        const stack = new Stack({
            programDir: CONFIG_STRINGS,
            statePath: path.join(tempDir("config-strings"), "state.json"),
            config: {
                "config-strings:connectInstanceId": INSTANCE_ID,
                "config-strings:maxCountPerRecipient": "3",
            },
        });
        const preview = await stack.preview();
        assert.equal(preview.ok, false);
        const step = preview.steps.find((s) => s.name === "limits");
        assert.deepEqual(step?.checkFailures, [
            {
                property: `${LIST}[0].maxCountPerRecipient`,
                reason:
                    'maxCountPerRecipient must be a whole number from 1 to 2147483647; got the string "3" (stack config ' +
                    "values are strings: read it with config.requireNumber() or convert it with Number()).",
            },
        ]);
        assert.equal(emulator.requests().length, 0);
    });

    it("accepts the same count read with config.requireNumber, and writes it", async () => {
        const stack = new Stack({
            programDir: CONFIG_STRINGS,
            statePath: path.join(tempDir("config-numbers"), "state.json"),
            config: {
                "config-strings:connectInstanceId": INSTANCE_ID,
                "config-strings:maxCountPerRecipient": "3",
                "config-strings:read": "number",
            },
        });
        assertRunOk(await stack.preview());
        assert.equal(emulator.requests().length, 0);
        assertRunOk(await stack.up());
        assert.deepEqual(emulator.limits(INSTANCE_ID), limits([3, 7]));
    });
});

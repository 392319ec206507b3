/**
 * Two stacks managing the same instance (a mistake the service cannot prevent: it has no owner per limits):
 * the last writer's limits are what the instance has, and the other stack finds out at its next refresh,
 * which reports the drift property by property and fails `--expect-no-changes`.
 */
import assert from "node:assert/strict";
import * as path from "node:path";

import { startEmulator } from "connect-campaigns-emulator";
import type { EmulatorHandle } from "connect-campaigns-emulator";
import { EXIT_NO_CHANGES_EXPECTED, Stack } from "../../tools/harness";
import type { RunResult, StepResult } from "../../tools/harness";
import { emulatorEnv, setEnv } from "../support/env";
import { LIMITS_PROGRAM, assertRunOk, limits, tempDir } from "../support/reliability";

const SHARED = "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d";
const LIST = "communicationLimitsConfig.allChannelSubtypes.communicationLimitsList[0]";

function stackFor(name: string, pair: [number, number]): Stack {
    return new Stack({
        programDir: LIMITS_PROGRAM,
        stack: name,
        statePath: path.join(tempDir(name), "state.json"),
        config: {
            "reliability:resources": JSON.stringify([
                { name: "limits", connectInstanceId: SHARED, limits: [pair], deletionPolicy: "retain" },
            ]),
        },
    });
}

function refreshStep(result: RunResult): StepResult {
    const step = result.steps.find((s) => s.name === "limits" && s.phase === "refresh");
    assert.ok(step, `no refresh step in ${JSON.stringify(result.steps)}`);
    return step;
}

describe("two stacks managing the same instance", function () {
    this.timeout(180_000);
    let emulator: EmulatorHandle;
    let restoreEnv: () => void;

    before(async () => {
        emulator = await startEmulator({ instances: [SHARED] });
        restoreEnv = setEnv(emulatorEnv(emulator.url));
    });
    after(async () => {
        restoreEnv();
        await emulator.close();
    });

    it("the last writer wins, and the other stack's next refresh reports the drift", async () => {
        const teamA = stackFor("team-a", [3, 7]);
        const teamB = stackFor("team-b", [5, 14]);

        assertRunOk(await teamA.up());
        assert.deepEqual(emulator.limits(SHARED), limits([3, 7]));
        assertRunOk(await teamB.up());
        assert.deepEqual(emulator.limits(SHARED), limits([5, 14]));

        // Team A's refresh sees team B's limits.
        const aRefresh = await teamA.refresh({ expectNoChanges: true });
        assert.equal(aRefresh.exitCode, EXIT_NO_CHANGES_EXPECTED);
        const drift = refreshStep(aRefresh);
        assert.equal(drift.drift, true);
        assert.deepEqual(drift.changes, [
            { path: `${LIST}.frequency`, old: 7, new: 14 },
            { path: `${LIST}.maxCountPerRecipient`, old: 3, new: 5 },
        ]);
        // Team B, the last writer, sees none.
        const bRefresh = await teamB.refresh({ expectNoChanges: true });
        assert.equal(bRefresh.exitCode, 0);
        assert.equal(refreshStep(bRefresh).drift, false);

        // Team A's next preview proposes to write its limits back; its up makes it the last writer.
        const aPreview = await teamA.preview({ expectNoChanges: true });
        assert.equal(aPreview.exitCode, EXIT_NO_CHANGES_EXPECTED);
        assert.equal(aPreview.steps.find((s) => s.name === "limits")?.op, "update");
        assertRunOk(await teamA.up());
        assert.deepEqual(emulator.limits(SHARED), limits([3, 7]));
        const bAgain = await teamB.refresh({ expectNoChanges: true });
        assert.equal(bAgain.exitCode, EXIT_NO_CHANGES_EXPECTED);
        assert.equal(refreshStep(bAgain).drift, true);
    });
});

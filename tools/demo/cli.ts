/**
 * `npm run demo -- --cli`: the same story as `story.ts`, told by the real `pulumi` CLI — an official install
 * on PATH, `PULUMI_CLI`, or the one `npm run cli:install` built — against the emulator, printing the CLI's
 * own output for each command. Throws, naming the command, when a command does not end as it should.
 */
import * as path from "node:path";

import { startEmulator } from "connect-campaigns-emulator";

import { REPO_ROOT } from "../pulumi-cli/locate";
import { CliWorkspace } from "../pulumi-cli/workspace";
import type { CliResult } from "../pulumi-cli/workspace";

const INSTANCE = "8f0c2a4e-6b1d-4e3f-9a57-1c2d3e4f5a61";
const PREEXISTING = {
    allChannelSubtypes: {
        communicationLimitsList: [{ maxCountPerRecipient: 10, frequency: 30, unit: "DAY" }],
    },
};
const EDITED = {
    allChannelSubtypes: { communicationLimitsList: [{ maxCountPerRecipient: 5, frequency: 7, unit: "DAY" }] },
};
const EXIT_NO_CHANGES_EXPECTED = 7;

export async function runCliDemo(write: (line: string) => void): Promise<void> {
    const emulator = await startEmulator({ instances: [{ id: INSTANCE, limits: PREEXISTING }] });
    const workspace = CliWorkspace.create(emulator.env());
    try {
        write(`pulumi ${workspace.cli.version} (${workspace.cli.source}: ${workspace.cli.pulumi})`);
        write(`emulator at ${emulator.url}; instance ${INSTANCE} starts with 10 per 30 DAY`);
        const dir = workspace.project(path.join(REPO_ROOT, "examples", "basic"));
        const stack = await workspace.stack(dir, "demo");
        const step = async (args: string[], expected: number, after?: () => void): Promise<CliResult> => {
            write("");
            write(`$ pulumi ${args.join(" ")}`);
            const result = await stack.run(args);
            for (const line of `${result.stdout}${result.stderr}`.trimEnd().split("\n")) {
                write(`    ${line}`);
            }
            write(
                `    (exit code ${result.code}; emulator holds ${JSON.stringify(emulator.limits(INSTANCE))})`,
            );
            if (result.code !== expected) {
                throw new Error(`pulumi ${args[0] ?? ""} exited ${result.code}, not ${expected}`);
            }
            after?.();
            return result;
        };
        await stack.setConfig({ connectInstanceId: INSTANCE });
        await step(["preview"], 0);
        await step(["up", "--yes"], 0, () => emulator.setLimits(INSTANCE, EDITED));
        write("");
        write("(a console edit: the instance now allows 5 per 7 DAY)");
        await step(["preview", "--refresh", "--expect-no-changes", "--diff"], EXIT_NO_CHANGES_EXPECTED);
        await step(["refresh", "--yes"], 0);
        await step(["up", "--yes"], 0);
        await step(["destroy", "--yes"], 0);
        await step(["stack", "rm", "--yes"], 0);
        write("");
        write(
            "Every command ended as it should. The emulator is stopped and the temporary workspace removed.",
        );
    } finally {
        workspace.dispose();
        await emulator.close();
    }
}

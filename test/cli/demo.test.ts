/** `npm run demo -- --cli`: the demo's story told by the real CLI, as a user with a CLI installed runs it. */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";

import { REPO_ROOT } from "../../tools/pulumi-cli/locate";
import { requireCli } from "./support/cli";

const run = promisify(execFile);

describe("npm run demo -- --cli", function () {
    this.timeout(600_000);

    it("runs preview, up, a drift check that exits 7, refresh, the repair, destroy and stack rm with the real CLI", async () => {
        const cli = requireCli();
        const { stdout } = await run(
            process.execPath,
            ["-r", "ts-node/register/transpile-only", path.join("tools", "demo", "main.ts"), "--cli"],
            {
                cwd: REPO_ROOT,
                env: {
                    PATH: [path.dirname(cli.pulumi), process.env.PATH ?? ""].join(path.delimiter),
                    PULUMI_CLI: cli.pulumi,
                    HOME: process.env.HOME ?? "",
                },
                maxBuffer: 16 * 1024 * 1024,
            },
        );
        for (const command of [
            "preview",
            "up --yes",
            "preview --refresh --expect-no-changes --diff",
            "refresh --yes",
            "destroy --yes",
            "stack rm --yes",
        ]) {
            assert.ok(stdout.includes(`$ pulumi ${command}\n`), `missing ${command}\n${stdout}`);
        }
        assert.match(stdout, /no changes were expected for preview but changes were proposed/);
        assert.match(stdout, /\(exit code 7; /);
        assert.match(
            stdout,
            /Every command ended as it should\. The emulator is stopped and the temporary workspace removed\.\n$/,
        );
    });
});

/** The CLI tier's view of `tools/pulumi-cli/workspace.ts`, which the demo's `--cli` mode shares. */
import assert from "node:assert/strict";

import { transcript } from "../../../tools/pulumi-cli/workspace";
import type { CliResult } from "../../../tools/pulumi-cli/workspace";

export * from "../../../tools/pulumi-cli/workspace";

/** The command's result, once it has exited 0; fails the test with the command's transcript otherwise. */
export function ok(result: CliResult): CliResult {
    assert.equal(result.code, 0, transcript(result));
    return result;
}

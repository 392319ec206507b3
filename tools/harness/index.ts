// The engine harness: runs Pulumi TypeScript programs that use dynamic resources through Pulumi's own
// dynamic-provider host, doing what the Pulumi engine does (see engine.ts for the simplifications).
//
//     const stack = new Stack({ programDir, config: { "proj:key": "value" }, env: { AWS_ENDPOINT_URL: url } });
//     const up = await stack.up();                       // Check → Create through the host; state written
//     assert.ok(up.ok, formatRun(up));
//     const again = await stack.preview({ refresh: true, expectNoChanges: true });
//     assert.equal(again.exitCode, 0);
//     stack.taint(urn); await stack.up();                // or stack.up({ replace: [urn] })
//
// Layout: stack.ts (the CLI-like API) → engine.ts (steps) → host.ts (the provider host over gRPC) and
// program.ts / runner.ts (the program under the SDK's mock monitor, bridged over IPC); project.ts finds the
// entry point and working directory, cli.ts holds what depends on the CLI version and the machine (exit
// codes, messages, default parallelism); props.ts holds the pure property rules (unknowns, secrets,
// diffs), state.ts the state file, format.ts the CLI-like text.
export { Stack } from "./stack";
export { tempFolder } from "./temp";
export {
    DEFAULT_CLI_VERSION,
    defaultParallel,
    exitCodesOf,
    goMaxProcs,
    noChangesExpectedMessage,
} from "./cli";
export { resolveEntryPoint } from "./project";
export { formatRun } from "./format";
export { pidAlive } from "./processes";
export { PROVIDER_KEY, UNKNOWN, UNKNOWN_DISPLAY, pathChanges, changedKeys, type PropertyMap } from "./props";
export {
    EXIT_FAILURE,
    EXIT_FAILURE_LEGACY,
    EXIT_NO_CHANGES_EXPECTED,
    type PropertyChange,
    type RunResult,
    type StateFile,
    type StateResource,
    type StepResult,
} from "./types";

// What depends on the version of the `pulumi` CLI a harness run stands in for, and on the machine: exit codes,
// the `--expect-no-changes` messages, the default parallelism. Each rule names the engine source it follows.
import * as fs from "node:fs";
import * as os from "node:os";

import versions from "../pulumi-cli/versions.json";

/** The CLI the harness agrees with unless told otherwise: the development pin of the CLI tier. */
export const DEFAULT_CLI_VERSION: string = versions.pinned.cli;

/** `pulumi` ≥ 3.226 (pkg/cmd/pulumi/cmd/exit_codes.go): a failed operation exits ExitCodeError. */
export const EXIT_FAILURE = 1;

/** `pulumi` ≥ 3.226: `--expect-no-changes` with changes exits ExitNoChanges. */
export const EXIT_NO_CHANGES_EXPECTED = 7;

/** `pulumi` before 3.226 exited 255 (cmdutil.RunFunc's os.Exit(-1)) for every failure, that one included. */
export const EXIT_FAILURE_LEGACY = 255;

/** The operation names `backenderr.NoChangesExpectedError` carries (preview.go, up.go, refresh.go). */
export type ExpectingOperation = "preview" | "update" | "refresh";

function parseVersion(version: string): [number, number, number] {
    const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
    if (!match) {
        throw new Error(`not a pulumi CLI version: ${JSON.stringify(version)} (expected e.g. "v3.248.0")`);
    }
    return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** True from the release that introduced the exit code taxonomy (v3.226.0). */
function hasExitCodeTaxonomy(version: string): boolean {
    const [major, minor] = parseVersion(version);
    return major > 3 || (major === 3 && minor >= 226);
}

export interface ExitCodes {
    failure: number;
    noChangesExpected: number;
}

export function exitCodesOf(version: string): ExitCodes {
    return hasExitCodeTaxonomy(version)
        ? { failure: EXIT_FAILURE, noChangesExpected: EXIT_NO_CHANGES_EXPECTED }
        : { failure: EXIT_FAILURE_LEGACY, noChangesExpected: EXIT_FAILURE_LEGACY };
}

/**
 * The error the CLI prints when `--expect-no-changes` sees changes. From 3.226: NoChangesExpectedError
 * ("no changes were expected for <operation> but changes were proposed"). Before: preview.go returned
 * `errors.New("error: no changes were expected but changes were proposed")` and up.go / refresh.go
 * `errors.New("no changes were expected but changes occurred")`; the CLI prefixes every error with "error: ".
 */
export function noChangesExpectedMessage(version: string, operation: ExpectingOperation): string {
    if (hasExitCodeTaxonomy(version)) {
        return `error: no changes were expected for ${operation} but changes were proposed`;
    }
    return operation === "preview"
        ? "error: error: no changes were expected but changes were proposed"
        : "error: no changes were expected but changes occurred";
}

/**
 * Go's default GOMAXPROCS (Go ≥ 1.25, runtime/cgroup): the CPUs this process may run on, lowered to a
 * cgroup v2 CPU limit (`cpu.max`, rounded up, at least 2) when there is one; the GOMAXPROCS variable wins.
 */
export function goMaxProcs(env: NodeJS.ProcessEnv = process.env): number {
    const forced = Number(env["GOMAXPROCS"]);
    if (Number.isInteger(forced) && forced >= 1) {
        return forced;
    }
    const cpus = os.availableParallelism();
    let limit = Number.POSITIVE_INFINITY;
    try {
        const [quota, period] = fs.readFileSync("/sys/fs/cgroup/cpu.max", "utf8").trim().split(/\s+/);
        if (quota !== undefined && quota !== "max" && period !== undefined) {
            limit = Math.max(2, Math.ceil(Number(quota) / Number(period)));
        }
    } catch {
        // No cgroup v2 CPU controller here: no limit.
    }
    return Number.isFinite(limit) ? Math.min(cpus, limit) : cpus;
}

/**
 * `--parallel`'s default (pkg/cmd/pulumi/operations/up.go, defaultParallel): PULUMI_PARALLEL when it is a
 * positive number, else 4 × GOMAXPROCS (pulumi/pulumi#14989).
 */
export function defaultParallel(env: NodeJS.ProcessEnv = process.env): number {
    const fromEnv = Number(env["PULUMI_PARALLEL"]);
    if (Number.isInteger(fromEnv) && fromEnv > 0) {
        return Math.min(fromEnv, 2 ** 31 - 1);
    }
    return 4 * goMaxProcs(env);
}

// The state file: the harness's stand-in for the engine's checkpoint.
import * as fs from "node:fs";
import * as path from "node:path";
import { stripUnknowns } from "./props";
import type { DefaultProviderState, StateFile, StateResource } from "./types";

function emptyState(): StateFile {
    return { version: 1, resources: [] };
}

export function readState(statePath: string): StateFile {
    if (!fs.existsSync(statePath)) {
        return emptyState();
    }
    const parsed = JSON.parse(fs.readFileSync(statePath, "utf8")) as StateFile;
    if (parsed.version !== 1 || !Array.isArray(parsed.resources)) {
        throw new Error(`${statePath} is not a harness state file (version 1)`);
    }
    return parsed;
}

/** Writes atomically; unknown values are never persisted. */
export function writeState(
    statePath: string,
    resources: readonly StateResource[],
    defaultProvider?: DefaultProviderState,
): void {
    const state: StateFile = {
        version: 1,
        resources: resources.map((resource) => ({
            ...resource,
            inputs: stripUnknowns(resource.inputs),
            outputs: stripUnknowns(resource.outputs),
        })),
    };
    if (defaultProvider !== undefined) {
        state.defaultProvider = defaultProvider;
    }
    fs.mkdirSync(path.dirname(statePath), { recursive: true });
    const temporary = `${statePath}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`);
    fs.renameSync(temporary, statePath);
}

// The state file: the harness's stand-in for the engine's checkpoint.
import * as fs from "node:fs";
import * as path from "node:path";
import { stripUnknowns } from "./props";
import type { StateFile, StateResource } from "./types";

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
export function writeState(statePath: string, resources: readonly StateResource[]): void {
    const state: StateFile = {
        version: 1,
        resources: resources.map((resource) => ({
            ...resource,
            inputs: stripUnknowns(resource.inputs),
            outputs: stripUnknowns(resource.outputs),
        })),
    };
    fs.mkdirSync(path.dirname(statePath), { recursive: true });
    const temporary = `${statePath}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`);
    fs.renameSync(temporary, statePath);
}

/** `name` from <programDir>/Pulumi.yaml, if the file exists and has one. */
export function projectNameOf(programDir: string): string | undefined {
    const file = path.join(programDir, "Pulumi.yaml");
    if (!fs.existsSync(file)) {
        return undefined;
    }
    const match = /^name:\s*["']?([^"'#\s]+)["']?\s*(#.*)?$/m.exec(fs.readFileSync(file, "utf8"));
    return match?.[1];
}

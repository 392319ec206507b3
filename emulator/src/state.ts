/**
 * The state file behind `--state FILE` / `EmulatorOptions.statePath`: the onboarded instances and their stored
 * limits, so both survive a restart. Written atomically (a temporary file in the same directory, then a rename),
 * so a reader or a crash never sees half a file.
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { InstanceRecord } from "./types";

const STATE_FILE_VERSION = 1;

interface StateFile {
    version: number;
    instances: InstanceRecord[];
}

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The instances in the file, or undefined when it does not exist. Throws, naming the file, when it is unusable. */
export function loadState(file: string): InstanceRecord[] | undefined {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (error: unknown) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") {
            return undefined;
        }
        throw error;
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch (error: unknown) {
        throw new Error(`state file ${file} is not JSON: ${(error as Error).message}`);
    }
    if (
        !isObject(parsed) ||
        parsed["version"] !== STATE_FILE_VERSION ||
        !Array.isArray(parsed["instances"])
    ) {
        throw new Error(`state file ${file} is not a version ${STATE_FILE_VERSION} emulator state file`);
    }
    return parsed["instances"].map((entry: unknown, index) => {
        if (
            !isObject(entry) ||
            typeof entry["id"] !== "string" ||
            typeof entry["account"] !== "string" ||
            typeof entry["region"] !== "string"
        ) {
            throw new Error(`state file ${file}: instances[${index}] needs string id, account and region`);
        }
        const record: InstanceRecord = {
            id: entry["id"],
            account: entry["account"],
            region: entry["region"],
        };
        if (entry["limits"] !== undefined) {
            record.limits = entry["limits"];
        }
        return record;
    });
}

export function saveState(file: string, instances: readonly InstanceRecord[]): void {
    const state: StateFile = { version: STATE_FILE_VERSION, instances: [...instances] };
    const temporary = path.join(
        path.dirname(file),
        `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`,
    );
    fs.writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`);
    try {
        fs.renameSync(temporary, file);
    } catch (error: unknown) {
        fs.rmSync(temporary, { force: true });
        throw error;
    }
}

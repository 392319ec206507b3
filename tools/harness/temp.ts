// Temporary folders of the harness and its tests: each is removed when the process exits, however the run
// ended, unless a caller removed it before.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const folders = new Set<string>();
let exitHookInstalled = false;

/** A new folder under the system's temporary directory, removed at process exit. */
export function tempFolder(prefix: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    folders.add(dir);
    if (!exitHookInstalled) {
        exitHookInstalled = true;
        process.once("exit", () => {
            for (const folder of folders) {
                fs.rmSync(folder, { recursive: true, force: true });
            }
        });
    }
    return dir;
}

// Child processes started by the harness (program runners, provider hosts): each run stops its own, and
// whatever is still alive when the test process exits is killed with it.
import type { ChildProcess } from "node:child_process";

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function alive(child: ChildProcess): boolean {
    return child.exitCode === null && child.signalCode === null;
}

/** Registers a child to be killed if the parent exits while it still runs. */
export function track(child: ChildProcess): void {
    live.add(child);
    child.once("exit", () => live.delete(child));
    if (!exitHookInstalled) {
        exitHookInstalled = true;
        process.once("exit", () => {
            for (const process of live) {
                process.kill("SIGKILL");
            }
        });
    }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
export async function stopProcess(child: ChildProcess, graceMs = 2000): Promise<void> {
    if (!alive(child)) {
        return;
    }
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    let timer: NodeJS.Timeout | undefined;
    const killed = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
            if (alive(child)) {
                child.kill("SIGKILL");
            }
            resolve();
        }, graceMs);
    });
    await Promise.race([exited, killed]);
    clearTimeout(timer);
    await exited;
}

/** True if a process with this pid exists (signal 0 probes without signalling). */
export function pidAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (error) {
        return (error as NodeJS.ErrnoException).code === "EPERM";
    }
}

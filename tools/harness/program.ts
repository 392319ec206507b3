// Starts a Pulumi program under runner.ts and relays its resource registrations to the engine.
import { fork, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import { stopProcess, track } from "./processes";
import { isChildMessage, type ChildMessage, type ParentMessage } from "./protocol";

export interface ProgramOptions {
    /** The program's working directory (the engine's pwd). */
    pwd: string;
    /** The entry point to require (see project.ts). */
    program: string;
    env: NodeJS.ProcessEnv;
    /** The Node.js executable (default: the one running the harness). */
    node?: string;
    onMessage: (message: ChildMessage) => void;
    onOutput: (text: string) => void;
}

export class ProgramProcess {
    /**
     * Resolves when the program process has exited and its stdio and IPC channel are closed, so every message
     * it sent has been delivered (code, or null when killed by a signal).
     */
    readonly exited: Promise<number | null>;
    /** Milliseconds from fork to the program's first message. */
    startMs?: number;

    private constructor(private readonly child: ChildProcess) {
        this.exited = new Promise((resolve) => child.once("close", (code: number | null) => resolve(code)));
    }

    get pid(): number | undefined {
        return this.child.pid;
    }

    /** `node -r ts-node/register/transpile-only runner.ts <program>`, cwd = pwd, with IPC. */
    static start(options: ProgramOptions): ProgramProcess {
        const started = Date.now();
        const child = fork(path.join(__dirname, "runner.ts"), [options.program], {
            cwd: options.pwd,
            // The harness's own files compile with the repository's tsconfig, wherever the program is; the
            // program's are compiled as cmd/run would (runner.ts registers that).
            env: { ...options.env, TS_NODE_PROJECT: path.join(__dirname, "..", "..", "tsconfig.json") },
            ...(options.node === undefined ? {} : { execPath: options.node }),
            execArgv: ["-r", require.resolve("ts-node/register/transpile-only")],
            stdio: ["ignore", "pipe", "pipe", "ipc"],
        });
        track(child);
        const program = new ProgramProcess(child);
        child.stdout?.setEncoding("utf8");
        child.stderr?.setEncoding("utf8");
        child.stdout?.on("data", (chunk: string) => options.onOutput(chunk));
        child.stderr?.on("data", (chunk: string) => options.onOutput(chunk));
        child.on("message", (message: unknown) => {
            program.startMs ??= Date.now() - started;
            if (isChildMessage(message)) {
                options.onMessage(message);
            }
        });
        return program;
    }

    send(message: ParentMessage): void {
        if (this.child.connected) {
            this.child.send(message);
        }
    }

    async stop(): Promise<void> {
        await stopProcess(this.child);
    }
}

/**
 * What every section shares: one emulator on 127.0.0.1, the environment pointing the SDK at it, a temporary
 * directory for state files, and helpers to run stacks through the harness and to talk to a provider host
 * directly. `close` stops the emulator and removes the directory; hosts started here are stopped by the
 * helper that started them, on failure too.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { startEmulator } from "connect-campaigns-emulator";
import type { EmulatorHandle } from "connect-campaigns-emulator";
import { PROVIDER_KEY, Stack, formatRun } from "../harness";
import type { PropertyMap, RunResult, StateFile, StateResource } from "../harness";
import { ProviderHost } from "../harness/host";
import { emulatorEnv, setEnv } from "../../test/support/env";
import { messageOf } from "../shared";
import { ROOT } from "./options";

export const LIMITS_PROGRAM = path.join(ROOT, "test", "fixtures", "bench", "limits");
export const TRIVIAL_PROGRAM = path.join(ROOT, "test", "fixtures", "bench", "trivial");
export const LIMITS_TYPE = "pulumi-nodejs:dynamic/connectcampaignsv2:InstanceCommunicationLimits";
export const TRIVIAL_TYPE = "pulumi-nodejs:dynamic/bench:Trivial";
export const REGION = "us-west-2";

/**
 * The request budget lifted, for every section but the quota section's own fleet: the emulator has no quota
 * there, and those sections measure what the provider and the engine cost, not pacing.
 */
export const UNPACED: Record<string, string> = {
    "connect-campaign-limits:requestsPerSecond": "100000",
    "connect-campaign-limits:requestBurst": "100000",
};

/** The limits the fixture program declares for every instance (`maxCountPerRecipient` varies the first). */
export function limitsList(maxCountPerRecipient = 3): PropertyMap {
    return {
        allChannelSubtypes: {
            communicationLimitsList: [
                { maxCountPerRecipient, frequency: 7, unit: "DAY" },
                { maxCountPerRecipient: 1, frequency: 1, unit: "DAY" },
            ],
        },
    };
}

/** The inputs the fixture program registers for one instance, as the host receives them in Check. */
export function programInputs(providerText: string, connectInstanceId: string, maxCountPerRecipient = 3) {
    return {
        [PROVIDER_KEY]: providerText,
        connectInstanceId,
        communicationLimitsConfig: limitsList(maxCountPerRecipient),
    } satisfies PropertyMap;
}

export function urnOf(project: string, type: string, name: string): string {
    return `urn:pulumi:dev::${project}::${type}::${name}`;
}

/** A stack deployed once by `up`, then refreshed many times. */
export interface Deployed {
    /** How many resources the program declares. */
    size: number;
    programDir: string;
    statePath: string;
    config: Record<string, string>;
    /** The state file as `up` left it. */
    state: StateFile;
    stateBytes: number;
    /** The dynamic resources of `state`, in state order. */
    resources: StateResource[];
}

/** The serialized provider a resource holds in state; fails if it has none. */
export function providerTextOf(resource: StateResource | undefined): string {
    const text = resource?.inputs[PROVIDER_KEY];
    if (typeof text !== "string") {
        throw new Error(`${resource?.urn ?? "(no resource)"} holds no serialized provider in its inputs`);
    }
    return text;
}

/** The Connect instance a limits resource's inputs name. */
export function connectInstanceIdOf(resource: StateResource): string {
    const id = resource.inputs.connectInstanceId;
    if (typeof id !== "string") {
        throw new Error(`${resource.urn} has no connectInstanceId input`);
    }
    return id;
}

export class BenchContext {
    private constructor(
        readonly emulator: EmulatorHandle,
        /** Temporary directory for state files; removed by `close`. */
        readonly dir: string,
        private readonly restoreEnv: () => void,
    ) {}

    /**
     * Starts the emulator and points this process's environment at it: the harness's programs and hosts
     * inherit it, and the developer's own AWS profile, endpoint and retry settings are cleared.
     */
    static async start(): Promise<BenchContext> {
        const emulator = await startEmulator();
        const restoreEnv = setEnv(emulatorEnv(emulator.url, REGION));
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "connect-limits-bench-"));
        return new BenchContext(emulator, dir, restoreEnv);
    }

    /** `count` onboarded instances named `<prefix>-0000`…, never written. */
    onboard(prefix: string, count: number): string[] {
        const ids = Array.from(
            { length: count },
            (_, index) => `${prefix}-${String(index).padStart(4, "0")}`,
        );
        for (const id of ids) {
            this.emulator.addInstance(id);
        }
        return ids;
    }

    /** A harness stack over a deployed state at a given parallelism. */
    stack(deployed: Pick<Deployed, "programDir" | "statePath" | "config">, parallel: number): Stack {
        return new Stack({
            programDir: deployed.programDir,
            statePath: deployed.statePath,
            config: deployed.config,
            parallel,
            // A refresh of 500 resources on a loaded two-core machine takes well under this; a hang does not.
            timeoutMs: 900_000,
        });
    }

    /** Runs a harness operation; anything but success is a broken benchmark, not a slow one. */
    async run(what: string, operation: Promise<RunResult>): Promise<RunResult> {
        const result = await operation;
        if (!result.ok) {
            throw new Error(`${what} failed (exit code ${result.exitCode}):\n${formatRun(result)}`);
        }
        return result;
    }

    /** `up` of a fresh stack: the program at `programDir` with `config`, state in the temporary directory. */
    async deploy(
        name: string,
        programDir: string,
        config: Record<string, string>,
        size: number,
        type: string,
    ): Promise<Deployed> {
        const statePath = path.join(this.dir, `${name}.json`);
        const deployed = { programDir, statePath, config: { ...UNPACED, ...config } };
        await this.run(`up of ${name} (${size} resources)`, this.stack(deployed, 8).up());
        const state = this.stack(deployed, 1).state();
        const resources = state.resources.filter((resource) => resource.type === type);
        if (resources.length !== size) {
            throw new Error(`up of ${name} left ${resources.length} ${type} resources in state, not ${size}`);
        }
        return { ...deployed, size, state, stateBytes: fs.statSync(statePath).size, resources };
    }

    /**
     * Starts a dynamic-provider host with cwd `programDir` (and `env` over this process's environment),
     * configures it like the engine with the budget lifted, and stops it after `work`.
     */
    async withHost<T>(
        programDir: string,
        work: (host: ProviderHost) => Promise<T>,
        env: Record<string, string> = {},
    ): Promise<T> {
        let stderr = "";
        const host = await ProviderHost.start({
            programDir,
            env: { ...process.env, ...env },
            onStderr: (text) => {
                stderr += text;
            },
        });
        try {
            await host.configure(UNPACED);
            return await work(host);
        } catch (error) {
            const output = stderr.trim();
            throw new Error(
                output === "" ? messageOf(error) : `${messageOf(error)}\nprovider host stderr:\n${output}`,
                { cause: error },
            );
        } finally {
            await host.stop();
        }
    }

    /** Stops the emulator, restores the environment and removes the state files. Idempotent. */
    async close(): Promise<void> {
        await this.emulator.close();
        this.restoreEnv();
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}

/**
 * The Connect Campaigns V2 emulator as the CLI tier uses it: started on 127.0.0.1:0, the environment a
 * user exports to point the AWS SDK (and so `pulumi`) at it, and what it holds.
 */
import { Emulator } from "../../emulator";
import type { EmulatorOptions } from "../../emulator";
import { emulatorEnv } from "../../support/env";

export type Service = Emulator & { env: Record<string, string | undefined> };

export async function startService(options: EmulatorOptions = {}): Promise<Service> {
    const emulator = await Emulator.start(options);
    return Object.assign(emulator, { env: emulatorEnv(emulator.endpoint) });
}

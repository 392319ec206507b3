/**
 * The Connect Campaigns V2 emulator as the CLI tier uses it, through its public API only: started on
 * 127.0.0.1:0, with the environment a user exports to point the AWS SDK (and so `pulumi`) at it.
 */
import { startEmulator } from "connect-campaigns-emulator";
import type { EmulatorHandle, EmulatorOptions } from "connect-campaigns-emulator";

export type Service = EmulatorHandle;

export function startService(options: EmulatorOptions = {}): Promise<Service> {
    return startEmulator(options);
}

/** The variables a user exports (`connect-campaigns-emulator --print-env`), for a CLI workspace. */
export function serviceEnv(service: Service): Record<string, string | undefined> {
    return { ...service.env() };
}

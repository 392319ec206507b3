/**
 * The environment that points the AWS SDKs, the AWS CLI and so the `pulumi` CLI at the emulator.
 *
 * Set: the service-specific endpoint overrides for Connect Campaigns V2 and STS (they win over a general
 * `AWS_ENDPOINT_URL` and over endpoints in the shared config file), the emulator's key, and the region (both
 * `AWS_REGION`, read by the JavaScript SDK, and `AWS_DEFAULT_REGION`, read by the AWS CLI).
 *
 * Unset, because a user's shell could carry them and they would override or break the variables above:
 * - `AWS_SESSION_TOKEN`: would be sent with the emulator's key, which has none, and be rejected;
 * - `AWS_PROFILE`, `AWS_DEFAULT_PROFILE`: the JavaScript SDK's credential chain prefers a named profile to the
 *   key in the environment;
 * - `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`: turns every endpoint override off;
 * - `AWS_USE_FIPS_ENDPOINT`, `AWS_USE_DUALSTACK_ENDPOINT`: with a custom endpoint the service's endpoint rules
 *   (botocore `connectcampaignsv2/2024-04-23/endpoint-rule-set-1.json`) answer "FIPS and custom endpoint are not
 *   supported" / "Dualstack and custom endpoint are not supported" instead of sending the request.
 *
 * Left alone: `AWS_ENDPOINT_URL` (the service-specific overrides win; the user may point other services at another
 * local endpoint) and `AWS_CA_BUNDLE` (the emulator speaks plain HTTP, so no certificate is checked).
 */
import type { EmulatorEnv } from "./types";

export const UNSET_VARIABLES: readonly string[] = [
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
    "AWS_USE_FIPS_ENDPOINT",
    "AWS_USE_DUALSTACK_ENDPOINT",
];

export function emulatorEnv(
    url: string,
    region: string,
    credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
): EmulatorEnv {
    const env: EmulatorEnv = {
        AWS_ENDPOINT_URL_CONNECTCAMPAIGNSV2: url,
        AWS_ENDPOINT_URL_STS: url,
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        AWS_REGION: region,
        AWS_DEFAULT_REGION: region,
    };
    for (const name of UNSET_VARIABLES) {
        env[name] = undefined;
    }
    if (credentials.sessionToken !== undefined) {
        env["AWS_SESSION_TOKEN"] = credentials.sessionToken;
    }
    return env;
}

/** POSIX-shell single quoting: safe for any value, including `/`, `+` and `=` in secrets. */
function quote(value: string): string {
    return /^[A-Za-z0-9_./:=+@%-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
}

/** One line a POSIX shell can `eval`: `export A=… B=…; unset C D`. */
export function shellLine(env: EmulatorEnv): string {
    const set = Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined);
    const unset = Object.entries(env)
        .filter(([, value]) => value === undefined)
        .map(([name]) => name);
    const parts = [`export ${set.map(([name, value]) => `${name}=${quote(value)}`).join(" ")}`];
    if (unset.length > 0) {
        parts.push(`unset ${unset.join(" ")}`);
    }
    return parts.join("; ");
}

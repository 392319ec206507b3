/**
 * Environment for in-process tests that reach the emulator through the real SDK: the standard endpoint
 * override, the emulator's test key, a region. Every change is undone by the returned function.
 */
import { TEST_CREDENTIALS, UNSET_VARIABLES } from "connect-campaigns-emulator";

/**
 * Variables that would otherwise leak a developer's own AWS setup into a test: those the emulator's own
 * environment unsets (they override or break its endpoint and key), and more a test must not inherit.
 */
const CLEARED = [
    ...UNSET_VARIABLES,
    "AWS_ENDPOINT_URL",
    "AWS_MAX_ATTEMPTS",
    "AWS_RETRY_MODE",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
];

export function setEnv(vars: Record<string, string | undefined>): () => void {
    const saved = new Map<string, string | undefined>();
    for (const [key, value] of Object.entries(vars)) {
        saved.set(key, process.env[key]);
        if (value === undefined) {
            delete process.env[key];
        } else {
            process.env[key] = value;
        }
    }
    return () => {
        for (const [key, value] of saved) {
            if (value === undefined) {
                delete process.env[key];
            } else {
                process.env[key] = value;
            }
        }
    };
}

/** `emulatorEnv` as a harness stack takes it: only the variables that are set. */
export function stackEnv(endpoint: string, region?: string): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(emulatorEnv(endpoint, region))) {
        if (value !== undefined) {
            env[key] = value;
        }
    }
    return env;
}

/** The environment a user pointing the SDK at the emulator would have. */
export function emulatorEnv(endpoint: string, region = "us-west-2"): Record<string, string | undefined> {
    const env: Record<string, string | undefined> = {
        AWS_ENDPOINT_URL_CONNECTCAMPAIGNSV2: endpoint,
        AWS_ENDPOINT_URL_STS: endpoint,
        AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
        AWS_REGION: region,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
        // No shared config or credentials file of the machine's user may take part.
        AWS_CONFIG_FILE: "/nonexistent/aws-config",
        AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws-credentials",
        // Never let the SDK's credential chain reach for the instance metadata address.
        AWS_EC2_METADATA_DISABLED: "true",
    };
    for (const key of CLEARED) {
        if (!(key in env)) {
            env[key] = undefined;
        }
    }
    return env;
}

/**
 * The environment that points SDKs and CLIs at the emulator: what is set, what is unset and why, and a shell
 * line that survives any secret.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { emulatorEnv, shellLine, TEST_CREDENTIALS, UNSET_VARIABLES } from "../src";
import { start } from "./support";

const run = promisify(execFile);

describe("the emulator's environment", () => {
    it("sets both endpoint overrides, the key and the region, and unsets what would override or break them", async () => {
        const emulator = await start({ region: "eu-west-2" });
        assert.deepEqual(emulator.env(), {
            AWS_ENDPOINT_URL_CONNECTCAMPAIGNSV2: emulator.url,
            AWS_ENDPOINT_URL_STS: emulator.url,
            AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
            AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
            AWS_REGION: "eu-west-2",
            AWS_DEFAULT_REGION: "eu-west-2",
            AWS_SESSION_TOKEN: undefined,
            AWS_PROFILE: undefined,
            AWS_DEFAULT_PROFILE: undefined,
            AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: undefined,
            AWS_USE_FIPS_ENDPOINT: undefined,
            AWS_USE_DUALSTACK_ENDPOINT: undefined,
        });
        assert.deepEqual(
            UNSET_VARIABLES.filter((name) => emulator.env()[name] !== undefined),
            [],
        );
    });

    it("hands out the session token of a first key that has one instead of unsetting it", () => {
        const env = emulatorEnv("http://127.0.0.1:1", "us-west-2", {
            accessKeyId: "ASIATEMP",
            secretAccessKey: "s",
            sessionToken: "token",
        });
        assert.equal(env["AWS_SESSION_TOKEN"], "token");
    });

    it("quotes values so that eval in a POSIX shell gives back exactly the same strings", async () => {
        const tricky = 'it\'s a $ecret `with` "quotes" and spaces';
        const line = shellLine({ A_PLAIN: "http://127.0.0.1:4566", A_TRICKY: tricky, A_GONE: undefined });
        assert.equal(line.split("\n").length, 1);
        const { stdout } = await run(
            "sh",
            ["-c", `${line}; printf '%s|%s|%s' "$A_PLAIN" "$A_TRICKY" "\${A_GONE-unset}"`],
            {
                env: { PATH: process.env["PATH"] ?? "", A_GONE: "present" },
            },
        );
        assert.equal(stdout, `http://127.0.0.1:4566|${tricky}|unset`);
    });
});

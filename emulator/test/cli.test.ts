/**
 * The `connect-campaigns-emulator` bin (the compiled one, as users run it): flags, the foreground banner and
 * request log, --print-env for `eval`, the state file across restarts, quotas, and clean stops on signals.
 */
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { ConnectCampaignsV2Client } from "@aws-sdk/client-connectcampaignsv2";
import { parseArguments } from "../src/cli";
import { TEST_CREDENTIALS } from "../src";
import { get, limitsList, put, serviceError, waitFor } from "./support";

const run = promisify(execFile);
const BIN = path.resolve(__dirname, "..", "bin", "connect-campaigns-emulator.js");
const CONFIG = limitsList({ maxCountPerRecipient: 4, frequency: 14, unit: "DAY" });

interface Running {
    child: ChildProcessWithoutNullStreams;
    output: () => string;
    exited: Promise<number | null>;
    url: string;
}

const children: ChildProcessWithoutNullStreams[] = [];
const backgroundPids: number[] = [];

afterEach(() => {
    for (const child of children.splice(0)) {
        if (child.exitCode === null && child.signalCode === null) {
            child.kill("SIGKILL");
        }
    }
    for (const pid of backgroundPids.splice(0)) {
        try {
            process.kill(pid, "SIGKILL");
        } catch {
            // Already gone: the test stopped it.
        }
    }
});

async function startBin(args: string[]): Promise<Running> {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ["pipe", "pipe", "pipe"] });
    children.push(child);
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    await waitFor(() => /^Ctrl-C to stop\.$/m.test(output) || child.exitCode !== null, 20_000);
    const url = /^endpoint: (http:\/\/127\.0\.0\.1:\d+)$/m.exec(output)?.[1];
    assert.ok(url !== undefined, output);
    return { child, output: () => output, exited, url };
}

function sdk(url: string, region = "us-west-2"): ConnectCampaignsV2Client {
    return new ConnectCampaignsV2Client({
        endpoint: url,
        region,
        credentials: TEST_CREDENTIALS,
        maxAttempts: 1,
    });
}

function alive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
}

describe("the connect-campaigns-emulator bin", function () {
    this.timeout(60_000);

    it("prints the chosen port, key, instances and an export line, logs each request, and exits 0 on SIGTERM", async () => {
        const emulator = await startBin([
            "--port",
            "0",
            "--instances",
            "smoke-1,210987654321/eu-west-2/smoke-2",
        ]);
        const output = emulator.output();
        const port = new URL(emulator.url).port;
        assert.match(output, new RegExp(`^port: ${port}$`, "m"));
        assert.notEqual(port, "0");
        assert.match(output, new RegExp(`^access key id: ${TEST_CREDENTIALS.accessKeyId}$`, "m"));
        assert.match(
            output,
            /^instances: 123456789012\/us-west-2\/smoke-1,210987654321\/eu-west-2\/smoke-2$/m,
        );
        assert.match(output, /^quota: none$/m);
        assert.match(
            output,
            new RegExp(
                `^export AWS_ENDPOINT_URL_CONNECTCAMPAIGNSV2=${emulator.url} AWS_ENDPOINT_URL_STS=${emulator.url} AWS_ACCESS_KEY_ID=${TEST_CREDENTIALS.accessKeyId} AWS_SECRET_ACCESS_KEY=\\S+ AWS_REGION=us-west-2 AWS_DEFAULT_REGION=us-west-2; unset AWS_SESSION_TOKEN AWS_PROFILE AWS_DEFAULT_PROFILE AWS_IGNORE_CONFIGURED_ENDPOINT_URLS AWS_USE_FIPS_ENDPOINT AWS_USE_DUALSTACK_ENDPOINT$`,
                "m",
            ),
        );
        const client = sdk(emulator.url);
        assert.equal((await get(client, "smoke-1")).$metadata.httpStatusCode, 200);
        assert.equal((await serviceError(get(client, "smoke-2"))).name, "ResourceNotFoundException");
        client.destroy();
        emulator.child.kill("SIGTERM");
        assert.equal(await emulator.exited, 0);
        assert.match(
            emulator.output(),
            /^#1 GET \/v2\/connect-instance\/smoke-1\/communication-limits -> 200$/m,
        );
        assert.match(emulator.output(), /^#2 GET .*smoke-2.* -> 404 ResourceNotFoundException$/m);
        assert.match(emulator.output(), /^stopped \(SIGTERM\)$/m);
    });

    it("stops with exit code 0 on SIGINT too, with a request still hanging", async () => {
        const emulator = await startBin(["--quiet", "--instances", "i-1"]);
        const admin = await fetch(`${emulator.url}/_emulator/faults`, {
            method: "POST",
            body: JSON.stringify({ kind: "hang" }),
        });
        assert.equal(admin.status, 204);
        const pending = get(sdk(emulator.url), "i-1").catch((error: unknown) => error);
        let seen: unknown[] = [];
        while (seen.length === 0) {
            seen = (await (await fetch(`${emulator.url}/_emulator/requests`)).json()) as unknown[];
        }
        emulator.child.kill("SIGINT");
        assert.equal(await emulator.exited, 0);
        assert.ok((await pending) instanceof Error);
        assert.doesNotMatch(emulator.output(), /GET \//);
    });

    it("keeps stored limits in the --state file across a restart", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "emulator-bin-state-"));
        try {
            const statePath = path.join(dir, "emulator.json");
            const first = await startBin(["--state", statePath, "--instances", "kept-1"]);
            await put(sdk(first.url), CONFIG, "kept-1");
            first.child.kill("SIGTERM");
            assert.equal(await first.exited, 0);
            const second = await startBin(["--state", statePath, "--instances", "kept-1"]);
            assert.match(
                second.output(),
                new RegExp(`^state: ${statePath.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "m"),
            );
            assert.deepEqual((await get(sdk(second.url), "kept-1")).communicationLimitsConfig, CONFIG);
            second.child.kill("SIGTERM");
            assert.equal(await second.exited, 0);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("throttles with --rate and --burst per account and region", async () => {
        const emulator = await startBin(["--rate", "0.001", "--burst", "2", "--instances", "q-1", "--quiet"]);
        assert.match(emulator.output(), /^quota: 0\.001\/s, burst 2$/m);
        const client = sdk(emulator.url);
        await get(client, "q-1");
        await get(client, "q-1");
        assert.equal((await serviceError(get(client, "q-1"))).name, "ThrottlingException");
        emulator.child.kill("SIGTERM");
        assert.equal(await emulator.exited, 0);
    });

    it("prints one line for eval with --print-env, leaving the emulator running in the background until killed", async () => {
        const { stdout } = await run(process.execPath, [
            BIN,
            "--print-env",
            "--instances",
            "bg-1",
            "--region",
            "eu-west-2",
        ]);
        const lines = stdout.split("\n").filter((line) => line !== "");
        assert.equal(lines.length, 1, stdout);
        const [line = ""] = lines;
        const pid = Number(/CONNECT_CAMPAIGNS_EMULATOR_PID=(\d+)/.exec(line)?.[1]);
        assert.ok(Number.isInteger(pid) && pid > 0, line);
        backgroundPids.push(pid);
        assert.match(
            line,
            /^export AWS_ENDPOINT_URL_CONNECTCAMPAIGNSV2=http:\/\/127\.0\.0\.1:\d+ AWS_ENDPOINT_URL_STS=http:\/\/127\.0\.0\.1:\d+ AWS_ACCESS_KEY_ID=AKIAEMULATOR00000001 AWS_SECRET_ACCESS_KEY=\S+ AWS_REGION=eu-west-2 AWS_DEFAULT_REGION=eu-west-2 CONNECT_CAMPAIGNS_EMULATOR_PID=\d+; unset AWS_SESSION_TOKEN AWS_PROFILE AWS_DEFAULT_PROFILE AWS_IGNORE_CONFIGURED_ENDPOINT_URLS AWS_USE_FIPS_ENDPOINT AWS_USE_DUALSTACK_ENDPOINT$/,
        );
        // What a user's shell ends up with after eval, starting from leaky settings.
        const { stdout: shell } = await run(
            "sh",
            [
                "-c",
                'eval "$LINE"; printf "%s|%s|%s|%s|%s" "$AWS_ENDPOINT_URL_CONNECTCAMPAIGNSV2" "$AWS_REGION" "${AWS_PROFILE-unset}" "${AWS_SESSION_TOKEN-unset}" "${AWS_USE_FIPS_ENDPOINT-unset}"',
            ],
            {
                env: {
                    PATH: process.env["PATH"] ?? "",
                    LINE: line,
                    AWS_PROFILE: "prod",
                    AWS_SESSION_TOKEN: "leaked",
                    AWS_USE_FIPS_ENDPOINT: "true",
                },
            },
        );
        const [url = "", region, profile, token, fips] = shell.split("|");
        assert.deepEqual([region, profile, token, fips], ["eu-west-2", "unset", "unset", "unset"]);
        const client = sdk(url, "eu-west-2");
        assert.equal((await get(client, "bg-1")).$metadata.httpStatusCode, 200);
        client.destroy();
        process.kill(pid, "SIGTERM");
        await waitFor(() => !alive(pid), 10_000);
    });

    it("exits 2 with the usage on an unknown flag or a bad value", async () => {
        for (const args of [["--nope"], ["--port", "70000"], ["--instances", "bad id"], ["--burst", "3"]]) {
            const failure = await run(process.execPath, [BIN, ...args]).then(
                () => assert.fail(`${args.join(" ")} was accepted`),
                (error: { code?: number; stderr?: string }) => error,
            );
            assert.equal(failure.code, 2, args.join(" "));
            assert.match(failure.stderr ?? "", /usage: connect-campaigns-emulator/);
        }
    });

    it("parses instances as ids or account/region/id, and the quota flags", () => {
        const parsed = parseArguments([
            "--instances",
            "a,123456789012/eu-west-2/b",
            "--rate",
            "5",
            "--burst",
            "10",
            "--host",
            "0.0.0.0",
        ]);
        assert.deepEqual(parsed.instances, ["a", { id: "b", account: "123456789012", region: "eu-west-2" }]);
        assert.equal(parsed.rate, 5);
        assert.equal(parsed.burst, 10);
        assert.equal(parsed.host, "0.0.0.0");
        assert.equal(parsed.port, 0);
        assert.throws(() => parseArguments(["--instances", "x/y"]), /neither an id nor account\/region\/id/);
    });
});

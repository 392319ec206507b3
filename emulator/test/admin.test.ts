/**
 * The admin API under /_emulator/: out-of-band edits a CLI user makes with curl, seen by SDK calls, never
 * recorded as requests; and the state file that keeps instances and limits across restarts.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ADMIN_ROUTES, sendRaw, startEmulator } from "../src";
import type { EmulatorHandle, InstanceRecord, RawResponse } from "../src";
import { INSTANCE, client, get, limitsList, put, serviceError, start } from "./support";

function admin(
    emulator: EmulatorHandle,
    method: string,
    route: string,
    body?: unknown,
): Promise<RawResponse> {
    const request: { method: string; path: string; body?: string; headers?: Record<string, string> } = {
        method,
        path: `/_emulator${route}`,
    };
    if (body !== undefined) {
        request.body = typeof body === "string" ? body : JSON.stringify(body);
        request.headers = { "content-type": "application/json" };
    }
    return sendRaw(emulator.url, request);
}

function json(response: RawResponse): unknown {
    return JSON.parse(response.body) as unknown;
}

const CONFIG = limitsList({ maxCountPerRecipient: 3, frequency: 7, unit: "DAY" });

describe("admin API", () => {
    it("lists its routes, the endpoint and the defaults at /_emulator", async () => {
        const emulator = await start();
        const response = await admin(emulator, "GET", "");
        assert.equal(response.status, 200);
        assert.deepEqual(json(response), {
            url: emulator.url,
            account: "123456789012",
            region: "us-west-2",
            routes: [...ADMIN_ROUTES],
        });
    });

    it("stores raw, unvalidated limits that the next GET returns, without recording the edit as a request", async () => {
        const emulator = await start();
        const odd = {
            allChannelSubtypes: { communicationLimitsList: [{ maxCountPerRecipient: 0, frequency: 99 }] },
        };
        const edit = await admin(emulator, "PUT", `/instances/${INSTANCE}/limits`, odd);
        assert.equal(edit.status, 204);
        assert.deepEqual(json(await admin(emulator, "GET", `/instances/${INSTANCE}/limits`)), odd);
        assert.deepEqual(emulator.requests(), []);
        assert.deepEqual((await get(client(emulator))).communicationLimitsConfig, odd);
        const cleared = await admin(emulator, "DELETE", `/instances/${INSTANCE}/limits`);
        assert.equal(cleared.status, 204);
        assert.equal((await admin(emulator, "GET", `/instances/${INSTANCE}/limits`)).status, 204);
        assert.equal(emulator.limits(INSTANCE), undefined);
    });

    it("adds, lists and removes instances in any account and region", async () => {
        const emulator = await start();
        const added = await admin(emulator, "POST", "/instances", {
            id: "eu-inst",
            region: "eu-west-2",
            limits: CONFIG,
        });
        assert.equal(added.status, 201);
        assert.deepEqual(json(added), {
            id: "eu-inst",
            account: "123456789012",
            region: "eu-west-2",
            limits: CONFIG,
        });
        const listed = json(await admin(emulator, "GET", "/instances")) as InstanceRecord[];
        assert.deepEqual(
            listed.map((r) => `${r.account}/${r.region}/${r.id}`),
            [`123456789012/us-west-2/${INSTANCE}`, "123456789012/eu-west-2/eu-inst"],
        );
        assert.deepEqual(json(await admin(emulator, "GET", "/instances/eu-inst?region=eu-west-2")), {
            id: "eu-inst",
            account: "123456789012",
            region: "eu-west-2",
            limits: CONFIG,
        });
        assert.equal((await admin(emulator, "DELETE", `/instances/${INSTANCE}`)).status, 204);
        assert.equal((await serviceError(get(client(emulator)))).name, "ResourceNotFoundException");
        const missing = await admin(emulator, "GET", `/instances/${INSTANCE}/limits`);
        assert.equal(missing.status, 404);
        assert.match((json(missing) as { error: string }).error, /instance inst-1 is not onboarded/);
    });

    it("serves the request log and stats, and clears the log", async () => {
        const emulator = await start();
        const sdk = client(emulator);
        await put(sdk, CONFIG);
        await get(sdk);
        const log = json(await admin(emulator, "GET", "/requests")) as { seq: number; operation: string }[];
        assert.deepEqual(
            log.map((r) => r.operation),
            ["PutInstanceCommunicationLimits", "GetInstanceCommunicationLimits"],
        );
        const newer = json(await admin(emulator, "GET", "/requests?since=1")) as { seq: number }[];
        assert.deepEqual(
            newer.map((r) => r.seq),
            [2],
        );
        assert.equal((json(await admin(emulator, "GET", "/stats")) as { requests: number }).requests, 2);
        assert.equal((await admin(emulator, "DELETE", "/requests")).status, 204);
        assert.deepEqual(json(await admin(emulator, "GET", "/requests")), []);
    });

    it("injects and clears faults, sets a fault profile, an error style and a quota", async () => {
        const emulator = await start();
        const sdk = client(emulator);
        assert.equal((await admin(emulator, "POST", "/faults", { kind: "conflict", times: 1 })).status, 204);
        assert.equal((await serviceError(get(sdk))).name, "ConflictException");
        await admin(emulator, "POST", "/faults", { kind: "internal", times: 5 });
        assert.equal((await admin(emulator, "DELETE", "/faults")).status, 204);
        assert.equal((await get(sdk)).$metadata.httpStatusCode, 200);

        assert.equal(
            (await admin(emulator, "PUT", "/fault-profile", { seed: 3, rate: 1, kinds: ["throttle"] }))
                .status,
            204,
        );
        assert.equal((await serviceError(get(sdk))).name, "ThrottlingException");
        await admin(emulator, "DELETE", "/fault-profile");

        assert.equal((await admin(emulator, "PUT", "/error-style", { typeHeader: "coral" })).status, 204);
        assert.equal((await admin(emulator, "PUT", "/quota", { rate: 0.001, burst: 1 })).status, 204);
        await get(sdk);
        const throttled = await serviceError(get(sdk));
        assert.equal(throttled.name, "ThrottlingException");
        assert.equal(emulator.requests().at(-1)?.throttled, true);
        assert.equal((await admin(emulator, "DELETE", "/quota")).status, 204);
        assert.equal((await get(sdk)).$metadata.httpStatusCode, 200);
    });

    it("hands out the environment --print-env prints, with null for the variables to unset", async () => {
        const emulator = await start();
        const env = json(await admin(emulator, "GET", "/env")) as Record<string, string | null>;
        assert.equal(env["AWS_ENDPOINT_URL_CONNECTCAMPAIGNSV2"], emulator.url);
        assert.equal(env["AWS_ENDPOINT_URL_STS"], emulator.url);
        assert.equal(env["AWS_SESSION_TOKEN"], null);
        assert.deepEqual(Object.keys(env), Object.keys(emulator.env()));
    });

    it("answers bad admin requests with 400, 404 or 405 and an error message", async () => {
        const emulator = await start();
        const cases: [string, string, unknown, number, RegExp][] = [
            ["PUT", `/instances/${INSTANCE}/limits`, "not json", 400, /the body is not JSON/],
            ["POST", "/instances", { id: "bad id!" }, 400, /connectInstanceId/],
            ["POST", "/faults", { kind: "meteor" }, 400, /unknown fault kind "meteor"/],
            ["GET", "/nothing", undefined, 404, /no admin route/],
            ["PATCH", "/instances", undefined, 405, /PATCH is not supported/],
        ];
        for (const [method, route, body, status, error] of cases) {
            const response = await admin(emulator, method, route, body);
            assert.equal(response.status, status, `${method} ${route}: ${response.body}`);
            assert.match((json(response) as { error: string }).error, error);
        }
    });
});

describe("state file", () => {
    let dir: string;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "emulator-state-"));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("keeps instances and stored limits across a restart, and writes every change at once", async () => {
        const statePath = path.join(dir, "state.json");
        const first = await startEmulator({ statePath, instances: [INSTANCE] });
        try {
            await put(client(first), CONFIG);
            first.addInstance("later", { region: "eu-west-2" });
            const saved = JSON.parse(fs.readFileSync(statePath, "utf8")) as {
                version: number;
                instances: unknown;
            };
            assert.deepEqual(saved, {
                version: 1,
                instances: [
                    { id: INSTANCE, account: "123456789012", region: "us-west-2", limits: CONFIG },
                    { id: "later", account: "123456789012", region: "eu-west-2" },
                ],
            });
        } finally {
            await first.close();
        }
        // Instances given again at start do not overwrite what the file holds.
        const second = await startEmulator({ statePath, instances: [INSTANCE] });
        try {
            assert.deepEqual((await get(client(second))).communicationLimitsConfig, CONFIG);
            assert.equal(second.hasInstance("later", { region: "eu-west-2" }), true);
            second.removeInstance("later");
        } finally {
            await second.close();
        }
        const third = await startEmulator({ statePath });
        try {
            assert.deepEqual(
                third.instances().map((r) => r.id),
                [INSTANCE],
            );
        } finally {
            await third.close();
        }
        // Written by rename: no temporary file is left beside it.
        assert.deepEqual(fs.readdirSync(dir), ["state.json"]);
    });

    it("refuses to start on a file that is not an emulator state file", async () => {
        const statePath = path.join(dir, "state.json");
        fs.writeFileSync(statePath, "{}");
        await assert.rejects(startEmulator({ statePath }), /is not a version 1 emulator state file/);
    });
});

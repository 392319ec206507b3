/**
 * Helpers shared by the emulator's tests: emulators that close themselves after each test, an SDK client bound
 * to one, and raw signed requests for what the SDK would never send.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

import assert from "node:assert/strict";
import {
    ConnectCampaignsV2Client,
    ConnectCampaignsV2ServiceException,
    GetInstanceCommunicationLimitsCommand,
    PutInstanceCommunicationLimitsCommand,
} from "@aws-sdk/client-connectcampaignsv2";
import type {
    ConnectCampaignsV2ClientConfig,
    InstanceCommunicationLimitsConfig,
} from "@aws-sdk/client-connectcampaignsv2";
import { sendSigned, startEmulator, TEST_CREDENTIALS } from "../src";
import type { EmulatorHandle, EmulatorOptions, RawCredentials, RawResponse } from "../src";

export const INSTANCE = "inst-1";
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const LIST_PATH = "communicationLimitsConfig.allChannelSubtypes.communicationLimitsList";

const started: EmulatorHandle[] = [];

/** An emulator with `inst-1` onboarded (unless `instances` says otherwise), closed after the current test. */
export async function start(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
    const emulator = await startEmulator({ instances: [INSTANCE], ...options });
    started.push(emulator);
    return emulator;
}

afterEach(async () => {
    await Promise.all(started.splice(0).map((emulator) => emulator.close()));
});

export function client(
    emulator: EmulatorHandle,
    overrides: ConnectCampaignsV2ClientConfig = {},
): ConnectCampaignsV2Client {
    return new ConnectCampaignsV2Client({
        endpoint: emulator.url,
        region: "us-west-2",
        credentials: TEST_CREDENTIALS,
        maxAttempts: 1,
        ...overrides,
    });
}

export function get(sdk: ConnectCampaignsV2Client, connectInstanceId = INSTANCE) {
    return sdk.send(new GetInstanceCommunicationLimitsCommand({ connectInstanceId }));
}

export function put(
    sdk: ConnectCampaignsV2Client,
    communicationLimitsConfig: unknown,
    connectInstanceId = INSTANCE,
) {
    return sdk.send(
        new PutInstanceCommunicationLimitsCommand({
            connectInstanceId,
            communicationLimitsConfig: communicationLimitsConfig as InstanceCommunicationLimitsConfig,
        }),
    );
}

export function limitsList(...limits: unknown[]): unknown {
    return { allChannelSubtypes: { communicationLimitsList: limits } };
}

export async function serviceError(promise: Promise<unknown>): Promise<ConnectCampaignsV2ServiceException> {
    try {
        await promise;
    } catch (error: unknown) {
        if (error instanceof ConnectCampaignsV2ServiceException) {
            return error;
        }
        throw error;
    }
    assert.fail("expected the call to fail with a service error");
}

export async function transportError(promise: Promise<unknown>): Promise<Error & { code?: string }> {
    try {
        await promise;
    } catch (error: unknown) {
        assert.ok(error instanceof Error, "expected an Error");
        assert.ok(
            !(error instanceof ConnectCampaignsV2ServiceException),
            `expected no service answer, got ${error.name}`,
        );
        return error;
    }
    assert.fail("expected the call to fail without a response");
}

export function limitsPath(encodedInstanceId: string): string {
    return `/v2/connect-instance/${encodedInstanceId}/communication-limits`;
}

export function rawPut(
    emulator: EmulatorHandle,
    body: string,
    encodedInstanceId = INSTANCE,
    credentials: RawCredentials = TEST_CREDENTIALS,
    region = "us-west-2",
): Promise<RawResponse> {
    return sendSigned(
        emulator.url,
        {
            method: "PUT",
            path: limitsPath(encodedInstanceId),
            headers: { "content-type": "application/json" },
            body,
        },
        { credentials, region },
    );
}

export function rawGet(
    emulator: EmulatorHandle,
    encodedInstanceId = INSTANCE,
    credentials: RawCredentials = TEST_CREDENTIALS,
    region = "us-west-2",
): Promise<RawResponse> {
    return sendSigned(
        emulator.url,
        { method: "GET", path: limitsPath(encodedInstanceId) },
        { credentials, region },
    );
}

export function header(response: RawResponse, name: string): string | undefined {
    const value = response.headers[name];
    return Array.isArray(value) ? value[0] : value;
}

export function errorOf(response: RawResponse): { type: string | undefined; message: unknown } {
    const parsed = JSON.parse(response.body) as { message?: unknown };
    return { type: header(response, "x-amzn-errortype"), message: parsed.message };
}

export function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    return new Promise((resolve, reject) => {
        const poll = (): void => {
            if (condition()) {
                resolve();
            } else if (Date.now() > deadline) {
                reject(new Error("condition not met in time"));
            } else {
                setTimeout(poll, 5);
            }
        };
        poll();
    });
}

/** A field of an STS XML answer. */
export function xmlField(xml: string, tag: string): string {
    const match = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
    assert.ok(match?.[1] !== undefined, `no <${tag}> in ${xml}`);
    return match[1];
}

/** A signed awsQuery POST to STS. */
export function sts(
    emulator: EmulatorHandle,
    fields: Record<string, string>,
    credentials: RawCredentials = TEST_CREDENTIALS,
    region = "us-west-2",
): Promise<RawResponse> {
    const body = new URLSearchParams({ Version: "2011-06-15", ...fields }).toString();
    return sendSigned(
        emulator.url,
        {
            method: "POST",
            path: "/",
            headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
            body,
        },
        { credentials, service: "sts", region },
    );
}

/** Temporary credentials from an AssumeRole answer. */
export function issued(xml: string): { accessKeyId: string; secretAccessKey: string; sessionToken: string } {
    return {
        accessKeyId: xmlField(xml, "AccessKeyId"),
        secretAccessKey: xmlField(xml, "SecretAccessKey"),
        sessionToken: xmlField(xml, "SessionToken"),
    };
}

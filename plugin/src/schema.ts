/**
 * `GetSchema`: the package as every language's SDK generator and the YAML runtime see it. Types are the
 * service model's (aws-sdk-js-v3 `connectcampaignsv2.json`): `InstanceId` a string, `CommunicationLimit`'s
 * fields 32-bit integers and the `CommunicationLimitTimeUnit` enum, `CommunicationLimitList` a list; the
 * constraints the schema format cannot express are stated in the descriptions, from the same constants
 * `check` enforces (`LIMITS`), so the two cannot drift apart.
 */
import {
    CONFIG_NAMESPACE,
    DEFAULT_CONNECT_TIMEOUT_MS,
    DEFAULT_MAX_ATTEMPTS,
    DEFAULT_REQUEST_BURST,
    DEFAULT_REQUEST_TIMEOUT_MS,
    DEFAULT_REQUESTS_PER_SECOND,
    LIMITS,
} from "pulumi-connect-campaign-limits/core";

import { VERSION } from "./version";

const PACKAGE = CONFIG_NAMESPACE;
const MODULE = "connectcampaignsv2";
export const RESOURCE_TOKEN = `${PACKAGE}:${MODULE}:InstanceCommunicationLimits`;

const T = {
    limit: `${PACKAGE}:${MODULE}:CommunicationLimit`,
    unit: `${PACKAGE}:${MODULE}:CommunicationLimitTimeUnit`,
    limits: `${PACKAGE}:${MODULE}:CommunicationLimits`,
    config: `${PACKAGE}:${MODULE}:InstanceCommunicationLimitsConfig`,
    policy: `${PACKAGE}:${MODULE}:DeletionPolicy`,
    role: `${PACKAGE}:${MODULE}:AssumeRole`,
    providerRole: `${PACKAGE}:index:ProviderAssumeRole`,
} as const;

const ref = (token: string) => ({ $ref: `#/types/${token}` });

const INSTANCE_ID =
    `The Amazon Connect instance id (not its ARN): 1 to ${LIMITS.instanceIdMaxLength} letters, digits, ` +
    "'-', '_' or '.', and not only dots. Also the resource id. Changing it replaces the resource.";
const REGION =
    'The AWS region of the instance, such as "us-west-2". Default: the provider\'s `region`, then ' +
    "`AWS_REGION`, then the AWS profile. Changing it replaces the resource.";
const CONFIG_DESCRIPTION =
    "The limits, in the service's own shape. `{}` or an empty `communicationLimitsList` means no limits.";

function roleType(description: string) {
    return {
        type: "object",
        description,
        properties: {
            roleArn: {
                type: "string",
                description: 'The IAM role ARN, such as "arn:aws:iam::123456789012:role/connect-limits".',
            },
            externalId: {
                type: "string",
                secret: true,
                description:
                    "`ExternalId` for STS AssumeRole: 2 to 1224 letters, digits or any of _+=,.@:/-. Kept secret.",
            },
            sessionName: {
                type: "string",
                description:
                    '`RoleSessionName`: 2 to 64 letters, digits or any of _+=,.@-. Default "pulumi-connect-campaign-limits".',
            },
        },
        required: ["roleArn"],
    };
}

/** The provider's configuration: stack config `connect-campaign-limits:<key>`, or a `Provider`'s arguments. */
const CONFIG_PROPERTIES = {
    region: {
        type: "string",
        description:
            "The AWS region for resources that set none. Default: `AWS_REGION`, then the AWS profile's region.",
    },
    profile: {
        type: "string",
        description:
            'The AWS shared-config profile whose credentials the calls use. Default: `AWS_PROFILE`, then "default".',
    },
    assumeRole: {
        ...ref(T.providerRole),
        description: "A role every call assumes unless the resource names its own.",
    },
    maxAttempts: {
        type: "integer",
        description: `Attempts per call, the first included: a whole number of at least 1. Default: \`AWS_MAX_ATTEMPTS\`, then ${DEFAULT_MAX_ATTEMPTS}.`,
    },
    requestTimeoutMs: {
        type: "integer",
        description: `Longest wait for a complete response, per attempt, in milliseconds (at least 1). Default ${DEFAULT_REQUEST_TIMEOUT_MS}.`,
    },
    connectTimeoutMs: {
        type: "integer",
        description: `Longest wait to open a connection, per attempt, in milliseconds (at least 1). Default ${DEFAULT_CONNECT_TIMEOUT_MS}.`,
    },
    requestsPerSecond: {
        type: "number",
        description: `Requests per second all calls of this provider share, per region and credentials (greater than 0). Default ${DEFAULT_REQUESTS_PER_SECOND}, Amazon Connect's default quota.`,
    },
    requestBurst: {
        type: "integer",
        description: `Requests that may go at once before the rate applies (at least 1). Default ${DEFAULT_REQUEST_BURST}.`,
    },
};

export const schema = {
    name: PACKAGE,
    displayName: "Amazon Connect outbound campaigns limits",
    version: VERSION,
    description:
        "Manage Amazon Connect outbound campaigns (Campaigns V2) instance communication limits as desired state.",
    keywords: ["pulumi", "aws", "amazon-connect", "connect-campaigns", "category/cloud", "kind/native"],
    license: "MIT",
    meta: { moduleFormat: "(.*)" },
    config: { variables: CONFIG_PROPERTIES },
    provider: {
        description: "The connect-campaign-limits provider: where the calls go, and as whom.",
        inputProperties: CONFIG_PROPERTIES,
    },
    types: {
        [T.unit]: {
            type: "string",
            description: "The time unit of a limit's window; the service knows only `DAY`.",
            enum: [{ name: "Day", value: "DAY", description: "Days." }],
        },
        [T.limit]: {
            type: "object",
            description: "At most `maxCountPerRecipient` contacts per recipient in any `frequency` days.",
            properties: {
                maxCountPerRecipient: {
                    type: "integer",
                    description: `Most contacts per recipient within the window: a whole number from ${LIMITS.minMaxCountPerRecipient} to ${LIMITS.maxMaxCountPerRecipient}.`,
                },
                frequency: {
                    type: "integer",
                    description: `The window, in days: a whole number from ${LIMITS.minFrequency} to ${LIMITS.maxFrequency}.`,
                },
                unit: { ...ref(T.unit), description: 'The unit of `frequency`: "DAY".' },
            },
            required: ["maxCountPerRecipient", "frequency", "unit"],
        },
        [T.limits]: {
            type: "object",
            description:
                "A union: exactly one member may be set; today the only one is `communicationLimitsList`, the limits across all channel subtypes.",
            properties: {
                communicationLimitsList: {
                    type: "array",
                    items: ref(T.limit),
                    description: `At most ${LIMITS.maxLimits} limits, no two with the same \`frequency\` and \`unit\`. Order carries no meaning; outputs are sorted by unit, frequency, then maxCountPerRecipient.`,
                },
            },
        },
        [T.config]: {
            type: "object",
            description: CONFIG_DESCRIPTION,
            properties: {
                allChannelSubtypes: {
                    ...ref(T.limits),
                    description: "The limits that apply across all channel subtypes.",
                },
            },
        },
        [T.policy]: {
            type: "string",
            description: "What deleting the resource does to the instance's limits.",
            enum: [
                {
                    name: "Reset",
                    value: "reset",
                    description: "Write an empty list: the instance ends with no limits. Default.",
                },
                {
                    name: "Restore",
                    value: "restore",
                    description:
                        "Write back `previousConfig`, the limits found before this resource first wrote them.",
                },
                { name: "Retain", value: "retain", description: "Leave the limits as they are." },
            ],
        },
        [T.role]: roleType(
            "A role to assume for this resource's calls, with the STS parameters its trust policy may require.",
        ),
        [T.providerRole]: roleType(
            "A role to assume for every call of this provider, unless a resource names its own.",
        ),
    },
    resources: {
        [RESOURCE_TOKEN]: {
            description:
                "The communication limits of one Amazon Connect instance: how many times, across all channels, an outbound campaign may contact the same recipient in a window of days. " +
                "Create records the limits found as `previousConfig` and writes the desired ones; read returns the live limits; there is no delete call in the API, so delete does what `deletionPolicy` says. " +
                "Import by id: `<instanceId>` (the provider's region) or `<region>/<instanceId>`; importing reads and never writes.",
            inputProperties: {
                connectInstanceId: { type: "string", description: INSTANCE_ID, replaceOnChanges: true },
                communicationLimitsConfig: { ...ref(T.config), description: CONFIG_DESCRIPTION },
                deletionPolicy: {
                    ...ref(T.policy),
                    description:
                        'What delete does: "reset" (default), "restore" or "retain". Changing only this makes no AWS call.',
                },
                region: { type: "string", description: REGION, replaceOnChanges: true },
                assumeRoleArn: {
                    type: "string",
                    description:
                        "An IAM role ARN to assume for the calls. Default: the provider's `assumeRole`, else none. Give this or `assumeRole`, not both.",
                },
                assumeRole: {
                    ...ref(T.role),
                    description: "A role with STS parameters. Give this or `assumeRoleArn`, not both.",
                },
            },
            requiredInputs: ["connectInstanceId", "communicationLimitsConfig"],
            properties: {
                connectInstanceId: { type: "string", description: "The instance id; also the resource id." },
                region: {
                    type: "string",
                    description: "The region the limits were written in (resolved when none was given).",
                },
                accountId: {
                    type: "string",
                    description:
                        "The AWS account the instance was found in at create (absent when STS could not be reached, or before the first refresh of an imported resource).",
                },
                communicationLimitsConfig: {
                    ...ref(T.config),
                    description: "The live limits, canonical: the list always present, sorted.",
                },
                deletionPolicy: { ...ref(T.policy), description: "What delete does." },
                previousConfig: {
                    ...ref(T.config),
                    description:
                        'The limits the instance had before this resource first wrote them (for an imported resource: the limits found at import); what "restore" writes back.',
                },
                previousConfigMatchedDesired: {
                    type: "boolean",
                    description: "True when the limits found at create already equalled the desired ones.",
                },
                assumeRoleArn: {
                    type: "string",
                    description: "The role assumed for the calls, when there is one.",
                },
                assumeRole: {
                    ...ref(T.role),
                    secret: true,
                    description:
                        "The resource's own role, as given (ARN, external id, session name), when given. Secret, since it holds the external id.",
                },
            },
            required: [
                "connectInstanceId",
                "region",
                "communicationLimitsConfig",
                "deletionPolicy",
                "previousConfig",
                "previousConfigMatchedDesired",
            ],
        },
    },
    language: {
        nodejs: {
            packageName: "@connect-campaign-limits/sdk",
            packageDescription:
                "Amazon Connect outbound campaigns instance communication limits, through the connect-campaign-limits provider plugin.",
            dependencies: { "@pulumi/pulumi": "^3.200.0" },
            respectSchemaVersion: true,
        },
        python: {
            packageName: "pulumi_connect_campaign_limits",
            requires: { pulumi: ">=3.200.0,<4.0.0" },
            respectSchemaVersion: true,
            pyproject: { enabled: true },
        },
        go: {
            importBasePath: "example.com/connect-campaign-limits/sdk/go/connectcampaignlimits",
            generateResourceContainerTypes: true,
            respectSchemaVersion: true,
        },
        csharp: {
            rootNamespace: "ConnectCampaignLimits",
            packageReferences: { Pulumi: "3.*" },
            respectSchemaVersion: true,
        },
        java: {
            basePackage: "com.connectcampaignlimits",
            buildFiles: "gradle",
            dependencies: { "com.pulumi:pulumi": "1.0.0" },
        },
    },
};

export const SCHEMA_JSON = JSON.stringify(schema);

/**
 * The plugin's pure modules: values opened and sealed, the detailed diff, ids, configuration, the schema.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

import { CONFIG_KEYS, checkConfig, configSource, pluginSettings } from "../../plugin/src/configuration";
import { detailedDiff } from "../../plugin/src/detailed-diff";
import { parseId } from "../../plugin/src/ids";
import {
    SECRET_SIG,
    SIG_KEY,
    openProperties,
    sealProperties,
    secretOutputs,
} from "../../plugin/src/properties";
import { RESOURCE_TOKEN, schema } from "../../plugin/src/schema";

const secret = (value: unknown) => ({ [SIG_KEY]: SECRET_SIG, value });
const LIST = "communicationLimitsConfig.allChannelSubtypes.communicationLimitsList";
const limits = (...pairs: [number, number][]) => ({
    allChannelSubtypes: {
        communicationLimitsList: pairs.map(([maxCountPerRecipient, frequency]) => ({
            maxCountPerRecipient,
            frequency,
            unit: "DAY",
        })),
    },
});

describe("plugin values (properties.ts)", () => {
    it("opens nested secrets, remembers the top-level property that held one, and drops nulls", () => {
        const opened = openProperties({
            assumeRole: { roleArn: "arn", externalId: secret("x-123") },
            region: null,
            communicationLimitsConfig: { allChannelSubtypes: null },
        });
        assert.deepEqual(opened.values, {
            assumeRole: { roleArn: "arn", externalId: "x-123" },
            communicationLimitsConfig: {},
        });
        assert.deepEqual([...opened.secrets], ["assumeRole"]);
    });

    it("seals the role's ARN output when the role was secret, and the role with its external id always", () => {
        const secrets = secretOutputs(["assumeRole", "region"]);
        assert.deepEqual([...secrets].sort(), ["assumeRole", "assumeRoleArn", "region"]);
        assert.deepEqual(
            sealProperties(
                {
                    assumeRole: { roleArn: "arn", externalId: "e" },
                    assumeRoleArn: "arn",
                    deletionPolicy: "reset",
                    gone: undefined,
                },
                secretOutputs([]),
            ),
            {
                assumeRole: secret({ roleArn: "arn", externalId: "e" }),
                assumeRoleArn: "arn",
                deletionPolicy: "reset",
            },
        );
    });

    it("never wraps a value twice", () => {
        assert.deepEqual(sealProperties({ region: secret("r") }, new Set(["region"])), {
            region: secret("r"),
        });
    });
});

describe("the detailed diff (detailed-diff.ts)", () => {
    const olds = { communicationLimitsConfig: limits([3, 7], [1, 1]), region: "us-west-2" };

    const cases: [string, Record<string, unknown>, string[], string[], Record<string, string>][] = [
        [
            "one field of one limit",
            { communicationLimitsConfig: limits([3, 7], [2, 1]) },
            ["communicationLimitsConfig"],
            [],
            { [`${LIST}[0].maxCountPerRecipient`]: "update" },
        ],
        [
            "a limit removed",
            { communicationLimitsConfig: limits([3, 7]) },
            ["communicationLimitsConfig"],
            [],
            {
                [`${LIST}[0].maxCountPerRecipient`]: "update",
                [`${LIST}[0].frequency`]: "update",
                [`${LIST}[1]`]: "delete",
            },
        ],
        [
            "limits not known yet",
            { communicationLimitsConfig: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" },
            ["communicationLimitsConfig"],
            [],
            { communicationLimitsConfig: "update" },
        ],
        [
            "a region that replaces",
            { region: "us-east-1" },
            ["region"],
            ["region"],
            { region: "updateReplace" },
        ],
        ["a role added", { assumeRoleArn: "arn" }, ["assumeRoleArn"], [], { assumeRoleArn: "add" }],
        [
            "the dynamic resource's serialized provider dropped",
            {},
            ["__provider"],
            [],
            { __provider: "delete" },
        ],
    ];
    for (const [what, news, changed, replaces, expected] of cases) {
        it(`names ${what}`, () => {
            const before = what.startsWith("the dynamic") ? { ...olds, __provider: "stub" } : olds;
            assert.deepEqual(detailedDiff(before, { ...olds, ...news }, changed, replaces), expected);
        });
    }
});

describe("ids (ids.ts)", () => {
    it("reads <instanceId> and <region>/<instanceId>", () => {
        assert.deepEqual(parseId("abc-1"), { instanceId: "abc-1" });
        assert.deepEqual(parseId("eu-west-2/abc-1"), { region: "eu-west-2", instanceId: "abc-1" });
    });
});

describe("plugin configuration (configuration.ts)", () => {
    it("reads args before the older variables map, opens secrets, and treats unknowns as not set", () => {
        const variables = new Map([
            ["connect-campaign-limits:config:region", "us-east-1"],
            ["connect-campaign-limits:config:profile", "ops"],
        ]);
        const source = configSource(
            {
                region: "eu-west-2",
                maxAttempts: secret("4"),
                requestBurst: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
            },
            variables,
        );
        assert.equal(source("connect-campaign-limits:region"), "eu-west-2");
        assert.equal(source("connect-campaign-limits:profile"), "ops");
        assert.equal(source("connect-campaign-limits:maxAttempts"), "4");
        assert.equal(source("connect-campaign-limits:requestBurst"), undefined);
        assert.equal(source("aws:region"), undefined, "the plugin sees only its own package's configuration");
    });

    it("keeps the dynamic resource's precedence: configuration, then the environment, then defaults", () => {
        const env = { AWS_REGION: "us-west-2", AWS_MAX_ATTEMPTS: "7" };
        const fromConfig = pluginSettings({ region: "eu-central-1", maxAttempts: 2 }, new Map(), env);
        assert.equal(fromConfig.region, "eu-central-1");
        assert.equal(fromConfig.maxAttempts, 2);
        const fromEnv = pluginSettings({}, new Map(), env);
        assert.equal(fromEnv.region, "us-west-2");
        assert.equal(fromEnv.maxAttempts, 7);
        assert.equal(pluginSettings({}, new Map(), {}).maxAttempts, 10);
    });

    it("checks keys and values, naming each problem's key", () => {
        assert.deepEqual(checkConfig({ region: "us-west-2", version: "0.1.0" }, {}), []);
        assert.deepEqual(
            checkConfig({ requestBurst: 0, maxAttemps: 3 }, {}).map((f) => f.property),
            ["maxAttemps", "requestBurst"],
        );
    });

    it("declares exactly the keys the schema's config and provider declare", () => {
        assert.deepEqual([...CONFIG_KEYS].sort(), Object.keys(schema.config.variables).sort());
        assert.deepEqual([...CONFIG_KEYS].sort(), Object.keys(schema.provider.inputProperties).sort());
    });
});

describe("the schema (schema.ts)", () => {
    it("carries one version: the package's, the plugin folder's and the schema's (what SDKs record)", () => {
        const read = (file: string) =>
            (
                JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", file), "utf8")) as {
                    version: string;
                }
            ).version;
        assert.equal(read("plugin/package.json"), read("package.json"));
        assert.equal(schema.version, read("package.json"));
    });

    const resource = schema.resources[RESOURCE_TOKEN];

    it("documents every property, input and output", () => {
        const undocumented = [
            ...Object.entries(resource.inputProperties),
            ...Object.entries(resource.properties),
            ...Object.entries(schema.config.variables),
        ].filter(([, p]) => typeof p.description !== "string" || p.description.length < 10);
        assert.deepEqual(
            undocumented.map(([name]) => name),
            [],
        );
    });

    it("replaces on a new instance or region, and states the model's constraints", () => {
        assert.equal(resource.inputProperties.connectInstanceId.replaceOnChanges, true);
        assert.equal(resource.inputProperties.region.replaceOnChanges, true);
        const limit = schema.types["connect-campaign-limits:connectcampaignsv2:CommunicationLimit"];
        assert.match(limit.properties.frequency.description, /from 1 to 30/);
        assert.match(limit.properties.maxCountPerRecipient.description, /from 1 to 2147483647/);
        assert.equal(limit.properties.frequency.type, "integer");
        assert.deepEqual(limit.required, ["maxCountPerRecipient", "frequency", "unit"]);
    });

    it("marks the external id and the role output that holds it secret, and has settings for Node.js, Python, Go, .NET and Java", () => {
        assert.equal(resource.properties.assumeRole.secret, true);
        assert.equal(
            schema.types["connect-campaign-limits:connectcampaignsv2:AssumeRole"]?.properties.externalId
                .secret,
            true,
        );
        assert.deepEqual(Object.keys(schema.language).sort(), ["csharp", "go", "java", "nodejs", "python"]);
    });
});

// The built pack, started as the CLI starts it and driven over the Analyzer protocol as the engine drives it:
// what it says about itself, what it reports for the fixture programs, how enforcement levels and config
// reach it, and how values not known in a preview come out.
import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";

import { checkInputs } from "../../provider/validate";
import { SCHEMAS } from "../src/config";
import { RESOURCE_TYPES } from "../src/resource";
import { PACK_DIR, PackProcess } from "./analyzer";
import type { Diagnostic, EngineResource, PolicyPackConfig } from "./analyzer";
import { COMPLIANT, DESCRIPTIONS, UNKNOWN, VIOLATING } from "./fixtures/expected";
import type { ExpectedDiagnostic } from "./fixtures/expected";
import { resources as compliantResources } from "./fixtures/compliant/resources";
import { INSTANCE_ID, resources as violatingResources } from "./fixtures/violating/resources";

const run = promisify(execFile);

function projectOf(fixture: string): string {
    const yaml = fs.readFileSync(path.join(__dirname, "fixtures", fixture, "Pulumi.yaml"), "utf8");
    const name = /^name: (.+)$/m.exec(yaml)?.[1];
    if (name === undefined) {
        throw new Error(`test set-up: no name in ${fixture}/Pulumi.yaml`);
    }
    return name;
}

function engineResource(
    fixture: string,
    stack: string,
    name: string,
    props: Record<string, unknown>,
): EngineResource {
    const type = RESOURCE_TYPES.dynamic;
    return { type, name, urn: `urn:pulumi:${stack}::${projectOf(fixture)}::${type}::${name}`, props };
}

/** A fixture's resources as the engine sends them to the pack: the inputs the provider's check returns. */
function checked(
    fixture: string,
    stack: string,
    declared: { name: string; args: object }[],
): EngineResource[] {
    return declared.map(({ name, args }) => {
        const result = checkInputs(args);
        if (!result.ok) {
            throw new Error(`test set-up: ${name} fails check: ${JSON.stringify(result.failures)}`);
        }
        return engineResource(fixture, stack, name, result.inputs as Record<string, unknown>);
    });
}

/**
 * Every diagnostic of a preview: Analyze for each resource (the engine attaches those to the resource it
 * analysed), then AnalyzeStack (in a preview, a new resource's outputs are its checked inputs).
 */
async function preview(pack: PackProcess, resources: EngineResource[]): Promise<Diagnostic[]> {
    const perResource = await Promise.all(
        resources.map(async (resource) =>
            (await pack.analyze(resource)).map((d) => ({ ...d, urn: d.urn || resource.urn })),
        ),
    );
    return [...perResource.flat(), ...(await pack.analyzeStack(resources))];
}

function named(diagnostics: Diagnostic[], resources: EngineResource[]): ExpectedDiagnostic[] {
    return diagnostics
        .map(({ policyName, enforcementLevel, urn, message }) => {
            const resource = resources.find((r) => r.urn === urn)?.name ?? `(urn ${urn})`;
            assert.ok(enforcementLevel === "advisory" || enforcementLevel === "mandatory", enforcementLevel);
            return { policyName, enforcementLevel, resource, message };
        })
        .sort(byContent);
}

function byContent(a: ExpectedDiagnostic, b: ExpectedDiagnostic): number {
    const ka = JSON.stringify(a);
    const kb = JSON.stringify(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
}

describe("the built policy pack, run as the Pulumi CLI runs it", function () {
    this.timeout(120_000);

    it("is a Node.js policy pack whose package main is the compiled entry point", () => {
        const yaml = fs.readFileSync(path.join(PACK_DIR, "PulumiPolicy.yaml"), "utf8");
        assert.match(yaml, /^runtime: nodejs$/m);
        const manifest = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8")) as {
            main: string;
            version: string;
        };
        assert.equal(manifest.main, "dist/index.js");
        assert.equal(manifest.version, "0.1.0");
    });

    it("packs (for pulumi policy publish) the files the CLI runs it from", async () => {
        const { stdout } = await run("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
            cwd: PACK_DIR,
        });
        const [packed] = JSON.parse(stdout) as { files: { path: string }[] }[];
        const files = (packed?.files ?? []).map((f) => f.path);
        for (const required of [
            "PulumiPolicy.yaml",
            "package.json",
            "README.md",
            "dist/index.js",
            "dist/pack.js",
        ]) {
            assert.ok(files.includes(required), `${required} is not in ${JSON.stringify(files)}`);
        }
        assert.deepEqual(
            files.filter((f) => !f.startsWith("dist/")),
            ["PulumiPolicy.yaml", "README.md", "package.json"],
        );
    });

    it("governs the type token InstanceCommunicationLimits registers", async () => {
        const script = path.join(__dirname, "fixtures", "registered-type.ts");
        const { stdout } = await run(process.execPath, ["-r", "ts-node/register/transpile-only", script], {
            cwd: PACK_DIR,
        });
        const registered = stdout
            .split("\n")
            .filter((line) => line.startsWith("{"))
            .map((line) => (JSON.parse(line) as { registered: string }).registered);
        assert.deepEqual(registered, [RESOURCE_TYPES.dynamic]);
    });

    describe("in a stack named prod", () => {
        let pack: PackProcess;
        before(async () => {
            pack = await PackProcess.start("prod");
        });
        after(async () => {
            await pack?.stop();
        });
        beforeEach(async () => {
            await pack.configure();
        });

        it("describes itself: name, version, each policy's description, default level and config schema", async () => {
            const info = await pack.info();
            assert.deepEqual(
                { name: info.name, version: info.version, supportsConfig: info.supportsConfig },
                { name: "connect-campaign-limits", version: "0.1.0", supportsConfig: true },
            );
            assert.deepEqual(info.policies, [
                {
                    name: "max-contacts-per-window",
                    description: DESCRIPTIONS["max-contacts-per-window"],
                    enforcementLevel: "mandatory",
                    configSchema: SCHEMAS.maxContacts.properties,
                },
                {
                    name: "required-window",
                    description: DESCRIPTIONS["required-window"],
                    enforcementLevel: "mandatory",
                    configSchema: SCHEMAS.requiredWindow.properties,
                },
                {
                    name: "allowed-deletion-policies",
                    description: DESCRIPTIONS["allowed-deletion-policies"],
                    enforcementLevel: "advisory",
                    configSchema: SCHEMAS.deletionPolicies.properties,
                },
                {
                    name: "single-manager-per-instance",
                    description: DESCRIPTIONS["single-manager-per-instance"],
                    enforcementLevel: "mandatory",
                    configSchema: {},
                },
            ]);
        });

        it("reports exactly the violating fixture's expected diagnostics", async () => {
            const resources = checked("violating", VIOLATING.stack, violatingResources);
            assert.deepEqual(
                named(await preview(pack, resources), resources),
                [...VIOLATING.diagnostics].sort(byContent),
            );
        });

        it("reports nothing for the compliant fixture", async () => {
            const resources = checked("compliant", COMPLIANT.stack, compliantResources);
            assert.deepEqual(named(await preview(pack, resources), resources), COMPLIANT.diagnostics);
        });

        it("ignores resources of other types", async () => {
            const bucket = {
                type: "aws:s3/bucket:Bucket",
                name: "b",
                urn: "urn:pulumi:prod::p::aws:s3/bucket:Bucket::b",
                props: {},
            };
            assert.deepEqual(await preview(pack, [bucket]), []);
        });

        describe("enforcement levels", () => {
            const resources = () => checked("violating", VIOLATING.stack, violatingResources);
            const levelsOf = async (config: PolicyPackConfig): Promise<Record<string, string[]>> => {
                await pack.configure(config);
                const levels: Record<string, string[]> = {};
                for (const d of await preview(pack, resources())) {
                    (levels[d.policyName] ??= []).push(d.enforcementLevel);
                }
                return levels;
            };

            it("reports each policy at its default level when the config names none", async () => {
                assert.deepEqual(await levelsOf({}), {
                    "max-contacts-per-window": ["mandatory", "mandatory", "mandatory"],
                    "required-window": ["mandatory"],
                    "allowed-deletion-policies": ["advisory"],
                    "single-manager-per-instance": ["mandatory", "mandatory"],
                });
            });

            it("reports a policy configured advisory as advisory, and one configured mandatory as mandatory", async () => {
                const levels = await levelsOf({
                    "max-contacts-per-window": { enforcementLevel: "advisory" },
                    "single-manager-per-instance": { enforcementLevel: "advisory" },
                    "allowed-deletion-policies": { enforcementLevel: "mandatory" },
                });
                assert.deepEqual(levels, {
                    "max-contacts-per-window": ["advisory", "advisory", "advisory"],
                    "required-window": ["mandatory"],
                    "allowed-deletion-policies": ["mandatory"],
                    "single-manager-per-instance": ["advisory", "advisory"],
                });
            });

            it("runs no disabled policy", async () => {
                const levels = await levelsOf({
                    "max-contacts-per-window": { enforcementLevel: "disabled" },
                    "required-window": { enforcementLevel: "disabled" },
                    "single-manager-per-instance": { enforcementLevel: "disabled" },
                });
                assert.deepEqual(levels, { "allowed-deletion-policies": ["advisory"] });
            });

            it("treats remediate as mandatory, as these policies change nothing", async () => {
                const levels = await levelsOf({
                    "required-window": { enforcementLevel: "remediate" },
                    "single-manager-per-instance": { enforcementLevel: "remediate" },
                });
                assert.deepEqual(levels["required-window"], ["mandatory"]);
                assert.deepEqual(levels["single-manager-per-instance"], ["mandatory", "mandatory"]);
            });
        });

        describe("configuration", () => {
            it("checks the windows and rules the config gives", async () => {
                await pack.configure({
                    "max-contacts-per-window": { maxCountPerRecipient: { "30": 15 } },
                    "allowed-deletion-policies": { rules: [{ stack: "prod", deletionPolicies: ["reset"] }] },
                });
                const resources = checked("violating", VIOLATING.stack, violatingResources);
                const reported = named(await preview(pack, resources), resources)
                    .filter((d) => d.policyName !== "single-manager-per-instance")
                    .map((d) => [d.policyName, d.resource, d.message.split("\n")[1]]);
                // 15 in 30 days is now allowed, and the 1- and 7-day windows are no longer capped; only "reset"
                // is allowed in prod.
                assert.deepEqual(reported, [
                    [
                        "allowed-deletion-policies",
                        "weekly-only",
                        `InstanceCommunicationLimits "weekly-only" on instance ${INSTANCE_ID} in us-west-2 has deletionPolicy "retain"; in stack "prod" (rule "prod") the organisation allows only "reset".`,
                    ],
                    [
                        "required-window",
                        "weekly-only",
                        `InstanceCommunicationLimits "weekly-only" on instance ${INSTANCE_ID} in us-west-2 sets no limit with a frequency of 1 DAY; the organisation requires one. Its limits: 2 per 7 DAY.`,
                    ],
                ]);
            });

            it("fails the analysis, with the reason, on a config property it does not have", async () => {
                await pack.configure({ "max-contacts-per-window": { maxCountPerRecipent: { "7": 3 } } });
                const [resource] = checked("violating", VIOLATING.stack, violatingResources);
                assert.ok(resource);
                await assert.rejects(pack.analyze(resource), (error: Error) => {
                    assert.match(
                        error.message,
                        /max-contacts-per-window: unknown config property "maxCountPerRecipent"; its properties are maxCountPerRecipient \(and enforcementLevel\)\./,
                    );
                    return true;
                });
            });
        });
    });

    describe("with values not known until apply", () => {
        let pack: PackProcess;
        before(async () => {
            pack = await PackProcess.start(UNKNOWN.stack);
            await pack.configure();
        });
        after(async () => {
            await pack?.stop();
        });

        const derived = (props: Record<string, unknown>) =>
            engineResource("unknown", UNKNOWN.stack, "derived", props);

        it("reports what it cannot check yet as advisory, in the preview, and nothing mandatory", async () => {
            const resource = derived(UNKNOWN.derivedInputs);
            assert.deepEqual(named(await preview(pack, [resource]), [resource]), UNKNOWN.diagnostics);
        });

        it("reports the mandatory violations once the value is known, as in pulumi up", async () => {
            const inputs = structuredClone(UNKNOWN.derivedInputs);
            const [known] = inputs.communicationLimitsConfig.allChannelSubtypes.communicationLimitsList;
            assert.ok(known);
            (known as { maxCountPerRecipient: unknown }).maxCountPerRecipient = 1;
            const resource = derived(inputs);
            assert.deepEqual(
                named(await preview(pack, [resource]), [resource]),
                [...UNKNOWN.upDiagnostics].sort(byContent),
            );
        });

        it("says a stack policy cannot check an instance not known yet, as advisory", async () => {
            const first = engineResource("unknown", UNKNOWN.stack, "first", {
                ...UNKNOWN.derivedInputs,
                connectInstanceId: UNKNOWN.firstInstance,
            });
            const unknownInstance = derived({
                ...UNKNOWN.derivedInputs,
                connectInstanceId: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
            });
            assert.deepEqual(await pack.analyzeStack([first, unknownInstance]), [
                {
                    policyName: "single-manager-per-instance",
                    enforcementLevel: "advisory",
                    urn: "",
                    message:
                        "can't run policy 'single-manager-per-instance' from policy pack 'connect-campaign-limits@v0.1.0' during preview: " +
                        'InstanceCommunicationLimits "derived" on an instance not known until apply in us-west-2 may manage an instance another resource in this stack manages; ' +
                        "whether an instance is managed twice is checked again at the end of the update, once the values are known.",
                },
            ]);
        });
    });
});

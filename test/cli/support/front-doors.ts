/**
 * The two front doors of one core, as the CLI tier drives them: the dynamic resource from a TypeScript
 * program (`fixtures/single`), and the provider plugin from a YAML and from a Python program
 * (`fixtures/python-single`) that declare the same resource from the same stack config (`instanceId`,
 * `count`, `days`, `deletionPolicy`). The plugin's programs are written into the workspace, with their
 * `packages:` entry naming the repository's `plugin/` folder.
 */
import * as fs from "node:fs";
import * as path from "node:path";

import { REPO_ROOT } from "../../../tools/pulumi-cli/locate";
import { PythonStack, installPythonPackage } from "../../../tools/pulumi-cli/python";
import { generateSdk } from "../../../tools/sdkgen/generate";
import type { CliStack, CliWorkspace } from "./cli";

export const DYNAMIC_TYPE = "pulumi-nodejs:dynamic/connectcampaignsv2:InstanceCommunicationLimits";
export const PLUGIN_TYPE = "connect-campaign-limits:connectcampaignsv2:InstanceCommunicationLimits";
const PLUGIN_DIR = path.join(REPO_ROOT, "plugin");

export interface YamlProgram {
    /** The project name; default "cli-plugin-single". */
    name?: string;
    /** `replaceOnChanges: [communicationLimitsConfig]` on the resource. */
    replaceOnChanges?: boolean;
    /** URNs the resource was known by (`options.aliases`). */
    aliases?: string[];
    /** More YAML under `resources:` (indented by two spaces). */
    extraResources?: string;
}

let counter = 0;

/** The plugin program: one `InstanceCommunicationLimits` from stack config, in a project of its own. */
export function yamlProject(workspace: CliWorkspace, program: YamlProgram = {}, dir?: string): string {
    const target = dir ?? path.join(workspace.dir, "projects", `yaml-${++counter}`);
    fs.mkdirSync(target, { recursive: true });
    const options: string[] = [];
    if (program.replaceOnChanges === true) {
        options.push("      replaceOnChanges:", "        - communicationLimitsConfig");
    }
    if (program.aliases !== undefined) {
        options.push("      aliases:", ...program.aliases.map((urn) => `        - ${urn}`));
    }
    const yaml = [
        `name: ${program.name ?? "cli-plugin-single"}`,
        "runtime: yaml",
        "packages:",
        `  connect-campaign-limits: ${PLUGIN_DIR}`,
        "config:",
        "  instanceId:",
        "    type: string",
        "  count:",
        "    type: integer",
        "    default: 3",
        "  days:",
        "    type: integer",
        "    default: 7",
        "  deletionPolicy:",
        "    type: string",
        "    default: reset",
        "resources:",
        "  limits:",
        `    type: ${PLUGIN_TYPE}`,
        "    properties:",
        "      connectInstanceId: ${instanceId}",
        "      communicationLimitsConfig:",
        "        allChannelSubtypes:",
        "          communicationLimitsList:",
        "            - maxCountPerRecipient: ${count}",
        "              frequency: ${days}",
        "              unit: DAY",
        "      deletionPolicy: ${deletionPolicy}",
        ...(options.length > 0 ? ["    options:", ...options] : []),
        ...(program.extraResources === undefined ? [] : [program.extraResources.trimEnd()]),
        "outputs:",
        "  live: ${limits.communicationLimitsConfig}",
        "  previous: ${limits.previousConfig}",
        "",
    ].join("\n");
    fs.writeFileSync(path.join(target, "Pulumi.yaml"), yaml);
    return target;
}

/**
 * The plugin program in Python: `fixtures/python-single` in a project of its own, whose `packages:` entry
 * names the repository's `plugin/` folder, run through `serve.py` (tools/pulumi-cli/python.ts).
 */
function pythonProject(workspace: CliWorkspace, source = PYTHON_FIXTURE): string {
    const target = path.join(workspace.dir, "projects", `python-${++counter}`);
    fs.mkdirSync(target, { recursive: true });
    fs.copyFileSync(path.join(source, "__main__.py"), path.join(target, "__main__.py"));
    fs.writeFileSync(
        path.join(target, "Pulumi.yaml"),
        [
            "name: cli-plugin-python",
            "runtime: python",
            "packages:",
            `  connect-campaign-limits: ${PLUGIN_DIR}`,
            "",
        ].join("\n"),
    );
    return target;
}

const PYTHON_FIXTURE = path.join(REPO_ROOT, "test", "cli", "fixtures", "python-single");

/**
 * The Python SDK generated from the plugin's schema and installed (as `pip install` would, with its
 * metadata, which the SDK reads its version from) into a folder of the workspace, once per workspace: the
 * folder to put on PYTHONPATH.
 */
const pythonSdks = new WeakMap<CliWorkspace, string>();

export function pythonSdk(workspace: CliWorkspace): string {
    let target = pythonSdks.get(workspace);
    if (target === undefined) {
        const source = path.join(workspace.dir, "sdk-python");
        target = path.join(workspace.dir, "python-packages");
        generateSdk("python", source);
        installPythonPackage(source, target);
        pythonSdks.set(workspace, target);
    }
    return target;
}

export interface FrontDoor {
    name: string;
    type: string;
    /** `pulumi stack init` of a fresh project of this front door's program in `workspace`. */
    stack(workspace: CliWorkspace, name: string): Promise<CliStack>;
}

export const FRONT_DOORS: readonly FrontDoor[] = [
    {
        name: "the dynamic resource (TypeScript)",
        type: DYNAMIC_TYPE,
        stack: (workspace, name) =>
            workspace.stack(
                workspace.project(path.join(REPO_ROOT, "test", "cli", "fixtures", "single")),
                name,
            ),
    },
    {
        name: "the provider plugin (YAML)",
        type: PLUGIN_TYPE,
        stack: (workspace, name) => workspace.stack(yamlProject(workspace), name),
    },
    {
        name: "the provider plugin (Python)",
        type: PLUGIN_TYPE,
        stack: (workspace, name) =>
            PythonStack.init(workspace, pythonProject(workspace), name, pythonSdk(workspace)),
    },
];

/** The limits as a set of "count/frequency" strings: order carries no meaning. */
export function limitsOf(config: unknown): string[] {
    const entries =
        (
            config as {
                allChannelSubtypes?: {
                    communicationLimitsList?: { maxCountPerRecipient: number; frequency: number }[];
                };
            }
        )?.allChannelSubtypes?.communicationLimitsList ?? [];
    return entries.map((l) => `${l.maxCountPerRecipient}/${l.frequency}`).sort();
}

export function list(...limits: [number, number][]) {
    return {
        allChannelSubtypes: {
            communicationLimitsList: limits.map(([maxCountPerRecipient, frequency]) => ({
                maxCountPerRecipient,
                frequency,
                unit: "DAY",
            })),
        },
    };
}

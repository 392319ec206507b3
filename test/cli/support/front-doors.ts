/**
 * The two front doors of one core, as the CLI tier drives them: the dynamic resource from a TypeScript
 * program (`fixtures/single`), and the provider plugin from a YAML program that declares the same resource
 * from the same stack config (`instanceId`, `count`, `days`, `deletionPolicy`). The YAML program is written
 * into the workspace, with its `packages:` entry naming the repository's `plugin/` folder.
 */
import * as fs from "node:fs";
import * as path from "node:path";

import { REPO_ROOT } from "../../../tools/pulumi-cli/locate";
import type { CliWorkspace } from "./cli";

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

export interface FrontDoor {
    name: string;
    type: string;
    /** A fresh project of this front door's program in `workspace`. */
    project(workspace: CliWorkspace): string;
}

export const FRONT_DOORS: readonly FrontDoor[] = [
    {
        name: "the dynamic resource (TypeScript)",
        type: DYNAMIC_TYPE,
        project: (workspace) => workspace.project(path.join(REPO_ROOT, "test", "cli", "fixtures", "single")),
    },
    {
        name: "the provider plugin (YAML)",
        type: PLUGIN_TYPE,
        project: (workspace) => yamlProject(workspace),
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

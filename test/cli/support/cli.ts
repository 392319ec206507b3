/** The CLI tier's view of `tools/pulumi-cli/workspace.ts`, which the demo's `--cli` mode shares. */
export * from "../../../tools/pulumi-cli/workspace";

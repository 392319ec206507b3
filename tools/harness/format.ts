// Human-readable rendering of a run, close to what the `pulumi` CLI prints.
import type { PropertyChange, RunResult, StepOp, StepResult } from "./types";

const PREFIX: Record<StepOp, string> = {
    same: "  ",
    create: "+ ",
    update: "~ ",
    replace: "+-",
    delete: "- ",
    read: "> ",
    refresh: "~ ",
    discard: "< ",
};

/** Each operation in the past tense, as the CLI reports a step done. */
export const PAST: Record<StepOp, string> = {
    same: "same",
    create: "created",
    update: "updated",
    replace: "replaced",
    delete: "deleted",
    read: "read",
    refresh: "refreshed",
    discard: "discarded",
};

const HEADER: Record<RunResult["kind"], [string, string]> = {
    preview: ["Previewing update", "Previewing update"],
    up: ["Updating", "Updating"],
    refresh: ["Refreshing", "Previewing refresh"],
    destroy: ["Destroying", "Previewing destroy"],
};

function show(value: unknown): string {
    return JSON.stringify(value) ?? "undefined";
}

/** One changed property: `+ path: new`, `- path: old` or `~ path: old → new`, values as JSON. */
export function changeLine(change: PropertyChange): string {
    if (!("old" in change)) {
        return `+ ${change.path}: ${show(change.new)}`;
    }
    if (!("new" in change)) {
        return `- ${change.path}: ${show(change.old)}`;
    }
    return `~ ${change.path}: ${show(change.old)} → ${show(change.new)}`;
}

/**
 * `[diff: +a,b-c~d,e]`, as the CLI's writeShortDiff prints it: the added, then deleted, then updated
 * top-level keys, each group sorted and joined by commas.
 */
function diffSummary(step: StepResult): string {
    const diff = step.diff;
    if (!diff) {
        return "";
    }
    const group = (mark: string, keys: string[]): string =>
        keys.length > 0 ? `${mark}${[...keys].sort().join(",")}` : "";
    return `${group("+", diff.adds)}${group("-", diff.deletes)}${group("~", diff.updates)}`;
}

function stepLines(step: StepResult, dryRun: boolean): string[] {
    const refreshing = step.phase === "refresh";
    const drifted = refreshing && step.resultOp === "update";
    const gone = refreshing && step.resultOp === "delete";
    const shown: StepOp = refreshing ? (gone ? "delete" : drifted ? "update" : "same") : step.op;
    const prefix = PREFIX[shown];
    let label = dryRun ? step.op : PAST[step.op];
    if (step.checkFailures.length > 0) {
        label = "invalid";
    } else if (step.error !== undefined) {
        label = `${step.op} failed`;
    }
    if (step.op === "replace" && step.deleteBeforeReplace) {
        label += " (delete before replace)";
    }
    if (drifted) {
        label += " (drift)";
    } else if (gone && step.op !== "delete") {
        label += " (deleted)";
    }
    const showDiff = step.op === "update" || step.op === "replace" || drifted;
    const summary = showDiff ? diffSummary(step) : "";
    const diff = summary !== "" ? ` [diff: ${summary}]` : "";
    const lines = [`${prefix.trim() === "" ? " " : prefix.trim()} ${step.type} ${step.name} ${label}${diff}`];
    if (step.op === "create" || showDiff) {
        lines.push(...step.changes.map((change) => `      ${changeLine(change)}`));
    }
    for (const failure of step.checkFailures) {
        lines.push(`      error: ${failure.property ? `${failure.property}: ` : ""}${failure.reason}`);
    }
    if (step.error && step.checkFailures.length === 0) {
        lines.push(`      error: ${step.error}`);
    }
    return lines;
}

function summary(result: RunResult): string[] {
    const counts = new Map<string, number>();
    const count = (what: string): void => {
        counts.set(what, (counts.get(what) ?? 0) + 1);
    };
    const tense = (op: "create" | "update" | "replace" | "delete"): string =>
        result.dryRun ? `to ${op}` : PAST[op];
    for (const step of result.steps) {
        if (step.error !== undefined) {
            continue;
        }
        if (result.kind === "refresh") {
            if (step.resultOp === "delete") {
                count(`- ${tense("delete")}`);
            } else if (step.resultOp === "update") {
                count(`~ ${tense("update")}`);
            } else {
                count("unchanged");
            }
        } else if (step.phase !== "refresh") {
            if (
                step.op === "create" ||
                step.op === "update" ||
                step.op === "replace" ||
                step.op === "delete"
            ) {
                count(`${PREFIX[step.op].trim()} ${tense(step.op)}`);
            } else if (step.op === "same") {
                count("unchanged");
            }
        }
    }
    const order = ["+ ", "~ ", "+- ", "- ", "unchanged"];
    const rank = (what: string): number => order.findIndex((start) => what.startsWith(start));
    return [...counts]
        .sort(([a], [b]) => rank(a) - rank(b))
        .map(([what, n]) =>
            what === "unchanged" ? `    ${n} unchanged` : `    ${what.replace(" ", ` ${n} `)}`,
        );
}

/** The text `pulumi` would print for this run: steps with property changes, diagnostics, outputs, summary. */
export function formatRun(result: RunResult): string {
    const lines = [`${HEADER[result.kind][result.dryRun ? 1 : 0]}:`, ""];
    for (const step of [...result.providerSteps, ...result.steps]) {
        lines.push(...stepLines(step, result.dryRun));
    }
    if (result.errors.length > 0) {
        lines.push("", "Diagnostics:", ...result.errors.map((error) => `    ${error}`));
    }
    const outputs = Object.entries(result.outputs);
    if (outputs.length > 0) {
        lines.push("", "Outputs:", ...outputs.map(([key, value]) => `    ${key}: ${show(value)}`));
    }
    const counts = summary(result);
    if (counts.length > 0) {
        lines.push("", "Resources:", ...counts);
    }
    if (!result.ok) {
        lines.push("", `(exit code ${result.exitCode})`);
    }
    return `${lines.join("\n")}\n`;
}

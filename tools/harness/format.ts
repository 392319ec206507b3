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

const PAST: Record<StepOp, string> = {
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

function changeLine(change: PropertyChange): string {
    if (!("old" in change)) {
        return `+ ${change.path}: ${show(change.new)}`;
    }
    if (!("new" in change)) {
        return `- ${change.path}: ${show(change.old)}`;
    }
    return `~ ${change.path}: ${show(change.old)} → ${show(change.new)}`;
}

/**
 * `[diff: ~a +b -c]`: the top-level properties a step changes; `+`/`-` only when the property itself
 * appears or disappears as a plain value (a change below a property is a `~` of that property).
 */
function diffSummary(changes: PropertyChange[]): string {
    const keys = new Map<string, string>();
    for (const change of changes) {
        const key = /^[^.[]+|^\[[^\]]+\]/.exec(change.path)?.[0] ?? change.path;
        let mark = "~";
        if (change.path === key && !("old" in change)) {
            mark = "+";
        } else if (change.path === key && !("new" in change)) {
            mark = "-";
        }
        keys.set(key, keys.has(key) && keys.get(key) !== mark ? "~" : mark);
    }
    return [...keys].map(([key, mark]) => `${mark}${key}`).join(" ");
}

function stepLines(step: StepResult, dryRun: boolean): string[] {
    const drifted = step.op === "refresh" && step.drift === true;
    const prefix = step.op === "refresh" && !drifted ? "  " : PREFIX[step.op];
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
    }
    const showDiff = step.op === "update" || step.op === "replace" || drifted;
    const diff = showDiff && step.changes.length > 0 ? ` [diff: ${diffSummary(step.changes)}]` : "";
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
            if (step.op === "delete") {
                count(`- ${tense("delete")}`);
            } else if (step.drift) {
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
    for (const step of result.steps) {
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

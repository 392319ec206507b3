/**
 * How the demo shows a run: what `pulumi` would print (resources, operations, changed properties with
 * old → new values, diagnostics, stack outputs, the resource count), made easier to read in two ways:
 * a create lists each top-level input once, and a limits configuration reads "3 per 7 DAY" rather than
 * as nested JSON. Pure functions of a run's result; no I/O.
 */
import type { RecordedRequest } from "connect-campaigns-emulator";
import { UNKNOWN_DISPLAY } from "../harness";
import { PAST, changeLine } from "../harness/format";
import type { PropertyChange, RunResult, StepResult } from "../harness";

const INDENT = "    ";

const SYMBOL: Record<StepResult["op"], string> = {
    same: " ",
    create: "+",
    update: "~",
    replace: "+-",
    delete: "-",
    read: ">",
    refresh: "~",
    discard: "<",
};

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A limits configuration in a few words: "1 per 1 DAY, 3 per 7 DAY", "no limits (empty list)", or
 * "never configured" for an instance whose limits were never written. Anything else is shown as JSON.
 */
export function describeLimits(config: unknown): string {
    if (config === undefined) {
        return "never configured";
    }
    const union = isRecord(config) ? config["allChannelSubtypes"] : undefined;
    const list = isRecord(union) ? union["communicationLimitsList"] : undefined;
    if (!Array.isArray(list)) {
        return JSON.stringify(config);
    }
    if (list.length === 0) {
        return "no limits (empty list)";
    }
    const parts = list.map((item: unknown) =>
        isRecord(item)
            ? `${String(item["maxCountPerRecipient"])} per ${String(item["frequency"])} ${String(item["unit"])}`
            : JSON.stringify(item),
    );
    return parts.join(", ");
}

/** An output or property value: limits in words, unknown as such, everything else as JSON. */
function describeValue(value: unknown): string {
    if (value === UNKNOWN_DISPLAY) {
        return "[unknown until up]";
    }
    if (isRecord(value) && "allChannelSubtypes" in value) {
        return describeLimits(value);
    }
    return JSON.stringify(value) ?? "undefined";
}

/** Sets `value` at a leaf path (`a.b[0].c`) inside `root`, creating objects and lists on the way. */
function setPath(root: Record<string, unknown>, path: string, value: unknown): void {
    const tokens = [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((match) =>
        match[2] !== undefined ? Number(match[2]) : (match[1] ?? ""),
    );
    let node: Record<string, unknown> = root;
    tokens.forEach((token, index) => {
        const key = String(token);
        if (index === tokens.length - 1) {
            node[key] = value;
            return;
        }
        if (typeof node[key] !== "object" || node[key] === null) {
            node[key] = typeof tokens[index + 1] === "number" ? [] : {};
        }
        node = node[key] as Record<string, unknown>;
    });
}

/** A create's changes, one line per top-level input, rebuilt from its leaves (all of them new). */
function createLines(changes: PropertyChange[]): string[] {
    const inputs: Record<string, unknown> = {};
    for (const change of changes) {
        setPath(inputs, change.path, change.new);
    }
    return Object.entries(inputs).map(([key, value]) => `+ ${key}: ${describeValue(value)}`);
}

function stepLabel(step: StepResult, dryRun: boolean): string {
    if (step.checkFailures.length > 0) {
        return "invalid";
    }
    if (step.error !== undefined) {
        return `${step.op} failed`;
    }
    if (step.phase === "refresh") {
        if (step.resultOp === "delete") {
            return "deleted";
        }
        return step.drift === true ? "refreshed (drift)" : "refreshed";
    }
    return step.op === "same" ? "" : dryRun ? step.op : PAST[step.op];
}

export interface RenderOptions {
    /** Per resource name: the limits before and after, shown in words under the property changes. */
    limitsChange?: Record<string, { from: unknown; to: unknown }>;
}

/** The lines `pulumi` would print for this run, indented for the demo. */
export function renderRun(result: RunResult, options: RenderOptions = {}): string[] {
    const header = {
        preview: "Previewing update",
        up: "Updating",
        refresh: "Refreshing",
        destroy: "Destroying",
    }[result.kind];
    const lines: string[] = [
        `${header}${result.kind === "preview" && hasRefreshPass(result) ? " (refresh first)" : ""}:`,
    ];
    for (const step of result.steps) {
        // In preview --refresh / up --refresh the refresh pass is shown by the update steps that follow it.
        if (step.phase === "refresh" && result.kind !== "refresh") {
            continue;
        }
        // A refresh step's op is its outcome (same, update, delete); the demo shows refreshes as such.
        const refreshing = step.phase === "refresh";
        const drifted = refreshing && step.drift === true;
        const symbol =
            refreshing && step.resultOp === "delete"
                ? SYMBOL.delete
                : refreshing && !drifted
                  ? " "
                  : SYMBOL[step.op];
        lines.push(
            `${symbol.padEnd(2)} ${step.type} ${step.name} ${stepLabel(step, result.dryRun)}`.trimEnd(),
        );
        if (step.op === "create" && !refreshing) {
            lines.push(...createLines(step.changes).map((line) => `${INDENT}${line}`));
        } else if ((!refreshing && (step.op === "update" || step.op === "replace")) || drifted) {
            lines.push(...step.changes.map((change) => `${INDENT}${changeLine(change)}`));
            const limits = options.limitsChange?.[step.name];
            if (limits !== undefined) {
                lines.push(
                    `${INDENT}  that is: ${describeLimits(limits.from)}  →  ${describeLimits(limits.to)}`,
                );
            }
        }
        for (const failure of step.checkFailures) {
            lines.push(`${INDENT}error: ${failure.property}: ${failure.reason}`);
        }
    }
    if (result.errors.length > 0) {
        lines.push("Diagnostics:", ...result.errors.map((error) => `${INDENT}${error}`));
    }
    const outputs = Object.entries(result.outputs);
    if (outputs.length > 0) {
        const width = Math.max(...outputs.map(([key]) => key.length));
        lines.push(
            "Outputs:",
            ...outputs.map(([key, value]) => `${INDENT}${key.padEnd(width)}: ${describeValue(value)}`),
        );
    }
    lines.push(`Resources: ${resourceCounts(result)}`);
    if (!result.ok) {
        lines.push(`(exit code ${result.exitCode})`);
    }
    return lines;
}

function hasRefreshPass(result: RunResult): boolean {
    return result.steps.some((step) => step.phase === "refresh");
}

/** "+ 1 created, 1 unchanged", counted as `pulumi` does (the stack itself included). */
function resourceCounts(result: RunResult): string {
    const counts = new Map<string, number>();
    const add = (what: string): void => {
        counts.set(what, (counts.get(what) ?? 0) + 1);
    };
    for (const step of result.steps) {
        if (step.error !== undefined) {
            continue;
        }
        if (result.kind === "refresh") {
            add(step.resultOp === "delete" ? "- deleted" : step.drift === true ? "~ updated" : "unchanged");
        } else if (step.phase !== "refresh") {
            if (step.op === "same") {
                add("unchanged");
            } else {
                add(`${SYMBOL[step.op]} ${result.dryRun ? `to ${step.op}` : PAST[step.op]}`);
            }
        }
    }
    // Changes first, then what stayed the same, as `pulumi` lists them.
    return [...counts]
        .sort(([a], [b]) => Number(a === "unchanged") - Number(b === "unchanged"))
        .map(([what, n]) => (what === "unchanged" ? `${n} unchanged` : what.replace(" ", ` ${n} `)))
        .join(", ");
}

/** The AWS calls of a step: `Get → Put → Get`, with the status of any call that failed. */
export function renderCalls(requests: readonly RecordedRequest[]): string {
    if (requests.length === 0) {
        return "none";
    }
    return requests
        .map((request) => {
            // The Connect calls by their verb; STS calls (the account a create records, a role) by their action.
            const name =
                request.instanceId === undefined
                    ? request.operation
                    : request.method === "PUT"
                      ? "Put"
                      : request.method === "GET"
                        ? "Get"
                        : request.method;
            return request.status === 200 ? name : `${name} (${request.status} ${request.errorType ?? ""})`;
        })
        .join(" → ");
}

/**
 * The benchmark's output: one table per section, printed to stdout and written as BENCHMARKS.md with the
 * machine and versions it was measured on. Both carry the same rows, so a test can read either.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const Status = { Pass: "pass", Miss: "miss", None: "—" } as const;
export type Status = (typeof Status)[keyof typeof Status];

export interface Row {
    measure: string;
    /** The measured value: a count, a size, or a time (median and range of the repetitions). */
    result: string;
    /** The timed figure: the result divided by the baseline, per repetition; "—" when untimed. */
    ratio: string;
    /** What the ratio divides by, measured in the same run. */
    baseline: string;
    target: string;
    status: Status;
}

export interface SectionReport {
    /** "1. AWS calls per operation": the heading a reader, and the benchmark's test, look for. */
    heading: string;
    rows: Row[];
    /** How to read the figures: what is measured, what the baseline is, what affects them. */
    notes: string[];
}

export interface Machine {
    cpu: string;
    cores: number;
    memory: string;
    /** 1, 5 and 15 minute load averages when the run started: how busy the machine was. */
    load: string;
    os: string;
    node: string;
    pulumi: string;
    sdk: string;
    packageVersion: string;
    date: string;
}

function versionOf(root: string, name: string): string {
    const file = path.join(root, "node_modules", name, "package.json");
    try {
        const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as { version?: unknown };
        return typeof parsed.version === "string" ? parsed.version : "unknown";
    } catch {
        return "not installed";
    }
}

export function describeMachine(root: string, started: Date): Machine {
    const cpus = os.cpus();
    const own = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { version?: unknown };
    return {
        cpu: cpus[0]?.model.trim() ?? "unknown",
        cores: cpus.length,
        memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
        load: os
            .loadavg()
            .map((value) => value.toFixed(2))
            .join(" / "),
        os: `${os.type()} ${os.release()} ${os.arch()}`,
        node: process.version,
        pulumi: versionOf(root, "@pulumi/pulumi"),
        sdk: versionOf(root, "@aws-sdk/client-connectcampaignsv2"),
        packageVersion: typeof own.version === "string" ? own.version : "unknown",
        date: started.toISOString(),
    };
}

const COLUMNS: readonly { key: keyof Row; title: string }[] = [
    { key: "measure", title: "Measure" },
    { key: "result", title: "Result" },
    { key: "ratio", title: "Ratio" },
    { key: "baseline", title: "Baseline (same run) or detail" },
    { key: "target", title: "Target" },
    { key: "status", title: "Status" },
];

function cell(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** A pipe table padded to its widest cells: valid markdown, and aligned in a terminal. */
function renderTable(rows: readonly Row[]): string {
    const cells = [
        COLUMNS.map((column) => column.title),
        ...rows.map((row) => COLUMNS.map((column) => cell(row[column.key]))),
    ];
    const widths = COLUMNS.map((_, index) => Math.max(3, ...cells.map((line) => (line[index] ?? "").length)));
    const line = (values: readonly string[]): string =>
        `| ${values.map((value, index) => value.padEnd(widths[index] ?? 0)).join(" | ")} |`;
    const [header, ...body] = cells;
    return [
        line(header ?? []),
        `|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`,
        ...body.map(line),
    ].join("\n");
}

function machineLines(machine: Machine): string[] {
    return [
        `CPU: ${machine.cpu}, ${machine.cores} cores; memory ${machine.memory}; load average at start ${machine.load}`,
        `OS: ${machine.os}; Node ${machine.node}`,
        `@pulumi/pulumi ${machine.pulumi}; @aws-sdk/client-connectcampaignsv2 ${machine.sdk}; ` +
            `pulumi-connect-campaign-limits ${machine.packageVersion}`,
        `Date: ${machine.date}`,
    ];
}

const RATIO_NOTE =
    "Every timing is a ratio against a baseline measured in the same run, on the same machine, a few " +
    "seconds apart; absolute times are shown for context only and move with the machine.";

function runLine(repetitions: number, size: string, elapsedMs: number): string {
    return (
        `Size ${size}; each timed figure is the median of ${repetitions} repetition(s), with min–max in ` +
        `parentheses; the whole run took ${(elapsedMs / 1000).toFixed(0)} s.`
    );
}

/** One line per target: how many were met, and each missed one with its result. */
function targetLines(sections: readonly SectionReport[]): string[] {
    const rows = sections.flatMap((section) =>
        section.rows.map((row) => ({ section: section.heading.split(".")[0] ?? "", row })),
    );
    const met = rows.filter(({ row }) => row.status === Status.Pass).length;
    const missed = rows.filter(({ row }) => row.status === Status.Miss);
    return [
        `Targets: ${met} met, ${missed.length} missed.`,
        ...missed.map(({ section, row }) => {
            // A target stated as a ratio is about the ratio; any other (bytes, counts) about the result.
            const figure = row.target.includes("×") ? row.ratio : row.result;
            return `Missed (section ${section}): ${row.measure}: ${figure}, target ${row.target}.`;
        }),
    ];
}

export interface RunInfo {
    machine: Machine;
    size: string;
    repetitions: number;
    elapsedMs: number;
}

export function renderText(run: RunInfo, sections: readonly SectionReport[]): string {
    const parts = [
        "pulumi-connect-campaign-limits benchmark",
        ...machineLines(run.machine),
        runLine(run.repetitions, run.size, run.elapsedMs),
        RATIO_NOTE,
        ...targetLines(sections),
    ];
    for (const section of sections) {
        parts.push("", section.heading, renderTable(section.rows));
        for (const note of section.notes) {
            parts.push(`  - ${note}`);
        }
    }
    return `${parts.join("\n")}\n`;
}

export function renderMarkdown(run: RunInfo, sections: readonly SectionReport[]): string {
    const parts = [
        "# Benchmarks",
        "",
        "Generated by `npm run bench` (tools/bench/main.ts); do not edit by hand.",
        "",
        `> ${RATIO_NOTE}`,
        "",
        "## Machine",
        "",
        ...machineLines(run.machine).map((line) => `- ${line}`),
        `- ${runLine(run.repetitions, run.size, run.elapsedMs)}`,
        "",
        "## Targets",
        "",
        ...targetLines(sections).map((line) => `- ${line}`),
    ];
    for (const section of sections) {
        parts.push("", `## ${section.heading}`, "", renderTable(section.rows));
        if (section.notes.length > 0) {
            parts.push("", ...section.notes.map((note) => `- ${note}`));
        }
    }
    return `${parts.join("\n")}\n`;
}

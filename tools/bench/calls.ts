/**
 * Section 1: how many AWS calls each lifecycle method makes, counted in the emulator's request log while the
 * engine's RPC for that method runs against a real dynamic-provider host. Deterministic: every repetition
 * must give the same counts, and the benchmark's test asserts them exactly.
 */
import type { PropertyMap } from "../harness";
import type { ProviderHost } from "../harness/host";
import { LIMITS_PROGRAM, LIMITS_TYPE, PROVIDER_KEY, programInputs, urnOf } from "./context";
import type { BenchContext } from "./context";
import { Status } from "./report";
import type { Row, SectionReport } from "./report";
import { formatSummary, summarize } from "./stats";

export const CALLS_HEADING = "1. AWS calls per operation";

/** The lifecycle table's counts: the exact value for most, a ceiling for create and delete. */
const TARGETS = [
    { operation: "check", most: 0, exact: true },
    { operation: "diff", most: 0, exact: true },
    { operation: "create", most: 3, exact: false },
    { operation: "read", most: 1, exact: true },
    { operation: "update", most: 2, exact: true },
    { operation: "delete", most: 1, exact: false },
] as const;
type OperationName = (typeof TARGETS)[number]["operation"];

interface Counted {
    count: number;
    /** e.g. "GET, PUT, GET". */
    sequence: string;
}

/** The host adds `__provider` to what it returns; kept explicit so the next RPC can always find the provider. */
function withProvider(props: PropertyMap, providerText: string): PropertyMap {
    return { ...props, [PROVIDER_KEY]: providerText };
}

/** One resource through check, create, diff, read, update and delete, counting each RPC's calls. */
async function lifecycle(
    context: BenchContext,
    host: ProviderHost,
    providerText: string,
    instanceId: string,
): Promise<Map<OperationName, Counted>> {
    const counts = new Map<OperationName, Counted>();
    const counted = async <T>(operation: OperationName, rpc: () => Promise<T>): Promise<T> => {
        context.emulator.clearRequests();
        const result = await rpc();
        const requests = context.emulator.requests();
        counts.set(operation, {
            count: requests.length,
            sequence: requests.map((request) => request.method).join(", "),
        });
        return result;
    };
    const urn = urnOf("bench-limits", LIMITS_TYPE, `calls-${instanceId}`);
    const checked = await counted("check", () =>
        host.check(urn, {}, programInputs(providerText, instanceId)),
    );
    if (checked.failures.length > 0) {
        throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
    }
    const inputs = withProvider(checked.inputs, providerText);
    const created = await counted("create", () => host.create(urn, inputs));
    const outputs = withProvider(created.outputs, providerText);
    const diff = await counted("diff", () => host.diff(urn, created.id, inputs, outputs, inputs));
    if (diff.changes !== "none") {
        throw new Error(`diff right after create reported changes: ${diff.changes}`);
    }
    const read = await counted("read", () => host.read(urn, created.id, inputs, outputs));
    if (read.id !== created.id) {
        throw new Error(`read of ${created.id} answered id ${JSON.stringify(read.id)}`);
    }

    // Not counted: the engine checks the new inputs before it updates.
    const changed = await host.check(urn, inputs, programInputs(providerText, instanceId, 5));
    if (changed.failures.length > 0) {
        throw new Error(`check failed: ${JSON.stringify(changed.failures)}`);
    }
    const newInputs = withProvider(changed.inputs, providerText);
    const updated = await counted("update", () => host.update(urn, created.id, inputs, outputs, newInputs));
    await counted("delete", () =>
        host.delete(urn, created.id, newInputs, withProvider(updated.outputs, providerText)),
    );
    return counts;
}

export async function measureCalls(
    context: BenchContext,
    providerText: string,
    repetitions: number,
): Promise<SectionReport> {
    const ids = context.onboard("calls", repetitions);
    const runs = await context.withHost(LIMITS_PROGRAM, async (host) => {
        const all: Map<OperationName, Counted>[] = [];
        for (const id of ids) {
            all.push(await lifecycle(context, host, providerText, id));
        }
        return all;
    });

    const rows: Row[] = TARGETS.map(({ operation, most, exact }) => {
        const seen = runs.map((run) => run.get(operation) ?? { count: Number.NaN, sequence: "" });
        const summary = summarize(seen.map((counted) => counted.count));
        const sequences = [...new Set(seen.map((counted) => counted.sequence || "none"))];
        const met = summary.max <= most && (!exact || summary.min === most);
        return {
            measure: operation,
            result: formatSummary(summary, (value) => String(value)),
            ratio: "—",
            baseline: `requests: ${sequences.join(" | ")}`,
            target: exact ? String(most) : `≤ ${most}`,
            status: met ? Status.Pass : Status.Miss,
        };
    });
    return {
        heading: CALLS_HEADING,
        rows,
        notes: [
            "Counted in the emulator's request log while one gRPC call of that method runs against Pulumi's " +
                "dynamic-provider host, on a fresh onboarded instance per repetition, in lifecycle order " +
                "(check, create, diff, read, update, delete); deletionPolicy is the default, reset.",
            "Create reads the limits it replaces (previousConfig), writes, and reads back; update writes and " +
                "reads back; delete (reset) writes the empty list.",
        ],
    };
}

/**
 * Section 1: how many AWS calls each lifecycle method makes, counted in the emulator's request log while the
 * engine's RPC for that method runs against a real dynamic-provider host. Every operation runs in a host
 * of its own, as each deployment starts one: a host remembers what it wrote (ledger.ts) and the account it
 * found (one STS call per host), so one host running a whole lifecycle would count what no deployment does.
 * Deterministic: every repetition must give the same counts, and the benchmark's test asserts them exactly.
 */
import type { PropertyMap } from "../harness";
import type { ProviderHost } from "../harness/host";
import { PROVIDER_KEY } from "../harness";
import { LIMITS_PROGRAM, LIMITS_TYPE, limitsList, programInputs, urnOf } from "./context";
import type { BenchContext } from "./context";
import { countRequests } from "./cli";
import { Status } from "./report";
import type { Row, SectionReport } from "./report";
import { formatSummary, summarize } from "./stats";

const CALLS_HEADING = "1. AWS calls per operation";

/** The lifecycle table: Connect calls per method, and STS GetCallerIdentity calls (create: once per host). */
const TARGETS = [
    { operation: "check", connect: 0, sts: 0 },
    { operation: "diff", connect: 0, sts: 0 },
    { operation: "create", connect: 3, sts: 1 },
    { operation: "read", connect: 1, sts: 0 },
    { operation: "update: limits changed", connect: 3, sts: 0 },
    { operation: "update: live limits already match", connect: 1, sts: 0 },
    { operation: "update: only deletionPolicy changed", connect: 0, sts: 0 },
    { operation: "delete: reset", connect: 1, sts: 0 },
    { operation: "delete: restore", connect: 1, sts: 0 },
    { operation: "delete: retain", connect: 0, sts: 0 },
] as const;
type OperationName = (typeof TARGETS)[number]["operation"];

interface Counted {
    connect: number;
    sts: number;
    /** e.g. "GET, PUT, GET". */
    sequence: string;
}

/** The host adds `__provider` to what it returns; kept explicit so the next RPC can always find the provider. */
function withProvider(props: PropertyMap, providerText: string): PropertyMap {
    return { ...props, [PROVIDER_KEY]: providerText };
}

/** One resource through its lifecycle, each RPC in a fresh host, counting each RPC's calls. */
async function lifecycle(
    context: BenchContext,
    providerText: string,
    instanceId: string,
): Promise<Map<OperationName, Counted>> {
    const counts = new Map<OperationName, Counted>();
    const urn = urnOf("bench-limits", LIMITS_TYPE, `calls-${instanceId}`);
    /** `prepare` runs in the same host first, uncounted (the engine checks new inputs before an update). */
    const counted = <T>(
        operation: OperationName,
        rpc: (host: ProviderHost) => Promise<T>,
        prepare?: (host: ProviderHost) => Promise<void>,
    ): Promise<T> =>
        context.withHost(LIMITS_PROGRAM, async (host) => {
            await prepare?.(host);
            context.emulator.clearRequests();
            const result = await rpc(host);
            const requests = context.emulator.requests();
            const { connect, sts } = countRequests(requests);
            const sequence = requests
                .filter((request) => request.operation !== "GetCallerIdentity")
                .map((request) => request.method)
                .join(", ");
            counts.set(operation, { connect, sts, sequence });
            return result;
        });
    const check = async (host: ProviderHost, olds: PropertyMap, news: PropertyMap): Promise<PropertyMap> => {
        const checked = await host.check(urn, olds, news);
        if (checked.failures.length > 0) {
            throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
        }
        return withProvider(checked.inputs, providerText);
    };

    const inputs = await counted("check", (host) => check(host, {}, programInputs(providerText, instanceId)));
    const created = await counted("create", (host) => host.create(urn, inputs));
    const outputs = withProvider(created.outputs, providerText);
    const diff = await counted("diff", (host) => host.diff(urn, created.id, inputs, outputs, inputs));
    if (diff.changes !== "none") {
        throw new Error(`diff right after create reported changes: ${diff.changes}`);
    }
    const read = await counted("read", (host) => host.read(urn, created.id, inputs, outputs));
    if (read.id !== created.id) {
        throw new Error(`read of ${created.id} answered id ${JSON.stringify(read.id)}`);
    }

    // The program changes the limits: guard read, write, read-back.
    let newInputs: PropertyMap = {};
    const updated = await counted(
        "update: limits changed",
        (host) => host.update(urn, created.id, inputs, outputs, newInputs),
        async (host) => {
            newInputs = await check(host, inputs, programInputs(providerText, instanceId, 5));
        },
    );
    let current = { inputs: newInputs, outputs: withProvider(updated.outputs, providerText) };

    // The program changes them again, to what someone already set in the console: the guard read alone.
    context.emulator.setLimits(instanceId, limitsList(7));
    const matched = await counted(
        "update: live limits already match",
        (host) => host.update(urn, created.id, current.inputs, current.outputs, newInputs),
        async (host) => {
            newInputs = await check(host, current.inputs, programInputs(providerText, instanceId, 7));
        },
    );
    current = { inputs: newInputs, outputs: withProvider(matched.outputs, providerText) };

    // Only the deletion policy changes: nothing to write, nothing to read.
    const retained = await counted(
        "update: only deletionPolicy changed",
        (host) => host.update(urn, created.id, current.inputs, current.outputs, newInputs),
        async (host) => {
            newInputs = await check(host, current.inputs, {
                ...programInputs(providerText, instanceId, 7),
                deletionPolicy: "retain",
            });
        },
    );
    const state = withProvider(retained.outputs, providerText);

    // What a destroy does under each policy, from the state a policy-only update leaves.
    for (const policy of ["reset", "restore", "retain"] as const) {
        const operation: OperationName = `delete: ${policy}`;
        await counted(operation, (host) =>
            host.delete(
                urn,
                created.id,
                { ...newInputs, deletionPolicy: policy },
                { ...state, deletionPolicy: policy },
            ),
        );
    }
    return counts;
}

function plural(count: number, word: string): string {
    return `${count} ${word}${count === 1 ? "" : "s"}`;
}

export async function measureCalls(
    context: BenchContext,
    providerText: string,
    repetitions: number,
): Promise<SectionReport> {
    const ids = context.onboard("calls", repetitions);
    const runs: Map<OperationName, Counted>[] = [];
    for (const id of ids) {
        runs.push(await lifecycle(context, providerText, id));
    }

    const rows: Row[] = TARGETS.map(({ operation, connect, sts }) => {
        const seen = runs.map(
            (run) => run.get(operation) ?? { connect: Number.NaN, sts: Number.NaN, sequence: "" },
        );
        const summary = summarize(seen.map((counted) => counted.connect));
        const stsSeen = [...new Set(seen.map((counted) => counted.sts))];
        const sequences = [...new Set(seen.map((counted) => counted.sequence || "none"))];
        const met =
            summary.min === connect && summary.max === connect && stsSeen.length === 1 && stsSeen[0] === sts;
        return {
            measure: operation,
            result: formatSummary(summary, (value) => String(value)),
            ratio: "—",
            baseline: `requests: ${sequences.join(" | ")}; STS: ${stsSeen.join(" | ")}`,
            target: sts === 0 ? String(connect) : `${connect} (+${plural(sts, "STS call")} per host)`,
            status: met ? Status.Pass : Status.Miss,
        };
    });
    return {
        heading: CALLS_HEADING,
        rows,
        notes: [
            "Counted in the emulator's request log while one gRPC call of that method runs against Pulumi's " +
                "dynamic-provider host, on a fresh onboarded instance per repetition, in lifecycle order, each " +
                "call in a host of its own as each deployment starts one (a host's ledger keeps a delete from " +
                "undoing what a create of the same host wrote, and its STS answer is reused). Result: Connect " +
                "calls; STS GetCallerIdentity calls are counted apart (not under the Connect quota).",
            "Create records the account (STS, once per host), reads the limits it replaces (previousConfig), " +
                "writes, and reads back. Update reads before it writes (it refuses to overwrite what it cannot " +
                "represent), writes and reads back; a read alone when the live limits already are the desired " +
                "ones; nothing when only the deletion policy changed. Delete: reset writes the empty list, " +
                "restore writes previousConfig back, retain makes no call.",
        ],
    };
}

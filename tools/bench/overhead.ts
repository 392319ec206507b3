/**
 * Section 3: what going through Pulumi's host and this provider adds to an AWS call. A read is the host's
 * Read RPC (GetInstanceCommunicationLimits inside) against the bare SDK client sending the same Get; an
 * update is the Update RPC (Put, then the read-back Get) against the bare client sending Put then Get.
 * Both paths talk to the same emulator, alternately, after a warm-up, many times per repetition.
 */
import {
    ConnectCampaignsV2Client,
    GetInstanceCommunicationLimitsCommand,
    PutInstanceCommunicationLimitsCommand,
} from "@aws-sdk/client-connectcampaignsv2";
import type { CommunicationLimitsConfig } from "@aws-sdk/client-connectcampaignsv2";

import { FaultKind, TEST_CREDENTIALS } from "connect-campaigns-emulator";
import { PROVIDER_KEY } from "../harness";
import type { PropertyMap } from "../harness";
import { LIMITS_PROGRAM, LIMITS_TYPE, REGION, programInputs, urnOf } from "./context";
import type { BenchContext } from "./context";
import type { BenchOptions } from "./options";
import { Status } from "./report";
import type { Row, SectionReport } from "./report";
import { formatMs, formatRatio, formatSummary, median, summarize, timed } from "./stats";

const OVERHEAD_HEADING = "3. Overhead per operation";
const TARGET = 1.15;
/** An assumed round trip to a real regional endpoint, for the rows that show the overhead in proportion. */
const SERVICE_LATENCY_MS = 20;

/** The two configurations updates alternate between, as the SDK sends them (canonical order). */
function sdkConfig(maxCountPerRecipient: number): CommunicationLimitsConfig {
    return {
        allChannelSubtypes: {
            communicationLimitsList: [
                { maxCountPerRecipient: 1, frequency: 1, unit: "DAY" },
                { maxCountPerRecipient, frequency: 7, unit: "DAY" },
            ],
        },
    };
}

interface Pair {
    name: string;
    host: () => Promise<unknown>;
    direct: () => Promise<unknown>;
    baseline: string;
}

interface Measured {
    pair: Pair;
    /** Delay the emulator adds to every request; 0 for the figures the target applies to. */
    latencyMs: number;
    result: PairResult;
}

interface PairResult {
    ratios: number[];
    hostMs: number[];
    directMs: number[];
}

interface Plan {
    warmup: number;
    iterations: number;
    repetitions: number;
}

/**
 * Alternates the two paths of a pair (and which goes first), and the pairs within each repetition, so that
 * drift in machine load hits every figure alike.
 */
async function compare(pairs: readonly Pair[], plan: Plan): Promise<PairResult[]> {
    for (const pair of pairs) {
        for (let i = 0; i < plan.warmup; i++) {
            await pair.host();
            await pair.direct();
        }
    }
    const results: PairResult[] = pairs.map(() => ({ ratios: [], hostMs: [], directMs: [] }));
    for (let repetition = 0; repetition < plan.repetitions; repetition++) {
        for (const [index, pair] of pairs.entries()) {
            const host: number[] = [];
            const direct: number[] = [];
            for (let i = 0; i < plan.iterations; i++) {
                if (i % 2 === 0) {
                    host.push(await timed(pair.host));
                    direct.push(await timed(pair.direct));
                } else {
                    direct.push(await timed(pair.direct));
                    host.push(await timed(pair.host));
                }
            }
            const result = results[index];
            result?.hostMs.push(median(host));
            result?.directMs.push(median(direct));
            result?.ratios.push(median(host) / median(direct));
        }
    }
    return results;
}

export async function measureOverhead(
    context: BenchContext,
    providerText: string,
    options: BenchOptions,
): Promise<SectionReport> {
    const [id = "overhead-0000"] = context.onboard("overhead", 1);
    const client = new ConnectCampaignsV2Client({
        endpoint: context.emulator.url,
        region: REGION,
        credentials: TEST_CREDENTIALS,
    });
    try {
        const results = await context.withHost(LIMITS_PROGRAM, async (host) => {
            const urn = urnOf("bench-limits", LIMITS_TYPE, "overhead");
            const checkedInputs: PropertyMap[] = [];
            for (const max of [3, 5]) {
                const checked = await host.check(urn, {}, programInputs(providerText, id, max));
                if (checked.failures.length > 0) {
                    throw new Error(JSON.stringify(checked.failures));
                }
                checkedInputs.push({ ...checked.inputs, [PROVIDER_KEY]: providerText });
            }
            const [first = {}] = checkedInputs;
            const created = await host.create(urn, first);
            let current = { inputs: first, outputs: { ...created.outputs, [PROVIDER_KEY]: providerText } };
            let hostTurn = 0;
            let directTurn = 0;

            const read: Pair = {
                name: "read",
                host: () => host.read(urn, id, current.inputs, current.outputs),
                direct: () =>
                    client.send(new GetInstanceCommunicationLimitsCommand({ connectInstanceId: id })),
                baseline: "bare SDK client: Get",
            };
            const update: Pair = {
                name: "update",
                host: async () => {
                    hostTurn++;
                    const next = checkedInputs[hostTurn % 2] ?? first;
                    const updated = await host.update(urn, id, current.inputs, current.outputs, next);
                    current = { inputs: next, outputs: { ...updated.outputs, [PROVIDER_KEY]: providerText } };
                },
                direct: async () => {
                    directTurn++;
                    await client.send(
                        new PutInstanceCommunicationLimitsCommand({
                            connectInstanceId: id,
                            communicationLimitsConfig: sdkConfig(directTurn % 2 === 0 ? 3 : 5),
                        }),
                    );
                    await client.send(new GetInstanceCommunicationLimitsCommand({ connectInstanceId: id }));
                },
                baseline: "bare SDK client: Put, then Get",
            };
            const local: Plan = {
                warmup: options.warmupIterations,
                iterations: options.iterations,
                repetitions: options.repetitions,
            };
            const pairs = [read, update];
            const measured: Measured[] = [];
            const collect = (results: PairResult[], latencyMs: number): void => {
                results.forEach((result, index) => {
                    const pair = pairs[index];
                    if (pair !== undefined) {
                        measured.push({ pair, latencyMs, result });
                    }
                });
            };
            collect(await compare(pairs, local), 0);
            // The same comparison with every request held as long as a call to a real region might take:
            // what the fixed overhead amounts to when the service is not on the same machine.
            const remote: Plan = {
                warmup: 2,
                iterations: Math.max(5, Math.round(options.iterations / 6)),
                repetitions: options.repetitions,
            };
            context.emulator.setFaultProfile({
                seed: 3,
                rate: 1,
                kinds: [FaultKind.Latency],
                latencyMs: SERVICE_LATENCY_MS,
            });
            try {
                collect(await compare(pairs, remote), SERVICE_LATENCY_MS);
            } finally {
                context.emulator.setFaultProfile(undefined);
            }
            return measured;
        });

        const rows: Row[] = results.map(({ pair, latencyMs, result }) => {
            const ratio = summarize(result.ratios);
            const hostMs = summarize(result.hostMs);
            const directMs = summarize(result.directMs);
            const rpc = pair.name === "read" ? "Read" : "Update";
            const local = latencyMs === 0;
            return {
                measure: local
                    ? `${pair.name}: host gRPC ${rpc} vs bare SDK`
                    : `${pair.name}, ${latencyMs} ms service latency per request`,
                result: formatSummary(hostMs, formatMs),
                ratio: formatSummary(ratio, formatRatio),
                baseline:
                    `${pair.baseline}: ${formatSummary(directMs, formatMs)}; ` +
                    `the host adds ${formatMs(hostMs.median - directMs.median)}`,
                target: local ? `≤ ${formatRatio(TARGET)}` : "—",
                status: local ? (ratio.median <= TARGET ? Status.Pass : Status.Miss) : Status.None,
            };
        });
        return {
            heading: OVERHEAD_HEADING,
            rows,
            notes: [
                `Per repetition: ${options.iterations} calls of each path, alternating, after ` +
                    `${options.warmupIterations} warm-up calls each; a repetition's figure is the median ` +
                    "host time over the median SDK time. Result and baseline are those medians.",
                "The host path is the engine's view: a gRPC call to a running dynamic-provider host, which " +
                    "decodes the properties, runs the provider (validation of the stored state, the SDK call " +
                    "through the provider's client with its retry strategy and timeouts, canonical outputs) and " +
                    "encodes the answer. The SDK path is a default ConnectCampaignsV2Client in the benchmark's " +
                    "own process, which also hosts the emulator.",
                `The last two rows repeat the comparison with the emulator holding every request ` +
                    `${SERVICE_LATENCY_MS} ms (an assumed round trip to a regional endpoint), with fewer calls ` +
                    "per repetition: the same fixed cost, in proportion to a service that is not local. The " +
                    "target applies to the first two.",
            ],
        };
    } finally {
        client.destroy();
    }
}

/**
 * Section 2: what the provider costs in state. Every dynamic resource stores the serialized provider
 * (`__provider`), so its size is paid per resource, in every checkpoint the engine writes.
 */
import { PROVIDER_KEY } from "../harness";
import type { StateResource } from "../harness";
import { providerTextOf } from "./context";
import type { Deployed } from "./context";
import { Status } from "./report";
import type { Row, SectionReport } from "./report";
import { formatBytes, formatRatio } from "./stats";

const FOOTPRINT_HEADING = "2. State footprint";
/** The target: the serialized provider under 2 KB. */
const PROVIDER_BYTES_TARGET = 2048;

/** How many copies of the provider text one resource holds (inputs and outputs both carry it). */
function copiesIn(resource: StateResource, text: string): number {
    return [resource.inputs[PROVIDER_KEY], resource.outputs[PROVIDER_KEY]].filter((value) => value === text)
        .length;
}

function plural(count: number, word: string): string {
    return `${count} ${word}${count === 1 ? "" : "s"}`;
}

export function measureFootprint(
    stacks: { one: Deployed; mid: Deployed; fleet: Deployed },
    trivial: Deployed,
): SectionReport {
    const { one, mid, fleet } = stacks;
    const text = providerTextOf(fleet.resources[0]);
    const bytes = Buffer.byteLength(text, "utf8");
    const trivialBytes = Buffer.byteLength(providerTextOf(trivial.resources[0]), "utf8");
    const shared = [one, mid, fleet].every((stack) =>
        stack.resources.every((resource) => providerTextOf(resource) === text),
    );
    const copies = fleet.resources[0] === undefined ? 0 : copiesIn(fleet.resources[0], text);

    const growthLow = (mid.stateBytes - one.stateBytes) / (mid.size - one.size);
    const growthHigh = (fleet.stateBytes - mid.stateBytes) / (fleet.size - mid.size);
    const rows: Row[] = [
        {
            measure: "`__provider` per resource",
            result: formatBytes(bytes),
            ratio: formatRatio(bytes / trivialBytes),
            baseline: `trivial dynamic provider: ${formatBytes(trivialBytes)}`,
            target: `< ${formatBytes(PROVIDER_BYTES_TARGET)}`,
            status: bytes < PROVIDER_BYTES_TARGET ? Status.Pass : Status.Miss,
        },
        {
            measure: `state file, ${plural(one.size, "resource")}`,
            result: formatBytes(one.stateBytes),
            ratio: "—",
            baseline: "—",
            target: "—",
            status: Status.None,
        },
        {
            measure: `state file, ${plural(mid.size, "resource")}`,
            result: formatBytes(mid.stateBytes),
            ratio: "—",
            baseline: `+${formatBytes(growthLow)} per resource over ${plural(one.size, "resource")}`,
            target: "—",
            status: Status.None,
        },
        {
            measure: `state file, ${plural(fleet.size, "resource")}`,
            result: formatBytes(fleet.stateBytes),
            ratio: formatRatio(growthHigh / growthLow),
            baseline: `+${formatBytes(growthHigh)} per resource over ${plural(mid.size, "resource")}`,
            target: "linear: 1.00×",
            status: Math.abs(growthHigh / growthLow - 1) < 0.05 ? Status.Pass : Status.Miss,
        },
        {
            measure: "`__provider` share of each resource's state",
            result: `${formatBytes(copies * bytes)} of ${formatBytes(growthHigh)}`,
            ratio: `${((100 * copies * bytes) / growthHigh).toFixed(0)}%`,
            baseline: `${copies} copies (inputs and outputs) of ${formatBytes(bytes)}`,
            target: "—",
            status: Status.None,
        },
    ];
    return {
        heading: FOOTPRINT_HEADING,
        rows,
        notes: [
            `State files written by the harness after \`up\` (JSON indented by 2, like a checkpoint file), ` +
                `for ${one.size}, ${mid.size} and ${fleet.size} resources of the fixture program ` +
                "test/fixtures/bench/limits; sizes are exact, not timed.",
            shared
                ? "Every resource holds the same `__provider` text, so the host deserializes it once per process."
                : "Resources hold DIFFERENT `__provider` texts: the host deserializes and configures each one.",
            "The ratio of the last state-file row is the growth per resource from the mid-size to the fleet " +
                "divided by the growth from one resource to the mid-size: 1.00× is exactly linear.",
        ],
    };
}

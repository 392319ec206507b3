/**
 * What a policy sees of one communication-limits resource, read from the plain property bag the engine
 * sends (`args.props` of a resource policy: the inputs after the provider's `check`; `props` of a stack
 * policy's resources: the outputs, or in a preview the planned outputs).
 *
 * Pure: no `@pulumi/policy`, no I/O. Values not known until apply arrive as the engine's typed sentinel
 * strings (see `isUnknown`); the reader keeps them as "not known" with the property path that holds them,
 * so every rule can say what it could not check instead of guessing.
 */

/** Type tokens of the resources these policies govern. */
export const RESOURCE_TYPES = {
    /** `pulumi.dynamic.Resource` builds `pulumi-nodejs:dynamic/<module>:<type>` from its module and type. */
    dynamic: "pulumi-nodejs:dynamic/connectcampaignsv2:InstanceCommunicationLimits",
    /** The same resource served by the provider plugin. */
    plugin: "connect-campaign-limits:connectcampaignsv2:InstanceCommunicationLimits",
} as const;

const GOVERNED: ReadonlySet<string> = new Set(Object.values(RESOURCE_TYPES));

/** True for the type token of an InstanceCommunicationLimits resource, from either provider. */
export function isLimitsResource(type: string): boolean {
    return GOVERNED.has(type);
}

/**
 * The engine's sentinels for "not known until apply", one per type of the value it stands for (Go's
 * `plugin.Unknown*Value`, mirrored in `@pulumi/policy`'s deserializer). Unknown values travel as these
 * strings; a value of any type may arrive as any of them.
 */
export const UNKNOWN_SENTINELS = {
    bool: "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    number: "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    string: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    array: "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    asset: "030794c1-ac77-496b-92df-f27374a8bd58",
    archive: "e48ece36-62e2-4504-bad9-02848725956a",
    object: "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
} as const;

const SENTINELS: ReadonlySet<unknown> = new Set(Object.values(UNKNOWN_SENTINELS));

/** True for a value the engine does not know yet (in a preview, an output of a resource not yet created). */
export function isUnknown(value: unknown): boolean {
    return SENTINELS.has(value);
}

/** A value read from the resource: known, not known until apply, or not given. */
type Reading<T> =
    | { state: "known"; value: T }
    | { state: "unknown"; path: string }
    | { state: "absent" }
    | { state: "invalid"; path: string };

/** One limit with every field known and valid: at most `maxCountPerRecipient` contacts in any `frequency` days. */
export interface KnownLimit {
    maxCountPerRecipient: number;
    frequency: number;
}

/** The limits a resource sets, as far as they are known. */
type LimitsReading =
    /** The whole list (or the config holding it) is not known: there may be any limits, or none. */
    | { state: "unknown"; path: string }
    | {
          state: "known";
          /** Limits whose every field is known and valid. */
          limits: KnownLimit[];
          /** Limits with a field not known yet: each still adds a cap, of a size not known yet. */
          partial: PartialLimit[];
      };

/** A limit with at least one field not known until apply. */
interface PartialLimit {
    /** The first field not known yet, as a property path. */
    unknownPath: string;
    /** Its window, when that much is known. */
    frequency: number | undefined;
}

export interface LimitsResource {
    type: string;
    name: string;
    urn: string;
    connectInstanceId: Reading<string>;
    region: Reading<string>;
    deletionPolicy: Reading<string>;
    limits: LimitsReading;
}

const P_CONFIG = "communicationLimitsConfig";
const P_UNION = `${P_CONFIG}.allChannelSubtypes`;
const P_LIST = `${P_UNION}.communicationLimitsList`;

/** The service model's bounds (see the provider's validate.ts); a value outside them never reaches AWS. */
const MAX_COUNT = 2_147_483_647;
const MAX_FREQUENCY = 30;

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function readString(value: unknown, path: string): Reading<string> {
    if (value === undefined || value === null) {
        return { state: "absent" };
    }
    if (isUnknown(value)) {
        return { state: "unknown", path };
    }
    return typeof value === "string" ? { state: "known", value } : { state: "invalid", path };
}

function wholeNumber(value: unknown, max: number): number | undefined {
    return typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= max
        ? value
        : undefined;
}

function readLimits(config: unknown): LimitsReading {
    if (isUnknown(config)) {
        return { state: "unknown", path: P_CONFIG };
    }
    const union = isRecord(config) ? config.allChannelSubtypes : undefined;
    if (isUnknown(union)) {
        return { state: "unknown", path: P_UNION };
    }
    const list = isRecord(union) ? union.communicationLimitsList : undefined;
    if (isUnknown(list)) {
        return { state: "unknown", path: P_LIST };
    }
    const reading: LimitsReading = { state: "known", limits: [], partial: [] };
    if (!Array.isArray(list)) {
        // Absent, `{}` or malformed: no limits. (The provider's check rejects a malformed config.)
        return reading;
    }
    list.forEach((entry: unknown, index) => {
        const path = `${P_LIST}[${index}]`;
        if (isUnknown(entry)) {
            reading.partial.push({ unknownPath: path, frequency: undefined });
            return;
        }
        if (!isRecord(entry)) {
            return;
        }
        const fields = ["maxCountPerRecipient", "frequency", "unit"] as const;
        const unknownField = fields.find((field) => isUnknown(entry[field]));
        if (unknownField !== undefined) {
            reading.partial.push({
                unknownPath: `${path}.${unknownField}`,
                frequency: wholeNumber(entry.frequency, MAX_FREQUENCY),
            });
            return;
        }
        const maxCountPerRecipient = wholeNumber(entry.maxCountPerRecipient, MAX_COUNT);
        const frequency = wholeNumber(entry.frequency, MAX_FREQUENCY);
        // A limit the service would reject (wrong unit, out-of-range number) is left out: the provider's
        // check fails the resource before anything is written, so it never limits anyone.
        if (maxCountPerRecipient !== undefined && frequency !== undefined && entry.unit === "DAY") {
            reading.limits.push({ maxCountPerRecipient, frequency });
        }
    });
    reading.limits.sort(
        (a, b) => a.frequency - b.frequency || a.maxCountPerRecipient - b.maxCountPerRecipient,
    );
    return reading;
}

/**
 * Reads a governed resource from its property bag, or returns `undefined` for any other type. Keys other
 * than the resource's own (the dynamic provider's `__provider`, outputs such as `previousConfig`) are ignored.
 */
export function readLimitsResource(resource: {
    type: string;
    name: string;
    urn: string;
    props: Record<string, unknown>;
}): LimitsResource | undefined {
    if (!isLimitsResource(resource.type)) {
        return undefined;
    }
    const { props } = resource;
    return {
        type: resource.type,
        name: resource.name,
        urn: resource.urn,
        connectInstanceId: readString(props.connectInstanceId, "connectInstanceId"),
        region: readString(props.region, "region"),
        deletionPolicy: readString(props.deletionPolicy, "deletionPolicy"),
        limits: readLimits(props.communicationLimitsConfig),
    };
}

/** The stack named in a URN (`urn:pulumi:<stack>::<project>::<type>::<name>`), or `undefined`. */
export function stackOfUrn(urn: string): string | undefined {
    const match = /^urn:pulumi:([^:]+)::/.exec(urn);
    return match?.[1];
}

/**
 * How a message names the resource: its type's last segment, its name, and the instance (and region) it
 * manages, e.g. `InstanceCommunicationLimits "contact-center" on instance 0f5a… in us-west-2`.
 */
export function describeResource(resource: LimitsResource): string {
    const kind = resource.type.slice(resource.type.lastIndexOf(":") + 1);
    const id = resource.connectInstanceId;
    const instance =
        id.state === "known"
            ? `on instance ${id.value}`
            : id.state === "unknown"
              ? "on an instance not known until apply"
              : "on no instance";
    const region = resource.region.state === "known" ? ` in ${resource.region.value}` : "";
    return `${kind} ${JSON.stringify(resource.name)} ${instance}${region}`;
}

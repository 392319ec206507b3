/**
 * The policies as `@pulumi/policy` runs them: each one reads the resource out of the arguments the policy
 * server builds, parses its config, runs the pure rule and reports the verdict. Nothing here starts the
 * policy server; `index.ts` does, by constructing the pack.
 *
 * Values not known until apply. The server hands a policy `props` wrapped in a proxy that throws
 * `UnknownValueError` when a policy reads an unknown value, and it turns that error into an advisory
 * diagnostic ("can't run policy '…' during preview: <message>") whatever the policy's enforcement level. So
 * the properties are first copied into plain data, each unknown value read back as the engine's sentinel;
 * the rule decides what it can from the known values; and what it cannot decide is thrown as a
 * `CannotCheckYet`, an `UnknownValueError` carrying the rule's own message, so it is reported the same way:
 * advisory, never a pass. In `pulumi up` the values are known when the resource is registered, so the rule
 * runs again, at its own enforcement level, before the resource is written.
 */
import * as pulumi from "@pulumi/pulumi";
import * as policySdk from "@pulumi/policy";
import type {
    EnforcementLevel,
    PolicyPackArgs,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";

import {
    POLICY_NAMES,
    SCHEMAS,
    parseDeletionPoliciesConfig,
    parseMaxContactsConfig,
    parseRequiredWindowConfig,
    parseSingleManagerConfig,
} from "./config";
import type { LimitsResource } from "./resource";
import { RESOURCE_TYPES, UNKNOWN_SENTINELS, readLimitsResource, stackOfUrn } from "./resource";
import type { Verdict } from "./rules";
import { checkDeletionPolicy, checkMaxContacts, checkRequiredWindow, checkSingleManager } from "./rules";

export const PACK_NAME = "connect-campaign-limits";

/** Each policy's enforcement level when the pack's config gives none. */
export const DEFAULT_ENFORCEMENT = {
    [POLICY_NAMES.maxContacts]: "mandatory",
    [POLICY_NAMES.requiredWindow]: "mandatory",
    [POLICY_NAMES.deletionPolicies]: "advisory",
    [POLICY_NAMES.singleManager]: "mandatory",
} as const satisfies Record<string, EnforcementLevel>;

/** `@pulumi/policy`'s UnknownValueError: exported at run time, but its type is stripped from the typings. */
interface UnknownValueErrorInstance extends Error {
    readonly unknownTypeSentinel: string;
}
type UnknownValueErrorClass = new (sentinel: string, path: PropertyKey[]) => UnknownValueErrorInstance;
const { UnknownValueError } = policySdk as unknown as { UnknownValueError: UnknownValueErrorClass };

/**
 * A rule could not decide because a value is not known until apply. The policy server reports any
 * `UnknownValueError` as an advisory diagnostic with the error's message.
 */
export class CannotCheckYet extends UnknownValueError {
    constructor(message: string) {
        super(UNKNOWN_SENTINELS.string, []);
        this.message = message;
    }
}

/** True for the error the server's proxy throws on reading an unknown value. */
export function isUnknownValueError(error: unknown): error is UnknownValueErrorInstance {
    return error instanceof UnknownValueError;
}

function read(container: Record<PropertyKey, unknown>, key: PropertyKey): unknown {
    try {
        return plain(container[key]);
    } catch (error) {
        if (isUnknownValueError(error)) {
            return error.unknownTypeSentinel;
        }
        throw error;
    }
}

/**
 * A deep, plain copy of a property bag the server may have wrapped in its unknown-checking proxy, with each
 * unknown value as the engine's sentinel string (the same bag the engine sent).
 */
export function plain(value: unknown): unknown {
    if (typeof value !== "object" || value === null) {
        return value;
    }
    const container = value as Record<PropertyKey, unknown>;
    if (Array.isArray(value)) {
        return Array.from({ length: value.length }, (_, index) => read(container, index));
    }
    return Object.fromEntries(Object.keys(value).map((key) => [key, read(container, key)]));
}

function limitsResource(resource: {
    type: string;
    name: string;
    urn: string;
    props: Record<string, unknown>;
}): LimitsResource | undefined {
    return readLimitsResource({ ...resource, props: plain(resource.props) as Record<string, unknown> });
}

const APPLIES_TO = `applies only to ${RESOURCE_TYPES.dynamic} and ${RESOURCE_TYPES.plugin}`;

function governed(args: ResourceValidationArgs): LimitsResource {
    const resource = limitsResource(args);
    if (resource === undefined) {
        return args.notApplicable(APPLIES_TO);
    }
    return resource;
}

function report(verdict: Verdict, reportViolation: ReportViolation): void {
    for (const message of verdict.violations) {
        reportViolation(message);
    }
    if (verdict.cannotCheckYet !== undefined) {
        throw new CannotCheckYet(verdict.cannotCheckYet);
    }
}

/** The stack the resource belongs to: from its URN, else what the CLI told the pack (PULUMI_NODEJS_STACK). */
export function stackOf(urn: string): string {
    return stackOfUrn(urn) ?? pulumi.getStack();
}

export const maxContactsPerWindow: ResourceValidationPolicy = {
    name: POLICY_NAMES.maxContacts,
    description:
        "Communication limits, with the caps they imply over longer windows, allow no more contacts per " +
        "recipient in a window than the organisation does.",
    enforcementLevel: DEFAULT_ENFORCEMENT[POLICY_NAMES.maxContacts],
    configSchema: SCHEMAS.maxContacts,
    validateResource: (args, reportViolation) => {
        const resource = governed(args);
        report(checkMaxContacts(resource, parseMaxContactsConfig(args.getConfig())), reportViolation);
    },
};

export const requiredWindow: ResourceValidationPolicy = {
    name: POLICY_NAMES.requiredWindow,
    description:
        "Communication limits include a limit over a window the organisation requires (by default, a daily cap).",
    enforcementLevel: DEFAULT_ENFORCEMENT[POLICY_NAMES.requiredWindow],
    configSchema: SCHEMAS.requiredWindow,
    validateResource: (args, reportViolation) => {
        const resource = governed(args);
        report(checkRequiredWindow(resource, parseRequiredWindowConfig(args.getConfig())), reportViolation);
    },
};

export const allowedDeletionPolicies: ResourceValidationPolicy = {
    name: POLICY_NAMES.deletionPolicies,
    description: "Communication limits use a deletion policy the organisation allows in the stack.",
    enforcementLevel: DEFAULT_ENFORCEMENT[POLICY_NAMES.deletionPolicies],
    configSchema: SCHEMAS.deletionPolicies,
    validateResource: (args, reportViolation) => {
        const resource = governed(args);
        const config = parseDeletionPoliciesConfig(args.getConfig());
        report(checkDeletionPolicy(resource, stackOf(args.urn), config), reportViolation);
    },
};

export const singleManagerPerInstance: StackValidationPolicy = {
    name: POLICY_NAMES.singleManager,
    description:
        "A stack manages each Amazon Connect instance's communication limits with one resource at most.",
    enforcementLevel: DEFAULT_ENFORCEMENT[POLICY_NAMES.singleManager],
    configSchema: SCHEMAS.singleManager,
    validateStack: (args: StackValidationArgs, reportViolation) => {
        parseSingleManagerConfig(args.getConfig());
        const resources = args.resources.flatMap((resource) => limitsResource(resource) ?? []);
        if (resources.length === 0) {
            args.notApplicable(APPLIES_TO);
        }
        const verdict = checkSingleManager(resources);
        for (const { urn, message } of verdict.violations) {
            reportViolation(message, urn);
        }
        if (verdict.cannotCheckYet !== undefined) {
            throw new CannotCheckYet(verdict.cannotCheckYet);
        }
    },
};

export const packArgs: PolicyPackArgs = {
    displayName: "Amazon Connect outbound campaign communication limits",
    description:
        "Organisation guardrails for Amazon Connect outbound campaigns instance communication limits: caps " +
        "per window (implied caps included), a required window, deletion policies by stack, one manager per instance.",
    policies: [maxContactsPerWindow, requiredWindow, allowedDeletionPolicies, singleManagerPerInstance],
};

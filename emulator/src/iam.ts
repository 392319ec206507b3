/**
 * The authorization model: what IAM can express for the actions this emulator serves.
 *
 * The Service Authorization Reference, "Actions, resources, and condition keys for Amazon Connect Outbound
 * Campaigns" (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonconnectoutboundcampaigns.html),
 * lists no resource type for `connect-campaigns:GetInstanceCommunicationLimits` or
 * `connect-campaigns:PutInstanceCommunicationLimits` (the service's only resource type is `campaign`), so a
 * policy grants them on `"Resource": "*"` and narrows them only with global condition keys. A principal here is
 * therefore a list of allowed actions plus an optional `aws:RequestedRegion` condition; there is no per-instance
 * scoping, because IAM has none for these actions.
 */

/** Who signed a request, for IAM decisions, messages and GetCallerIdentity. */
export interface Principal {
    /** `arn:aws:iam::<account>:user/<name>` or `arn:aws:sts::<account>:assumed-role/<role>/<session>`. */
    arn: string;
    account: string;
    /** `AIDA…` for a user, `AROA…:<session>` for an assumed role. */
    userId: string;
    allowedActions?: string[];
    allowedRegions?: string[];
}

/** IAM-style match: `*` spans any characters; optionally case-insensitive. */
function wildcardMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
    const source = pattern
        .split("*")
        .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
        .join(".*");
    return new RegExp(`^${source}$`, ignoreCase ? "i" : "").test(value);
}

export type Decision = { allowed: true } | { allowed: false; message: string };

/**
 * Allows `action` in `region` when an allowed action matches it (action names ignore case, as in IAM) and, if the
 * principal has a region condition, the region matches one of its values.
 *
 * A denial is an implicit deny, worded as IAM words one for an action without a resource ("User: … is not
 * authorized to perform: codecommit:ListRepositories because no identity-based policy allows the
 * codecommit:ListRepositories action", IAM User Guide, "Troubleshoot access denied error messages"):
 * `resource` is quoted only for actions that have one (sts:AssumeRole on a role).
 */
export function authorize(principal: Principal, action: string, region: string, resource?: string): Decision {
    const actionAllowed =
        principal.allowedActions === undefined ||
        principal.allowedActions.some((pattern) => wildcardMatch(pattern, action, true));
    const regionAllowed =
        principal.allowedRegions === undefined ||
        principal.allowedRegions.some((pattern) => wildcardMatch(pattern, region, false));
    if (actionAllowed && regionAllowed) {
        return { allowed: true };
    }
    const on = resource === undefined ? "" : ` on resource: ${resource}`;
    return {
        allowed: false,
        message: `User: ${principal.arn} is not authorized to perform: ${action}${on} because no identity-based policy allows the ${action} action`,
    };
}

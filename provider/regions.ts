/**
 * Where Amazon Connect outbound campaigns (Campaigns V2, signing name `connect-campaigns`) has endpoints.
 * Pure facts.
 *
 * Source: the AWS endpoint data, botocore `botocore/data/endpoints.json`, partition `aws`, service
 * `connect-campaigns`, as of 2026: these ten regions; FIPS variants (tag `fips`,
 * `connect-campaigns-fips.<region>.amazonaws.com`, also the deprecated `fips-us-east-1` / `fips-us-west-2`
 * entries) in us-east-1 and us-west-2 only; no dual-stack variant; no entry in any other partition (China,
 * GovCloud, ISO). The SDKs' endpoint rules (botocore `connectcampaignsv2/2024-04-23/endpoint-rule-set-1.json`,
 * the same in `@aws-sdk/client-connectcampaignsv2`) build a name for any region of a partition — FIPS and
 * dual-stack (`api.aws`) included — without knowing whether it exists. AWS adds regions over time, so these
 * lists only explain a failure (a name that does not resolve), never refuse a region before trying it.
 */
export const SERVICE_REGIONS: readonly string[] = [
    "af-south-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ca-central-1",
    "eu-central-1",
    "eu-west-2",
    "us-east-1",
    "us-west-2",
];

/** The regions of `SERVICE_REGIONS` with a FIPS endpoint (`AWS_USE_FIPS_ENDPOINT=true`). */
export const FIPS_REGIONS: readonly string[] = ["us-east-1", "us-west-2"];

export const ENDPOINT_DATA_AS_OF = "2026";

export function isServiceRegion(region: string): boolean {
    return SERVICE_REGIONS.includes(region);
}

export function hasFipsEndpoint(region: string): boolean {
    return FIPS_REGIONS.includes(region);
}

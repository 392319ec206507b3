/**
 * Where Amazon Connect outbound campaigns (Campaigns V2, signing name `connect-campaigns`) has endpoints.
 * Pure facts.
 *
 * Source: the AWS endpoint data, botocore `botocore/data/endpoints.json`, service `connect-campaigns`
 * (the same list the SDKs' endpoint rules resolve), as of 2026: no China or GovCloud partition entries;
 * FIPS endpoints (`connect-campaigns-fips.<region>.amazonaws.com`) in us-east-1 and us-west-2; dual-stack
 * endpoints under `api.aws`. AWS adds regions over time, so these are used only to explain a failure
 * (a region whose endpoint does not resolve), never to refuse a region before trying it.
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

export const ENDPOINT_DATA_AS_OF = "2026";

export function isServiceRegion(region: string): boolean {
    return SERVICE_REGIONS.includes(region);
}

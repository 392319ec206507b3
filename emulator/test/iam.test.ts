/**
 * Who may do what, and where: IAM actions and the `aws:RequestedRegion` condition (the only narrowing IAM offers
 * for these two actions, which have no resource type), accounts and regions as the scope of an instance, and STS
 * AssumeRole and GetCallerIdentity.
 */
import assert from "node:assert/strict";
import { TEST_ACCOUNT_ID, TEST_CREDENTIALS } from "../src";
import {
    INSTANCE,
    client,
    errorOf,
    get,
    issued,
    limitsList,
    put,
    rawGet,
    rawPut,
    serviceError,
    start,
    sts,
    xmlField,
} from "./support";

const GET = "connect-campaigns:GetInstanceCommunicationLimits";
const PUT = "connect-campaigns:PutInstanceCommunicationLimits";
const OTHER_ACCOUNT = "210987654321";
const USER_ARN = `arn:aws:iam::${TEST_ACCOUNT_ID}:user/emulator`;

const readOnly = {
    accessKeyId: "AKIAREADONLY00000001",
    secretAccessKey: "read-only-secret",
    allowedActions: [GET],
};

function implicitDeny(principalArn: string, action: string): string {
    return `User: ${principalArn} is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`;
}

describe("IAM actions and conditions", () => {
    it("denies an action outside allowedActions with IAM's implicit deny for an action without a resource type", async () => {
        const emulator = await start({ credentials: [readOnly] });
        const sdk = client(emulator, { credentials: readOnly });
        assert.equal((await get(sdk)).$metadata.httpStatusCode, 200);
        const error = await serviceError(put(sdk, {}));
        assert.equal(error.name, "AccessDeniedException");
        assert.equal(error.$metadata.httpStatusCode, 403);
        assert.equal(error.message, implicitDeny(USER_ARN, PUT));
        assert.doesNotMatch(error.message, /on resource|instance\//);
    });

    it("checks authorization before validation, so a denied invalid PUT is a 403", async () => {
        const emulator = await start({ credentials: [readOnly] });
        const response = await rawPut(emulator, "{}", INSTANCE, readOnly);
        assert.equal(response.status, 403);
        assert.equal(errorOf(response).type, "AccessDeniedException");
    });

    it("matches allowedActions with * wildcards and without regard to case, as IAM matches action names", async () => {
        const wildcard = { ...readOnly, allowedActions: ["Connect-Campaigns:*instancecommunicationlimits"] };
        const emulator = await start({ credentials: [wildcard] });
        const sdk = client(emulator, { credentials: wildcard });
        await put(sdk, {});
        await get(sdk);
        assert.deepEqual(
            emulator.requests().map((r) => r.status),
            [200, 200],
        );
    });

    it("lets a key allowed both actions manage every instance of its account, since IAM cannot scope them to one", async () => {
        const both = { ...readOnly, allowedActions: [GET, PUT] };
        const emulator = await start({ credentials: [both], instances: ["inst-a", "inst-b"] });
        const sdk = client(emulator, { credentials: both });
        const config = limitsList({ maxCountPerRecipient: 2, frequency: 7, unit: "DAY" });
        for (const id of ["inst-a", "inst-b"]) {
            await put(sdk, config, id);
            assert.deepEqual((await get(sdk, id)).communicationLimitsConfig, config);
        }
    });

    it("holds a key with an aws:RequestedRegion condition to its regions, refusing others before looking for the instance", async () => {
        const oneRegion = { ...readOnly, allowedActions: [GET, PUT], allowedRegions: ["us-west-2", "eu-*"] };
        const emulator = await start({
            credentials: [oneRegion],
            instances: [
                INSTANCE,
                { id: INSTANCE, region: "ap-southeast-2" },
                { id: INSTANCE, region: "eu-west-2" },
            ],
        });
        assert.equal((await get(client(emulator, { credentials: oneRegion }))).$metadata.httpStatusCode, 200);
        const inEurope = client(emulator, { credentials: oneRegion, region: "eu-west-2" });
        assert.equal((await get(inEurope)).$metadata.httpStatusCode, 200);

        const sydney = client(emulator, { credentials: oneRegion, region: "ap-southeast-2" });
        const denied = await serviceError(put(sydney, {}));
        assert.equal(denied.name, "AccessDeniedException");
        assert.equal(denied.message, implicitDeny(USER_ARN, PUT));
        // Authorization comes before existence: an instance that is nowhere is refused the same way.
        assert.equal((await serviceError(get(sydney, "nowhere"))).name, "AccessDeniedException");
        assert.equal(emulator.limits(INSTANCE, { region: "ap-southeast-2" }), undefined);
        assert.deepEqual(
            emulator.requests().map((r) => [r.region, r.status]),
            [
                ["us-west-2", 200],
                ["eu-west-2", 200],
                ["ap-southeast-2", 403],
                ["ap-southeast-2", 403],
            ],
        );
    });
});

describe("accounts and regions", () => {
    const otherKey = {
        accessKeyId: "AKIAOTHERACCOUNT0001",
        secretAccessKey: "other-account-secret",
        account: OTHER_ACCOUNT,
        userName: "ci",
    };

    it("answers 404 for an instance that exists only in another region, naming the account and region searched", async () => {
        const emulator = await start({ instances: [{ id: "eu-only", region: "eu-west-2" }] });
        const error = await serviceError(get(client(emulator), "eu-only"));
        assert.equal(error.name, "ResourceNotFoundException");
        assert.equal(
            error.message,
            `Amazon Connect instance eu-only was not found in account ${TEST_ACCOUNT_ID}, region us-west-2.`,
        );
        assert.equal(
            (await get(client(emulator, { region: "eu-west-2" }), "eu-only")).$metadata.httpStatusCode,
            200,
        );
    });

    it("keeps one instance id apart in each account and region it exists in", async () => {
        const emulator = await start({
            credentials: [TEST_CREDENTIALS, otherKey],
            instances: [
                INSTANCE,
                { id: INSTANCE, account: OTHER_ACCOUNT },
                { id: INSTANCE, region: "eu-west-2" },
            ],
        });
        const mine = limitsList({ maxCountPerRecipient: 1, frequency: 1, unit: "DAY" });
        const theirs = limitsList({ maxCountPerRecipient: 5, frequency: 5, unit: "DAY" });
        await put(client(emulator), mine);
        await put(client(emulator, { credentials: otherKey }), theirs);
        assert.deepEqual(emulator.limits(INSTANCE, { account: TEST_ACCOUNT_ID, region: "us-west-2" }), mine);
        assert.deepEqual(emulator.limits(INSTANCE, { account: OTHER_ACCOUNT }), theirs);
        assert.equal(emulator.limits(INSTANCE, { region: "eu-west-2" }), undefined);
        assert.throws(
            () => emulator.limits(INSTANCE),
            /onboarded in .* and .*; say which with \{ account, region \}/,
        );
        assert.deepEqual(
            emulator.requests().map((r) => [r.accessKeyId, r.account]),
            [
                [TEST_CREDENTIALS.accessKeyId, TEST_ACCOUNT_ID],
                [otherKey.accessKeyId, OTHER_ACCOUNT],
            ],
        );
    });

    it("answers a key of another account 404 for this account's instance, as if it did not exist", async () => {
        const emulator = await start({ credentials: [TEST_CREDENTIALS, otherKey] });
        const response = await rawGet(emulator, INSTANCE, otherKey);
        assert.equal(response.status, 404);
        assert.deepEqual(errorOf(response), {
            type: "ResourceNotFoundException",
            message: `Amazon Connect instance ${INSTANCE} was not found in account ${OTHER_ACCOUNT}, region us-west-2.`,
        });
    });
});

describe("STS", () => {
    const roleArn = `arn:aws:iam::${TEST_ACCOUNT_ID}:role/campaigns/LimitsReader`;
    const role = { roleArn, externalId: "pulumi-ext-1", allowedActions: [GET] };

    it("issues temporary credentials that work against the Connect routes with the role's permissions", async () => {
        const emulator = await start({ roles: [role] });
        const response = await sts(emulator, {
            Action: "AssumeRole",
            RoleArn: roleArn,
            RoleSessionName: "pulumi-preview",
            ExternalId: "pulumi-ext-1",
        });
        assert.equal(response.status, 200, response.body);
        assert.match(
            response.body,
            /^<AssumeRoleResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">/,
        );
        const credentials = issued(response.body);
        assert.match(credentials.accessKeyId, /^ASIA[A-Z2-7]{16}$/);
        assert.ok(Date.parse(xmlField(response.body, "Expiration")) > Date.now());
        const assumedArn = `arn:aws:sts::${TEST_ACCOUNT_ID}:assumed-role/LimitsReader/pulumi-preview`;
        assert.equal(xmlField(response.body, "Arn"), assumedArn);
        assert.equal(xmlField(response.body, "RequestId"), response.headers["x-amzn-requestid"]);

        const sdk = client(emulator, { credentials });
        assert.equal((await get(sdk)).$metadata.httpStatusCode, 200);
        const denied = await serviceError(put(sdk, {}));
        assert.equal(denied.name, "AccessDeniedException");
        assert.equal(denied.message, implicitDeny(assumedArn, PUT));
        assert.deepEqual(
            emulator.requests().map((r) => [r.operation, r.accessKeyId]),
            [
                ["AssumeRole", TEST_CREDENTIALS.accessKeyId],
                ["GetInstanceCommunicationLimits", credentials.accessKeyId],
                ["PutInstanceCommunicationLimits", credentials.accessKeyId],
            ],
        );
        assert.deepEqual(emulator.requests()[0]?.body, {
            Version: "2011-06-15",
            Action: "AssumeRole",
            RoleArn: roleArn,
            RoleSessionName: "pulumi-preview",
            ExternalId: "pulumi-ext-1",
        });
    });

    it("gives credentials in the role's account, which see that account's instances and not the caller's", async () => {
        const partnerRole = `arn:aws:iam::${OTHER_ACCOUNT}:role/PartnerLimits`;
        const emulator = await start({
            roles: [{ roleArn: partnerRole }],
            instances: [INSTANCE, { id: "partner-inst", account: OTHER_ACCOUNT }],
        });
        const assumed = await sts(emulator, {
            Action: "AssumeRole",
            RoleArn: partnerRole,
            RoleSessionName: "s1",
        });
        assert.equal(assumed.status, 200, assumed.body);
        const credentials = issued(assumed.body);
        const identity = await sts(emulator, { Action: "GetCallerIdentity" }, credentials);
        assert.equal(identity.status, 200, identity.body);
        assert.equal(xmlField(identity.body, "Account"), OTHER_ACCOUNT);
        assert.equal(
            xmlField(identity.body, "Arn"),
            `arn:aws:sts::${OTHER_ACCOUNT}:assumed-role/PartnerLimits/s1`,
        );
        assert.match(xmlField(identity.body, "UserId"), /^AROA[A-Z2-7]{17}:s1$/);

        const sdk = client(emulator, { credentials });
        assert.equal((await get(sdk, "partner-inst")).$metadata.httpStatusCode, 200);
        assert.equal((await serviceError(get(sdk, INSTANCE))).name, "ResourceNotFoundException");
        assert.equal(emulator.requests().at(-1)?.account, OTHER_ACCOUNT);
    });

    it("answers GetCallerIdentity for a key allowed nothing, as the operation needs no permission", async () => {
        const nothing = {
            accessKeyId: "AKIANOTHINGALLOWED01",
            secretAccessKey: "nothing",
            allowedActions: [],
        };
        const emulator = await start({ credentials: [nothing] });
        const response = await sts(emulator, { Action: "GetCallerIdentity" }, nothing);
        assert.equal(response.status, 200, response.body);
        assert.match(
            response.body,
            /^<GetCallerIdentityResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/"><GetCallerIdentityResult><Arn>/,
        );
        assert.equal(xmlField(response.body, "Arn"), USER_ARN);
        assert.equal(xmlField(response.body, "Account"), TEST_ACCOUNT_ID);
        assert.match(xmlField(response.body, "UserId"), /^AIDA[A-Z2-7]{17}$/);
        assert.equal(xmlField(response.body, "RequestId"), response.headers["x-amzn-requestid"]);
        assert.equal(emulator.requests()[0]?.operation, "GetCallerIdentity");
    });

    it("denies AssumeRole to a key not allowed sts:AssumeRole, quoting the role as the resource", async () => {
        const emulator = await start({ roles: [role], credentials: [readOnly] });
        const response = await sts(
            emulator,
            { Action: "AssumeRole", RoleArn: roleArn, RoleSessionName: "s1", ExternalId: "pulumi-ext-1" },
            readOnly,
        );
        assert.equal(response.status, 403);
        assert.equal(
            xmlField(response.body, "Message"),
            `User: ${USER_ARN} is not authorized to perform: sts:AssumeRole on resource: ${roleArn} because no identity-based policy allows the sts:AssumeRole action`,
        );
    });

    it("denies a wrong ExternalId and an unknown role with a 403 STS AccessDenied error", async () => {
        const emulator = await start({ roles: [role] });
        for (const fields of [
            { RoleArn: roleArn, RoleSessionName: "s1", ExternalId: "wrong" },
            { RoleArn: roleArn, RoleSessionName: "s1" },
            { RoleArn: `arn:aws:iam::${TEST_ACCOUNT_ID}:role/Nobody`, RoleSessionName: "s1" },
        ]) {
            const response = await sts(emulator, { Action: "AssumeRole", ...fields });
            assert.equal(response.status, 403);
            assert.match(
                response.body,
                /^<ErrorResponse[^>]*><Error><Type>Sender<\/Type><Code>AccessDenied<\/Code>/,
            );
            assert.equal(
                xmlField(response.body, "Message"),
                `User: ${USER_ARN} is not authorized to perform: sts:AssumeRole on resource: ${fields.RoleArn}`,
            );
            assert.equal(xmlField(response.body, "RequestId"), response.headers["x-amzn-requestid"]);
        }
    });

    it("rejects AssumeRole signed with a wrong secret with STS's SignatureDoesNotMatch", async () => {
        const emulator = await start({ roles: [role] });
        const response = await sts(
            emulator,
            { Action: "AssumeRole", RoleArn: roleArn, RoleSessionName: "s1" },
            { accessKeyId: TEST_CREDENTIALS.accessKeyId, secretAccessKey: "wrong" },
        );
        assert.equal(response.status, 403);
        assert.equal(xmlField(response.body, "Code"), "SignatureDoesNotMatch");
    });

    it("answers an unknown STS action with InvalidAction", async () => {
        const emulator = await start();
        const response = await sts(emulator, { Action: "GetSessionToken" });
        assert.equal(response.status, 400);
        assert.equal(xmlField(response.body, "Code"), "InvalidAction");
    });
});

import assert from "node:assert/strict";

import { redact } from "../../provider/redact";

const TOKEN = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLXdlc3QtMiJHMEUCIQD0secret0token";
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

/** AWS's answer to a request signed with the wrong secret quotes the canonical request and string to sign. */
const SIGNATURE_MISMATCH =
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret " +
    "Access Key and signing method. Consult the service documentation for details.\n\nThe Canonical String for " +
    "this request should have been\n'GET\n/v2/connect-instance/abc/communication-limits\n\nhost:connect-campaigns." +
    `us-west-2.amazonaws.com\nx-amz-date:20261201T120000Z\nx-amz-security-token:${TOKEN}\n\nhost;x-amz-date;` +
    "x-amz-security-token\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'\n\nThe String-to-Sign " +
    "should have been\n'AWS4-HMAC-SHA256\n20261201T120000Z\n20261201/us-west-2/connect-campaigns/aws4_request\n" +
    "5f2a1f0d0b0a8e8e6e2d1c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a19'";

describe("removing credentials from quoted text (redact)", () => {
    it("removes the session token from a signature-mismatch answer and keeps the rest readable", () => {
        const out = redact(SIGNATURE_MISMATCH);
        assert.ok(!out.includes(TOKEN), out);
        assert.match(out, /x-amz-security-token:\[redacted\]/);
        assert.match(out, /The request signature we calculated does not match/);
    });

    it("removes the credentials in use wherever they appear, whatever labels them", () => {
        const out = redact(`key ${SECRET} and token ${TOKEN} in free text`, [SECRET, TOKEN]);
        assert.equal(out, "key [redacted] and token [redacted] in free text");
    });

    it("removes signatures, labelled secret keys and session tokens, in headers, JSON and XML", () => {
        const text =
            "Authorization: AWS4-HMAC-SHA256 Credential=AKIA/x, SignedHeaders=host, Signature=" +
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef " +
            `{"secretAccessKey":"${SECRET}","sessionToken":"${TOKEN}"} <SecretAccessKey>${SECRET}</SecretAccessKey>`;
        const out = redact(text);
        for (const secret of [SECRET, TOKEN, "0123456789abcdef0123456789abcdef"]) {
            assert.ok(!out.includes(secret), out);
        }
    });

    it("leaves text without credentials unchanged", () => {
        const text =
            "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: connect-campaigns:GetInstanceCommunicationLimits";
        assert.equal(redact(text, ["short"]), text);
    });
});

/**
 * Removes credentials from text this provider quotes (AWS error messages, response bodies). Pure.
 *
 * AWS's signature-mismatch answers quote the canonical request and the string to sign, which hold the
 * session token (`x-amz-security-token`), and an `Authorization` header carries the key id and signature.
 * Every value given in `secrets` (the secret key and session token in use) is removed wherever it appears,
 * and so is anything shaped like a token, a signature or a secret key after its usual label.
 */
const REDACTED = "[redacted]";

const PATTERNS: readonly [RegExp, string][] = [
    // `x-amz-security-token:IQoJ…` in a canonical request, `X-Amz-Security-Token=…` in a query string.
    [/(x-amz-security-token\s*[:=]\s*)[^\s'"&,;]+/gi, `$1${REDACTED}`],
    [/(Signature\s*=\s*)[0-9a-f]{16,}/gi, `$1${REDACTED}`],
    [
        /(aws_secret_access_key|secretAccessKey|SecretAccessKey|sessionToken|SessionToken)(["']?\s*[:=]\s*["']?)[^\s'",;}]+/g,
        `$1$2${REDACTED}`,
    ],
    [/(<(?:SecretAccessKey|SessionToken)>)[^<]*(<\/)/g, `$1${REDACTED}$2`],
];

export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
    let out = text;
    for (const secret of secrets) {
        if (secret !== undefined && secret.length >= 8) {
            out = out.split(secret).join(REDACTED);
        }
    }
    for (const [pattern, replacement] of PATTERNS) {
        out = out.replace(pattern, replacement);
    }
    return out;
}

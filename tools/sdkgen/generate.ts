/**
 * `npm run sdk:gen -- <go|python|nodejs> <out dir>`: the SDK of one language from the plugin's schema
 * (`plugin/bin/schema.js`, so run `npm run build` first), through `main.go` (see there why not
 * `pulumi package gen-sdk`).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export function generateSdk(language: string, out: string): void {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- compiled by npm run build
    const { SCHEMA_JSON } = require("../../plugin/bin/schema") as { SCHEMA_JSON: string };
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "sdkgen-"));
    try {
        const schema = path.join(scratch, "schema.json");
        fs.writeFileSync(schema, SCHEMA_JSON);
        execFileSync("go", ["run", ".", schema, language, path.resolve(out)], {
            cwd: __dirname,
            stdio: ["ignore", "inherit", "inherit"],
            env: { ...process.env, GOFLAGS: "-mod=readonly -buildvcs=false", GOTOOLCHAIN: "local" },
        });
    } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
    }
}

if (require.main === module) {
    const [language, out] = process.argv.slice(2);
    if (language === undefined || out === undefined) {
        throw new Error("usage: npm run sdk:gen -- <go|python|nodejs> <out dir>");
    }
    generateSdk(language, out);
}

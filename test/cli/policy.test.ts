/**
 * The organisation's guardrails under the real CLI: `pulumi preview --policy-pack policy/` stops a violating
 * program with the pack's exact messages before any AWS call, passes a compliant one, reports what it cannot
 * check yet as advisory, and `pulumi up` refuses a resource once its values are known, before writing it.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

import { REPO_ROOT } from "../../tools/pulumi-cli/locate";
import { COMPLIANT, PACK, UNKNOWN, VIOLATING } from "../../policy/test/fixtures/expected";
import type { ExpectedDiagnostic } from "../../policy/test/fixtures/expected";
import { CliWorkspace, transcript } from "./support/cli";
import type { CliResult } from "./support/cli";
import { serviceEnv, startService } from "./support/service";
import type { Service } from "./support/service";

const PACK_DIR = path.join(REPO_ROOT, "policy");
const FIXTURES = path.join(REPO_ROOT, "policy", "test", "fixtures");
const TYPE = "pulumi-nodejs:dynamic/connectcampaignsv2:InstanceCommunicationLimits";
const A = "0f5a1b2c-3d4e-5f60-7182-93a4b5c6d7e8";
const B = "1a2b3c4d-5e6f-4a5b-8c9d-0e1f2a3b4c5d";

/** How the CLI prints one policy diagnostic: a header line, then the message's lines indented. */
function assertReported(result: CliResult, diagnostic: ExpectedDiagnostic): void {
    const out = result.stdout;
    const header = `[${diagnostic.enforcementLevel}]  ${diagnostic.policyName}  (${TYPE}: ${diagnostic.resource})`;
    assert.ok(out.includes(header), `missing "${header}"\n${transcript(result)}`);
    for (const line of diagnostic.message.split("\n")) {
        assert.ok(out.includes(line), `missing "${line}"\n${transcript(result)}`);
    }
}

function levels(result: CliResult): string[] {
    return [...result.stdout.matchAll(/- \[(mandatory|advisory)\]/g)].map((m) => m[1] ?? "");
}

describe("the policy pack through the real pulumi CLI", function () {
    this.timeout(900_000);
    let service: Service;
    let workspace: CliWorkspace;

    before(async () => {
        assert.ok(
            fs.existsSync(path.join(PACK_DIR, "dist", "index.js")),
            "the pack is built (npm run build)",
        );
        service = await startService({ instances: [A, B] });
        workspace = CliWorkspace.create(serviceEnv(service));
    });
    after(async () => {
        workspace?.dispose();
        await service?.close();
    });

    it("stops a violating preview with every violation's exact message, before any AWS call", async () => {
        const stack = await workspace.stack(
            workspace.project(path.join(FIXTURES, "violating")),
            VIOLATING.stack,
        );
        service.clearRequests();
        const preview = await stack.run(["preview", "--policy-pack", PACK_DIR]);
        assert.notEqual(preview.code, 0, transcript(preview));
        assert.ok(preview.stdout.includes(`❌ ${PACK}`), transcript(preview));
        for (const diagnostic of VIOLATING.diagnostics) {
            assertReported(preview, diagnostic);
        }
        assert.deepEqual(levels(preview).sort(), VIOLATING.diagnostics.map((d) => d.enforcementLevel).sort());
        assert.equal(service.requests().length, 0, "no request reached the service");
    });

    it("passes a compliant preview without a diagnostic, before any AWS call", async () => {
        const stack = await workspace.stack(
            workspace.project(path.join(FIXTURES, "compliant")),
            COMPLIANT.stack,
        );
        service.clearRequests();
        const preview = await stack.run(["preview", "--policy-pack", PACK_DIR]);
        assert.equal(preview.code, 0, transcript(preview));
        assert.ok(preview.stdout.includes(`✅ ${PACK}`), transcript(preview));
        assert.deepEqual(levels(preview), []);
        assert.equal(service.requests().length, 0);
    });

    it("reports a value not known in preview as advisory, and refuses the resource at up before writing it", async () => {
        const stack = await workspace.stack(workspace.project(path.join(FIXTURES, "unknown")), UNKNOWN.stack);
        const preview = await stack.run(["preview", "--policy-pack", PACK_DIR]);
        assert.equal(preview.code, 0, transcript(preview));
        for (const diagnostic of UNKNOWN.diagnostics) {
            assertReported(preview, diagnostic);
        }
        assert.deepEqual(levels(preview), ["advisory"]);

        service.clearRequests();
        const up = await stack.run(["up", "--yes", "--policy-pack", PACK_DIR]);
        assert.notEqual(up.code, 0, transcript(up));
        for (const diagnostic of UNKNOWN.upDiagnostics) {
            assertReported(up, diagnostic);
        }
        assert.ok(
            service.count("PutInstanceCommunicationLimits", UNKNOWN.firstInstance) >= 1,
            "first was written",
        );
        assert.equal(
            service.count(undefined, B),
            0,
            "derived was refused before any request for its instance",
        );
    });

    it("takes its configuration from --policy-pack-config, and refuses a bad one with the pack's message", async () => {
        const dir = workspace.project(path.join(FIXTURES, "compliant"));
        const stack = await workspace.stack(dir, "config");
        const file = (name: string, config: unknown) => {
            const target = path.join(workspace.dir, name);
            fs.writeFileSync(target, JSON.stringify(config));
            return target;
        };
        const outOfRange = await stack.run([
            "preview",
            "--policy-pack",
            PACK_DIR,
            "--policy-pack-config",
            file("range.json", { "max-contacts-per-window": { maxCountPerRecipient: { "7": 0 } } }),
        ]);
        assert.notEqual(outOfRange.code, 0);
        assert.match(
            outOfRange.stdout + outOfRange.stderr,
            /max-contacts-per-window: maxCountPerRecipient\.7: Must be greater than or equal to 1/,
        );
        const misspelt = await stack.run([
            "preview",
            "--policy-pack",
            PACK_DIR,
            "--policy-pack-config",
            file("misspelt.json", { "max-contacts-per-window": { maxCountPerRecipent: { "7": 3 } } }),
        ]);
        assert.notEqual(misspelt.code, 0);
        assert.match(
            misspelt.stdout + misspelt.stderr,
            /max-contacts-per-window: unknown config property "maxCountPerRecipent"; its properties are maxCountPerRecipient \(and enforcementLevel\)\./,
        );
        const advisory = await stack.run([
            "preview",
            "--policy-pack",
            PACK_DIR,
            "--policy-pack-config",
            file("advisory.json", { all: "advisory", "required-window": { frequencies: [7] } }),
        ]);
        assert.equal(advisory.code, 0, transcript(advisory));
        assert.equal(
            (advisory.stdout.match(/\[advisory\] {2}required-window/g) ?? []).length,
            2,
            transcript(advisory),
        );
    });
});

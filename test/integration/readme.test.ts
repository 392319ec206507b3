/**
 * What the README says holds:
 * - its TypeScript examples compile: each ```ts block is type-checked as a program of its own, strict, against
 *   the package's own types;
 * - its IAM section quotes the Service Authorization Reference's rows for the two actions (no resource type, no
 *   condition key), with the reference's address, and its policy grants them on `"Resource": "*"`;
 * - no IAM policy or access-denied advice anywhere in the product names an Amazon Connect instance ARN as a
 *   resource: IAM cannot scope these actions to one;
 * - its dependency section names exactly what package.json lists.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "..", "..");

const REFERENCE_URL =
    "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonconnectoutboundcampaigns.html";
/** The reference's rows: action, description, access level; both with no resource type and no condition key. */
const REFERENCE_ROWS = [
    [
        "GetInstanceCommunicationLimits",
        "Grants permission to get the communication limits configuration of an Amazon Connect instance",
        "Read",
    ],
    [
        "PutInstanceCommunicationLimits",
        "Grants permission to put the communication limits configuration of an Amazon Connect instance",
        "Write",
    ],
] as const;
/** Where the product speaks of IAM: its documentation, the provider, the emulator, the examples, plugin and pack. */
const SCANNED = ["README.md", "provider", "emulator/src", "examples", "plugin/src", "policy/src"];
const TEXT_FILE = /\.(ts|js|py|md|ya?ml|json)$/;
/** An Amazon Connect instance ARN, literal, templated (`arn:${partition}:…`) or as a pattern (`instance\/`). */
const INSTANCE_ARN = /arn:[^:\s]*:connect:[^:\s]*:[^:\s]*:instance\\?\//g;
/** What marks text as an IAM policy or an access-denied message or advice. */
const POLICY_MARKERS = [
    /"?Resource"?\s*:/,
    /"?Effect"?\s*:/,
    /Next step: allow/,
    /not authorized to perform/,
    /on resource:/,
    /identity-based policy/,
];
/** Lines either side of a mention that count as its statement, message or advice. */
const CONTEXT_LINES = 3;

function readme(): string {
    return fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
}

/** The README's "## IAM policy" section, up to the next section. */
function iamSection(): string {
    const text = readme();
    const start = text.indexOf("\n## IAM policy\n");
    assert.ok(start >= 0, "the README has no IAM policy section");
    const end = text.indexOf("\n## ", start + 1);
    return text.slice(start, end < 0 ? undefined : end);
}

function filesUnder(relative: string): string[] {
    const full = path.join(ROOT, relative);
    if (fs.statSync(full).isFile()) {
        return [relative];
    }
    return fs.readdirSync(full, { withFileTypes: true }).flatMap((entry) => {
        const child = path.join(relative, entry.name);
        if (entry.isDirectory()) {
            return entry.name === "node_modules" || entry.name.startsWith(".") ? [] : filesUnder(child);
        }
        return TEXT_FILE.test(entry.name) ? [child] : [];
    });
}

interface Mention {
    where: string;
    context: string;
}

/** Every instance ARN in `text`, with the lines around it. */
function instanceArnMentions(file: string, text: string): Mention[] {
    const lines = text.split("\n");
    return lines.flatMap((line, i) =>
        [...line.matchAll(INSTANCE_ARN)].map(() => ({
            where: `${file}:${i + 1}`,
            context: lines.slice(Math.max(0, i - CONTEXT_LINES), i + CONTEXT_LINES + 1).join("\n"),
        })),
    );
}

/** The IAM policy documents in a Markdown text: its ```json blocks that have a Statement. */
function policyDocuments(text: string): { Statement: Record<string, unknown>[] }[] {
    return [...text.matchAll(/```json\n([\s\S]*?)```/g)]
        .map((m) => JSON.parse(m[1] ?? "null") as { Statement?: unknown })
        .filter((doc): doc is { Statement: Record<string, unknown>[] } => Array.isArray(doc?.Statement));
}

interface Manifest {
    dependencies: Record<string, string>;
    peerDependencies: Record<string, string>;
    devDependencies: Record<string, string>;
}

/** The README's "Dependencies" section: the packages of its table by kind, and those its development sentence names. */
function readmeDependencies(readme: string): { runtime: string[]; peer: string[]; development: string[] } {
    const section = /^## Dependencies\n([\s\S]*?)^## /m.exec(readme)?.[1];
    assert.ok(section !== undefined, "the README has no Dependencies section");
    const rows = [...section.matchAll(/^\| `([^`]+)` +\| (\w+) +\|/gm)];
    const ofKind = (kind: string): string[] =>
        rows.filter((row) => row[2] === kind).map((row) => row[1] ?? "");
    const sentence = /^Development dependencies[\s\S]*?\n\n/m.exec(section)?.[0];
    assert.ok(sentence !== undefined, "the Dependencies section has no development dependencies paragraph");
    // The package names, not the files or versions quoted alongside them.
    const named = [...sentence.matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? "");
    assert.deepEqual(
        rows.map((row) => row[2]).filter((kind) => kind !== "runtime" && kind !== "peer"),
        [],
        "a row of another kind than runtime or peer",
    );
    return { runtime: ofKind("runtime"), peer: ofKind("peer"), development: named };
}

const sorted = (names: Iterable<string>): string[] => [...names].sort();

describe("the README", function () {
    this.timeout(120_000);

    it("quotes the Service Authorization Reference's rows for both actions, with no resource type and no condition key, and its address", () => {
        const section = iamSection();
        assert.ok(section.includes(REFERENCE_URL), `the IAM section does not give ${REFERENCE_URL}`);
        const rows = section
            .split("\n")
            .filter((line) => line.startsWith("> |"))
            .map((line) =>
                line
                    .replace(/^> \|/, "")
                    .replace(/\|\s*$/, "")
                    .split("|")
                    .map((cell) => cell.trim()),
            );
        for (const [action, description, access] of REFERENCE_ROWS) {
            assert.deepEqual(
                rows.find((cells) => cells[0] === action),
                [action, description, access, "", ""],
                `the quoted row for ${action}`,
            );
        }
        assert.match(section, /per-instance scoping is not available/);
        assert.match(section, /aws:RequestedRegion/);
    });

    it('grants both actions on "Resource": "*" in its IAM policy', () => {
        const statements = policyDocuments(iamSection()).flatMap((doc) => doc.Statement);
        const granting = statements.filter((statement) => {
            const actions = ([] as unknown[]).concat(statement.Action);
            return REFERENCE_ROWS.every(([action]) => actions.includes(`connect-campaigns:${action}`));
        });
        assert.equal(granting.length, 1, "one statement of the IAM section's policy allows both actions");
        assert.equal(granting[0]?.Effect, "Allow");
        assert.equal(granting[0]?.Resource, "*");
    });

    it("names an instance ARN in no IAM policy or access-denied advice of the README, provider, emulator, examples, plugin or policy pack", () => {
        const files = SCANNED.flatMap(filesUnder);
        assert.ok(files.length > 20, `only ${files.length} files found to scan`);
        const mentions = files.flatMap((file) =>
            instanceArnMentions(file, fs.readFileSync(path.join(ROOT, file), "utf8")),
        );
        // The scan sees instance ARNs where they belong: the id check's pattern that recognises one as input.
        assert.ok(
            mentions.some((m) => m.where.startsWith(path.join("provider", "validate.ts"))),
            "the scan found no instance ARN at all, not even the input check's pattern",
        );
        const inPolicies = mentions.filter((m) => POLICY_MARKERS.some((marker) => marker.test(m.context)));
        assert.deepEqual(
            inPolicies.map((m) => `${m.where}:\n${m.context}`),
            [],
            "an instance ARN next to IAM policy text",
        );
        for (const file of files.filter((f) => f.endsWith(".md"))) {
            for (const doc of policyDocuments(fs.readFileSync(path.join(ROOT, file), "utf8"))) {
                for (const statement of doc.Statement) {
                    const resources = ([] as unknown[]).concat(statement.Resource ?? []);
                    assert.ok(
                        resources.every((r) => !/:connect:.*:instance\//.test(String(r))),
                        `${file}: a policy statement on ${JSON.stringify(statement.Resource)}`,
                    );
                }
            }
        }
    });

    it("has TypeScript examples that type-check under the project's strict settings", async () => {
        const blocks = [...readme().matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");
        assert.ok(blocks.length >= 2, "no TypeScript examples found");
        // Inside the repository, so the package resolves as it does for the examples.
        const dir = fs.mkdtempSync(path.join(ROOT, "test", ".readme-"));
        try {
            const files = blocks.map((code, i) => {
                const file = path.join(dir, `example-${i}.ts`);
                // Each block is a module of its own.
                fs.writeFileSync(file, `${code}\nexport {};\n`);
                return path.basename(file);
            });
            fs.writeFileSync(
                path.join(dir, "tsconfig.json"),
                JSON.stringify({
                    extends: "../../tsconfig.json",
                    compilerOptions: { types: ["node"] },
                    include: files,
                }),
            );
            const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
            await run(process.execPath, [tsc, "-p", dir]).catch(
                (error: { stdout?: string; message?: string }) => {
                    assert.fail(`README examples do not compile:\n${error.stdout ?? error.message ?? ""}`);
                },
            );
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("lists the runtime, peer and development dependencies package.json declares, no more and no fewer", () => {
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as Manifest;
        const listed = readmeDependencies(readme);
        assert.deepEqual(sorted(listed.runtime), sorted(Object.keys(manifest.dependencies)));
        assert.deepEqual(sorted(listed.peer), sorted(Object.keys(manifest.peerDependencies)));
        assert.deepEqual(sorted(listed.development), sorted(Object.keys(manifest.devDependencies)));
    });

    it("names gRPC and protobuf as runtime dependencies because the shipped plugin imports them", () => {
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        const server = fs.readFileSync(path.join(ROOT, "plugin", "src", "server.ts"), "utf8");
        const { runtime } = readmeDependencies(readme);
        for (const name of ["@grpc/grpc-js", "google-protobuf"]) {
            assert.match(server, new RegExp(`from "${name}(/[^"]*)?"`), `the plugin does not import ${name}`);
            assert.ok(runtime.includes(name), `the README does not list ${name} as a runtime dependency`);
        }
    });
});

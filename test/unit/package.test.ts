/**
 * The metadata npm shows for each publishable package of the repository (the root package and every
 * workspace not marked private): one repository, its issues, and a home page for each package's README.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");

interface Manifest {
    name: string;
    private?: boolean;
    workspaces?: string[];
    repository?: { type?: string; url?: string; directory?: string };
    homepage?: string;
    bugs?: { url?: string };
}

function manifest(dir: string): Manifest {
    return JSON.parse(fs.readFileSync(path.join(ROOT, dir, "package.json"), "utf8")) as Manifest;
}

const root = manifest(".");
/** The web address of the repository, from the root package's `repository.url`. */
const WEB = /^git\+(https:\/\/github\.com\/[^/]+\/[^/]+)\.git$/.exec(root.repository?.url ?? "")?.[1];
const publishable = [".", ...(root.workspaces ?? [])].filter((dir) => manifest(dir).private !== true);

describe("package metadata", () => {
    it("gives the root package a git+https GitHub repository, its #readme home page and its issues", () => {
        assert.ok(WEB !== undefined, `repository.url is not git+https://github.com/<owner>/<name>.git`);
        assert.equal(root.repository?.type, "git");
        assert.equal(root.repository?.directory, undefined);
        assert.equal(root.homepage, `${WEB}#readme`);
        assert.deepEqual(root.bugs, { url: `${WEB}/issues` });
    });

    it("covers the root package and the emulator, and leaves out the private workspaces", () => {
        assert.deepEqual(publishable, [".", "emulator"]);
        assert.equal(manifest("policy").private, true);
    });

    for (const dir of publishable.filter((d) => d !== ".")) {
        it(`gives the ${dir} workspace the same repository, with its folder, its README as home page and the same issues`, () => {
            const own = manifest(dir);
            assert.deepEqual(own.repository, { type: "git", url: root.repository?.url, directory: dir });
            assert.ok(fs.existsSync(path.join(ROOT, dir, "README.md")), `${dir} has no README.md`);
            assert.equal(own.homepage, `${WEB ?? ""}/tree/main/${dir}#readme`);
            assert.deepEqual(own.bugs, root.bugs);
        });
    }
});

/**
 * Loaded before the tests that run the built package (through the dynamic-provider host, the provider plugin or
 * the CLI): they would silently test an old build otherwise. Fails the run, naming the sources that are newer
 * than their build.
 */
import * as path from "node:path";

import { staleSources } from "./build-freshness";

const stale = staleSources(path.resolve(__dirname, "..", ".."));
if (stale.length > 0) {
    throw new Error(
        `The build is older than ${stale.join(", ")}: run \`npm run build\` first (npm test does).`,
    );
}

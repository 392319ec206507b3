/**
 * `npm run demo`: the story in `story.ts`, printed to stdout. Exits 1, with the failed step on stderr, if
 * any step does not do what it says; nothing else is ever written to stderr.
 */
import { runDemo } from "./story";

// For this process and every host and program it starts: the AWS SDK must not warn about the Node version.
process.env["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"] = "true";

runDemo({ write: (line) => process.stdout.write(`${line}\n`) }).then(
    () => {
        process.exitCode = 0;
    },
    (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        process.stderr.write(`\ndemo failed at ${message}\n`);
        process.exitCode = 1;
    },
);

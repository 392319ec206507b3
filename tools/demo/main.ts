/**
 * `npm run demo`: the story in `story.ts`, printed to stdout, through Pulumi's dynamic-provider host as the
 * CLI drives it. `npm run demo -- --cli`: the same story told by the real `pulumi` CLI (`cli.ts`). Exits 1,
 * with the failed step on stderr, if any step does not do what it says.
 */
import { messageOf } from "../shared";
import { runCliDemo } from "./cli";
import { runDemo } from "./story";

const write = (line: string) => process.stdout.write(`${line}\n`);
const demo = process.argv.includes("--cli") ? runCliDemo(write) : runDemo({ write });

demo.then(
    () => {
        process.exitCode = 0;
    },
    (error: unknown) => {
        process.stderr.write(`\ndemo failed at ${messageOf(error)}\n`);
        process.exitCode = 1;
    },
);

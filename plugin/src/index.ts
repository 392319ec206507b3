/**
 * The plugin's entry point, run by the engine through the Node.js language host (`PulumiPlugin.yaml`:
 * `runtime: nodejs`, which loads `@pulumi/pulumi/cmd/run-plugin`): it starts the server and prints its
 * port as the first line of stdout, which is how the engine finds it. The engine stops the process.
 *
 * It exports nothing, on purpose: `run-plugin` hosts every ComponentResource the entry module exports as a
 * component provider of its own instead of running it.
 */
import { serve } from "./server";

serve().then(
    ({ port }) => process.stdout.write(`${port}\n`),
    (error: unknown) => {
        process.stderr.write(`connect-campaign-limits: could not start the provider: ${String(error)}\n`);
        process.exit(1);
    },
);

/**
 * The object serialized into every resource's state (`__provider`): a compatibility contract with every
 * existing stack, versioned in CHANGELOG.md. Refresh and destroy run the copy in state, not the code
 * installed now, so it holds as little as possible: when the host configures it — always before any other
 * call — it loads the implementation from the installed package (resolved from the program's directory,
 * the host's working directory) and takes on the implementation's methods.
 *
 * Every way it can fail fails every method: the host caches this object before `configure` settles, and
 * methods missing on it fall back to the host's defaults (a missing `delete` "succeeds" doing nothing, so a
 * destroy would drop resources from state and leave their limits). Every character here is repeated in
 * every resource's state (see the benchmark's footprint), comments inside the methods included, so they
 * stay outside. The text is evaluated in the host with `require` in scope and no `import`.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import type * as pulumi from "@pulumi/pulumi";

type Method = "check" | "diff" | "create" | "read" | "update" | "delete";
type Implementation = Record<Method | "configure", (...args: never[]) => Promise<unknown>>;

export const stub = {
    configure(
        this: Partial<Record<Method, unknown>>,
        req: pulumi.dynamic.ConfigureRequest,
    ): Promise<unknown> {
        let p: Implementation;
        try {
            const m = require("pulumi-connect-campaign-limits/provider") as {
                createProvider?: () => Implementation;
                provider: Implementation;
            };
            p = m.createProvider === undefined ? m.provider : m.createProvider();
        } catch (e) {
            const error = new Error(
                `Could not load pulumi-connect-campaign-limits/provider from ${process.cwd()} ` +
                    `(${String(e instanceof Error ? e.message : e).split("\n")[0]}). Nothing was changed. Install the ` +
                    "program's dependencies there (npm ci, or npm install) and run the command again.",
            );
            const fail = () => Promise.reject(error);
            p = {
                configure: fail,
                check: fail,
                diff: fail,
                create: fail,
                read: fail,
                update: fail,
                delete: fail,
            };
        }
        for (const k of ["check", "diff", "create", "read", "update", "delete"] as const) {
            this[k] = p[k].bind(p);
        }
        return p.configure(req as never);
    },
};

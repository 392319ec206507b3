/**
 * The policy pack's entry point: `pulumi preview --policy-pack <dir>` runs this module (compiled, as the
 * package's `main`), and constructing the pack starts the policy server the CLI talks to. Only one pack may
 * be constructed per process, so nothing else belongs here; the policies live in `pack.ts`.
 */
import { PolicyPack } from "@pulumi/policy";

import { PACK_NAME, packArgs } from "./pack";

new PolicyPack(PACK_NAME, packArgs);

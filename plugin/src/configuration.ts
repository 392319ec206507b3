/**
 * The provider's configuration: what `Configure` (and `CheckConfig`) receive, read as the core's settings.
 * Pure.
 *
 * The engine hands a provider only its own package's configuration: for the default provider, the stack
 * config in the `connect-campaign-limits:` namespace; for an explicit `Provider` resource, its arguments.
 * Either way it arrives as `args` (keys without the namespace; values typed, or JSON text when a language
 * SDK encoded them — `@pulumi/pulumi`'s generated providers send every non-string as JSON) and, from older
 * engines, as `variables` (`connect-campaign-limits:config:region` → text). Secrets arrive wrapped and
 * are opened (`properties.ts`); a value not known yet (a preview of a provider configured from another
 * resource's output) counts as not set. Precedence is then the core's, as for the dynamic resource: a
 * resource's own argument, then this configuration, then the environment (`AWS_REGION`, …).
 */
import {
    CONFIG_NAMESPACE,
    PLUGIN_CONFIG_KEYS,
    isUnknown,
    resolveSettings,
} from "pulumi-connect-campaign-limits/core";
import type { CheckFailure, ConfigSource, ProviderSettings } from "pulumi-connect-campaign-limits/core";

import { openProperties } from "./properties";
import type { Properties } from "./properties";

/** Every configuration key the schema declares, without the namespace. */
export const CONFIG_KEYS: readonly string[] = Object.entries(PLUGIN_CONFIG_KEYS).map(
    ([, key]: [string, string]) => key.slice(CONFIG_NAMESPACE.length + 1),
);

/** Keys the engine itself adds to a provider's inputs. */
const ENGINE_KEYS = new Set(["version", "pluginDownloadURL"]);

export function configSource(
    args: Properties | undefined,
    variables: ReadonlyMap<string, string>,
): ConfigSource {
    const opened = openProperties(args).values;
    return (key) => {
        if (!key.startsWith(`${CONFIG_NAMESPACE}:`)) {
            return undefined;
        }
        const name = key.slice(CONFIG_NAMESPACE.length + 1);
        const value = opened[name] ?? variables.get(`${CONFIG_NAMESPACE}:config:${name}`);
        return isUnknown(value) ? undefined : value;
    };
}

export function pluginSettings(
    args: Properties | undefined,
    variables: ReadonlyMap<string, string>,
    env: Readonly<Record<string, string | undefined>>,
): ProviderSettings {
    return resolveSettings(configSource(args, variables), env, PLUGIN_CONFIG_KEYS);
}

/**
 * `CheckConfig`: names a key the provider does not have, and every problem the settings have. A problem
 * is reported against the key it names. Never quotes a value (the core's messages do not either).
 */
export function checkConfig(
    news: Properties,
    env: Readonly<Record<string, string | undefined>>,
): CheckFailure[] {
    const failures: CheckFailure[] = [];
    for (const key of Object.keys(news)) {
        if (!CONFIG_KEYS.includes(key) && !ENGINE_KEYS.has(key)) {
            failures.push({
                property: key,
                reason:
                    `${key} is not a configuration key of the ${CONFIG_NAMESPACE} provider; the keys are ` +
                    `${CONFIG_KEYS.join(", ")}.`,
            });
        }
    }
    for (const problem of pluginSettings(news, new Map(), env).problems) {
        const key = CONFIG_KEYS.find((name) => problem.includes(`${CONFIG_NAMESPACE}:${name}`)) ?? "";
        failures.push({ property: key, reason: problem });
    }
    return failures;
}

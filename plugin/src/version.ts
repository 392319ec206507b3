/** The plugin's version: its package.json's, equal to the package's (test/unit/plugin.test.ts holds them so). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const VERSION = (require("../package.json") as { version: string }).version;

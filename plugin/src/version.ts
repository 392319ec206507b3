/** The plugin's version: its package.json's, which `npm run build` keeps equal to the package's. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const VERSION = (require("../package.json") as { version: string }).version;

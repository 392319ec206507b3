/**
 * Warnings to the person running `pulumi`. A provider's standard error is shown by the engine in the
 * command's output (it reads the plugin's stderr line by line), for the dynamic-provider host and the
 * provider plugin alike. Each distinct warning is written once per process.
 */
const written = new Set<string>();

export function warn(
    text: string,
    write: (line: string) => void = (line) => process.stderr.write(line),
): void {
    if (written.has(text)) {
        return;
    }
    written.add(text);
    write(`warning: ${text}\n`);
}

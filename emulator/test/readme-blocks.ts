/**
 * The fenced code blocks of the emulator's README, each with the marker comment that precedes it, if any:
 * `<!-- example: not run (reason) -->` (a block the tests cannot run, and why) or `<!-- example: runs until
 * Ctrl-C -->` (a foreground command).
 */
import * as fs from "node:fs";
import * as path from "node:path";

export const README = path.resolve(__dirname, "..", "README.md");

export interface ReadmeBlock {
    /** The fence's language: `ts`, `js`, `sh`, `json`, or `""` for output and synopses. */
    language: string;
    code: string;
    /** What the marker comment says, after `example: `. */
    marker?: string;
    /** 1-based line of the opening fence. */
    line: number;
    /** The prose line just before the block (or its marker), to find a block by what introduces it. */
    before: string;
}

/** The marker comment, anywhere in the README: each must sit right before a block. */
export const MARKER = /<!-- example: (.+?) -->/g;

export function readmeBlocks(text = fs.readFileSync(README, "utf8")): ReadmeBlock[] {
    const blocks: ReadmeBlock[] = [];
    const fence = /^```(\w*)\n([\s\S]*?)^```$/gm;
    for (const match of text.matchAll(fence)) {
        const start = match.index;
        const preceding = text.slice(0, start).replace(/\n+$/, "").split("\n");
        let last = preceding[preceding.length - 1] ?? "";
        const marker = /^<!-- example: (.+?) -->$/.exec(last)?.[1];
        if (marker !== undefined) {
            preceding.pop();
            while (preceding.length > 0 && preceding[preceding.length - 1] === "") {
                preceding.pop();
            }
            last = preceding[preceding.length - 1] ?? "";
        }
        const block: ReadmeBlock = {
            language: match[1] ?? "",
            code: match[2] ?? "",
            line: text.slice(0, start).split("\n").length,
            before: last,
        };
        if (marker !== undefined) {
            block.marker = marker;
        }
        blocks.push(block);
    }
    return blocks;
}

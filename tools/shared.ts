/** Small helpers the tools (and the tests that drive them) share. */

/** The message of a thrown value: an Error's own message, anything else as a string. */
export function messageOf(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}

/** Runs `work` over `items` with at most `limit` in flight, each item once, started in order. */
export async function pool<T>(
    items: readonly T[],
    limit: number,
    work: (item: T) => Promise<void>,
): Promise<void> {
    let next = 0;
    const worker = async (): Promise<void> => {
        while (next < items.length) {
            const item = items[next++] as T;
            await work(item);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** How long one purge batch should take: on SQLite it runs on the event loop, and requests wait behind it. */
export const PURGE_BATCH_TARGET_MS = 20;
/** The smallest batch, so a slow database still makes progress. */
const MIN_BATCH = 50;

/**
 * Calls `purge` batch after batch until one comes back short, and returns the total deleted.
 * The batch size adapts between `MIN_BATCH` and `maxBatch` so each batch takes about
 * `PURGE_BATCH_TARGET_MS`, and the loop yields to waiting requests between batches: better-sqlite3
 * is synchronous, so a batch of 1,000 rows once held every request for over 100 ms, and an awaited
 * batch resolves in the same tick, so without the yield a whole purge held the event loop.
 */
export async function purgeInBatches(
  purge: (batchSize: number) => Promise<number>,
  maxBatch: number,
  now: () => number = () => performance.now(),
): Promise<number> {
  let size = Math.min(maxBatch, 100);
  let total = 0;
  for (;;) {
    const started = now();
    const deleted = await purge(size);
    total += deleted;
    if (deleted < size) return total;
    const took = now() - started;
    if (took > PURGE_BATCH_TARGET_MS) size = Math.max(Math.min(MIN_BATCH, maxBatch), Math.floor(size / 2));
    else if (took < PURGE_BATCH_TARGET_MS / 2) size = Math.min(maxBatch, size * 2);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

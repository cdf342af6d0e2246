import { setTimeout as sleep } from 'node:timers/promises';

/** How long one purge batch should take: on SQLite it runs on the event loop, and requests wait behind it. */
export const PURGE_BATCH_TARGET_MS = 3;
/** The smallest batch, so a slow database still makes progress. */
const MIN_BATCH = 50;

/** How a purge measures time and rests; replaced in tests. */
export interface PurgePacing {
  now(): number;
  rest(ms: number, signal?: AbortSignal): Promise<unknown>;
}

const REAL_TIME: PurgePacing = { now: () => performance.now(), rest: (ms, signal) => sleep(ms, undefined, { signal }) };

/**
 * Calls `purge` batch after batch until one comes back short, and returns the total deleted.
 *
 * The purge is background work next to live traffic, so it is paced:
 * - the batch size adapts between `MIN_BATCH` and `maxBatch` so a batch takes about
 *   `PURGE_BATCH_TARGET_MS` (better-sqlite3 runs it synchronously, and a 1,000-row batch once held
 *   every request for over 100 ms);
 * - after each batch it rests as long as the batch took, so requests get at least half of the
 *   time. Yielding for one event-loop turn only was not enough: the purge then took two thirds of
 *   the loop, and the API's p99 tripled while it ran.
 *
 * `signal` stops it between batches (the app is shutting down); what was deleted stays deleted.
 */
export async function purgeInBatches(
  purge: (batchSize: number) => Promise<number>,
  maxBatch: number,
  { pacing = REAL_TIME, signal }: { pacing?: PurgePacing; signal?: AbortSignal } = {},
): Promise<number> {
  let size = Math.min(maxBatch, 100);
  let total = 0;
  for (;;) {
    if (signal?.aborted) return total;
    const started = pacing.now();
    const deleted = await purge(size);
    total += deleted;
    if (deleted < size) return total;
    const took = pacing.now() - started;
    if (took > PURGE_BATCH_TARGET_MS) size = Math.max(Math.min(MIN_BATCH, maxBatch), Math.floor(size / 2));
    else if (took < PURGE_BATCH_TARGET_MS / 2) size = Math.min(maxBatch, size * 2);
    await pacing.rest(Math.max(1, took), signal).catch(() => undefined);
  }
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PURGE_BATCH_TARGET_MS, purgeInBatches } from './purge-batches';

/** A table of `rows` expired rows where deleting one row takes `msPerRow` of a fake clock. */
function table(rows: number, msPerRow: number) {
  let clock = 0;
  const sizes: number[] = [];
  const rests: number[] = [];
  const purge = async (size: number) => {
    sizes.push(size);
    const deleted = Math.min(size, rows);
    rows -= deleted;
    clock += deleted * msPerRow;
    return deleted;
  };
  const pacing = {
    now: () => clock,
    rest: async (ms: number) => {
      rests.push(ms);
      clock += ms;
    },
  };
  return { purge, sizes, rests, pacing, left: () => rows };
}

describe('purgeInBatches', () => {
  it('deletes every row, shrinking batches that run long so each holds the database about 3 ms', async () => {
    const t = table(5_000, 0.05);
    assert.equal(await purgeInBatches(t.purge, 1_000, { pacing: t.pacing }), 5_000);
    assert.equal(t.left(), 0);
    assert.deepEqual(t.sizes.slice(0, 3), [100, 50, 50]);
    assert.ok(Math.max(...t.sizes.slice(1)) * 0.05 <= PURGE_BATCH_TARGET_MS, `batch sizes ${t.sizes.join(',')}`);
  });

  it('rests after each batch as long as the batch took, so live requests keep half the time', async () => {
    const t = table(1_000, 0.2);
    await purgeInBatches(t.purge, 1_000, { pacing: t.pacing });
    assert.equal(t.rests.length, t.sizes.length - 1, 'no rest after the last, short batch');
    t.rests.forEach((ms, i) => assert.equal(ms, Math.max(1, t.sizes[i] * 0.2)));
  });

  it('grows batches up to the maximum while they stay quick', async () => {
    const t = table(10_000, 0.001);
    assert.equal(await purgeInBatches(t.purge, 1_000, { pacing: t.pacing }), 10_000);
    assert.deepEqual(t.sizes.slice(0, 5), [100, 200, 400, 800, 1_000]);
  });

  it('stops between batches once its signal is aborted, keeping what it deleted', async () => {
    const t = table(10_000, 0.1);
    const stop = new AbortController();
    const rest = t.pacing.rest;
    t.pacing.rest = async (ms: number) => {
      await rest(ms);
      if (t.sizes.length === 3) stop.abort();
    };
    const deleted = await purgeInBatches(t.purge, 1_000, { pacing: t.pacing, signal: stop.signal });
    assert.equal(t.sizes.length, 3);
    assert.equal(deleted, 10_000 - t.left());
    assert.ok(t.left() > 0);
  });

  it('stops after the first short batch, and never asks for more than the maximum', async () => {
    const t = table(30, 0.001);
    assert.equal(await purgeInBatches(t.purge, 20, { pacing: t.pacing }), 30);
    assert.deepEqual(t.sizes, [20, 20]);
  });
});

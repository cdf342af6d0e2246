import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { purgeInBatches } from './purge-batches';

/** A table of `rows` expired rows where deleting one row takes `msPerRow` of the fake clock. */
function table(rows: number, msPerRow: number) {
  let clock = 0;
  const sizes: number[] = [];
  const purge = async (size: number) => {
    sizes.push(size);
    const deleted = Math.min(size, rows);
    rows -= deleted;
    clock += deleted * msPerRow;
    return deleted;
  };
  return { purge, sizes, now: () => clock, left: () => rows };
}

describe('purgeInBatches', () => {
  it('deletes every row, shrinking batches that run long so each holds the database about 20 ms', async () => {
    const t = table(5_000, 0.5);
    assert.equal(await purgeInBatches(t.purge, 1_000, t.now), 5_000);
    assert.equal(t.left(), 0);
    assert.deepEqual(t.sizes.slice(0, 3), [100, 50, 50]);
    assert.ok(Math.max(...t.sizes.slice(1)) * 0.5 <= 25, `batch sizes ${t.sizes.join(',')}`);
  });

  it('grows batches up to the maximum while they stay quick', async () => {
    const t = table(10_000, 0.001);
    assert.equal(await purgeInBatches(t.purge, 1_000, t.now), 10_000);
    assert.deepEqual(t.sizes.slice(0, 5), [100, 200, 400, 800, 1_000]);
  });

  it('stops after the first short batch, and never asks for more than the maximum', async () => {
    const t = table(30, 0.001);
    assert.equal(await purgeInBatches(t.purge, 20, t.now), 30);
    assert.deepEqual(t.sizes, [20, 20]);
  });
});

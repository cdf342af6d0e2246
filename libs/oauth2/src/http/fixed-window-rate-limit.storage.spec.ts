import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FixedWindowRateLimitStorage } from './fixed-window-rate-limit.storage';

class SteppedStorage extends FixedWindowRateLimitStorage {
  at = 1_000_000;
  protected override now(): number {
    return this.at;
  }
}

describe('FixedWindowRateLimitStorage', () => {
  it('counts hits per key and bucket, and refuses the one over the limit until the window ends', async () => {
    const storage = new SteppedStorage();
    for (let i = 1; i <= 3; i++) {
      const record = await storage.increment('1.2.3.4', 60_000, 3, 60_000, 'token:ip');
      assert.deepEqual(record, { totalHits: i, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });
    }
    storage.at += 20_500;
    const refused = await storage.increment('1.2.3.4', 60_000, 3, 60_000, 'token:ip');
    assert.equal(refused.isBlocked, true);
    assert.equal(refused.timeToBlockExpire, 40, 'Retry-After is the rest of the window, rounded up');

    // Other keys and other buckets keep their own counts.
    assert.equal((await storage.increment('5.6.7.8', 60_000, 3, 60_000, 'token:ip')).isBlocked, false);
    assert.equal((await storage.increment('1.2.3.4', 60_000, 3, 60_000, 'login:ip')).isBlocked, false);

    storage.at += 39_500;
    assert.deepEqual(await storage.increment('1.2.3.4', 60_000, 3, 60_000, 'token:ip'), {
      totalHits: 1,
      timeToExpire: 60,
      isBlocked: false,
      timeToBlockExpire: 0,
    });
    storage.onModuleDestroy();
  });

  it('never tells a refused caller to retry in less than one second', async () => {
    const storage = new SteppedStorage();
    await storage.increment('k', 1_000, 1, 1_000, 'b');
    storage.at += 999;
    const refused = await storage.increment('k', 1_000, 1, 1_000, 'b');
    assert.equal(refused.isBlocked, true);
    assert.equal(refused.timeToBlockExpire, 1);
    storage.onModuleDestroy();
  });

  it('drops ended windows on a sweep, so idle keys do not pile up', async () => {
    const storage = new SteppedStorage();
    await storage.increment('old', 1_000, 5, 1_000, 'b');
    storage.at += 500;
    await storage.increment('new', 1_000, 5, 1_000, 'b');
    storage.at += 600;
    storage.sweep();
    assert.equal(storage.size, 1);
    storage.onModuleDestroy();
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from './clock';
import type { ResourceAuthorization } from './resource-authorization';
import { TokenCache } from './token-cache';

function authorization(tokenId: string, expiresAt: Date): ResourceAuthorization {
  return { clientId: 'c', userId: 'u', scopes: ['profile'], expiresAt, tokenId, audience: null };
}

describe('TokenCache', () => {
  const clock = new ManualClock(new Date('2030-01-01T00:00:00Z'));
  const inAnHour = () => new Date(clock.now().getTime() + 3600_000);

  it('does nothing when off', () => {
    const cache = new TokenCache(false);
    assert.equal(cache.enabled, false);
    cache.set('h', authorization('t', inAnHour()), 'g', clock.now(), cache.beginLookup());
    assert.equal(cache.get('h', clock.now()), undefined);
    assert.equal(cache.size, 0);
  });

  it('serves an entry for ttl seconds, not one second more', () => {
    const cache = new TokenCache({ maxEntries: 10, ttl: 30 });
    const auth = authorization('t', inAnHour());
    cache.set('h', auth, 'g', clock.now(), cache.beginLookup());
    clock.advance(29);
    assert.equal(cache.get('h', clock.now()), auth);
    clock.advance(1);
    assert.equal(cache.get('h', clock.now()), undefined);
    assert.equal(cache.size, 0);
  });

  it('never serves an entry past the token expiry', () => {
    const cache = new TokenCache({ maxEntries: 10, ttl: 30 });
    cache.set('h', authorization('t', new Date(clock.now().getTime() + 5000)), 'g', clock.now(), cache.beginLookup());
    clock.advance(5);
    assert.equal(cache.get('h', clock.now()), undefined);
  });

  it('drops the least recently used entry beyond maxEntries', () => {
    const cache = new TokenCache({ maxEntries: 2, ttl: 30 });
    cache.set('a', authorization('ta', inAnHour()), 'g', clock.now(), cache.beginLookup());
    cache.set('b', authorization('tb', inAnHour()), 'g', clock.now(), cache.beginLookup());
    assert.ok(cache.get('a', clock.now())); // a is now the most recently used
    cache.set('c', authorization('tc', inAnHour()), 'g', clock.now(), cache.beginLookup());
    assert.equal(cache.size, 2);
    assert.equal(cache.get('b', clock.now()), undefined);
    assert.ok(cache.get('a', clock.now()));
    assert.ok(cache.get('c', clock.now()));
  });

  it('evicts by token id and by grant id', () => {
    const cache = new TokenCache({ maxEntries: 10, ttl: 30 });
    cache.set('a', authorization('ta', inAnHour()), 'g1', clock.now(), cache.beginLookup());
    cache.set('b', authorization('tb', inAnHour()), 'g1', clock.now(), cache.beginLookup());
    cache.set('c', authorization('tc', inAnHour()), 'g2', clock.now(), cache.beginLookup());
    cache.evictTokens(['ta', 'unknown']);
    assert.equal(cache.get('a', clock.now()), undefined);
    cache.evictGrant('g1');
    assert.equal(cache.get('b', clock.now()), undefined);
    assert.ok(cache.get('c', clock.now()));
    cache.clear();
    assert.equal(cache.size, 0);
  });

  describe('evictions against lookups in flight', () => {
    const auth = () => authorization('t', inAnHour());

    it('refuses the result of a lookup that began before an eviction of its token or of its grant', () => {
      for (const evict of [(c: TokenCache) => c.evictTokens(['t']), (c: TokenCache) => c.evictGrant('g')]) {
        const cache = new TokenCache({ maxEntries: 10, ttl: 30 });
        const lookup = cache.beginLookup();
        evict(cache);
        cache.set('h', auth(), 'g', clock.now(), lookup);
        cache.endLookup(lookup);
        assert.equal(cache.get('h', clock.now()), undefined);
      }
    });

    it('keeps the result of a lookup that began after the eviction, or overlapped only other evictions', () => {
      const cache = new TokenCache({ maxEntries: 10, ttl: 30 });
      const overlapping = cache.beginLookup();
      cache.evictTokens(['t']);
      const later = cache.beginLookup();
      cache.evictTokens(['other']);
      cache.evictGrant('other-grant');
      cache.set('h', auth(), 'g', clock.now(), later);
      assert.ok(cache.get('h', clock.now()));
      cache.set('h2', authorization('t2', inAnHour()), 'g2', clock.now(), overlapping);
      assert.ok(cache.get('h2', clock.now()));
      cache.endLookup(overlapping);
      cache.endLookup(later);
    });

    it('refuses every open lookup after clear()', () => {
      const cache = new TokenCache({ maxEntries: 10, ttl: 30 });
      const lookup = cache.beginLookup();
      cache.clear();
      cache.set('h', auth(), 'g', clock.now(), lookup);
      assert.equal(cache.size, 0);
      cache.endLookup(lookup);
      const next = cache.beginLookup();
      cache.set('h', auth(), 'g', clock.now(), next);
      assert.equal(cache.size, 1);
    });

    it('forgets evictions once no lookup is open, and stays correct (refusing) past its record bound', () => {
      const cache = new TokenCache({ maxEntries: 10, ttl: 30 });
      const old = cache.beginLookup();
      for (let i = 0; i < 10_001; i++) cache.evictTokens([`x${i}`]); // one record more than kept
      cache.set('h', auth(), 'g', clock.now(), old);
      assert.equal(cache.size, 0, 'a lookup older than a dropped record must not cache');
      cache.endLookup(old);
      cache.endLookup(old); // a second end is harmless
      const fresh = cache.beginLookup();
      cache.set('h', auth(), 'g', clock.now(), fresh);
      cache.endLookup(fresh);
      assert.equal(cache.size, 1);
    });
  });
});

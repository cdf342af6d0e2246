import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from './clock';
import type { ResourceAuthorization } from './resource-authorization';
import { TokenCache } from './token-cache';

function authorization(tokenId: string, expiresAt: Date): ResourceAuthorization {
  return { clientId: 'c', userId: 'u', scopes: ['profile'], expiresAt, tokenId };
}

describe('TokenCache', () => {
  const clock = new ManualClock(new Date('2030-01-01T00:00:00Z'));
  const inAnHour = () => new Date(clock.now().getTime() + 3600_000);

  it('does nothing when off', () => {
    const cache = new TokenCache(false);
    assert.equal(cache.enabled, false);
    cache.set('h', authorization('t', inAnHour()), 'g', clock.now());
    assert.equal(cache.get('h', clock.now()), undefined);
    assert.equal(cache.size, 0);
  });

  it('serves an entry for ttl seconds, not one second more', () => {
    const cache = new TokenCache({ maxEntries: 10, ttl: 30 });
    const auth = authorization('t', inAnHour());
    cache.set('h', auth, 'g', clock.now());
    clock.advance(29);
    assert.equal(cache.get('h', clock.now()), auth);
    clock.advance(1);
    assert.equal(cache.get('h', clock.now()), undefined);
    assert.equal(cache.size, 0);
  });

  it('never serves an entry past the token expiry', () => {
    const cache = new TokenCache({ maxEntries: 10, ttl: 30 });
    cache.set('h', authorization('t', new Date(clock.now().getTime() + 5000)), 'g', clock.now());
    clock.advance(5);
    assert.equal(cache.get('h', clock.now()), undefined);
  });

  it('drops the least recently used entry beyond maxEntries', () => {
    const cache = new TokenCache({ maxEntries: 2, ttl: 30 });
    cache.set('a', authorization('ta', inAnHour()), 'g', clock.now());
    cache.set('b', authorization('tb', inAnHour()), 'g', clock.now());
    assert.ok(cache.get('a', clock.now())); // a is now the most recently used
    cache.set('c', authorization('tc', inAnHour()), 'g', clock.now());
    assert.equal(cache.size, 2);
    assert.equal(cache.get('b', clock.now()), undefined);
    assert.ok(cache.get('a', clock.now()));
    assert.ok(cache.get('c', clock.now()));
  });

  it('evicts by token id and by grant id', () => {
    const cache = new TokenCache({ maxEntries: 10, ttl: 30 });
    cache.set('a', authorization('ta', inAnHour()), 'g1', clock.now());
    cache.set('b', authorization('tb', inAnHour()), 'g1', clock.now());
    cache.set('c', authorization('tc', inAnHour()), 'g2', clock.now());
    cache.evictTokens(['ta', 'unknown']);
    assert.equal(cache.get('a', clock.now()), undefined);
    cache.evictGrant('g1');
    assert.equal(cache.get('b', clock.now()), undefined);
    assert.ok(cache.get('c', clock.now()));
    cache.clear();
    assert.equal(cache.size, 0);
  });
});

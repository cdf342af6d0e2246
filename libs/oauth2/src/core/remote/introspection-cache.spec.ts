import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResourceAuthorization } from '../resource-authorization';
import { IntrospectionCache } from './introspection-cache';

const auth = (expiresAt: number): ResourceAuthorization => ({
  clientId: 'c',
  userId: null,
  scopes: [],
  expiresAt: new Date(expiresAt),
  tokenId: 't',
  audience: null,
});

describe('IntrospectionCache', () => {
  it('RFC 7662 §4: keeps an entry for its ttl, never past the token expiry', () => {
    const cache = new IntrospectionCache({ maxEntries: 10, ttl: 30 });
    cache.set('long', auth(1_000_000), 0);
    cache.set('short', auth(5_000), 0);
    assert.ok(cache.get('long', 29_999));
    assert.equal(cache.get('long', 30_000), undefined);
    assert.ok(cache.get('short', 4_999));
    assert.equal(cache.get('short', 5_000), undefined);
  });

  it('RFC 7662 §4: holds at most maxEntries, dropping the least recently used', () => {
    const cache = new IntrospectionCache({ maxEntries: 2, ttl: 30 });
    cache.set('a', auth(60_000), 0);
    cache.set('b', auth(60_000), 0);
    cache.get('a', 1);
    cache.set('c', auth(60_000), 1);
    assert.equal(cache.size, 2);
    assert.equal(cache.get('b', 2), undefined);
    assert.ok(cache.get('a', 2));
    assert.ok(cache.get('c', 2));
  });

  it('RFC 7662 §4: remembers nothing when off', () => {
    const cache = new IntrospectionCache(false);
    cache.set('a', auth(60_000), 0);
    assert.equal(cache.get('a', 1), undefined);
  });
});

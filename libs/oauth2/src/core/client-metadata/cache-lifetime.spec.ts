import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cacheLifetime } from './cache-lifetime';

const bounds = { min: 300, max: 86400 };

describe('cacheLifetime (draft-ietf-oauth-client-id-metadata-document §4.3)', () => {
  it('uses max-age within the bounds', () => {
    assert.equal(cacheLifetime('public, max-age=3600', bounds), 3600);
    assert.equal(cacheLifetime('max-age=10', bounds), 300);
    assert.equal(cacheLifetime('max-age=604800', bounds), 86400);
  });

  it('prefers s-maxage, the directive for shared caches', () => {
    assert.equal(cacheLifetime('max-age=600, s-maxage=1200', bounds), 1200);
  });

  it('uses the minimum for no-store, no-cache, no header and nonsense', () => {
    for (const header of ['no-store', 'no-cache, max-age=3600', undefined, '', 'max-age=-5', 'max-age=soon']) {
      assert.equal(cacheLifetime(header, bounds), 300, String(header));
    }
  });
});

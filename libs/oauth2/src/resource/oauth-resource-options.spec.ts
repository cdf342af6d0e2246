import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OAuthConfigurationError } from '../oauth-options';
import { resolveOAuthResourceOptions } from './oauth-resource-options';
import type { OAuthResourceModuleOptions } from './oauth-resource-options.interface';

const valid: OAuthResourceModuleOptions = {
  issuer: 'https://as.example',
  resource: 'https://files.example/',
  introspection: { clientId: 'files', clientSecret: 'secret' },
};

describe('OAuthResourceModule options', () => {
  it('fills the defaults: a 30 s / 10,000-entry cache, the resource as realm, a 5 s timeout', () => {
    const resolved = resolveOAuthResourceOptions(valid);
    assert.deepEqual(resolved.cache, { maxEntries: 10_000, ttl: 30 });
    assert.equal(resolved.realm, 'https://files.example/');
    assert.equal(resolved.timeout, 5);
    assert.equal(resolved.allowQueryToken, false);
    assert.equal(resolveOAuthResourceOptions({ ...valid, cache: false }).cache, false);
    assert.deepEqual(resolveOAuthResourceOptions({ ...valid, cache: { ttl: 5 } }).cache, { maxEntries: 10_000, ttl: 5 });
  });

  it('RFC 8707 §2: lists every problem at once, the resource in canonical form and the issuer on https', () => {
    assert.throws(
      () =>
        resolveOAuthResourceOptions({
          issuer: 'http://as.example',
          resource: 'https://Files.example/',
          introspection: { clientId: '', clientSecret: '' },
          cache: { ttl: 0 },
          scopes: ['bad scope'],
        }),
      (e: unknown) =>
        e instanceof OAuthConfigurationError &&
        /^Invalid OAuthResourceModule options/.test(e.message) &&
        e.problems.length === 6 &&
        e.problems.some((p) => p.startsWith('issuer: must use https')) &&
        e.problems.some((p) => p.startsWith('resource:') && p.includes('canonical form')),
    );
  });
});

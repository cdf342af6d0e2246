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

  it('RFC 9068 §4: verifies JWTs from the metadata’s jwks_uri by default, with ES256, EdDSA and RS256 and 30 s of skew', () => {
    const resolved = resolveOAuthResourceOptions(valid);
    assert.deepEqual(resolved.jwks, { uri: undefined, cooldown: 30, maxAge: { min: 30, max: 86_400, fallback: 300 } });
    assert.deepEqual(resolved.algorithms, ['ES256', 'EdDSA', 'RS256']);
    assert.equal(resolved.clockTolerance, 30);
    const jwtOnly = resolveOAuthResourceOptions({ issuer: valid.issuer, resource: valid.resource, jwks: { maxAge: { fallback: 60 } } });
    assert.equal(jwtOnly.introspection, undefined);
    assert.deepEqual(jwtOnly.jwks && jwtOnly.jwks.maxAge, { min: 30, max: 86_400, fallback: 60 });
    assert.equal(resolveOAuthResourceOptions({ ...valid, jwks: false }).jwks, false);
  });

  it('RFC 8725 §3.1: refuses other algorithms, bad JWK Set settings, and no way at all to check a token', () => {
    assert.throws(
      () =>
        resolveOAuthResourceOptions({
          issuer: valid.issuer,
          resource: valid.resource,
          algorithms: ['HS256' as never],
          clockTolerance: -1,
          jwks: false,
        }),
      (e: unknown) =>
        e instanceof OAuthConfigurationError &&
        e.problems.length === 3 &&
        e.problems.some((p) => p.startsWith('algorithms:')) &&
        e.problems.some((p) => p.startsWith('clockTolerance:')) &&
        e.problems.some((p) => p.startsWith('introspection: required when jwks is false')),
    );
    assert.throws(
      () =>
        resolveOAuthResourceOptions({
          ...valid,
          jwks: { uri: 'http://as.example/jwks', cooldown: 0, maxAge: { min: 60, max: 30 } },
        }),
      (e: unknown) =>
        e instanceof OAuthConfigurationError &&
        e.problems.length === 3 &&
        e.problems.some((p) => p.startsWith('jwks.uri: must use https')) &&
        e.problems.some((p) => p.startsWith('jwks.cooldown:')) &&
        e.problems.some((p) => p.startsWith('jwks.maxAge:')),
    );
  });
});

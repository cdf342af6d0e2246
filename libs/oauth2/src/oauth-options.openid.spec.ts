import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OAuthModuleOptions } from './oauth-module-options.interface';
import { OAuthConfigurationError, resolveOAuthOptions } from './oauth-options';

const valid: OAuthModuleOptions = {
  issuer: 'https://shift.com',
  scopes: { profile: 'Read your profile', offline_access: 'Stay connected' },
};
const api = 'https://api.shift.com/';

describe('resolveOAuthOptions: openid', () => {
  it('is off by default, and off with false: no scope added, no keys', () => {
    for (const openid of [undefined, false] as const) {
      const resolved = resolveOAuthOptions({ ...valid, openid }, {});
      assert.equal(resolved.openid, undefined);
      assert.equal('openid' in resolved.scopes, false);
      assert.equal(resolved.jwt, undefined);
    }
  });

  it('OpenID Connect Core §3.1.2.1: {} turns it on with the defaults and adds the openid scope', () => {
    const resolved = resolveOAuthOptions({ ...valid, openid: {} }, {});
    assert.equal(resolved.openid?.idTokenTtl, 3600);
    assert.deepEqual(resolved.openid?.idTokenSigningAlgorithms, ['RS256', 'ES256', 'EdDSA']);
    assert.equal(resolved.openid?.claimsInIdToken, true);
    assert.ok(resolved.scopes.openid, 'the openid scope has a consent description');
    assert.deepEqual(resolved.openid?.scopeClaims.email, ['email', 'email_verified']);
    assert.deepEqual(resolved.openid?.subjectTypes, ['public'], 'no secret and no salt: no pairwise');
  });

  it('keeps a description the host wrote for openid, and adds or replaces scope claim sets', () => {
    const resolved = resolveOAuthOptions(
      { ...valid, scopes: { ...valid.scopes, openid: 'Log in with SHIFT' }, openid: { scopeClaims: { teams: ['shift_teams'] } } },
      {},
    );
    assert.equal(resolved.scopes.openid, 'Log in with SHIFT');
    assert.deepEqual(resolved.openid?.scopeClaims.teams, ['shift_teams']);
    assert.ok(resolved.openid?.scopeClaims.profile.includes('name'));
  });

  it('OpenID Connect Core §8.1: offers pairwise subjects with a salt, given or derived from the secret', () => {
    const derived = resolveOAuthOptions({ ...valid, secret: 'x'.repeat(32), openid: {} }, {});
    assert.deepEqual(derived.openid?.subjectTypes, ['public', 'pairwise']);
    assert.ok(derived.openid?.pairwiseSalt && derived.openid.pairwiseSalt !== 'x'.repeat(32), 'never the secret itself');
    const given = resolveOAuthOptions({ ...valid, openid: { pairwiseSalt: 'a-long-enough-salt' } }, {});
    assert.equal(given.openid?.pairwiseSalt, 'a-long-enough-salt');
  });

  it('one key set signs ID tokens and JWT access tokens, but bearer JWTs keep their own allow-list', () => {
    const idOnly = resolveOAuthOptions({ ...valid, openid: { idTokenTtl: 900 } }, {});
    assert.deepEqual(idOnly.jwt?.keys.algorithms, ['RS256', 'ES256', 'EdDSA']);
    assert.deepEqual(idOnly.jwt?.accessTokenAlgorithms, []);
    assert.equal(idOnly.jwt?.keys.maxTokenLifetime, 900);
    const both = resolveOAuthOptions(
      {
        ...valid,
        resources: { [api]: { scopes: ['profile'], accessTokenFormat: 'jwt' } },
        defaultResource: api,
        openid: { idTokenSigningAlgorithms: ['RS256'] },
      },
      {},
    );
    assert.deepEqual(both.jwt?.keys.algorithms, ['ES256', 'RS256']);
    assert.deepEqual(both.jwt?.accessTokenAlgorithms, ['ES256']);
    assert.equal(both.jwt?.keys.maxTokenLifetime, 3600, 'the longest token the keys sign: the ID token');
  });

  it('refuses none, HS256, an empty list, a short salt and a bad lifetime, one line each', () => {
    try {
      resolveOAuthOptions(
        {
          ...valid,
          openid: { idTokenSigningAlgorithms: ['none' as never], pairwiseSalt: 'short', idTokenTtl: 0, claimsInIdToken: 'yes' as never },
        },
        {},
      );
      assert.fail('accepted');
    } catch (error) {
      assert.ok(error instanceof OAuthConfigurationError);
      const text = error.problems.join('\n');
      assert.match(text, /openid\.idTokenSigningAlgorithms: must list only ES256, EdDSA, RS256/);
      assert.match(text, /openid\.pairwiseSalt: must be a secret string of at least 16 characters/);
      assert.match(text, /openid\.idTokenTtl: must be a positive integer of seconds/);
      assert.match(text, /openid\.claimsInIdToken: must be a boolean/);
    }
    for (const algs of [['HS256'], []]) {
      assert.throws(
        () => resolveOAuthOptions({ ...valid, openid: { idTokenSigningAlgorithms: algs as never } }, {}),
        OAuthConfigurationError,
      );
    }
  });
});

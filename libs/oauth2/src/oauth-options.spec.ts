import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OAuthModuleOptions } from './oauth-module-options.interface';
import { OAUTH_DEFAULTS, OAuthConfigurationError, resolveOAuthOptions } from './oauth-options';

const valid: OAuthModuleOptions = {
  issuer: 'https://shift.com',
  scopes: { profile: 'Read your profile', offline_access: 'Stay connected' },
};

/** The problem lines `options` is refused with (fails the test when they are accepted). */
function problems(options: Partial<OAuthModuleOptions>, extras = {}): string[] {
  try {
    resolveOAuthOptions({ ...valid, ...options } as OAuthModuleOptions, extras);
  } catch (error) {
    assert.ok(error instanceof OAuthConfigurationError);
    return error.problems;
  }
  assert.fail(`accepted ${JSON.stringify(options)}`);
}

describe('resolveOAuthOptions', () => {
  it('fills in the documented defaults and freezes the result', () => {
    const resolved = resolveOAuthOptions(valid, { prefix: '/v1/oauth2/' });
    assert.equal(resolved.prefix, 'v1/oauth2');
    assert.equal(resolved.accessTokenTtl, OAUTH_DEFAULTS.accessTokenTtl);
    assert.equal(resolved.authorizationCodeTtl, 60);
    assert.equal(resolved.purgeInterval, 3600);
    assert.equal(resolved.realm, 'https://shift.com');
    assert.equal(resolved.bearer.cache, false);
    assert.ok(Object.isFrozen(resolved));
  });

  it('accepts http issuers on loopback hosts only (RFC 8414 §2, RFC 8252 §7.3)', () => {
    for (const issuer of ['http://localhost:3000', 'http://127.0.0.1', 'http://[::1]:8080']) {
      assert.equal(resolveOAuthOptions({ ...valid, issuer }).issuer, issuer);
    }
    assert.match(problems({ issuer: 'http://shift.com' })[0], /^issuer: must use https; http is allowed only on loopback hosts/);
  });

  it('refuses an issuer that is not an absolute URL, or has a query or fragment (RFC 8414 §2)', () => {
    assert.deepEqual(problems({ issuer: 'shift.com' }), ['issuer: must be an absolute URL (got "shift.com")']);
    assert.deepEqual(problems({ issuer: 'https://shift.com/?tenant=1' }), ['issuer: must not contain a query or fragment (RFC 8414 §2)']);
    assert.deepEqual(problems({ issuer: 'https://shift.com/#x' }), ['issuer: must not contain a query or fragment (RFC 8414 §2)']);
    assert.deepEqual(problems({ issuer: undefined }), ['issuer: is required: the issuer identifier, an absolute https URL (RFC 8414 §2)']);
  });

  it('refuses scopes that are not scope-tokens, and defaults naming unknown scopes (RFC 6749 §3.3)', () => {
    assert.deepEqual(problems({ scopes: { 'read all': 'x' } }), ['scopes: "read all" is not a valid scope-token (RFC 6749 §3.3)']);
    assert.deepEqual(problems({ defaultScopes: ['profile', 'emial'] }), ['defaultScopes: "emial" is not one of the configured scopes']);
    assert.deepEqual(problems({ offlineAccessScope: 'offline' }), ['offlineAccessScope: "offline" is not one of the configured scopes']);
    assert.equal(resolveOAuthOptions({ ...valid, offlineAccessScope: 'offline_access' }).offlineAccessScope, 'offline_access');
  });

  it('refuses lifetimes that are not positive integers, and codes living over 600 s (RFC 6749 §4.1.2)', () => {
    assert.deepEqual(problems({ accessTokenTtl: 0, refreshTokenTtl: 1.5, authorizationCodeTtl: 601 }), [
      'accessTokenTtl: must be a positive integer of seconds (got 0)',
      'refreshTokenTtl: must be a positive integer of seconds (got 1.5)',
      'authorizationCodeTtl: must not exceed 600 seconds (RFC 6749 §4.1.2) (got 601)',
    ]);
    assert.deepEqual(problems({ accessTokenTtl: '3600' as never }), ['accessTokenTtl: must be a positive integer of seconds (got "3600")']);
  });

  it('accepts a zero grace period but not a negative one', () => {
    assert.equal(resolveOAuthOptions({ ...valid, refreshTokenGracePeriod: 0 }).refreshTokenGracePeriod, 0);
    assert.deepEqual(problems({ refreshTokenGracePeriod: -1 }), [
      'refreshTokenGracePeriod: must be a non-negative integer of seconds (got -1)',
    ]);
  });

  it('keeps consumed codes 24 h by default, takes 0 or more seconds, and refuses a negative retention', () => {
    assert.equal(resolveOAuthOptions(valid).consumedCodeRetention, 86_400);
    assert.equal(resolveOAuthOptions({ ...valid, consumedCodeRetention: 0 }).consumedCodeRetention, 0);
    assert.deepEqual(problems({ consumedCodeRetention: -1 }), [
      'consumedCodeRetention: must be a non-negative integer of seconds (got -1)',
    ]);
  });

  it('remembers no public client’s consent unless rememberPublicClientConsent is a true boolean (RFC 8252 §8.6)', () => {
    assert.equal(resolveOAuthOptions(valid).rememberPublicClientConsent, false);
    assert.equal(resolveOAuthOptions({ ...valid, rememberPublicClientConsent: true }).rememberPublicClientConsent, true);
    assert.deepEqual(problems({ rememberPublicClientConsent: 'yes' as never }), [
      'rememberPublicClientConsent: must be a boolean (got "yes")',
    ]);
  });

  it('bounds refresh tokens at 90 days from the first issuance by default, 0 = unbounded, never negative', () => {
    assert.equal(resolveOAuthOptions(valid).refreshTokenAbsoluteTtl, 90 * 24 * 3600);
    assert.equal(resolveOAuthOptions({ ...valid, refreshTokenAbsoluteTtl: 0 }).refreshTokenAbsoluteTtl, 0);
    assert.deepEqual(problems({ refreshTokenAbsoluteTtl: -1 }), [
      'refreshTokenAbsoluteTtl: must be a non-negative integer of seconds (0 = unbounded) (got -1)',
    ]);
    assert.deepEqual(problems({ refreshTokenAbsoluteTtl: 1.5 }), [
      'refreshTokenAbsoluteTtl: must be a non-negative integer of seconds (0 = unbounded) (got 1.5)',
    ]);
  });

  it('takes the server key from secret, or from its older name csrfSecret, each at least 32 characters', () => {
    const key = 'k'.repeat(32);
    assert.equal(resolveOAuthOptions(valid).secret, undefined);
    assert.equal(resolveOAuthOptions({ ...valid, secret: key }).secret, key);
    assert.equal(resolveOAuthOptions({ ...valid, csrfSecret: key }).secret, key);
    assert.equal(resolveOAuthOptions({ ...valid, secret: key, csrfSecret: 'c'.repeat(32) }).secret, key);
    assert.deepEqual(problems({ secret: 'short' }), ['secret: must be a string of at least 32 characters']);
    assert.deepEqual(problems({ secret: key, csrfSecret: 'short' }), ['csrfSecret: must be a string of at least 32 characters']);
  });

  it('takes purgeInterval as positive seconds or false (off)', () => {
    assert.equal(resolveOAuthOptions({ ...valid, purgeInterval: false }).purgeInterval, false);
    assert.equal(resolveOAuthOptions({ ...valid, purgeInterval: 60 }).purgeInterval, 60);
    assert.deepEqual(problems({ purgeInterval: 0 }), ['purgeInterval: must be a positive integer of seconds or false (got 0)']);
  });

  it('checks nested bearer cache settings with their full path', () => {
    assert.deepEqual(problems({ bearer: { cache: { ttl: -1, maxEntries: 0 } } }), [
      'bearer.cache.maxEntries: must be a positive integer (got 0)',
      'bearer.cache.ttl: must be a positive integer of seconds (got -1)',
    ]);
  });

  it('lists every problem at once, one `path: message` line each', () => {
    const error = (() => {
      try {
        resolveOAuthOptions({ issuer: 'ftp://x', scopes: {}, accessTokenTtl: -5, requirePkce: 'never' as never }, { prefix: 'a b' });
      } catch (e) {
        return e as OAuthConfigurationError;
      }
      assert.fail('accepted');
    })();
    assert.equal(error.problems.length, 4);
    assert.match(
      error.message,
      /^Invalid OAuthModule options:\n {2}- issuer: .*\n {2}- prefix: .*\n {2}- accessTokenTtl: .*\n {2}- requirePkce: .*$/,
    );
  });

  describe('resources (RFC 8707)', () => {
    const api = 'https://api.shift.example/v1/';
    const files = 'https://files.shift.example/';
    const scopes = { profile: 'Read your profile', 'files:read': 'Read your files', offline_access: 'Stay connected' };

    it("fills in each resource's defaults and makes the default resource the guard's own", () => {
      const resolved = resolveOAuthOptions({
        ...valid,
        scopes,
        accessTokenTtl: 900,
        resources: { [api]: { scopes: ['profile'] }, [files]: { scopes: ['files:read'], accessTokenTtl: 300, name: 'SHIFT Files' } },
        defaultResource: api,
      });
      assert.deepEqual(resolved.resources[api], {
        scopes: ['profile'],
        accessTokenTtl: 900,
        name: api,
        accessTokenFormat: 'opaque',
        signingAlgorithm: 'ES256',
      });
      assert.deepEqual(resolved.resources[files], {
        scopes: ['files:read'],
        accessTokenTtl: 300,
        name: 'SHIFT Files',
        accessTokenFormat: 'opaque',
        signingAlgorithm: 'ES256',
      });
      assert.equal(resolved.jwt, undefined, 'no JWT resource: no signing keys, no JWKS');
      assert.equal(resolved.resource, api);
      assert.ok(Object.isFrozen(resolved.resources[api]));
    });

    it('RFC 9068: a JWT resource defaults to 5-minute tokens and turns on the signing keys for its algorithm', () => {
      const resolved = resolveOAuthOptions({
        ...valid,
        scopes,
        resources: {
          [api]: { scopes: ['profile'], accessTokenFormat: 'jwt' },
          [files]: { scopes: ['files:read'], accessTokenFormat: 'jwt', signingAlgorithm: 'RS256', accessTokenTtl: 120 },
        },
        defaultResource: api,
      });
      assert.equal(resolved.resources[api]!.accessTokenTtl, 300);
      assert.deepEqual(resolved.jwt?.keys.algorithms, ['ES256', 'RS256']);
      assert.equal(resolved.jwt?.keys.maxTokenLifetime, 300);
      assert.equal(resolved.jwt?.recordTokens, false);
    });

    it('refuses an unknown token format and the algorithms RFC 8725 rules out (none, HS256)', () => {
      assert.throws(
        () =>
          resolveOAuthOptions({
            ...valid,
            scopes,
            resources: { [api]: { scopes: ['profile'], accessTokenFormat: 'paseto' as never, signingAlgorithm: 'none' as never } },
            defaultResource: api,
            jwt: { algorithm: 'HS256' as never, keyEncryptionKey: 'short' },
          }),
        (error: Error) =>
          /accessTokenFormat must be 'opaque' or 'jwt'/.test(error.message) &&
          /signingAlgorithm must be one of ES256, EdDSA, RS256/.test(error.message) &&
          /jwt\.algorithm: must be one of ES256, EdDSA, RS256/.test(error.message) &&
          /jwt\.keyEncryptionKey: must be 32 random bytes/.test(error.message),
      );
    });

    it('has no resources, and no audience, by default', () => {
      const resolved = resolveOAuthOptions(valid);
      assert.deepEqual(resolved.resources, {});
      assert.equal(resolved.resource, undefined);
    });

    it('refuses non-canonical, fragment, query and plain-http identifiers, and unknown scopes', () => {
      const lines = problems({
        scopes,
        resources: {
          'https://API.shift.example/': { scopes: ['profile'] },
          'https://a.example/#x': { scopes: [] },
          'https://b.example/?q=1': { scopes: [] },
          'http://c.example/': { scopes: [] },
          [files]: { scopes: ['admin'] },
        },
        resource: files,
      });
      assert.equal(lines.length, 1);
      assert.match(lines[0], /^resources: /);
      assert.match(lines[0], /canonical form "https:\/\/api.shift.example\/"/);
      assert.match(lines[0], /fragment/);
      assert.match(lines[0], /must not contain a query/);
      assert.match(lines[0], /must use https/);
      assert.match(lines[0], /"admin" is not one of the configured scopes/);
    });

    it("requires the default resource and the guard's resource to be configured ones", () => {
      const resources = { [api]: { scopes: ['profile'] } };
      assert.match(
        problems({ scopes, resources, defaultResource: files }).join('\n'),
        /defaultResource: "https:\/\/files.shift.example\/" is not one of the configured resources/,
      );
      assert.match(
        problems({ scopes, resources, resource: files }).join('\n'),
        /resource: "https:\/\/files.shift.example\/" is not one of the configured resources/,
      );
      assert.match(problems({ scopes, resource: api }).join('\n'), /resource: .* is not one of the configured resources/);
    });

    it('refuses resources without a guard resource or default: the guard would not know its audience', () => {
      assert.match(
        problems({ scopes, resources: { [api]: { scopes: ['profile'] } } }).join('\n'),
        /^resource: is required when `resources` are configured/m,
      );
    });
  });
});

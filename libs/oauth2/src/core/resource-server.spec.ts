import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { BearerScopeError, BearerTokenError, MissingBearerTokenError } from './bearer-challenge';
import { AccessTokenVerifier } from './access-token-verifier';
import type { ResourceAuthorization } from './resource-authorization';
import { ResourceServer } from './resource-server';
import { resourceFixture } from './resource-server.spec-helper';
import { StoreAccessTokenVerifier } from './store-access-token-verifier';
import { TokenCache } from './token-cache';

describe('ResourceServer', () => {
  let f: ReturnType<typeof resourceFixture>;
  let lookups: number;
  const server = (cache: TokenCache = new TokenCache(false)) =>
    new ResourceServer({
      settings: { realm: 'api', allowQueryToken: false },
      verifier: new StoreAccessTokenVerifier({ tokens: f.tokens, clients: f.clients, clock: f.clock, cache }),
    });

  beforeEach(() => {
    f = resourceFixture();
    lookups = 0;
    const findByHash = f.tokens.findByHash.bind(f.tokens);
    f.tokens.findByHash = async (hash) => {
      lookups++;
      return findByHash(hash);
    };
  });

  const invalid = (message: RegExp) => (e: unknown) => e instanceof BearerTokenError && message.test(e.description ?? '');

  it('validates an access token into a ResourceAuthorization with one lookup by hash', async () => {
    const client = await f.client();
    const { value, token } = await f.token({ clientId: client.id, userId: null, scopes: ['profile', 'email'] });
    const auth = await server().validate(value);
    assert.deepEqual(auth, {
      clientId: client.id,
      userId: null,
      scopes: ['profile', 'email'],
      expiresAt: token.expiresAt,
      tokenId: token.id,
      audience: null,
    });
    assert.equal(lookups, 1);
  });

  it('reads the token from the request, and says when there is none (RFC 6750 §3.1)', async () => {
    const client = await f.client();
    const { value } = await f.token({ clientId: client.id });
    const request = { method: 'GET', headers: { authorization: `Bearer ${value}` }, query: {}, body: {} };
    assert.equal((await server().authenticate(request)).clientId, client.id);
    await assert.rejects(server().authenticate({ ...request, headers: {} }), MissingBearerTokenError);
  });

  it('refuses unknown, revoked, expired and refresh tokens with invalid_token', async () => {
    const client = await f.client();
    await assert.rejects(server().validate('unknown'), invalid(/not recognized/));
    const revoked = await f.token({ clientId: client.id, revokedAt: f.clock.now() });
    await assert.rejects(server().validate(revoked.value), invalid(/revoked/));
    const refresh = await f.token({ clientId: client.id, kind: 'refresh' });
    await assert.rejects(server().validate(refresh.value), invalid(/refresh token/));
    const expiring = await f.token({ clientId: client.id, ttl: 1 });
    await server().validate(expiring.value);
    f.clock.advance(1);
    await assert.rejects(server().validate(expiring.value), invalid(/expired/));
  });

  it('refuses the token of a client that no longer exists', async () => {
    const client = await f.client();
    const { value } = await f.token({ clientId: client.id });
    await f.clients.delete(client.id);
    await assert.rejects(server().validate(value), invalid(/no longer exists/));
  });

  it('requires every listed scope (RFC 6750 §3.1 insufficient_scope)', async () => {
    const auth = { clientId: 'c', userId: 'u', scopes: ['profile'], expiresAt: f.clock.now(), tokenId: 't', audience: null };
    server().assertScopes(auth, []);
    server().assertScopes(auth, ['profile']);
    assert.throws(
      () => server().assertScopes(auth, ['profile', 'email']),
      (e: unknown) => e instanceof BearerScopeError && e.requiredScopes.join(' ') === 'profile email',
    );
  });

  it('serves a cached token without a store lookup, and looks again once evicted', async () => {
    const client = await f.client();
    const { value, token } = await f.token({ clientId: client.id });
    const cache = new TokenCache({ maxEntries: 10, ttl: 30 });
    const rs = server(cache);
    await rs.validate(value);
    await rs.validate(value);
    assert.equal(lookups, 1);
    await f.tokens.revoke(token.id, f.clock.now());
    cache.evictTokens([token.id]);
    await assert.rejects(rs.validate(value), invalid(/revoked/));
    assert.equal(lookups, 2);
  });

  describe('a revocation that lands while a lookup is in flight wins over the cache', () => {
    /** Wraps `method` of `store` so each call reads at once but resolves only when the test says. */
    function holdOpen<S extends object, K extends keyof S>(store: S, method: K) {
      const real = (store[method] as (...args: unknown[]) => Promise<unknown>).bind(store);
      const held: Array<() => void> = [];
      (store as Record<K, unknown>)[method] = async (...args: unknown[]) => {
        const read = await real(...args); // the row as it was before the revocation
        await new Promise<void>((resolve) => held.push(resolve));
        return read;
      };
      return {
        release: async () => {
          while (!held.length) await new Promise((resolve) => setImmediate(resolve));
          held.shift()!();
        },
        restore: () => ((store as Record<K, unknown>)[method] = real),
      };
    }

    const cases = [
      { lookup: 'token', revocation: 'of the token (evictTokens)' },
      { lookup: 'client', revocation: 'of the token (evictTokens)' },
      { lookup: 'token', revocation: 'of its grant (evictGrant)' },
      { lookup: 'client', revocation: 'of its grant (evictGrant)' },
    ] as const;
    for (const { lookup, revocation } of cases) {
      it(`does not cache a token whose revocation ${revocation} finished during the ${lookup} lookup (RFC 7009 §2.1)`, async () => {
        const client = await f.client();
        const { value, token } = await f.token({ clientId: client.id });
        const cache = new TokenCache({ maxEntries: 10, ttl: 30 });
        const rs = server(cache);
        const gate = lookup === 'token' ? holdOpen(f.tokens, 'findByHash') : holdOpen(f.clients, 'findById');
        const first = rs.validate(value);
        await new Promise((resolve) => setImmediate(resolve)); // the lookup has read the live row
        if (revocation.includes('grant')) {
          await f.tokens.revokeGrant(token.grantId, f.clock.now());
          cache.evictGrant(token.grantId);
        } else {
          await f.tokens.revoke(token.id, f.clock.now());
          cache.evictTokens([token.id]);
        }
        await gate.release();
        await first; // it read the token before the revocation: this one answer may still be yes
        gate.restore();
        assert.equal(cache.size, 0);
        await assert.rejects(rs.validate(value), invalid(/revoked/));
      });
    }

    it('still caches a token whose lookup overlapped only the revocation of another token and grant', async () => {
      const client = await f.client();
      const { value } = await f.token({ clientId: client.id });
      const other = await f.token({ clientId: client.id });
      const cache = new TokenCache({ maxEntries: 10, ttl: 30 });
      const rs = server(cache);
      const gate = holdOpen(f.tokens, 'findByHash');
      const first = rs.validate(value);
      await new Promise((resolve) => setImmediate(resolve));
      await f.tokens.revokeGrant(other.token.grantId, f.clock.now());
      cache.evictGrant(other.token.grantId);
      cache.evictTokens([other.token.id]);
      await gate.release();
      await first;
      gate.restore();
      assert.equal(cache.size, 1);
    });
  });

  describe('audience (RFC 8707 §2)', () => {
    const RESOURCE = 'https://api.example/v1/';
    const verifierOf = (audience: string | null) =>
      new (class extends AccessTokenVerifier {
        async verify(): Promise<ResourceAuthorization> {
          return { clientId: 'c', userId: null, scopes: ['profile'], expiresAt: f.clock.now(), tokenId: 't', audience };
        }
      })();
    const audienceServer = (audience: string | null, resource = RESOURCE) =>
      new ResourceServer({ settings: { realm: 'api', allowQueryToken: false, resource }, verifier: verifierOf(audience) });
    const bearer = { method: 'GET', headers: { authorization: 'Bearer abc' }, query: {}, body: {} };

    it('RFC 8707 §2: accepts a token whose audience is the resource, at the default or a route’s own resource', async () => {
      assert.equal((await audienceServer(RESOURCE).authenticate(bearer)).audience, RESOURCE);
      assert.equal(
        (await audienceServer('https://other.example/').authenticate(bearer, 'https://other.example/')).audience,
        'https://other.example/',
      );
    });

    it('RFC 8707 §2: refuses another audience or none with invalid_token and resource_metadata (RFC 9728 §5.1)', async () => {
      for (const audience of ['https://api.example/v1', null]) {
        await assert.rejects(audienceServer(audience).authenticate(bearer), (e: unknown) => {
          assert.ok(e instanceof BearerTokenError);
          assert.equal(e.description, 'This access token is not for this resource');
          assert.equal(
            e.headers['WWW-Authenticate'],
            'Bearer realm="api", error="invalid_token", error_description="This access token is not for this resource", ' +
              'resource_metadata="https://api.example/.well-known/oauth-protected-resource/v1/"',
          );
          return true;
        });
      }
    });

    it('RFC 8707 §2: checks nothing when no resource is known', async () => {
      const server = new ResourceServer({ settings: { realm: 'api', allowQueryToken: false }, verifier: verifierOf(null) });
      assert.equal((await server.authenticate(bearer)).audience, null);
    });

    it('RFC 9728 §5.1: names the resource metadata on the missing-token and insufficient_scope challenges too', async () => {
      const server = audienceServer(RESOURCE);
      await assert.rejects(
        server.authenticate({ ...bearer, headers: {} }),
        (e: unknown) =>
          e instanceof MissingBearerTokenError &&
          e.headers['WWW-Authenticate'] ===
            'Bearer realm="api", resource_metadata="https://api.example/.well-known/oauth-protected-resource/v1/"',
      );
      const auth = await server.authenticate(bearer);
      assert.throws(
        () => server.assertScopes(auth, ['email']),
        (e: unknown) =>
          e instanceof BearerScopeError && /scope="email", resource_metadata="https:\/\/api\.example\//.test(e.headers['WWW-Authenticate']),
      );
    });

    it('RFC 6750 §3: a 401 of a known resource names the route’s scopes, refresh-token scopes left out (MCP 2025-11-25 Authorization)', async () => {
      const metadata = 'resource_metadata="https://api.example/.well-known/oauth-protected-resource/v1/"';
      const server = new ResourceServer({
        settings: { realm: 'api', allowQueryToken: false, resource: RESOURCE, refreshScope: 'stay' },
        verifier: verifierOf('https://other.example/'),
      });
      const scopes = ['profile', 'offline_access', 'stay'];
      await assert.rejects(
        server.authenticate({ ...bearer, headers: {} }, RESOURCE, scopes),
        (e: unknown) =>
          e instanceof MissingBearerTokenError && e.headers['WWW-Authenticate'] === `Bearer realm="api", scope="profile", ${metadata}`,
      );
      await assert.rejects(
        server.authenticate(bearer, RESOURCE, scopes),
        (e: unknown) => e instanceof BearerTokenError && e.headers['WWW-Authenticate'].endsWith(`scope="profile", ${metadata}`),
      );
      const unknownResource = new ResourceServer({ settings: { realm: 'api', allowQueryToken: false }, verifier: verifierOf(null) });
      await assert.rejects(
        unknownResource.authenticate({ ...bearer, headers: {} }, undefined, scopes),
        (e: unknown) => e instanceof MissingBearerTokenError && e.headers['WWW-Authenticate'] === 'Bearer realm="api"',
      );
    });
  });
});

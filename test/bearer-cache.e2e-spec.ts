import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { ClientStore, ConnectedApps, ConsentStore, TokenStore } from 'nest-oauth2-provider';
import { TokenCache } from './support/library-internals';
import { createOAuthTestApp, type OAuthTestApp } from './fixtures/oauth-app.fixture';
import { ProfileApiController } from './fixtures/protected-api';
import { mintPair, mintToken } from './support/mint-token';

const TTL = 30;

describe('bearer cache (options.bearer.cache)', () => {
  let t: OAuthTestApp;
  let clientId: string;
  let clientSecret: string;

  before(async () => {
    t = await createOAuthTestApp({ controllers: [ProfileApiController], options: { bearer: { cache: { maxEntries: 100, ttl: TTL } } } });
    const registered = await t.register({ name: 'CustomApp', redirectUris: ['https://customapp.example/cb'] });
    clientId = registered.client.id;
    clientSecret = registered.clientSecret!;
  });
  after(async () => t.close());

  const me = (value: string) => request(t.server).get('/api/me').set('Authorization', `Bearer ${value}`);
  const revoke = (value: string) =>
    request(t.server).post('/oauth2/revoke').auth(clientId, clientSecret).type('form').send({ token: value });

  it('serves a repeated token from the cache', async () => {
    const cache = t.app.get(TokenCache);
    const { value } = await mintToken(t, { clientId });
    const before = cache.size;
    await me(value).expect(200);
    assert.equal(cache.size, before + 1);
    await me(value).expect(200);
    assert.equal(cache.size, before + 1);
  });

  it('evicts an access token revoked through /revoke on this instance at once (RFC 7009)', async () => {
    const { value } = await mintToken(t, { clientId });
    await me(value).expect(200);
    await revoke(value).expect(200);
    await me(value).expect(401);
  });

  it('evicts the access tokens of a refresh family revoked through /revoke at once', async () => {
    const { access, refresh } = await mintPair(t, { clientId });
    await me(access.value).expect(200);
    await revoke(refresh.value).expect(200);
    const res = await me(access.value).expect(401);
    assert.match(res.headers['www-authenticate'], /error="invalid_token"/);
  });

  it('evicts the tokens of an app the user disconnects at once', async () => {
    const { access } = await mintPair(t, { clientId, userId: 'alice' });
    await t.app.get(ConsentStore).grant('alice', clientId, ['profile'], t.clock.now());
    await me(access.value).expect(200);
    await t.app.get(ConnectedApps).revoke('alice', clientId);
    await me(access.value).expect(401);
  });

  it('may accept a token revoked elsewhere (another instance) for at most ttl seconds, then refuses it', async () => {
    const { value, token } = await mintToken(t, { clientId });
    await me(value).expect(200);
    // Revoking straight in the store is what another instance sharing the database does: this
    // instance's cache does not hear of it.
    await t.app.get(TokenStore).revoke(token.id, t.clock.now());
    t.clock.advance(TTL - 1);
    await me(value).expect(200);
    t.clock.advance(1);
    const res = await me(value).expect(401);
    assert.match(res.body.error_description, /revoked/);
  });

  it('never serves a cached token past its own expiry, even within ttl', async () => {
    const { value } = await mintToken(t, { clientId, ttl: 5 });
    await me(value).expect(200);
    t.clock.advance(5);
    const res = await me(value).expect(401);
    assert.match(res.body.error_description, /expired/);
  });

  for (const [store, method] of [
    [TokenStore, 'findByHash'],
    [ClientStore, 'findById'],
  ] as const) {
    it(`refuses a token revoked through /revoke while a bearer check awaited ${store.name}.${method}, not caching it (RFC 7009 §2.1)`, async () => {
      const { value } = await mintToken(t, { clientId });
      const instance = t.app.get(store) as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
      const real = instance[method];
      let reached!: () => void;
      const lookupStarted = new Promise<void>((resolve) => (reached = resolve));
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      // The next lookup reads at once (before the revocation) but answers only when released.
      instance[method] = async function (this: unknown, ...args: unknown[]) {
        instance[method] = real;
        const row = await real.apply(this, args);
        reached();
        await held;
        return row;
      };
      try {
        const check = me(value).then((res) => res);
        await lookupStarted;
        await revoke(value).expect(200);
        release();
        await check; // read before the revocation: this one answer may still be 200
      } finally {
        instance[method] = real;
        release();
      }
      const res = await me(value).expect(401);
      assert.match(res.body.error_description, /revoked/);
    });
  }

  it('does not cache refusals: a token is checked again after a failed attempt', async () => {
    const { value } = await mintToken(t, { clientId, scopes: ['email'] });
    await me(value).expect(403);
    await me(value).expect(403);
  });
});

describe('bearer cache off (the default)', () => {
  it('sees a revocation made directly in the store on the very next request', async () => {
    const t = await createOAuthTestApp({ controllers: [ProfileApiController] });
    try {
      const clientId = (await t.register({ name: 'App', redirectUris: ['https://app.example/cb'] })).client.id;
      const { value, token } = await mintToken(t, { clientId });
      await request(t.server).get('/api/me').set('Authorization', `Bearer ${value}`).expect(200);
      assert.equal(t.app.get(TokenCache).enabled, false);
      await t.app.get(TokenStore).revoke(token.id, t.clock.now());
      await request(t.server).get('/api/me').set('Authorization', `Bearer ${value}`).expect(401);
    } finally {
      await t.close();
    }
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { ClientStore, TokenStore } from 'nest-oauth2-provider';
import { createOAuthTestApp, type OAuthTestApp } from './fixtures/oauth-app.fixture';
import { ProfileApiController, TeamsApiController } from './fixtures/protected-api';
import { mintToken } from './support/mint-token';

const REALM = 'Bearer realm="http://127.0.0.1"';

describe('BearerGuard (RFC 6750)', () => {
  let t: OAuthTestApp;
  let clientId: string;

  before(async () => {
    t = await createOAuthTestApp({ controllers: [ProfileApiController, TeamsApiController] });
    clientId = (await t.register({ name: 'CustomApp', redirectUris: ['https://customapp.example/cb'] })).client.id;
  });
  after(async () => t.close());

  const api = () => request(t.server);

  describe('accepted tokens', () => {
    it('lets a valid token with the scope through and hands the handler its ResourceAuthorization', async () => {
      const { value, token } = await mintToken(t, { clientId, scopes: ['profile', 'email'] });
      const res = await api().get('/api/me').set('Authorization', `Bearer ${value}`).expect(200);
      assert.deepEqual(res.body, {
        clientId,
        userId: 'user-1',
        scopes: ['profile', 'email'],
        expiresAt: token.expiresAt.toISOString(),
        tokenId: token.id,
        audience: null,
      });
    });

    it('treats the scheme name case-insensitively (RFC 7235 §2.1)', async () => {
      const { value } = await mintToken(t, { clientId });
      await api().get('/api/me').set('Authorization', `bEaReR ${value}`).expect(200);
    });

    it('gives a client_credentials token a null userId', async () => {
      const { value } = await mintToken(t, { clientId, userId: null });
      const res = await api().get('/api/me').set('Authorization', `Bearer ${value}`).expect(200);
      assert.equal(res.body.userId, null);
    });

    it('accepts access_token in a form-encoded POST body (RFC 6750 §2.2)', async () => {
      const { value, token } = await mintToken(t, { clientId });
      const res = await api().post('/api/me').type('form').send({ access_token: value }).expect(201);
      assert.equal(res.body.tokenId, token.id);
    });

    it('requires no scope on a route without @Scopes()', async () => {
      const { value } = await mintToken(t, { clientId, scopes: [] });
      await api().get('/api/any').set('Authorization', `Bearer ${value}`).expect(200);
    });
  });

  describe('no credentials: 401 with a bare challenge (RFC 6750 §3.1)', () => {
    it('answers a request without a token with WWW-Authenticate: Bearer realm and no error attribute', async () => {
      const res = await api().get('/api/me').expect(401);
      assert.equal(res.headers['www-authenticate'], REALM);
      assert.equal(res.body.error, 'invalid_request');
      assert.match(res.body.error_description, /requires a bearer access token/);
      assert.equal(res.headers['cache-control'], 'no-store');
    });

    it('treats another authentication scheme as no bearer credentials', async () => {
      const res = await api().get('/api/me').set('Authorization', 'Basic dXNlcjpwYXNz').expect(401);
      assert.equal(res.headers['www-authenticate'], REALM);
    });

    it('does not look for access_token in a JSON body (only form bodies are a token source, RFC 6750 §2.2)', async () => {
      const { value } = await mintToken(t, { clientId });
      const res = await api().post('/api/me').send({ access_token: value }).expect(401);
      assert.equal(res.headers['www-authenticate'], REALM);
    });
  });

  describe('malformed requests: 400 invalid_request (RFC 6750 §3.1)', () => {
    for (const header of ['Bearer', 'Bearer ', 'Bearer two words', 'Bearer tok"en', 'Bearer tok,en']) {
      it(`refuses the malformed header ${JSON.stringify(header)}`, async () => {
        const res = await api().get('/api/me').set('Authorization', header).expect(400);
        assert.equal(res.body.error, 'invalid_request');
        assert.match(
          res.headers['www-authenticate'],
          /^Bearer realm="http:\/\/127\.0\.0\.1", error="invalid_request", error_description="/,
        );
      });
    }

    it('refuses a token sent in both the header and the body', async () => {
      const { value } = await mintToken(t, { clientId });
      const res = await api()
        .post('/api/me')
        .set('Authorization', `Bearer ${value}`)
        .type('form')
        .send({ access_token: value })
        .expect(400);
      assert.equal(res.body.error, 'invalid_request');
      assert.match(res.body.error_description, /one way only/);
      assert.match(res.headers['www-authenticate'], /error="invalid_request"/);
    });

    it('refuses a query-string token when allowQueryToken is off, saying why (RFC 6750 §2.3)', async () => {
      const { value } = await mintToken(t, { clientId });
      const res = await api().get(`/api/me?access_token=${value}`).expect(400);
      assert.equal(res.body.error, 'invalid_request');
      assert.match(res.body.error_description, /not accepted in the query string/);
    });

    it('refuses access_token in the body of a GET (RFC 6750 §2.2)', async () => {
      const { value } = await mintToken(t, { clientId });
      const res = await api().get('/api/me').type('form').send({ access_token: value }).expect(400);
      assert.match(res.body.error_description, /not allowed on GET/);
    });

    it('refuses a repeated access_token body parameter', async () => {
      const res = await api().post('/api/me').type('form').send('access_token=abc&access_token=def').expect(400);
      assert.match(res.body.error_description, /must not be repeated/);
    });
  });

  describe('bad tokens: 401 invalid_token (RFC 6750 §3.1)', () => {
    async function expectInvalidToken(value: string, description: RegExp): Promise<void> {
      const res = await api().get('/api/me').set('Authorization', `Bearer ${value}`).expect(401);
      assert.equal(res.body.error, 'invalid_token');
      assert.match(res.body.error_description, description);
      const challenge = res.headers['www-authenticate'];
      assert.match(challenge, /^Bearer realm="http:\/\/127\.0\.0\.1", error="invalid_token", error_description="[^"]+"$/);
    }

    it('refuses an unknown token', async () => {
      await expectInvalidToken('not-a-token-we-issued', /not recognized/);
    });

    it('refuses a token once the clock reaches its expiry, without sleeping', async () => {
      const { value } = await mintToken(t, { clientId, ttl: 60 });
      await api().get('/api/me').set('Authorization', `Bearer ${value}`).expect(200);
      t.clock.advance(59);
      await api().get('/api/me').set('Authorization', `Bearer ${value}`).expect(200);
      t.clock.advance(1);
      await expectInvalidToken(value, /expired/);
    });

    it('refuses a revoked token on the very next request', async () => {
      const { value, token } = await mintToken(t, { clientId });
      await api().get('/api/me').set('Authorization', `Bearer ${value}`).expect(200);
      await t.app.get(TokenStore).revoke(token.id, t.clock.now());
      await expectInvalidToken(value, /revoked/);
    });

    it('refuses a refresh token used as an access token (RFC 6749 §1.5)', async () => {
      const { value } = await mintToken(t, { clientId, kind: 'refresh' });
      await expectInvalidToken(value, /refresh token cannot be used/);
    });

    it('refuses the tokens of a deleted client', async () => {
      const doomed = (await t.register({ name: 'Doomed', redirectUris: ['https://doomed.example/cb'] })).client.id;
      const { value } = await mintToken(t, { clientId: doomed });
      await api().get('/api/me').set('Authorization', `Bearer ${value}`).expect(200);
      await t.app.get(ClientStore).delete(doomed);
      await expectInvalidToken(value, /no longer exists/);
    });
  });

  describe('scopes: 403 insufficient_scope (RFC 6750 §3.1)', () => {
    it('refuses a token without the handler scope and names the scope in the challenge', async () => {
      const { value } = await mintToken(t, { clientId, scopes: ['email'] });
      const res = await api().get('/api/me').set('Authorization', `Bearer ${value}`).expect(403);
      assert.equal(res.body.error, 'insufficient_scope');
      assert.equal(
        res.headers['www-authenticate'],
        'Bearer realm="http://127.0.0.1", error="insufficient_scope", error_description="This resource requires the scope: profile", scope="profile"',
      );
    });

    it('applies controller-level @Scopes() to every handler', async () => {
      const reader = await mintToken(t, { clientId, scopes: ['teams:read'] });
      await api().get('/teams').set('Authorization', `Bearer ${reader.value}`).expect(200);
      const other = await mintToken(t, { clientId, scopes: ['profile'] });
      const res = await api().get('/teams').set('Authorization', `Bearer ${other.value}`).expect(403);
      assert.match(res.headers['www-authenticate'], /scope="teams:read"$/);
    });

    it('lets a handler @Scopes() replace the controller one and requires every listed scope', async () => {
      const both = await mintToken(t, { clientId, scopes: ['email', 'profile'] });
      await api().get('/teams/members').set('Authorization', `Bearer ${both.value}`).expect(200);
      const one = await mintToken(t, { clientId, scopes: ['email', 'teams:read'] });
      const res = await api().get('/teams/members').set('Authorization', `Bearer ${one.value}`).expect(403);
      assert.match(res.headers['www-authenticate'], /scope="email profile"$/);
    });
  });
});

describe('BearerGuard options', () => {
  it('accepts a query-string token when allowQueryToken is on, and still refuses two sources (RFC 6750 §2.3)', async () => {
    const t = await createOAuthTestApp({ controllers: [ProfileApiController], options: { bearer: { allowQueryToken: true } } });
    try {
      const clientId = (await t.register({ name: 'App', redirectUris: ['https://app.example/cb'] })).client.id;
      const { value } = await mintToken(t, { clientId });
      await request(t.server).get(`/api/me?access_token=${value}`).expect(200);
      const res = await request(t.server).get(`/api/me?access_token=${value}`).set('Authorization', `Bearer ${value}`).expect(400);
      assert.match(res.body.error_description, /one way only/);
    } finally {
      await t.close();
    }
  });

  it('quotes and escapes the realm and the description in the challenge (RFC 7235 §2.1)', async () => {
    const realm = 'Shift "API" \\ v1';
    const t = await createOAuthTestApp({ controllers: [ProfileApiController], options: { realm } });
    try {
      const none = await request(t.server).get('/api/me').expect(401);
      assert.equal(none.headers['www-authenticate'], 'Bearer realm="Shift \\"API\\" \\\\ v1"');
      const bad = await request(t.server).get('/api/me').set('Authorization', 'Bearer unknown').expect(401);
      assert.equal(
        bad.headers['www-authenticate'],
        'Bearer realm="Shift \\"API\\" \\\\ v1", error="invalid_token", error_description="The access token is not recognized"',
      );
    } finally {
      await t.close();
    }
  });
});

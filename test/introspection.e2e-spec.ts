import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { ClientStore, TokenStore } from 'nest-oauth2-provider';
import { createOAuthTestApp, type OAuthTestApp } from './fixtures/oauth-app.fixture';
import { buildToken, mintPair, mintToken } from './support/mint-token';

describe('introspection endpoint POST /oauth2/introspect (RFC 7662)', () => {
  let t: OAuthTestApp;
  let rs: { id: string; secret: string };
  let app: { id: string; secret: string };
  let spa: string;

  before(async () => {
    t = await createOAuthTestApp();
    const r = await t.register({ name: 'Resource server', grantTypes: ['client_credentials'], canIntrospect: true });
    const a = await t.register({ name: 'CustomApp', redirectUris: ['https://customapp.example/cb'] });
    rs = { id: r.client.id, secret: r.clientSecret! };
    app = { id: a.client.id, secret: a.clientSecret! };
    spa = (await t.register({ name: 'SPA', redirectUris: ['https://spa.example/cb'], public: true, canIntrospect: true })).client.id;
  });
  after(async () => t.close());

  const introspect = (body: Record<string, string> | string, as = rs) =>
    request(t.server).post('/oauth2/introspect').auth(as.id, as.secret).type('form').send(body);
  const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

  it('describes an active access token (RFC 7662 §2.2)', async () => {
    const { value, token } = await mintToken(t, { clientId: app.id, userId: 'nate', scopes: ['profile', 'email'] });
    const res = await introspect({ token: value }).expect(200);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.match(res.headers['content-type'], /^application\/json/);
    assert.deepEqual(res.body, {
      active: true,
      scope: 'profile email',
      client_id: app.id,
      sub: 'nate',
      token_type: 'Bearer',
      exp: seconds(token.expiresAt),
      iat: seconds(token.createdAt),
      iss: 'http://127.0.0.1',
      jti: token.id,
    });
  });

  it('omits sub for a client_credentials token', async () => {
    const { value } = await mintToken(t, { clientId: rs.id, userId: null });
    const res = await introspect({ token: value }).expect(200);
    assert.equal(res.body.active, true);
    assert.equal('sub' in res.body, false);
  });

  it('describes an active refresh token without an access-token type', async () => {
    const { refresh } = await mintPair(t, { clientId: app.id });
    const res = await introspect({ token: refresh.value, token_type_hint: 'refresh_token' }).expect(200);
    assert.equal(res.body.active, true);
    assert.equal(res.body.jti, refresh.token.id);
    assert.equal('token_type' in res.body, false);
  });

  it('answers {"active": false} and nothing else for unknown, expired, revoked, rotated and orphaned tokens (RFC 7662 §2.2)', async () => {
    const inactive = async (value: string) => assert.deepEqual((await introspect({ token: value }).expect(200)).body, { active: false });
    await inactive('never-issued');

    const expiring = await mintToken(t, { clientId: app.id, ttl: 10 });
    t.clock.advance(10);
    await inactive(expiring.value);

    const revoked = await mintToken(t, { clientId: app.id });
    await t.app.get(TokenStore).revoke(revoked.token.id, t.clock.now());
    await inactive(revoked.value);

    const { refresh } = await mintPair(t, { clientId: app.id });
    const successor = buildToken(t, { clientId: app.id, kind: 'refresh', grantId: refresh.token.grantId });
    successor.token.parentId = refresh.token.id;
    assert.equal(await t.app.get(TokenStore).rotate(refresh.token.id, [successor.token], t.clock.now()), 'rotated');
    await inactive(refresh.value);

    const gone = (await t.register({ name: 'Gone', redirectUris: ['https://gone.example/cb'] })).client.id;
    const orphan = await mintToken(t, { clientId: gone });
    await t.app.get(ClientStore).delete(gone);
    await inactive(orphan.value);
  });

  it('lets a permitted client introspect any client’s tokens and changes nothing, rotated ones included (RFC 7662 §2.1)', async () => {
    const tokens = t.app.get(TokenStore);
    const { access, refresh } = await mintPair(t, { clientId: app.id });
    const successor = buildToken(t, { clientId: app.id, kind: 'refresh', grantId: refresh.token.grantId });
    successor.token.parentId = refresh.token.id;
    const before = await Promise.all([access, refresh].map((m) => tokens.findByHash(m.token.tokenHash)));
    for (let i = 0; i < 3; i++) {
      assert.equal((await introspect({ token: access.value }).expect(200)).body.client_id, app.id);
      assert.equal((await introspect({ token: refresh.value }).expect(200)).body.active, true);
    }
    assert.deepEqual(await Promise.all([access, refresh].map((m) => tokens.findByHash(m.token.tokenHash))), before, 'nothing changed');
    assert.equal(await tokens.rotate(refresh.token.id, [successor.token], t.clock.now()), 'rotated', 'the owner can still rotate');
    await introspect({ token: refresh.value }).expect(200);
    assert.equal((await tokens.findByHash(successor.token.tokenHash))?.revokedAt, null, 'introspecting a rotated token revokes nothing');
  });

  it('refuses an authenticated client that may not introspect with 403 unauthorized_client (RFC 7662 §2.1)', async () => {
    const { value } = await mintToken(t, { clientId: app.id });
    const res = await introspect({ token: value }, app).expect(403);
    assert.equal(res.body.error, 'unauthorized_client');
    assert.equal('active' in res.body, false);
  });

  it('refuses a public client, even one flagged, with 401 invalid_client (RFC 7662 §2.1)', async () => {
    const res = await request(t.server).post('/oauth2/introspect').type('form').send({ client_id: spa, token: 'x' }).expect(401);
    assert.equal(res.body.error, 'invalid_client');
  });

  it('refuses bad credentials with 401 invalid_client and a Basic challenge (RFC 7662 §2.3)', async () => {
    const res = await introspect({ token: 'x' }, { id: rs.id, secret: 'wrong' }).expect(401);
    assert.equal(res.body.error, 'invalid_client');
    assert.equal(res.headers['www-authenticate'], 'Basic realm="http://127.0.0.1"');
  });

  it('refuses a request without client authentication with 401 invalid_client', async () => {
    const res = await request(t.server).post('/oauth2/introspect').type('form').send({ token: 'x' }).expect(401);
    assert.equal(res.body.error, 'invalid_client');
  });

  it('refuses a request without "token" with invalid_request', async () => {
    const res = await introspect({}).expect(400);
    assert.equal(res.body.error, 'invalid_request');
    assert.match(res.body.error_description, /token parameter is required/);
  });

  it('refuses a repeated token parameter with invalid_request (RFC 6749 §3.1)', async () => {
    const res = await introspect('token=a&token=b').expect(400);
    assert.equal(res.body.error, 'invalid_request');
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { hashSecret, TokenStore } from 'nest-oauth2-provider';
import { createOAuthTestApp, type OAuthTestApp } from './fixtures/oauth-app.fixture';
import { ProfileApiController } from './fixtures/protected-api';
import { mintPair, mintToken } from './support/mint-token';

describe('revocation endpoint POST /oauth2/revoke (RFC 7009)', () => {
  let t: OAuthTestApp;
  let app: { id: string; secret: string };
  let other: { id: string; secret: string };
  let spa: string;

  before(async () => {
    t = await createOAuthTestApp({ controllers: [ProfileApiController] });
    const a = await t.register({ name: 'CustomApp', redirectUris: ['https://customapp.example/cb'] });
    const b = await t.register({ name: 'OtherApp', redirectUris: ['https://other.example/cb'] });
    app = { id: a.client.id, secret: a.clientSecret! };
    other = { id: b.client.id, secret: b.clientSecret! };
    spa = (await t.register({ name: 'SPA', redirectUris: ['https://spa.example/cb'], public: true })).client.id;
  });
  after(async () => t.close());

  const revoke = (body: Record<string, string> | string, as = app) =>
    request(t.server).post('/oauth2/revoke').auth(as.id, as.secret).type('form').send(body);
  const me = (value: string) => request(t.server).get('/api/me').set('Authorization', `Bearer ${value}`);
  const stored = async (value: string) => (await t.app.get(TokenStore).findByHash(hashSecret(value)))!;

  it('revokes an access token alone: it stops working at once, its refresh token does not (RFC 7009 §2.1)', async () => {
    const { access, refresh } = await mintPair(t, { clientId: app.id });
    await me(access.value).expect(200);
    const res = await revoke({ token: access.value, token_type_hint: 'access_token' }).expect(200);
    assert.equal(res.text, '');
    assert.equal(res.headers['cache-control'], 'no-store');
    await me(access.value).expect(401);
    assert.equal((await stored(refresh.value)).revokedAt, null);
  });

  it('revokes a refresh token with its whole family, access tokens included (RFC 7009 §2.1)', async () => {
    const { access, refresh } = await mintPair(t, { clientId: app.id });
    const unrelated = await mintToken(t, { clientId: app.id });
    await revoke({ token: refresh.value, token_type_hint: 'refresh_token' }).expect(200);
    assert.notEqual((await stored(refresh.value)).revokedAt, null);
    await me(access.value).expect(401);
    await me(unrelated.value).expect(200);
  });

  it('finds the token whatever the hint says, and ignores an unknown hint (RFC 7009 §2.1)', async () => {
    const wrongHint = await mintToken(t, { clientId: app.id });
    await revoke({ token: wrongHint.value, token_type_hint: 'refresh_token' }).expect(200);
    await me(wrongHint.value).expect(401);
    const oddHint = await mintToken(t, { clientId: app.id });
    await revoke({ token: oddHint.value, token_type_hint: 'id_token' }).expect(200);
    await me(oddHint.value).expect(401);
  });

  it('does not revoke another client’s token, and still answers 200 (RFC 7009 §2.1, §2.2)', async () => {
    const theirs = await mintPair(t, { clientId: other.id });
    await revoke({ token: theirs.access.value }).expect(200);
    await revoke({ token: theirs.refresh.value }).expect(200);
    await me(theirs.access.value).expect(200);
    assert.equal((await stored(theirs.refresh.value)).revokedAt, null);
  });

  it('answers 200 for an unknown token (RFC 7009 §2.2)', async () => {
    await revoke({ token: 'never-issued' }).expect(200);
  });

  it('answers 200 again for an already revoked token', async () => {
    const { value } = await mintToken(t, { clientId: app.id });
    await revoke({ token: value }).expect(200);
    await revoke({ token: value }).expect(200);
  });

  it('lets a public client revoke its own token with client_id alone', async () => {
    const { value } = await mintToken(t, { clientId: spa });
    await request(t.server).post('/oauth2/revoke').type('form').send({ client_id: spa, token: value }).expect(200);
    await me(value).expect(401);
  });

  it('accepts client_secret_post as well as HTTP Basic', async () => {
    const { value } = await mintToken(t, { clientId: app.id });
    await request(t.server)
      .post('/oauth2/revoke')
      .type('form')
      .send({ client_id: app.id, client_secret: app.secret, token: value })
      .expect(200);
    await me(value).expect(401);
  });

  it('refuses a request without "token" with invalid_request', async () => {
    const res = await revoke({}).expect(400);
    assert.equal(res.body.error, 'invalid_request');
    assert.match(res.body.error_description, /token parameter is required/);
    assert.equal(res.headers['cache-control'], 'no-store');
  });

  it('refuses a repeated token parameter with invalid_request (RFC 6749 §3.1)', async () => {
    const res = await revoke('token=a&token=b').expect(400);
    assert.equal(res.body.error, 'invalid_request');
  });

  it('refuses a JSON body with invalid_request', async () => {
    const res = await request(t.server).post('/oauth2/revoke').auth(app.id, app.secret).send({ token: 'x' }).expect(400);
    assert.match(res.body.error_description, /application\/x-www-form-urlencoded/);
  });

  it('refuses a wrong secret with 401 invalid_client and a Basic challenge, revoking nothing (RFC 6749 §5.2)', async () => {
    const { value } = await mintToken(t, { clientId: app.id });
    const res = await revoke({ token: value }, { id: app.id, secret: 'wrong' }).expect(401);
    assert.equal(res.body.error, 'invalid_client');
    assert.equal(res.headers['www-authenticate'], 'Basic realm="http://127.0.0.1"');
    await me(value).expect(200);
  });

  it('refuses a request without client authentication with 401 invalid_client', async () => {
    const res = await request(t.server).post('/oauth2/revoke').type('form').send({ token: 'x' }).expect(401);
    assert.equal(res.body.error, 'invalid_client');
  });
});

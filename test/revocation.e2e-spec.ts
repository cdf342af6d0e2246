import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { ConnectedApps, ConsentStore, TokenStore } from 'nest-oauth2-provider';
import { hashSecret } from './support/library-internals';
import { createOAuthTestApp, type OAuthTestApp } from './fixtures/oauth-app.fixture';
import { authorize, pkcePair, redirectParams } from './fixtures/oauth-flow';
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
    const unrelated = await mintToken(t, { clientId: app.id, userId: 'user-2' });
    await revoke({ token: refresh.value, token_type_hint: 'refresh_token' }).expect(200);
    assert.notEqual((await stored(refresh.value)).revokedAt, null);
    await me(access.value).expect(401);
    await me(unrelated.value).expect(200);
  });

  it('a refresh token revoked by its client withdraws the user’s consent: the app leaves the connected-apps list and the next authorization asks again (RFC 7009 §2.1, RFC 6749 §10.2)', async () => {
    const consents = t.app.get(ConsentStore);
    await consents.grant('dana', app.id, ['profile'], t.clock.now());
    const { refresh } = await mintPair(t, { clientId: app.id, userId: 'dana' });
    const query = {
      response_type: 'code',
      client_id: app.id,
      scope: 'profile',
      state: 'st',
      code_challenge: pkcePair().challenge,
      code_challenge_method: 'S256',
    };
    assert.ok(redirectParams(await authorize(t, query, 'dana')).get('code'), 'remembered before the disconnect');

    await revoke({ token: refresh.value, token_type_hint: 'refresh_token' }).expect(200);

    assert.equal(await consents.find('dana', app.id), undefined);
    assert.deepEqual(await t.app.get(ConnectedApps).listForUser('dana'), []);
    const again = await authorize(t, query, 'dana');
    assert.equal(again.status, 200, 'the consent page, not a code');
    assert.match(again.text, /name="decision" value="allow"/);
  });

  it('ends the client’s other grants for that user too, so none outlives the withdrawn consent (RFC 7009 §2.1)', async () => {
    const consents = t.app.get(ConsentStore);
    await consents.grant('eli', app.id, ['profile'], t.clock.now());
    await consents.grant('eli', other.id, ['profile'], t.clock.now());
    const laptop = await mintPair(t, { clientId: app.id, userId: 'eli' });
    const phone = await mintPair(t, { clientId: app.id, userId: 'eli' });
    const otherApp = await mintPair(t, { clientId: other.id, userId: 'eli' });

    await revoke({ token: laptop.refresh.value }).expect(200);

    await me(phone.access.value).expect(401);
    assert.notEqual((await stored(phone.refresh.value)).revokedAt, null);
    await me(otherApp.access.value).expect(200);
    assert.ok(await consents.find('eli', other.id));
    assert.deepEqual(
      (await t.app.get(ConnectedApps).listForUser('eli')).map((a) => a.clientId),
      [other.id],
    );
  });

  it('keeps the grant and the consent when the client revokes only an access token (RFC 7009 §2.1)', async () => {
    const consents = t.app.get(ConsentStore);
    await consents.grant('fay', app.id, ['profile'], t.clock.now());
    const { access, refresh } = await mintPair(t, { clientId: app.id, userId: 'fay' });
    await revoke({ token: access.value }).expect(200);
    assert.ok(await consents.find('fay', app.id));
    assert.equal((await stored(refresh.value)).revokedAt, null);
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
    const theirs = await mintPair(t, { clientId: other.id, userId: 'gus' });
    await t.app.get(ConsentStore).grant('gus', other.id, ['profile'], t.clock.now());
    await revoke({ token: theirs.access.value }).expect(200);
    await revoke({ token: theirs.refresh.value }).expect(200);
    await me(theirs.access.value).expect(200);
    assert.equal((await stored(theirs.refresh.value)).revokedAt, null);
    assert.ok(await t.app.get(ConsentStore).find('gus', other.id), 'nor its owner’s consent');
  });

  it('changes nothing when revocation fails client authentication (RFC 7009 §2.1)', async () => {
    const { access, refresh } = await mintPair(t, { clientId: app.id });
    const res = await revoke({ token: refresh.value }, { id: app.id, secret: 'wrong-secret' });
    assert.equal(res.status, 401);
    assert.equal(res.body.error, 'invalid_client');
    await me(access.value).expect(200);
    assert.equal((await stored(refresh.value)).revokedAt, null);
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

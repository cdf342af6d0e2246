import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TokenStore } from 'nest-oauth2-provider';
import { hashSecret } from './support/library-internals';
import request from 'supertest';
import { createOAuthTestApp, type OAuthTestApp } from './fixtures/oauth-app.fixture';
import { basicAuth, obtainCode, pkcePair, tokenRequest } from './fixtures/oauth-flow';
import { LogCapture } from './support/log-capture';
import { withLoggedApp } from './support/logged-app';
import { mintPair } from './support/mint-token';

const REDIRECT = 'https://customapp.example/oauth/redirect';
type Creds = { id: string; secret: string };

async function connect(t: OAuthTestApp, client: Creds, scope = 'profile email'): Promise<{ access_token: string; refresh_token: string }> {
  const { verifier, challenge } = pkcePair();
  const query = { response_type: 'code', client_id: client.id, scope, code_challenge: challenge, code_challenge_method: 'S256' };
  const { code } = await obtainCode(t, query);
  const res = await tokenRequest(t, { grant_type: 'authorization_code', code, code_verifier: verifier }, client);
  assert.equal(res.status, 200, res.text);
  return res.body;
}

function refresh(t: OAuthTestApp, client: Creds, refreshToken: string, extra: Record<string, string> = {}) {
  return tokenRequest(t, { grant_type: 'refresh_token', refresh_token: refreshToken, ...extra }, client);
}

describe('refresh token grant with rotation (RFC 6749 §6, RFC 9700 §4.14)', () => {
  let t: OAuthTestApp;
  let client: Creds;
  let other: Creds;

  before(async () => {
    t = await createOAuthTestApp({ options: { refreshTokenGracePeriod: 10 } });
    const a = await t.register({ name: 'CustomApp', redirectUris: [REDIRECT] });
    const b = await t.register({ name: 'Other', redirectUris: [REDIRECT] });
    client = { id: a.client.id, secret: a.clientSecret! };
    other = { id: b.client.id, secret: b.clientSecret! };
  });
  after(() => t.close());

  it('rotates on every use: a new refresh token, the old one spent', async () => {
    const first = await connect(t, client);
    const res = await refresh(t, client, first.refresh_token);
    assert.equal(res.status, 200);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.notEqual(res.body.refresh_token, first.refresh_token);
    assert.equal(res.body.scope, 'profile email');
    const next = await refresh(t, client, res.body.refresh_token);
    assert.equal(next.status, 200);
  });

  it('narrows the scope on request, and keeps the original scope for the next refresh (RFC 6749 §6)', async () => {
    const first = await connect(t, client);
    const narrow = await refresh(t, client, first.refresh_token, { scope: 'profile' });
    assert.equal(narrow.status, 200);
    assert.equal(narrow.body.scope, 'profile');
    const full = await refresh(t, client, narrow.body.refresh_token, { scope: 'profile email' });
    assert.equal(full.status, 200);
    assert.equal(full.body.scope, 'profile email');
  });

  it('refuses to widen the scope with invalid_scope (RFC 6749 §6)', async () => {
    const first = await connect(t, client, 'profile');
    const res = await refresh(t, client, first.refresh_token, { scope: 'profile email' });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'invalid_scope');
    assert.equal((await refresh(t, client, first.refresh_token)).status, 200, 'a refused scope does not spend the token');
  });

  it('revokes the whole family when a rotated token is reused after the grace period (RFC 9700 §4.14.2)', async () => {
    const first = await connect(t, client);
    const second = (await refresh(t, client, first.refresh_token)).body;
    t.clock.advance(11);
    const reuse = await refresh(t, client, first.refresh_token);
    assert.equal(reuse.status, 400);
    assert.equal(reuse.body.error, 'invalid_grant');
    const descendant = await refresh(t, client, second.refresh_token);
    assert.equal(descendant.body.error, 'invalid_grant', 'the token from the rotation is revoked too');
  });

  it('answers a retry within the grace period with the same pair, never a second branch (RFC 9700 §4.14.2)', async () => {
    const first = await connect(t, client);
    const lost = (await refresh(t, client, first.refresh_token)).body;
    t.clock.advance(10);
    const retry = await refresh(t, client, first.refresh_token);
    assert.equal(retry.status, 200);
    assert.equal(retry.headers['cache-control'], 'no-store');
    assert.equal(retry.body.refresh_token, lost.refresh_token);
    assert.equal(retry.body.access_token, lost.access_token);
    assert.equal(retry.body.scope, lost.scope);
    assert.equal(retry.body.expires_in, lost.expires_in - 10);
    assert.equal((await refresh(t, client, retry.body.refresh_token)).status, 200, 'the one pair works');
  });

  it('revokes the family when a rotated token is replayed within the grace period after its successor was used (RFC 9700 §4.14.2)', async () => {
    const r0 = await connect(t, client);
    const r1 = (await refresh(t, client, r0.refresh_token)).body;
    const r2 = (await refresh(t, client, r1.refresh_token)).body;
    const replay = await refresh(t, client, r0.refresh_token);
    assert.equal(replay.status, 400);
    assert.equal(replay.body.error, 'invalid_grant');
    assert.equal((await refresh(t, client, r2.refresh_token)).body.error, 'invalid_grant', 'no branch survives');
  });

  it('refuses a refresh token presented by another client and leaves its grant alone (RFC 6749 §6)', async () => {
    const first = await connect(t, client);
    const second = (await refresh(t, client, first.refresh_token)).body;
    const stolen = await refresh(t, other, second.refresh_token);
    assert.equal(stolen.status, 400);
    assert.equal(stolen.body.error, 'invalid_grant');
    const replayed = await refresh(t, other, first.refresh_token);
    assert.equal(replayed.body.error, 'invalid_grant');
    assert.equal((await refresh(t, client, second.refresh_token)).status, 200, 'the owner keeps its grant');
  });

  it('changes nothing when the token request fails client authentication (RFC 6749 §5.2)', async () => {
    const first = await connect(t, client);
    const res = await refresh(t, { id: client.id, secret: 'wrong-secret' }, first.refresh_token);
    assert.equal(res.status, 401);
    assert.equal(res.body.error, 'invalid_client');
    assert.equal((await refresh(t, client, first.refresh_token)).status, 200, 'the token was not spent');
  });

  it('rejects an expired refresh token with invalid_grant', async () => {
    const first = await connect(t, client);
    t.clock.advance(30 * 24 * 3600 + 1);
    assert.equal((await refresh(t, client, first.refresh_token)).body.error, 'invalid_grant');
  });

  it('rejects an unknown refresh token and an access token presented as one with invalid_grant', async () => {
    const first = await connect(t, client);
    assert.equal((await refresh(t, client, 'not-a-token')).body.error, 'invalid_grant');
    assert.equal((await refresh(t, client, first.access_token)).body.error, 'invalid_grant');
  });

  it('requires the refresh_token parameter (invalid_request)', async () => {
    const res = await tokenRequest(t, { grant_type: 'refresh_token' }, client);
    assert.equal(res.body.error, 'invalid_request');
  });
});

describe('absolute refresh lifetime (refreshTokenAbsoluteTtl)', () => {
  let t: OAuthTestApp;
  let client: Creds;
  before(async () => {
    t = await createOAuthTestApp({ options: { refreshTokenTtl: 3600, refreshTokenAbsoluteTtl: 7200 } });
    const a = await t.register({ name: 'CustomApp', redirectUris: [REDIRECT] });
    client = { id: a.client.id, secret: a.clientSecret! };
  });
  after(() => t.close());

  it('refuses a rotation past the grant’s absolute deadline, however often it was renewed, with invalid_grant (RFC 9700 §4.14.2, RFC 6749 §5.2)', async () => {
    const r0 = await connect(t, client);
    t.clock.advance(3000);
    const r1 = (await refresh(t, client, r0.refresh_token)).body;
    t.clock.advance(3000);
    const r2 = await refresh(t, client, r1.refresh_token);
    assert.equal(r2.status, 200, r2.text);
    t.clock.advance(1300);
    const late = await refresh(t, client, r2.body.refresh_token);
    assert.equal(late.status, 400);
    assert.equal(late.body.error, 'invalid_grant');
  });
});

describe('refresh tokens without a grace period', () => {
  let t: OAuthTestApp;
  let client: Creds;
  before(async () => {
    t = await createOAuthTestApp({ options: { refreshTokenGracePeriod: 0 } });
    const a = await t.register({ name: 'CustomApp', redirectUris: [REDIRECT] });
    client = { id: a.client.id, secret: a.clientSecret! };
  });
  after(() => t.close());

  it('revokes the family on an immediate reuse when the grace period is 0', async () => {
    const first = await connect(t, client);
    const second = (await refresh(t, client, first.refresh_token)).body;
    assert.equal((await refresh(t, client, first.refresh_token)).body.error, 'invalid_grant');
    assert.equal((await refresh(t, client, second.refresh_token)).body.error, 'invalid_grant');
  });
});

describe('refresh tokens gated by offline_access', () => {
  let t: OAuthTestApp;
  let client: Creds;
  let noRefresh: Creds;
  before(async () => {
    t = await createOAuthTestApp({ options: { offlineAccessScope: 'offline_access' } });
    const a = await t.register({ name: 'CustomApp', redirectUris: [REDIRECT] });
    const b = await t.register({ name: 'Short', redirectUris: [REDIRECT], grantTypes: ['authorization_code'] });
    client = { id: a.client.id, secret: a.clientSecret! };
    noRefresh = { id: b.client.id, secret: b.clientSecret! };
  });
  after(() => t.close());

  it('issues no refresh token unless offline_access was granted', async () => {
    const without = await connect(t, client, 'profile');
    assert.equal(without.refresh_token, undefined);
    const withOffline = await connect(t, client, 'profile offline_access');
    assert.ok(withOffline.refresh_token);
  });

  it('issues no refresh token to a client not allowed the refresh_token grant', async () => {
    const tokens = await connect(t, noRefresh, 'profile offline_access');
    assert.equal(tokens.refresh_token, undefined);
  });
});

describe('security events for another client’s credentials (RFC 6749 §6, RFC 7009 §2.1)', () => {
  const logs = new LogCapture();
  const logged = withLoggedApp(logs);

  it('logs a refused refresh or revocation with both client ids and a hash prefix, never the token', async () => {
    const owner = await logged().registry.register({ name: 'CustomApp', redirectUris: [REDIRECT] });
    const thief = await logged().registry.register({ name: 'Other', redirectUris: [REDIRECT] });
    const { refresh } = await mintPair(logged() as unknown as OAuthTestApp, { clientId: owner.client.id });
    const post = (path: string, form: Record<string, string>) =>
      request(logged().server).post(path).type('form').set('Authorization', basicAuth(thief.client.id, thief.clientSecret!)).send(form);
    const warnings = () => logs.output.filter((line) => line.startsWith('[nest:warn]') && line.includes('Security event'));

    assert.equal((await post('/oauth2/token', { grant_type: 'refresh_token', refresh_token: refresh.value })).body.error, 'invalid_grant');
    await post('/oauth2/revoke', { token: refresh.value }).expect(200);
    const events = warnings();
    assert.equal(events.length, 2, events.join('\n'));
    for (const event of events) {
      assert.ok(event.includes(owner.client.id) && event.includes(thief.client.id), event);
      assert.ok(event.includes(hashSecret(refresh.value).slice(0, 8)), event);
      assert.ok(!event.includes(refresh.value) && !event.includes(hashSecret(refresh.value)), 'never the token nor its whole hash');
    }
    assert.equal((await logged().app.get(TokenStore).findByHash(hashSecret(refresh.value)))?.revokedAt, null, 'the grant is unchanged');
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OAuthPurgeService, TokenStore, type OAuthToken } from 'nest-oauth2-provider';
import { OAuthAuthorizationCodeEntity, OAuthTokenEntity } from 'nest-oauth2-provider/typeorm';
import { hashSecret } from './support/library-internals';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createOAuthTestApp, type OAuthTestApp } from './fixtures/oauth-app.fixture';
import { authorize, basicAuth, decide, obtainCode, pkcePair, redirectParams, TOKEN_PATH, tokenRequest } from './fixtures/oauth-flow';

const REDIRECT = 'https://customapp.example/oauth/redirect';

describe('authorization code flow over HTTP (RFC 6749 §4.1, RFC 7636, RFC 9207)', () => {
  let t: OAuthTestApp;
  let confidential: { id: string; secret: string };
  let publicId: string;

  before(async () => {
    t = await createOAuthTestApp();
    const c = await t.register({ name: 'CustomApp', redirectUris: [REDIRECT] });
    confidential = { id: c.client.id, secret: c.clientSecret! };
    publicId = (await t.register({ name: 'Mobile', redirectUris: ['http://127.0.0.1:8765/cb'], public: true })).client.id;
  });
  after(() => t.close());

  function codeQuery(clientId: string, challenge: string, extra: Record<string, string> = {}): Record<string, string> {
    return {
      response_type: 'code',
      client_id: clientId,
      scope: 'profile',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...extra,
    };
  }

  it('sends a visitor who is not logged in to the login page with the original request as return URL', async () => {
    const { challenge } = pkcePair();
    const res = await authorize(t, codeQuery(confidential.id, challenge, { state: 'xyz' }));
    assert.equal(res.status, 302);
    const login = new URL(res.headers.location, 'http://localhost');
    assert.equal(login.pathname, '/login');
    const returnTo = login.searchParams.get('return_to')!;
    assert.ok(returnTo.startsWith('/oauth2/auth?'));
    assert.equal(new URL(returnTo, 'http://localhost').searchParams.get('state'), 'xyz');
  });

  it('issues a code with state, iss and the passthrough parameter after consent (RFC 6749 §4.1.2, RFC 9207 §2)', async () => {
    const { challenge } = pkcePair();
    const page = await authorize(t, codeQuery(confidential.id, challenge, { state: 's1', shift_team_id: 'team-7' }), 'alice');
    assert.equal(page.status, 200);
    const res = await decide(t, page, 'alice', 'allow');
    const params = redirectParams(res);
    assert.ok(res.headers.location.startsWith(`${REDIRECT}?`));
    assert.match(params.get('code')!, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(params.get('state'), 's1');
    assert.equal(params.get('iss'), 'http://127.0.0.1');
    assert.equal(params.get('shift_team_id'), 'team-7');
  });

  it('remembers consent: the next request for the same scopes redirects at once (RFC 6749 §10.2)', async () => {
    const { challenge } = pkcePair();
    const res = await authorize(t, codeQuery(confidential.id, challenge), 'alice');
    assert.equal(res.status, 302);
    assert.ok(redirectParams(res).get('code'));
  });

  it('asks again when more scopes are requested than were approved', async () => {
    const { challenge } = pkcePair();
    const res = await authorize(t, codeQuery(confidential.id, challenge, { scope: 'profile email' }), 'alice');
    assert.equal(res.status, 200);
    assert.match(res.text, /Read your email address/);
  });

  it('exchanges the code with client_secret_basic for an access and a refresh token (RFC 6749 §4.1.3, §5.1)', async () => {
    const { verifier, challenge } = pkcePair();
    const { code } = await obtainCode(t, codeQuery(confidential.id, challenge, { redirect_uri: REDIRECT }));
    const res = await tokenRequest(
      t,
      { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier },
      confidential,
    );
    assert.equal(res.status, 200);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(res.headers.pragma, 'no-cache');
    assert.equal(res.body.token_type, 'Bearer');
    assert.equal(res.body.expires_in, 3600);
    assert.equal(res.body.scope, 'profile');
    assert.match(res.body.access_token, /^[A-Za-z0-9_-]{43}$/);
    assert.match(res.body.refresh_token, /^[A-Za-z0-9_-]{43}$/);
  });

  it('exchanges the code with client_secret_post (RFC 6749 §2.3.1)', async () => {
    const { verifier, challenge } = pkcePair();
    const { code } = await obtainCode(t, codeQuery(confidential.id, challenge));
    const res = await tokenRequest(t, {
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      client_id: confidential.id,
      client_secret: confidential.secret,
    });
    assert.equal(res.status, 200);
    assert.ok(res.body.access_token);
  });

  it('runs the whole flow for a public client with PKCE and no secret (RFC 7636, RFC 8252)', async () => {
    const { verifier, challenge } = pkcePair();
    const { code } = await obtainCode(t, codeQuery(publicId, challenge), 'bob');
    const res = await tokenRequest(t, { grant_type: 'authorization_code', code, code_verifier: verifier, client_id: publicId });
    assert.equal(res.status, 200);
    assert.ok(res.body.refresh_token);
  });

  it('rejects a second use of the same code with invalid_grant and revokes the tokens of the first exchange (RFC 6749 §4.1.2)', async () => {
    const { verifier, challenge } = pkcePair();
    const { code } = await obtainCode(t, codeQuery(confidential.id, challenge));
    const form = { grant_type: 'authorization_code', code, code_verifier: verifier };
    const first = await tokenRequest(t, form, confidential);
    assert.equal(first.status, 200);
    const second = await tokenRequest(t, form, confidential);
    assert.equal(second.status, 400);
    assert.equal(second.body.error, 'invalid_grant');
    const refresh = await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: first.body.refresh_token }, confidential);
    assert.equal(refresh.status, 400);
    assert.equal(refresh.body.error, 'invalid_grant');
  });

  it('revokes the tokens of an exchange whose save a replay overtook, and answers both with invalid_grant (RFC 6749 §4.1.2)', async () => {
    const { verifier, challenge } = pkcePair();
    const { code } = await obtainCode(t, codeQuery(confidential.id, challenge));
    const form = { grant_type: 'authorization_code', code, code_verifier: verifier };
    // Hold the first exchange's token save, as a slow commit would, until the replay has been answered.
    const tokens = t.app.get(TokenStore);
    const save = tokens.save.bind(tokens);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const held = new Promise<OAuthToken[]>((resolve) => {
      tokens.save = async (batch) => {
        tokens.save = save;
        resolve(batch);
        await released;
        return save(batch);
      };
    });
    try {
      const first = Promise.resolve(tokenRequest(t, form, confidential));
      const minted = await held;
      const replay = await tokenRequest(t, form, confidential);
      assert.equal(replay.status, 400);
      assert.equal(replay.body.error, 'invalid_grant');
      release();
      const winner = await first;
      assert.equal(winner.status, 400, winner.text);
      assert.equal(winner.body.error, 'invalid_grant');
      assert.equal(winner.body.access_token, undefined);
      assert.deepEqual(minted.map((token) => token.kind).sort(), ['access', 'refresh']);
      for (const token of minted) assert.ok((await tokens.findByHash(token.tokenHash))?.revokedAt, `the ${token.kind} token is revoked`);
    } finally {
      release();
      tokens.save = save;
    }
  });

  it('revokes the tokens of the first exchange when the code is replayed after it expired, even after a purge (RFC 6749 §4.1.2)', async () => {
    const { verifier, challenge } = pkcePair();
    const { code } = await obtainCode(t, codeQuery(confidential.id, challenge));
    const form = { grant_type: 'authorization_code', code, code_verifier: verifier };
    const first = await tokenRequest(t, form, confidential);
    assert.equal(first.status, 200);
    // An hour later the code has long expired, and a purge has run; the consumed row is retained.
    t.clock.advance(3600);
    await t.app.get(OAuthPurgeService).run();
    const late = await tokenRequest(t, form, confidential);
    assert.equal(late.status, 400);
    assert.equal(late.body.error, 'invalid_grant');
    assert.match(late.body.error_description, /already used/);
    const refresh = await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: first.body.refresh_token }, confidential);
    assert.equal(refresh.body.error, 'invalid_grant');
    assert.match(refresh.body.error_description, /revoked/);
  });

  it('rejects an expired code with invalid_grant (RFC 6749 §4.1.2)', async () => {
    const { verifier, challenge } = pkcePair();
    const { code } = await obtainCode(t, codeQuery(confidential.id, challenge));
    t.clock.advance(61);
    const res = await tokenRequest(t, { grant_type: 'authorization_code', code, code_verifier: verifier }, confidential);
    assert.equal(res.body.error, 'invalid_grant');
  });

  it('requires the token request to repeat the redirect_uri of the authorization request (RFC 6749 §4.1.3)', async () => {
    const { verifier, challenge } = pkcePair();
    const { code } = await obtainCode(t, codeQuery(confidential.id, challenge, { redirect_uri: REDIRECT }));
    const res = await tokenRequest(t, { grant_type: 'authorization_code', code, code_verifier: verifier }, confidential);
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'invalid_grant');
  });

  it('refuses a code issued to another client with invalid_grant (RFC 6749 §4.1.3)', async () => {
    const { verifier, challenge } = pkcePair();
    const { code } = await obtainCode(t, codeQuery(publicId, challenge), 'bob');
    const res = await tokenRequest(t, { grant_type: 'authorization_code', code, code_verifier: verifier }, confidential);
    assert.equal(res.body.error, 'invalid_grant');
  });

  it('refuses a code presented by another client without consuming it: the owner still redeems it (RFC 6749 §4.1.3)', async () => {
    const { verifier, challenge } = pkcePair();
    const { code } = await obtainCode(t, codeQuery(confidential.id, challenge));
    const stolen = await tokenRequest(t, { grant_type: 'authorization_code', code, code_verifier: verifier, client_id: publicId });
    assert.equal(stolen.status, 400);
    assert.equal(stolen.body.error, 'invalid_grant');
    const row = await t.app
      .get(DataSource)
      .getRepository(OAuthAuthorizationCodeEntity)
      .findOneByOrFail({ codeHash: hashSecret(code) });
    assert.equal(row.consumedAt, null, 'the code is not burned');
    assert.equal(row.replayedAt, null, 'no replay is recorded');
    const owner = await tokenRequest(t, { grant_type: 'authorization_code', code, code_verifier: verifier }, confidential);
    assert.equal(owner.status, 200, owner.text);
    const issued = await t.app.get(TokenStore).findByHash(hashSecret(owner.body.access_token));
    assert.equal(issued?.revokedAt, null, 'the owner’s tokens are live');
  });

  it('redeems one code exactly once when 20 requests race for it (RFC 6749 §4.1.2)', async () => {
    const { verifier, challenge } = pkcePair();
    const { code } = await obtainCode(t, codeQuery(confidential.id, challenge));
    const form = { grant_type: 'authorization_code', code, code_verifier: verifier };
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        request(t.server).post(TOKEN_PATH).type('form').set('Authorization', basicAuth(confidential.id, confidential.secret)).send(form),
      ),
    );
    const ok = results.filter((r) => r.status === 200);
    // The winner is refused too when a replay was recorded before it re-checked its code (RFC 9700 §4.2.4).
    assert.ok(ok.length <= 1, `statuses: ${results.map((r) => r.status).join(',')}`);
    for (const r of results.filter((r) => r.status !== 200)) assert.equal(r.body.error, 'invalid_grant');
    // Exactly one exchange minted tokens, and the replays revoked them whoever answered first.
    const data = t.app.get(DataSource);
    const row = await data.getRepository(OAuthAuthorizationCodeEntity).findOneByOrFail({ codeHash: hashSecret(code) });
    const issued = await data.getRepository(OAuthTokenEntity).findBy({ grantId: row.grantId });
    assert.deepEqual(issued.map((token) => token.kind).sort(), ['access', 'refresh']);
    for (const token of issued) assert.ok(token.revokedAt, `the ${token.kind} token is revoked`);
  });
});

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import request from 'supertest';
import { hashSecret } from './support/library-internals';
import { DataSource } from 'typeorm';
import { basicAuth, consentCookie, hiddenFields, pkcePair } from './fixtures/oauth-flow';
import { TEST_USER_HEADER } from './fixtures/test-interaction';
import { LogCapture } from './support/log-capture';
import { withLoggedApp } from './support/logged-app';

const REDIRECT = 'https://customapp.example/oauth/redirect';
const SPA_REDIRECT = 'https://spa.example/callback';

describe('secrets never reach the logs (issue 7, RFC 6819 §5.1.4.1, RFC 9700 §4.14)', () => {
  const logs = new LogCapture();
  /** Every credential the flow handles, by what it is. */
  const secrets = new Map<string, string>();
  const remember = (what: string, value: string | undefined | null) => {
    assert.ok(value, `the flow produced no ${what}`);
    secrets.set(`${what} #${secrets.size}`, value);
    return value;
  };

  const logged = withLoggedApp(logs);

  const server = () => logged().server;
  const form = (path: string, body: Record<string, string>, basic?: { id: string; secret: string }) => {
    const req = request(server()).post(path).type('form');
    if (basic) req.set('Authorization', basicAuth(basic.id, basic.secret));
    return req.send(body);
  };

  /** Browser part of the code flow for `client`: authorize, consent if asked, return the code. */
  async function code(clientId: string, redirectUri: string, challenge: string): Promise<string> {
    const query = {
      response_type: 'code',
      client_id: clientId,
      redirect_uri: redirectUri,
      scope: 'profile',
      state: 's',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    };
    let res = await request(server()).get('/oauth2/auth').query(query).set(TEST_USER_HEADER, 'alice');
    if (res.status === 200) {
      const fields = hiddenFields(res.text);
      remember('consent CSRF token', fields.csrf_token);
      const cookie = consentCookie(res);
      remember('consent cookie', cookie.split('=')[1]);
      res = await request(server())
        .post('/oauth2/auth')
        .type('form')
        .set(TEST_USER_HEADER, 'alice')
        .set('Cookie', cookie)
        .send({ ...fields, decision: 'allow' });
    }
    assert.equal(res.status, 302, res.text);
    return remember('authorization code', new URL(res.headers.location).searchParams.get('code'));
  }

  it('logs no client secret, code, token, PKCE verifier, password or CSRF token during a full flow with its error paths', async () => {
    const registered = await logged().registry.register({
      name: 'CustomApp',
      redirectUris: [REDIRECT],
      scopes: ['profile'],
      canIntrospect: true,
    });
    const app = { id: registered.client.id, secret: remember('client secret', registered.clientSecret) };
    const spa = (await logged().registry.register({ name: 'SPA', redirectUris: [SPA_REDIRECT], public: true, scopes: ['profile'] })).client
      .id;

    // The happy path: authorize, consent, code exchange, guarded call, refresh, introspect, revoke.
    const pkce = pkcePair();
    remember('PKCE verifier', pkce.verifier);
    const first = await code(app.id, REDIRECT, pkce.challenge);
    const issued = await form(
      '/oauth2/token',
      { grant_type: 'authorization_code', code: first, redirect_uri: REDIRECT, code_verifier: pkce.verifier },
      app,
    ).expect(200);
    const access = remember('access token', issued.body.access_token);
    const refresh = remember('refresh token', issued.body.refresh_token);
    await request(server()).get('/api/me').set('Authorization', `Bearer ${access}`).expect(200);
    const rotated = await form('/oauth2/token', { grant_type: 'refresh_token', refresh_token: refresh }, app).expect(200);
    const access2 = remember('access token', rotated.body.access_token);
    const refresh2 = remember('refresh token', rotated.body.refresh_token);
    assert.equal((await form('/oauth2/introspect', { token: access2 }, app).expect(200)).body.active, true);

    // Error paths: a wrong secret, a replayed code, a wrong verifier, refresh-token reuse, a password grant.
    const wrong = remember('wrong client secret', randomBytes(32).toString('base64url'));
    await form('/oauth2/token', { grant_type: 'refresh_token', refresh_token: refresh2 }, { id: app.id, secret: wrong }).expect(401);
    await form('/oauth2/token', { grant_type: 'refresh_token', refresh_token: refresh2, client_id: app.id, client_secret: wrong }).expect(
      401,
    );
    await form(
      '/oauth2/token',
      { grant_type: 'authorization_code', code: first, redirect_uri: REDIRECT, code_verifier: pkce.verifier },
      app,
    ).expect(400);
    const spaPkce = pkcePair();
    remember('PKCE verifier', spaPkce.verifier);
    const spaCode = await code(spa, SPA_REDIRECT, spaPkce.challenge);
    const wrongVerifier = remember('wrong PKCE verifier', pkcePair().verifier);
    await form('/oauth2/token', {
      grant_type: 'authorization_code',
      code: spaCode,
      redirect_uri: SPA_REDIRECT,
      code_verifier: wrongVerifier,
      client_id: spa,
    }).expect(400);
    await form('/oauth2/token', { grant_type: 'refresh_token', refresh_token: refresh }, app).expect(400);
    const password = remember('password', `shift-demo-${randomBytes(8).toString('hex')}`);
    await form('/oauth2/token', { grant_type: 'password', username: 'nate', password }, app).expect(400);
    await request(server())
      .get('/api/me')
      .set('Authorization', `Bearer ${remember('forged token', randomBytes(32).toString('base64url'))}`)
      .expect(401);

    // A fresh pair to revoke, and then a database fault while tokens are in flight.
    const pkce3 = pkcePair();
    remember('PKCE verifier', pkce3.verifier);
    const third = await form(
      '/oauth2/token',
      {
        grant_type: 'authorization_code',
        code: await code(app.id, REDIRECT, pkce3.challenge),
        redirect_uri: REDIRECT,
        code_verifier: pkce3.verifier,
      },
      app,
    ).expect(200);
    const access3 = remember('access token', third.body.access_token);
    const refresh3 = remember('refresh token', third.body.refresh_token);
    await form('/oauth2/revoke', { token: access3 }, app).expect(200);
    const dataSource = logged().app.get(DataSource);
    await dataSource.query('ALTER TABLE oauth_tokens RENAME TO oauth_tokens_away');
    try {
      const fault = await form('/oauth2/token', { grant_type: 'refresh_token', refresh_token: refresh3 }, app);
      assert.ok(fault.status >= 500, `a missing table is a server fault (got ${fault.status})`);
      const guarded = await request(server()).get('/api/me').set('Authorization', `Bearer ${access2}`);
      assert.ok(guarded.status >= 500);
      await form('/oauth2/introspect', { token: access2 }, app);
      await form('/oauth2/revoke', { token: refresh3 }, app);
    } finally {
      await dataSource.query('ALTER TABLE oauth_tokens_away RENAME TO oauth_tokens');
    }

    const output = logs.output;
    assert.ok(
      output.some((line) => /\[nest:error\]/.test(line)),
      'the database fault was logged (the capture works)',
    );
    assert.ok(
      output.some((line) => /oauth_tokens/i.test(line) && /query/i.test(line)),
      'SQL queries were logged (the capture works)',
    );
    // Query parameters are logged, and what they hold for a token is its SHA-256, never the token.
    assert.ok(
      output.some((line) => line.includes(hashSecret(access))),
      'the access token reached the queries as its hash',
    );
    for (const [what, value] of secrets) {
      const leak = output.find((line) => line.includes(value));
      assert.equal(leak, undefined, `${what} appears in the logs: ${leak?.slice(0, 300)}`);
    }
    assert.ok(secrets.size >= 15, `checked ${secrets.size} secrets`);
  });
});

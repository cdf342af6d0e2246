import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { createOAuthTestApp, type OAuthTestApp } from './fixtures/oauth-app.fixture';
import { AUTH_PATH, authorize, basicAuth, pkcePair, redirectParams, TOKEN_PATH, tokenRequest } from './fixtures/oauth-flow';

const REDIRECT = 'https://customapp.example/oauth/redirect';
const REDIRECT_2 = 'https://customapp.example/oauth/other';

describe('error responses of the authorization endpoint (RFC 6749 §4.1.2.1)', () => {
  let t: OAuthTestApp;
  let clientId: string;
  let twoUris: string;
  let machineId: string;

  before(async () => {
    t = await createOAuthTestApp();
    clientId = (await t.register({ name: 'CustomApp', redirectUris: [REDIRECT], scopes: ['profile', 'email'] })).client.id;
    twoUris = (await t.register({ name: 'Two', redirectUris: [REDIRECT, REDIRECT_2] })).client.id;
    machineId = (await t.register({ name: 'Machine', redirectUris: [REDIRECT], grantTypes: ['client_credentials'] })).client.id;
  });
  after(() => t.close());

  const query = (extra: Record<string, string> = {}) => ({
    response_type: 'code',
    client_id: clientId,
    scope: 'profile',
    code_challenge: pkcePair().challenge,
    code_challenge_method: 'S256',
    state: 'st',
    ...extra,
  });

  async function expectErrorPage(q: Record<string, string>, pattern: RegExp): Promise<void> {
    const res = await authorize(t, q, 'alice');
    assert.equal(res.status, 400);
    assert.equal(res.headers.location, undefined, 'never redirected');
    assert.match(res.headers['content-type'], /^text\/html/);
    assert.equal(res.headers['x-frame-options'], 'DENY');
    assert.match(res.text, pattern);
  }

  async function expectRedirectError(q: Record<string, string>, error: string): Promise<void> {
    const res = await authorize(t, q, 'alice');
    const params = redirectParams(res);
    assert.ok(res.headers.location.startsWith(REDIRECT));
    assert.equal(params.get('error'), error);
    assert.ok(params.get('error_description'));
    assert.equal(params.get('state'), 'st');
    assert.equal(params.get('iss'), 'http://127.0.0.1');
  }

  it('shows a 400 page, never a redirect, for an unknown client_id', () =>
    expectErrorPage(query({ client_id: 'nobody' }), /not registered/));
  it('shows a 400 page for a missing client_id', () => expectErrorPage(query({ client_id: '' }), /no client_id/));
  it('shows a 400 page for an unregistered redirect_uri (exact match, RFC 9700 §4.1.3)', () =>
    expectErrorPage(query({ redirect_uri: `${REDIRECT}/` }), /not registered/));
  it('shows a 400 page when redirect_uri is omitted and the client has several', () =>
    expectErrorPage(query({ client_id: twoUris }), /redirect_uri parameter is required/));

  it('shows a 400 page for a repeated client_id (RFC 6749 §3.1)', async () => {
    const res = await request(t.server)
      .get(`${AUTH_PATH}?client_id=${clientId}&client_id=${clientId}&response_type=code`)
      .set('x-test-user', 'a');
    assert.equal(res.status, 400);
    assert.equal(res.headers.location, undefined);
  });

  it('redirects invalid_request for a repeated parameter (RFC 6749 §3.1)', async () => {
    const q = new URLSearchParams(query());
    q.append('scope', 'email');
    const res = await request(t.server).get(`${AUTH_PATH}?${q}`).set('x-test-user', 'alice');
    const params = redirectParams(res);
    assert.equal(params.get('error'), 'invalid_request');
    assert.match(params.get('error_description')!, /repeated/);
  });

  it('redirects invalid_request when response_type is missing', () => expectRedirectError(query({ response_type: '' }), 'invalid_request'));
  it('redirects unsupported_response_type for response_type=token (no implicit grant)', () =>
    expectRedirectError(query({ response_type: 'token' }), 'unsupported_response_type'));
  it('redirects invalid_scope for an unknown scope (RFC 6749 §3.3)', () => expectRedirectError(query({ scope: 'admin' }), 'invalid_scope'));
  it("redirects invalid_scope for a scope outside the client's", () =>
    expectRedirectError(query({ scope: 'teams:read' }), 'invalid_scope'));
  it('redirects invalid_scope when no scope is asked and no default applies', () =>
    expectRedirectError(query({ scope: '' }), 'invalid_scope'));
  it('redirects unauthorized_client for a client not allowed the authorization_code grant', () =>
    expectRedirectError(query({ client_id: machineId }), 'unauthorized_client'));
  it('redirects invalid_request for an unknown prompt value', () =>
    expectRedirectError(query({ prompt: 'select_account' }), 'invalid_request'));

  it('keeps the query of the registered redirect URI and still carries iss on errors (RFC 6749 §3.1.2, RFC 9207)', async () => {
    const withQuery = 'https://customapp.example/cb?tenant=1';
    const id = (await t.register({ name: 'Q', redirectUris: [withQuery] })).client.id;
    const res = await authorize(t, query({ client_id: id, response_type: 'token' }), 'alice');
    const params = redirectParams(res);
    assert.equal(params.get('tenant'), '1');
    assert.equal(params.get('error'), 'unsupported_response_type');
  });
});

describe('default scopes', () => {
  let t: OAuthTestApp;
  let clientId: string;
  before(async () => {
    t = await createOAuthTestApp({ options: { defaultScopes: ['profile'] } });
    clientId = (await t.register({ name: 'CustomApp', redirectUris: [REDIRECT] })).client.id;
  });
  after(() => t.close());

  it('grants the configured default scopes when the request names none (RFC 6749 §3.3)', async () => {
    const res = await authorize(
      t,
      { response_type: 'code', client_id: clientId, code_challenge: pkcePair().challenge, code_challenge_method: 'S256' },
      'a',
    );
    assert.equal(res.status, 200);
    assert.match(res.text, /Read your profile/);
    assert.doesNotMatch(res.text, /email/);
  });
});

describe('error responses of the token endpoint (RFC 6749 §5.2)', () => {
  let t: OAuthTestApp;
  let client: { id: string; secret: string };
  let publicId: string;

  before(async () => {
    t = await createOAuthTestApp();
    const c = await t.register({ name: 'CustomApp', redirectUris: [REDIRECT], grantTypes: ['authorization_code'] });
    client = { id: c.client.id, secret: c.clientSecret! };
    publicId = (await t.register({ name: 'Mobile', redirectUris: [REDIRECT], public: true })).client.id;
  });
  after(() => t.close());

  function expectError(res: request.Response, status: number, error: string): void {
    assert.equal(res.status, status, res.text);
    assert.equal(res.body.error, error);
    assert.ok(res.body.error_description);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(res.headers.pragma, 'no-cache');
  }

  it('answers invalid_request for a JSON body (form encoding only, RFC 6749 §3.2)', async () => {
    const res = await request(t.server)
      .post(TOKEN_PATH)
      .set('Authorization', basicAuth(client.id, client.secret))
      .send({ grant_type: 'client_credentials' });
    expectError(res, 400, 'invalid_request');
  });

  it('answers invalid_request when grant_type is missing', async () => {
    expectError(await tokenRequest(t, { code: 'x' }, client), 400, 'invalid_request');
  });

  it('answers invalid_request for a repeated parameter (RFC 6749 §3.2)', async () => {
    const res = await request(t.server)
      .post(TOKEN_PATH)
      .type('form')
      .set('Authorization', basicAuth(client.id, client.secret))
      .send('grant_type=authorization_code&code=a&code=b');
    expectError(res, 400, 'invalid_request');
  });

  it('answers invalid_request when two client authentication methods are used (RFC 6749 §2.3)', async () => {
    const res = await tokenRequest(t, { grant_type: 'authorization_code', code: 'x', client_secret: client.secret }, client);
    expectError(res, 400, 'invalid_request');
  });

  it('answers 401 invalid_client with WWW-Authenticate: Basic after failed Basic authentication (RFC 6749 §5.2)', async () => {
    const res = await tokenRequest(t, { grant_type: 'authorization_code', code: 'x' }, { id: client.id, secret: 'wrong' });
    expectError(res, 401, 'invalid_client');
    assert.equal(res.headers['www-authenticate'], 'Basic realm="http://127.0.0.1"');
  });

  it('answers 401 invalid_client without a challenge after a failed client_secret_post', async () => {
    const res = await tokenRequest(t, { grant_type: 'authorization_code', code: 'x', client_id: client.id, client_secret: 'wrong' });
    expectError(res, 401, 'invalid_client');
    assert.equal(res.headers['www-authenticate'], undefined);
  });

  it('answers invalid_grant for an unknown code', async () => {
    expectError(
      await tokenRequest(t, { grant_type: 'authorization_code', code: 'nope', code_verifier: pkcePair().verifier }, client),
      400,
      'invalid_grant',
    );
  });

  it('answers unsupported_grant_type for the password grant (removed by OAuth 2.1)', async () => {
    expectError(await tokenRequest(t, { grant_type: 'password', username: 'u', password: 'p' }, client), 400, 'unsupported_grant_type');
  });

  it('answers unauthorized_client for a grant the client may not use', async () => {
    expectError(await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: 'x' }, client), 400, 'unauthorized_client');
    expectError(await tokenRequest(t, { grant_type: 'client_credentials' }, client), 400, 'unauthorized_client');
  });

  it('answers unauthorized_client when a public client asks for client_credentials', async () => {
    expectError(await tokenRequest(t, { grant_type: 'client_credentials', client_id: publicId }), 400, 'unauthorized_client');
  });
});

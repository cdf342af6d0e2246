import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import request from 'supertest';
import type { Response } from 'supertest';
import { ClientStore } from 'nest-oauth2-provider';
import { createOAuthTestApp, type OAuthTestApp } from './fixtures/oauth-app.fixture';
import { hiddenFields } from './fixtures/oauth-flow';
import { OpenIdTestInteraction } from './fixtures/openid-interaction';
import { TEST_USER_HEADER, TestInteraction } from './fixtures/test-interaction';
import { forge, mintIdToken, tamper } from './support/id-token';

/**
 * The end-session endpoint of OpenID Connect RP-Initiated Logout 1.0 (`GET`/`POST {prefix}/logout`):
 * who may end the session, where the browser may go afterwards, and the confirmation the user gives
 * when the request cannot be verified.
 */

const LOGOUT_PATH = '/oauth2/logout';
const REDIRECT = 'https://rp.example/cb';
const AFTER_LOGOUT = 'https://rp.example/signed-out';

describe('OpenID Connect RP-Initiated Logout 1.0 (GET and POST {prefix}/logout)', () => {
  let t: OAuthTestApp;
  let clientId: string;
  let otherClientId: string;
  let evilClientId: string;

  before(async () => {
    t = await createOAuthTestApp({ options: { openid: {} }, extras: { interaction: OpenIdTestInteraction } });
    const clients = t.app.get(ClientStore);
    const register = async (name: string, postLogoutRedirectUris: string[]) => {
      const { client } = await t.register({ name, redirectUris: [REDIRECT] });
      await clients.save({ ...client, postLogoutRedirectUris });
      return client.id;
    };
    clientId = await register('Relying Party', [AFTER_LOGOUT]);
    otherClientId = await register('Other RP', ['https://other.example/bye']);
    evilClientId = await register('<img src=x onerror=alert(1)>', []);
  });
  after(() => t.close());
  beforeEach(() => OpenIdTestInteraction.ended.splice(0));

  function logout(params: Record<string, string>, user?: string): Promise<Response> {
    const req = request(t.server).get(LOGOUT_PATH).query(params);
    if (user) req.set(TEST_USER_HEADER, user);
    return req;
  }

  /** The confirmation page's cookie (`name=value`). */
  function logoutCookie(page: Response): string {
    const cookie = (page.headers['set-cookie'] as unknown as string[] | undefined)?.find((c) => c.startsWith('oauth_logout='));
    if (!cookie) throw new Error(`the page set no oauth_logout cookie (status ${page.status})`);
    return cookie.split(';')[0];
  }

  /** Posts a confirmation page's form, as `user`, with its cookie and fields (overridable). */
  function confirm(
    page: Response,
    user: string,
    override: { fields?: Record<string, string>; cookie?: string | null } = {},
  ): Promise<Response> {
    const req = request(t.server)
      .post(LOGOUT_PATH)
      .type('form')
      .set(TEST_USER_HEADER, user)
      .send({ ...hiddenFields(page.text), logout: 'yes', ...override.fields });
    const cookie = override.cookie === undefined ? logoutCookie(page) : override.cookie;
    if (cookie !== null) req.set('Cookie', cookie);
    return req;
  }

  function assertPage(res: Response, status: number, text: RegExp): void {
    assert.equal(res.status, status, res.text);
    assert.equal(res.headers.location, undefined, 'never redirected');
    assert.match(res.headers['content-type'], /^text\/html/);
    assert.match(res.text, text);
  }

  it('RP-Initiated Logout §2, §3: a valid id_token_hint of the signed-in user ends the session and returns to the registered post_logout_redirect_uri with state', async () => {
    const hint = await mintIdToken(t, { sub: 'ann', aud: clientId });
    const res = await logout({ id_token_hint: hint, post_logout_redirect_uri: AFTER_LOGOUT, state: 'xyz' }, 'ann');
    assert.equal(res.status, 302);
    const location = new URL(res.headers.location);
    assert.equal(`${location.origin}${location.pathname}`, AFTER_LOGOUT);
    assert.equal(location.searchParams.get('state'), 'xyz');
    assert.deepEqual(OpenIdTestInteraction.ended, ['ann']);
    assert.equal(res.headers['cache-control'], 'no-store');
  });

  it('RP-Initiated Logout §2: an expired id_token_hint still identifies the session to end', async () => {
    const hint = await mintIdToken(t, { sub: 'bob', aud: clientId, expiresIn: -86400 });
    const res = await logout({ id_token_hint: hint, client_id: clientId, post_logout_redirect_uri: AFTER_LOGOUT }, 'bob');
    assert.equal(res.status, 302);
    assert.equal(res.headers.location, AFTER_LOGOUT);
    assert.deepEqual(OpenIdTestInteraction.ended, ['bob']);
  });

  it('RP-Initiated Logout §2: a valid hint without post_logout_redirect_uri ends the session and shows the signed-out page', async () => {
    const hint = await mintIdToken(t, { sub: 'cid', aud: clientId });
    const res = await logout({ id_token_hint: hint }, 'cid');
    assertPage(res, 200, /You are signed out/);
    assert.deepEqual(OpenIdTestInteraction.ended, ['cid']);
    assert.match(res.headers['content-security-policy'], /frame-ancestors 'none'/);
  });

  it('RP-Initiated Logout §2: a valid hint with nobody signed in ends nothing more and returns to the client', async () => {
    const hint = await mintIdToken(t, { sub: 'dan', aud: clientId });
    const res = await logout({ id_token_hint: hint, post_logout_redirect_uri: AFTER_LOGOUT, state: 's' });
    assert.equal(res.status, 302);
    assert.equal(new URL(res.headers.location).searchParams.get('state'), 's');
  });

  it('RP-Initiated Logout §3.1: an unregistered post_logout_redirect_uri is an error page, never a redirect, and the session stays', async () => {
    const hint = await mintIdToken(t, { sub: 'eve', aud: clientId });
    for (const uri of ['https://evil.example/', `${AFTER_LOGOUT}/x`, 'https://other.example/bye']) {
      const res = await logout({ id_token_hint: hint, post_logout_redirect_uri: uri, state: 's' }, 'eve');
      assertPage(res, 400, /post_logout_redirect_uri is not registered for this client/);
    }
    assert.deepEqual(OpenIdTestInteraction.ended, []);
  });

  it('RP-Initiated Logout §2: a post_logout_redirect_uri without client_id or id_token_hint is an error page', async () => {
    const res = await logout({ post_logout_redirect_uri: AFTER_LOGOUT }, 'fay');
    assertPage(res, 400, /needs a client_id or an id_token_hint/);
  });

  it('RP-Initiated Logout §2: a client_id the id_token_hint was not issued to is an error page', async () => {
    const hint = await mintIdToken(t, { sub: 'gus', aud: clientId });
    const res = await logout({ id_token_hint: hint, client_id: otherClientId }, 'gus');
    assertPage(res, 400, /not issued to this client/);
    assert.deepEqual(OpenIdTestInteraction.ended, []);
  });

  it('RP-Initiated Logout §2: a forged or tampered id_token_hint is an error page (400) and the session stays', async () => {
    const genuine = await mintIdToken(t, { sub: 'hal', aud: clientId });
    for (const hint of [await forge(t, { sub: 'hal', aud: clientId }), tamper(genuine, { sub: 'someone' }), 'garbage']) {
      const res = await logout({ id_token_hint: hint, post_logout_redirect_uri: AFTER_LOGOUT }, 'hal');
      assertPage(res, 400, /id_token_hint/);
    }
    assert.deepEqual(OpenIdTestInteraction.ended, []);
  });

  it('RP-Initiated Logout §2: an unknown client_id is an error page', async () => {
    assertPage(await logout({ client_id: 'no-such-client' }, 'ida'), 400, /client_id is not registered/);
  });

  it('RFC 6749 §3.1: a repeated parameter is an error page', async () => {
    const res = await request(t.server).get(`${LOGOUT_PATH}?state=a&state=b`).set(TEST_USER_HEADER, 'ida');
    assertPage(res, 400, /must not be repeated/);
  });

  it('RP-Initiated Logout §2: without a hint the user confirms on a page; the POST with its CSRF token ends the session and returns with state', async () => {
    const page = await logout({ client_id: clientId, post_logout_redirect_uri: AFTER_LOGOUT, state: 'st-1' }, 'jon');
    assertPage(page, 200, /Sign out\?/);
    assert.match(page.text, /Relying Party/);
    assert.match(page.text, /Signed in as <strong>User jon<\/strong>/);
    assert.deepEqual(OpenIdTestInteraction.ended, [], 'nothing ends before the user confirms');
    const cookie = (page.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('oauth_logout='))!;
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    assert.match(cookie, /Path=\/oauth2\/logout/);
    const res = await confirm(page, 'jon');
    assert.equal(res.status, 302);
    const location = new URL(res.headers.location);
    assert.equal(`${location.origin}${location.pathname}`, AFTER_LOGOUT);
    assert.equal(location.searchParams.get('state'), 'st-1');
    assert.deepEqual(OpenIdTestInteraction.ended, ['jon']);
  });

  it('RP-Initiated Logout §2: a confirmation without post_logout_redirect_uri shows the signed-out page', async () => {
    const page = await logout({}, 'kim');
    assertPage(page, 200, /A site asks you to sign out/);
    assertPage(await confirm(page, 'kim'), 200, /You are signed out/);
    assert.deepEqual(OpenIdTestInteraction.ended, ['kim']);
  });

  it('RP-Initiated Logout §2: a confirmation with a bad CSRF token, without its cookie, or by another user is refused (403) and the session stays', async () => {
    const page = await logout({ client_id: clientId, post_logout_redirect_uri: AFTER_LOGOUT }, 'lea');
    const token = hiddenFields(page.text).csrf_token;
    const forged = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
    assertPage(await confirm(page, 'lea', { fields: { csrf_token: forged } }), 403, /invalid or has expired/);
    assertPage(await confirm(page, 'lea', { cookie: null }), 403, /invalid or has expired/);
    assertPage(await confirm(page, 'mallory'), 403, /invalid or has expired/);
    assert.deepEqual(OpenIdTestInteraction.ended, []);
  });

  it('RP-Initiated Logout §3.1: a confirmation whose redirect URI was altered is refused (the token binds the request)', async () => {
    const page = await logout({ client_id: clientId, post_logout_redirect_uri: AFTER_LOGOUT }, 'max');
    const res = await confirm(page, 'max', { fields: { post_logout_redirect_uri: 'https://evil.example/' } });
    assertPage(res, 403, /invalid or has expired/);
    assert.deepEqual(OpenIdTestInteraction.ended, []);
  });

  it('RP-Initiated Logout §2: a confirmation token expires', async () => {
    const page = await logout({}, 'ned');
    t.clock.advance(3600);
    assertPage(await confirm(page, 'ned'), 403, /invalid or has expired/);
  });

  it('RP-Initiated Logout §2: an id_token_hint naming another user than the signed-in one asks for confirmation', async () => {
    const hint = await mintIdToken(t, { sub: 'someone-else', aud: clientId });
    const page = await logout({ id_token_hint: hint, post_logout_redirect_uri: AFTER_LOGOUT, state: 'q' }, 'oli');
    assertPage(page, 200, /Sign out\?/);
    assert.deepEqual(OpenIdTestInteraction.ended, []);
    assert.equal(hiddenFields(page.text).client_id, clientId, 'the client the hint named is carried');
    const res = await confirm(page, 'oli');
    assert.equal(new URL(res.headers.location).searchParams.get('state'), 'q');
    assert.deepEqual(OpenIdTestInteraction.ended, ['oli']);
  });

  it('RP-Initiated Logout §2: nobody signed in and no hint shows the signed-out page and ends nothing', async () => {
    assertPage(await logout({}), 200, /You are signed out/);
    assert.deepEqual(OpenIdTestInteraction.ended, []);
  });

  it('RP-Initiated Logout §2: POST with the parameters in a form body works as GET does', async () => {
    const hint = await mintIdToken(t, { sub: 'pat', aud: clientId });
    const res = await request(t.server)
      .post(LOGOUT_PATH)
      .type('form')
      .set(TEST_USER_HEADER, 'pat')
      .send({ id_token_hint: hint, post_logout_redirect_uri: AFTER_LOGOUT, state: 'p' });
    assert.equal(res.status, 302);
    assert.equal(new URL(res.headers.location).searchParams.get('state'), 'p');
    assert.deepEqual(OpenIdTestInteraction.ended, ['pat']);
  });

  it('the confirmation page renders a hostile client name as text, with the consent page CSP', async () => {
    const page = await logout({ client_id: evilClientId }, 'quin');
    assertPage(page, 200, /Sign out\?/);
    assert.ok(!page.text.includes('<img src=x'));
    assert.match(page.text, /&#60;img src=x onerror=alert\(1\)&#62;/);
    assert.match(page.headers['content-security-policy'], /default-src 'none'/);
    assert.equal(page.headers['x-frame-options'], 'DENY');
  });
});

describe('RP-Initiated Logout with a host interaction that does not end sessions', () => {
  let t: OAuthTestApp;
  let clientId: string;

  before(async () => {
    t = await createOAuthTestApp({ options: { openid: {} }, extras: { interaction: TestInteraction } });
    const { client } = await t.register({ name: 'Relying Party', redirectUris: [REDIRECT] });
    await t.app.get(ClientStore).save({ ...client, postLogoutRedirectUris: [AFTER_LOGOUT] });
    clientId = client.id;
  });
  after(() => t.close());

  it('RP-Initiated Logout §2: without endSession the endpoint shows an error page, never a false "signed out" or a redirect', async () => {
    const hint = await mintIdToken(t, { sub: 'ann', aud: clientId });
    const res = await request(t.server)
      .get(LOGOUT_PATH)
      .query({ id_token_hint: hint, post_logout_redirect_uri: AFTER_LOGOUT, state: 's' })
      .set(TEST_USER_HEADER, 'ann');
    assert.equal(res.status, 500, res.text);
    assert.equal(res.headers.location, undefined);
    assert.doesNotMatch(res.text, /signed out/i);
  });
});

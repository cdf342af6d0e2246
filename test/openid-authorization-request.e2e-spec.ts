import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import request from 'supertest';
import type { Response } from 'supertest';
import { CodeStore, type AuthorizationCode } from 'nest-oauth2-provider';
import { createOAuthTestApp, type OAuthTestApp } from './fixtures/oauth-app.fixture';
import { AUTH_PATH, consentCookie, decide, hiddenFields, pkcePair, redirectParams } from './fixtures/oauth-flow';
import { AUTH_TIME_HEADER, CAN_SWITCH_HEADER, loginRedirect, OpenIdTestInteraction } from './fixtures/openid-interaction';
import { TEST_USER_HEADER } from './fixtures/test-interaction';
import { forge, mintIdToken, tamper } from './support/id-token';
import { hashSecret } from './support/library-internals';

/**
 * The authorization endpoint with OpenID Connect on (OpenID Connect Core 1.0 §3.1.2): nonce, prompt,
 * max_age, id_token_hint, login hints, and the parameters this server refuses, with a host
 * interaction that reports when the user signed in.
 */

const REDIRECT = 'https://rp.example/cb';
const OTHER_REDIRECT = 'https://other-rp.example/cb';

interface Session {
  user?: string;
  /** Seconds before the app clock's now that the user signed in; undefined = unknown. */
  signedInAgo?: number;
  canSwitch?: boolean;
}

describe('OpenID Connect authorization requests (OpenID Connect Core §3.1.2)', () => {
  let t: OAuthTestApp;
  let clientId: string;
  let otherClientId: string;

  before(async () => {
    t = await createOAuthTestApp({ options: { openid: {} }, extras: { interaction: OpenIdTestInteraction } });
    clientId = (await t.register({ name: 'Relying Party', redirectUris: [REDIRECT] })).client.id;
    otherClientId = (await t.register({ name: 'Other RP', redirectUris: [OTHER_REDIRECT] })).client.id;
  });
  after(() => t.close());
  beforeEach(() => (OpenIdTestInteraction.lastConsent = undefined));

  const now = () => Math.floor(t.clock.now().getTime() / 1000);
  const query = (extra: Record<string, string> = {}, client = clientId, redirect = REDIRECT) => ({
    response_type: 'code',
    client_id: client,
    redirect_uri: redirect,
    scope: 'openid profile',
    code_challenge: pkcePair().challenge,
    code_challenge_method: 'S256',
    state: 'st',
    ...extra,
  });

  function get(params: Record<string, string>, session: Session = {}, cookie?: string): Promise<Response> {
    const req = request(t.server).get(AUTH_PATH).query(params);
    if (session.user) req.set(TEST_USER_HEADER, session.user);
    if (session.user && session.signedInAgo !== undefined) req.set(AUTH_TIME_HEADER, String(now() - session.signedInAgo));
    if (session.canSwitch) req.set(CAN_SWITCH_HEADER, '1');
    if (cookie) req.set('Cookie', cookie);
    return req;
  }

  /** Follows a login redirect's way back, as the login page would after signing in. */
  function comeBack(res: Response, session: Session): Promise<Response> {
    const back = loginRedirect(res.headers.location).returnTo;
    return get(Object.fromEntries(back.searchParams), session);
  }

  /** The stored code row, consumed through the app's CodeStore. */
  async function codeRow(code: string, client = clientId): Promise<AuthorizationCode> {
    const found = await t.app.get(CodeStore).consume(hashSecret(code), t.clock.now(), client);
    assert.equal(found.outcome, 'consumed');
    return (found as { code: AuthorizationCode }).code;
  }

  /** Posts a consent page's decision as a browser of `session` would, cookie and fields as shown (or overridden). */
  function decideAs(page: Response, session: Session, fields: Record<string, string> = {}): Promise<Response> {
    const req = request(t.server)
      .post(AUTH_PATH)
      .type('form')
      .set('Cookie', consentCookie(page))
      .send({ ...hiddenFields(page.text), decision: 'allow', ...fields });
    if (session.user) req.set(TEST_USER_HEADER, session.user);
    if (session.user && session.signedInAgo !== undefined) req.set(AUTH_TIME_HEADER, String(now() - session.signedInAgo));
    return req;
  }

  /** Gives `user` a remembered consent for the test client, so later requests need no page. */
  async function approve(user: string, client = clientId, redirect = REDIRECT): Promise<void> {
    const page = await get(query({}, client, redirect), { user, signedInAgo: 5 });
    assert.equal(page.status, 200, page.text);
    redirectParams(await decide(t, page, user, 'allow'));
  }

  it('OpenID Connect Core §3.1.2.1: the nonce is stored on the code with the sign-in time, acr and amr, carried through the consent POST', async () => {
    const page = await get(query({ nonce: 'n-0S6_WzA2Mj' }), { user: 'ann', signedInAgo: 30 });
    assert.equal(page.status, 200);
    assert.equal(hiddenFields(page.text).nonce, 'n-0S6_WzA2Mj', 'the consent form posts the nonce back');
    const params = redirectParams(await decideAs(page, { user: 'ann', signedInAgo: 30 }));
    assert.equal(params.get('state'), 'st');
    const row = await codeRow(params.get('code')!);
    assert.deepEqual(row.openid, {
      authTime: new Date((now() - 30) * 1000),
      nonce: 'n-0S6_WzA2Mj',
      acr: 'urn:test:password',
      amr: ['pwd'],
    });
  });

  it('OpenID Connect Core §3.1.2.1: a nonce changed in the consent form is refused (the CSRF token binds it)', async () => {
    const page = await get(query({ nonce: 'original' }), { user: 'abe', signedInAgo: 30 });
    const res = await decideAs(page, { user: 'abe', signedInAgo: 30 }, { nonce: 'replaced' });
    assert.equal(res.status, 403);
    assert.equal(res.headers.location, undefined);
  });

  it('OpenID Connect Core §3.1.2.1: a remembered consent issues the code at once, with the nonce', async () => {
    await approve('bob');
    const params = redirectParams(await get(query({ nonce: 'n-2' }), { user: 'bob', signedInAgo: 10 }));
    const row = await codeRow(params.get('code')!);
    assert.equal(row.openid?.nonce, 'n-2');
    assert.deepEqual(row.openid?.authTime, new Date((now() - 10) * 1000));
  });

  it('OpenID Connect Core §3.1.2.1: without a nonce the code still records the sign-in, and an unknown sign-in time is null', async () => {
    await approve('cid');
    const row = await codeRow(redirectParams(await get(query(), { user: 'cid' })).get('code')!);
    assert.deepEqual(row.openid, { authTime: null, acr: 'urn:test:password', amr: ['pwd'] });
  });

  it('OpenID Connect Core §3.1.2.1: a request without the openid scope gets no openid on its code', async () => {
    await approve('dan');
    const row = await codeRow(
      redirectParams(await get(query({ scope: 'profile', nonce: 'n' }), { user: 'dan', signedInAgo: 1 })).get('code')!,
    );
    assert.equal(row.openid ?? null, null);
  });

  it('OpenID Connect Core §3.1.2.1: an openid request without redirect_uri is refused on a page, never redirected', async () => {
    const params = query();
    delete (params as Record<string, string>).redirect_uri;
    const res = await get(params, { user: 'ann', signedInAgo: 1 });
    assert.equal(res.status, 400);
    assert.equal(res.headers.location, undefined);
    assert.match(res.text, /must include redirect_uri/);
  });

  it('OpenID Connect Core §3.1.2.1: max_age forces re-authentication when the sign-in is older, and the fresh sign-in passes', async () => {
    await approve('eve');
    const res = await get(query({ max_age: '60', nonce: 'n-max' }), { user: 'eve', signedInAgo: 600 });
    assert.equal(res.status, 302);
    const login = loginRedirect(res.headers.location);
    assert.equal(login.force, true, 'forceLogin: the user must authenticate again');
    assert.deepEqual(login.hints, { maxAge: 60 });
    assert.equal(login.returnTo.searchParams.get('max_age'), '60', 'the way back still asks for max_age');
    const again = await comeBack(res, { user: 'eve', signedInAgo: 0 });
    const row = await codeRow(redirectParams(again).get('code')!);
    assert.deepEqual(row.openid?.authTime, new Date(now() * 1000));
  });

  it('OpenID Connect Core §3.1.2.1: max_age lets a recent enough sign-in through without a login', async () => {
    await approve('fay');
    const res = await get(query({ max_age: '3600' }), { user: 'fay', signedInAgo: 3599 });
    assert.ok(redirectParams(res).get('code'));
  });

  it('OpenID Connect Core §3.1.2.3: a consent given after the sign-in outgrew max_age is login_required, not a code', async () => {
    const page = await get(query({ max_age: '60' }), { user: 'hank', signedInAgo: 30 });
    assert.equal(page.status, 200, page.text);
    assert.equal(hiddenFields(page.text).max_age, '60', 'the consent form carries max_age');
    t.clock.advance(45);
    const late = redirectParams(await decideAs(page, { user: 'hank', signedInAgo: 75 }));
    assert.equal(late.get('error'), 'login_required');
    assert.equal(late.get('code'), null);
    const fresh = await get(query({ max_age: '60' }), { user: 'hank', signedInAgo: 10 });
    assert.ok(redirectParams(await decideAs(fresh, { user: 'hank', signedInAgo: 10 })).get('code'));
  });

  it('OpenID Connect Core §3.1.2.1: max_age=0 asks for a login every time, and the way back drops it so it cannot loop', async () => {
    await approve('gus');
    const res = await get(query({ max_age: '0' }), { user: 'gus', signedInAgo: 1 });
    const login = loginRedirect(res.headers.location);
    assert.equal(login.force, true);
    assert.equal(login.returnTo.searchParams.get('max_age'), null);
    t.clock.advance(1);
    assert.ok(redirectParams(await comeBack(res, { user: 'gus', signedInAgo: 1 })).get('code'));
  });

  it('OpenID Connect Core §3.1.2.6: max_age with prompt=none and an older sign-in is login_required', async () => {
    await approve('hal');
    const params = redirectParams(await get(query({ max_age: '60', prompt: 'none' }), { user: 'hal', signedInAgo: 61 }));
    assert.equal(params.get('error'), 'login_required');
    assert.equal(params.get('state'), 'st');
  });

  it('OpenID Connect Core §3.1.2.1: max_age with a session whose sign-in time is unknown is login_required', async () => {
    await approve('ida');
    const params = redirectParams(await get(query({ max_age: '60' }), { user: 'ida' }));
    assert.equal(params.get('error'), 'login_required');
  });

  it('OpenID Connect Core §3.1.2.1: a max_age that is not a non-negative integer is invalid_request', async () => {
    for (const value of ['-1', 'soon', '1.5']) {
      const params = redirectParams(await get(query({ max_age: value }), { user: 'ann', signedInAgo: 1 }));
      assert.equal(params.get('error'), 'invalid_request', value);
      assert.match(params.get('error_description')!, /max_age/);
    }
  });

  it('OpenID Connect Core §3.1.2.6: prompt=none without a session is login_required', async () => {
    const params = redirectParams(await get(query({ prompt: 'none' })));
    assert.equal(params.get('error'), 'login_required');
    assert.equal(params.get('iss'), 'http://127.0.0.1');
  });

  it('OpenID Connect Core §3.1.2.6: prompt=none without consent is consent_required', async () => {
    const params = redirectParams(await get(query({ prompt: 'none' }), { user: 'jon', signedInAgo: 1 }));
    assert.equal(params.get('error'), 'consent_required');
  });

  it('OpenID Connect Core §3.1.2.2: prompt=none with an id_token_hint of the signed-in user issues a code', async () => {
    await approve('kim');
    const hint = await mintIdToken(t, { sub: 'kim', aud: clientId, expiresIn: -7200 });
    const params = redirectParams(await get(query({ prompt: 'none', id_token_hint: hint }), { user: 'kim', signedInAgo: 1 }));
    assert.ok(params.get('code'), 'an expired ID token is still a valid hint');
  });

  it('OpenID Connect Core §3.1.2.2: prompt=none with an id_token_hint naming another user is login_required', async () => {
    await approve('lea');
    const hint = await mintIdToken(t, { sub: 'someone-else', aud: clientId });
    const params = redirectParams(await get(query({ prompt: 'none', id_token_hint: hint }), { user: 'lea', signedInAgo: 1 }));
    assert.equal(params.get('error'), 'login_required');
  });

  it('OpenID Connect Core §3.1.2.2: an interactive request whose id_token_hint names another user sends to login, and the way back drops the hint', async () => {
    await approve('max');
    const hint = await mintIdToken(t, { sub: 'someone-else', aud: clientId });
    const res = await get(query({ id_token_hint: hint }), { user: 'max', signedInAgo: 1 });
    const login = loginRedirect(res.headers.location);
    assert.equal(login.force, true);
    assert.equal(login.returnTo.searchParams.get('id_token_hint'), null);
    assert.ok(redirectParams(await comeBack(res, { user: 'max', signedInAgo: 0 })).get('code'));
  });

  it('OpenID Connect Core §3.1.2.1: a forged or tampered id_token_hint is invalid_request', async () => {
    const genuine = await mintIdToken(t, { sub: 'ann', aud: clientId });
    for (const hint of [await forge(t, { sub: 'ann', aud: clientId }), tamper(genuine, { sub: 'admin' }), 'not-a-jwt']) {
      const params = redirectParams(await get(query({ prompt: 'none', id_token_hint: hint }), { user: 'ann', signedInAgo: 1 }));
      assert.equal(params.get('error'), 'invalid_request');
      assert.match(params.get('error_description')!, /id_token_hint/);
    }
  });

  it('OpenID Connect Core §3.1.2.1: an id_token_hint issued to another client, or by another issuer, is invalid_request', async () => {
    for (const hint of [
      await mintIdToken(t, { sub: 'ann', aud: otherClientId }),
      await mintIdToken(t, { sub: 'ann', aud: clientId, iss: 'https://elsewhere.example' }),
    ]) {
      const params = redirectParams(await get(query({ id_token_hint: hint }), { user: 'ann', signedInAgo: 1 }));
      assert.equal(params.get('error'), 'invalid_request');
    }
  });

  it('OpenID Connect Core §6.1: a request object (request) is request_not_supported', async () => {
    const params = redirectParams(await get(query({ request: 'eyJhbGciOiJub25lIn0.eyJ9.' }), { user: 'ann', signedInAgo: 1 }));
    assert.equal(params.get('error'), 'request_not_supported');
    assert.equal(params.get('state'), 'st');
  });

  it('OpenID Connect Core §6.2: request_uri is request_uri_not_supported', async () => {
    const params = redirectParams(await get(query({ request_uri: 'https://rp.example/request.jwt' }), { user: 'ann', signedInAgo: 1 }));
    assert.equal(params.get('error'), 'request_uri_not_supported');
  });

  it('OpenID Connect Core §7.2.1: registration is registration_not_supported', async () => {
    const params = redirectParams(await get(query({ registration: '{"logo_uri":"https://rp.example/logo.png"}' })));
    assert.equal(params.get('error'), 'registration_not_supported');
  });

  it('OpenID Connect Core §3.1.2.1: prompt=select_account sends to the login page with selectAccount and no forced login; the way back drops it', async () => {
    await approve('ned');
    const res = await get(query({ prompt: 'select_account consent' }), { user: 'ned', signedInAgo: 1, canSwitch: true });
    const login = loginRedirect(res.headers.location);
    assert.equal(login.force, false);
    assert.equal(login.hints?.selectAccount, true);
    assert.equal(login.returnTo.searchParams.get('prompt'), 'consent');
    const back = await comeBack(res, { user: 'ned', signedInAgo: 1, canSwitch: true });
    assert.equal(back.status, 200, 'the rest of the request goes on: prompt=consent shows the page');
  });

  it('OpenID Connect Core §3.1.2.1: prompt=select_account with nobody signed in sends to the login page to pick the account', async () => {
    const login = loginRedirect((await get(query({ prompt: 'select_account' }))).headers.location);
    assert.equal(login.hints?.selectAccount, true);
    assert.equal(login.returnTo.searchParams.get('prompt'), null);
  });

  it('OpenID Connect Core §3.1.2.6: prompt=select_account for a signed-in user where the host offers no account choice is account_selection_required', async () => {
    const params = redirectParams(await get(query({ prompt: 'select_account' }), { user: 'ann', signedInAgo: 1 }));
    assert.equal(params.get('error'), 'account_selection_required');
  });

  it('OpenID Connect Core §3.1.2.1: prompt=none combined with select_account is invalid_request', async () => {
    const params = redirectParams(await get(query({ prompt: 'none select_account' }), { user: 'ann', signedInAgo: 1 }));
    assert.equal(params.get('error'), 'invalid_request');
  });

  it('OpenID Connect Core §3.1.2.1: login_hint and ui_locales reach the login page as LoginHints', async () => {
    const res = await get(query({ login_hint: 'ann@example.com', ui_locales: 'fr-CA fr en', max_age: '120' }));
    const login = loginRedirect(res.headers.location);
    assert.equal(login.force, false);
    assert.deepEqual(login.hints, { loginHint: 'ann@example.com', uiLocales: ['fr-CA', 'fr', 'en'], maxAge: 120 });
  });

  it('OpenID Connect Core §3.1.2.1: ui_locales reaches the consent view', async () => {
    const page = await get(query({ ui_locales: 'de en' }), { user: 'oli', signedInAgo: 1 });
    assert.equal(page.status, 200);
    assert.deepEqual(OpenIdTestInteraction.lastConsent?.uiLocales, ['de', 'en']);
    assert.equal(hiddenFields(page.text).ui_locales, 'de en');
  });

  it('OpenID Connect Core §3.1.2.1: prompt=login forces a login with the hints, and the way back drops it', async () => {
    await approve('pat');
    const res = await get(query({ prompt: 'login', login_hint: 'pat' }), { user: 'pat', signedInAgo: 1 });
    const login = loginRedirect(res.headers.location);
    assert.equal(login.force, true);
    assert.deepEqual(login.hints, { loginHint: 'pat' });
    assert.equal(login.returnTo.searchParams.get('prompt'), null);
    assert.ok(redirectParams(await comeBack(res, { user: 'pat', signedInAgo: 0 })).get('code'));
  });

  it('OpenID Connect Core §3.1.2.1: prompt=consent still shows the consent page to a user who approved before', async () => {
    await approve('quin');
    assert.equal((await get(query({ prompt: 'consent' }), { user: 'quin', signedInAgo: 1 })).status, 200);
  });

  it('OpenID Connect Core §5.5: the claims parameter is ignored; display and acr_values are accepted', async () => {
    await approve('ray');
    const res = await get(query({ claims: '{"id_token":{"email":{"essential":true}}}', display: 'popup', acr_values: 'urn:test:mfa' }), {
      user: 'ray',
      signedInAgo: 1,
    });
    assert.ok(redirectParams(res).get('code'));
  });

  it('RFC 6749 §3.1: a repeated nonce is invalid_request', async () => {
    const res = await request(t.server)
      .get(`${AUTH_PATH}?${new URLSearchParams(query())}&nonce=a&nonce=b`)
      .set(TEST_USER_HEADER, 'ann');
    assert.equal(redirectParams(res).get('error'), 'invalid_request');
  });

  it('the consent cookie and form stay those of OAuth: a public client sees the page every time, nonce included', async () => {
    const loopback = 'http://127.0.0.1:7000/cb';
    const publicId = (await t.register({ name: 'Desktop', redirectUris: [loopback], public: true })).client.id;
    const page = await get(query({ nonce: 'pub' }, publicId, loopback), { user: 'sam', signedInAgo: 1 });
    assert.ok(consentCookie(page));
    const params = redirectParams(await decide(t, page, 'sam', 'allow'));
    assert.equal((await codeRow(params.get('code')!, publicId)).openid?.nonce, 'pub');
  });
});

describe('authorization requests with OpenID Connect off (behaviour unchanged)', () => {
  let t: OAuthTestApp;
  let clientId: string;

  before(async () => {
    t = await createOAuthTestApp({ extras: { interaction: OpenIdTestInteraction } });
    clientId = (await t.register({ name: 'Plain client', redirectUris: [REDIRECT] })).client.id;
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

  it('prompt=select_account is an unsupported prompt value (invalid_request) while OpenID Connect is off', async () => {
    const res = await request(t.server)
      .get(AUTH_PATH)
      .query(query({ prompt: 'select_account' }))
      .set(TEST_USER_HEADER, 'ann');
    assert.equal(redirectParams(res).get('error'), 'invalid_request');
  });

  it('the login page gets no hints, and request, max_age and login_hint are ignored while OpenID Connect is off', async () => {
    const res = await request(t.server)
      .get(AUTH_PATH)
      .query(query({ request: 'x.y.z', max_age: 'soon', login_hint: 'ann', ui_locales: 'fr' }));
    const login = loginRedirect(res.headers.location);
    assert.equal(login.hasHints, false);
  });

  it('a code carries no openid and the consent form carries no nonce while OpenID Connect is off', async () => {
    const page = await request(t.server)
      .get(AUTH_PATH)
      .query(query({ nonce: 'n' }))
      .set(TEST_USER_HEADER, 'ann');
    assert.equal(page.status, 200);
    assert.equal(hiddenFields(page.text).nonce, undefined);
    const code = redirectParams(await decide(t, page, 'ann', 'allow')).get('code')!;
    const found = await t.app.get(CodeStore).consume(hashSecret(code), t.clock.now(), clientId);
    assert.equal(found.outcome, 'consumed');
    assert.equal((found as { code: AuthorizationCode }).code.openid ?? null, null);
  });

  it('the end-session endpoint does not exist while OpenID Connect is off (404)', async () => {
    await request(t.server).get('/oauth2/logout').expect(404);
    await request(t.server).post('/oauth2/logout').type('form').send({ client_id: clientId }).expect(404);
  });
});

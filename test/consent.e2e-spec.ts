import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { createOAuthTestApp, type OAuthTestApp } from './fixtures/oauth-app.fixture';
import { AUTH_PATH, authorize, consentCookie, decide, hiddenFields, pkcePair, redirectParams } from './fixtures/oauth-flow';

const REDIRECT = 'https://customapp.example/oauth/redirect';

describe('consent page and decision (RFC 6749 §10.2, §10.12, §10.13)', () => {
  let t: OAuthTestApp;
  let clientId: string;
  let evilId: string;

  before(async () => {
    t = await createOAuthTestApp();
    clientId = (await t.register({ name: 'CustomApp', redirectUris: [REDIRECT] })).client.id;
    evilId = (await t.register({ name: '<script>alert(1)</script>', redirectUris: [REDIRECT] })).client.id;
  });
  after(() => t.close());

  const query = (client: string, extra: Record<string, string> = {}) => ({
    response_type: 'code',
    client_id: client,
    scope: 'profile email',
    code_challenge: pkcePair().challenge,
    code_challenge_method: 'S256',
    state: 'st',
    ...extra,
  });

  it('names the client, lists each scope with its description and offers allow and deny buttons', async () => {
    const page = await authorize(t, query(clientId), 'carol');
    assert.equal(page.status, 200);
    assert.match(page.headers['content-type'], /^text\/html/);
    assert.match(page.text, /CustomApp/);
    assert.match(page.text, /Read your profile/);
    assert.match(page.text, /Read your email address/);
    assert.match(page.text, /<button type="submit" class="primary" name="decision" value="allow">/);
    assert.match(page.text, /<button type="submit" class="secondary" name="decision" value="deny">/);
  });

  it('forbids framing, sniffing, caching and referrers on the consent page (RFC 6749 §10.13)', async () => {
    const page = await authorize(t, query(clientId), 'carol');
    assert.match(page.headers['content-security-policy'], /frame-ancestors 'none'/);
    assert.match(page.headers['content-security-policy'], /default-src 'none'/);
    assert.equal(page.headers['x-frame-options'], 'DENY');
    assert.equal(page.headers['x-content-type-options'], 'nosniff');
    assert.equal(page.headers['referrer-policy'], 'no-referrer');
    assert.equal(page.headers['cache-control'], 'no-store');
    const cookie = (page.headers['set-cookie'] as unknown as string[])[0];
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
  });

  it('renders a client named <script>alert(1)</script> as text, never as markup', async () => {
    const page = await authorize(t, query(evilId), 'carol');
    assert.equal(page.status, 200);
    assert.ok(!page.text.includes('<script>'));
    assert.match(page.text, /&#60;script&#62;alert\(1\)&#60;\/script&#62;/);
  });

  it('escapes hostile request values in the hidden fields', async () => {
    const page = await authorize(t, query(clientId, { state: '"><script>x()</script>' }), 'carol');
    assert.ok(!page.text.includes('<script>x()'));
    assert.equal(hiddenFields(page.text).state, '"><script>x()</script>');
  });

  it('refuses a decision without the CSRF token with a 403 page and no code (RFC 6749 §10.12)', async () => {
    const page = await authorize(t, query(clientId), 'carol');
    const res = await decide(t, page, 'carol', 'allow', { fields: { csrf_token: undefined } });
    assert.equal(res.status, 403);
    assert.equal(res.headers.location, undefined);
    assert.match(res.headers['content-type'], /^text\/html/);
  });

  it('refuses a decision with a wrong CSRF token', async () => {
    const page = await authorize(t, query(clientId), 'carol');
    const token = hiddenFields(page.text).csrf_token;
    const forged = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
    const res = await decide(t, page, 'carol', 'allow', { fields: { csrf_token: forged } });
    assert.equal(res.status, 403);
  });

  it('refuses a decision whose browser lacks the consent cookie (cross-site post)', async () => {
    const page = await authorize(t, query(clientId), 'carol');
    const res = await decide(t, page, 'carol', 'allow', { cookie: null });
    assert.equal(res.status, 403);
  });

  it('refuses a token minted for another user', async () => {
    const page = await authorize(t, query(clientId), 'carol');
    const res = await decide(t, page, 'mallory', 'allow');
    assert.equal(res.status, 403);
  });

  it('refuses a form whose hidden request was altered (the token binds the whole request)', async () => {
    const page = await authorize(t, query(clientId), 'carol');
    const res = await decide(t, page, 'carol', 'allow', { fields: { scope: 'profile email teams:read' } });
    assert.equal(res.status, 403);
  });

  it('refuses a token after the consent form expired', async () => {
    const page = await authorize(t, query(clientId), 'carol');
    t.clock.advance(3600);
    const res = await decide(t, page, 'carol', 'allow');
    assert.equal(res.status, 403);
  });

  it('keeps the consent cookie across pages so two tabs can both be approved', async () => {
    const first = await authorize(t, query(clientId), 'carol');
    const cookie = consentCookie(first);
    const second = await authorize(t, query(clientId, { state: 'tab2' }), 'carol', cookie);
    assert.equal(consentCookie(second), cookie);
    const res = await decide(t, first, 'carol', 'allow');
    assert.equal(res.status, 302);
  });

  it('redirects with access_denied when the user denies (RFC 6749 §4.1.2.1)', async () => {
    const page = await authorize(t, query(clientId), 'dave');
    const res = await decide(t, page, 'dave', 'deny');
    const params = redirectParams(res);
    assert.equal(params.get('error'), 'access_denied');
    assert.equal(params.get('state'), 'st');
    assert.equal(params.get('iss'), 'http://127.0.0.1');
    assert.equal(params.get('code'), null);
  });

  it('redirects with invalid_request when the decision is neither allow nor deny', async () => {
    const page = await authorize(t, query(clientId), 'dave');
    const fields = { ...hiddenFields(page.text), decision: 'maybe' };
    const res = await request(t.server)
      .post(AUTH_PATH)
      .type('form')
      .set('x-test-user', 'dave')
      .set('Cookie', consentCookie(page))
      .send(fields);
    assert.equal(redirectParams(res).get('error'), 'invalid_request');
  });

  it('answers prompt=none without a session with login_required (OIDC Core §3.1.2.6)', async () => {
    const res = await authorize(t, query(clientId, { prompt: 'none' }));
    assert.equal(redirectParams(res).get('error'), 'login_required');
  });

  it('answers prompt=none without prior consent with consent_required', async () => {
    const res = await authorize(t, query(clientId, { prompt: 'none' }), 'erin');
    assert.equal(redirectParams(res).get('error'), 'consent_required');
  });

  it('answers prompt=none with a code once consent was given', async () => {
    const page = await authorize(t, query(clientId), 'frank');
    await decide(t, page, 'frank', 'allow');
    const res = await authorize(t, query(clientId, { prompt: 'none' }), 'frank');
    assert.ok(redirectParams(res).get('code'));
  });

  it('shows the consent page again with prompt=consent', async () => {
    const res = await authorize(t, query(clientId, { prompt: 'consent' }), 'frank');
    assert.equal(res.status, 200);
  });

  it('sends a logged-in user to login with prompt=login, and the return URL drops it so it cannot loop', async () => {
    const res = await authorize(t, query(clientId, { prompt: 'login' }), 'frank');
    assert.equal(res.status, 302);
    const login = new URL(res.headers.location, 'http://localhost');
    assert.equal(login.searchParams.get('force'), '1');
    const back = new URL(login.searchParams.get('return_to')!, 'http://localhost');
    assert.equal(back.searchParams.get('prompt'), null);
    const again = await authorize(t, Object.fromEntries(back.searchParams), 'frank');
    assert.ok(redirectParams(again).get('code'));
  });
});

describe('consent for public clients (RFC 8252 §8.6, RFC 6749 §10.2)', () => {
  const LOOPBACK = 'http://127.0.0.1:7000/cb';
  let t: OAuthTestApp;
  let publicId: string;
  let confidentialId: string;

  before(async () => {
    t = await createOAuthTestApp();
    publicId = (await t.register({ name: 'Desktop app', redirectUris: [LOOPBACK], public: true })).client.id;
    confidentialId = (await t.register({ name: 'CustomApp', redirectUris: [REDIRECT] })).client.id;
  });
  after(() => t.close());

  const query = (client: string, scope: string, extra: Record<string, string> = {}) => ({
    response_type: 'code',
    client_id: client,
    scope,
    code_challenge: pkcePair().challenge,
    code_challenge_method: 'S256',
    state: 'st',
    ...extra,
  });

  it('shows a public client the consent page on every authorization, earlier approvals marked (RFC 8252 §8.6)', async () => {
    const first = await authorize(t, query(publicId, 'profile'), 'gina');
    assert.ok(redirectParams(await decide(t, first, 'gina', 'allow')).get('code'));
    const again = await authorize(t, query(publicId, 'profile'), 'gina');
    assert.equal(again.status, 200, 'any local process can bind the loopback port: no code without the user seeing it');
    assert.match(again.text, /You already allowed/);
    assert.doesNotMatch(again.text, /class="scopes new"/);
    assert.ok(redirectParams(await decide(t, again, 'gina', 'allow')).get('code'));
  });

  it('answers prompt=none from a public client with consent_required after an approval (RFC 8252 §8.6)', async () => {
    const first = await authorize(t, query(publicId, 'profile'), 'hugo');
    await decide(t, first, 'hugo', 'allow');
    const res = await authorize(t, query(publicId, 'profile', { prompt: 'none' }), 'hugo');
    assert.equal(redirectParams(res).get('error'), 'consent_required');
  });

  it('highlights the scopes a client asks for beyond what the user allowed before (step-up)', async () => {
    const first = await authorize(t, query(publicId, 'profile'), 'ivy');
    await decide(t, first, 'ivy', 'allow');
    const more = await authorize(t, query(publicId, 'profile email'), 'ivy');
    assert.equal(more.status, 200);
    assert.match(more.text, /<ul class="scopes new"><li><span class="scope">[^<]*<\/span> <em class="badge">New<\/em> <code>email<\/code>/);
    assert.match(more.text, /You already allowed[^]*<code>profile<\/code>/);
  });

  it('keeps remembered consent for a confidential client (RFC 6749 §10.2)', async () => {
    const first = await authorize(t, query(confidentialId, 'profile'), 'gina');
    await decide(t, first, 'gina', 'allow');
    assert.ok(redirectParams(await authorize(t, query(confidentialId, 'profile'), 'gina')).get('code'));
  });
});

describe('consent for public clients with rememberPublicClientConsent', () => {
  let t: OAuthTestApp;
  let publicId: string;
  before(async () => {
    t = await createOAuthTestApp({ options: { rememberPublicClientConsent: true } });
    publicId = (await t.register({ name: 'Desktop app', redirectUris: ['http://127.0.0.1:7000/cb'], public: true })).client.id;
  });
  after(() => t.close());

  it('issues a code without the screen once the user approved these scopes, as for a confidential client (RFC 6749 §10.2)', async () => {
    const query = {
      response_type: 'code',
      client_id: publicId,
      scope: 'profile',
      code_challenge: pkcePair().challenge,
      code_challenge_method: 'S256',
    };
    await decide(t, await authorize(t, query, 'gina'), 'gina', 'allow');
    assert.ok(redirectParams(await authorize(t, query, 'gina')).get('code'));
  });
});

describe('authorization endpoint without an OAuthInteraction', () => {
  let t: OAuthTestApp;
  before(async () => (t = await createOAuthTestApp({ extras: { interaction: undefined } })));
  after(() => t.close());

  it('answers a server configuration error page instead of guessing who is logged in', async () => {
    const res = await request(t.server).get(AUTH_PATH).query({ client_id: 'x' });
    assert.equal(res.status, 500);
    assert.match(res.text, /OAuthInteraction/);
  });
});

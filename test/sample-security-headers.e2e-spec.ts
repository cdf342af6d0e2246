import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getRepositoryToken } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { CustomAppSession, ShiftSession, type SessionRow } from '../apps/sample/src/database/session.entities';
import { CUSTOMAPP_DATA_SOURCE } from '../apps/sample/src/customapp/customapp.config';
import { CookieClient, readForm } from './support/sample-harness';
import { logInWithShift, startTestSample, type TestSample } from './support/sample-story';

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * The headers of every page and redirect of the sample (RFC 6749 §10.13 clickjacking, RFC 9700
 * §4.2.4 Referer leakage of codes, RFC 6749 §5.1 no-store): a policy that runs no script and lets
 * nobody frame the page, no sniffing, no referrer, no caching. `policy` is the default-src the page
 * must have: the sample's own pages allow nothing by default; the consent page the library sends
 * for SHIFT's template allows SHIFT's own stylesheet.
 */
function assertPageHeaders(res: Answer, what: string, { html = true, policy = /default-src 'none'/ } = {}): void {
  const header = (name: string) => res.headers.get(name) ?? '';
  if (html) assert.match(header('content-type'), /^text\/html; charset=utf-8$/i, `${what}: content type`);
  assert.match(header('content-security-policy'), policy, `${what}: CSP default-src`);
  assert.match(header('content-security-policy'), /frame-ancestors 'none'/, `${what}: CSP frame-ancestors`);
  assert.doesNotMatch(header('content-security-policy'), /script-src[^;]*'unsafe-|'unsafe-eval'/, `${what}: no inline scripts`);
  assert.equal(header('x-frame-options'), 'DENY', `${what}: X-Frame-Options`);
  assert.equal(header('x-content-type-options'), 'nosniff', `${what}: X-Content-Type-Options`);
  assert.equal(header('referrer-policy'), 'no-referrer', `${what}: Referrer-Policy`);
  assert.equal(header('cache-control'), 'no-store', `${what}: Cache-Control`);
}

/** `callback` with its `name` parameter replaced. */
function withParam(callback: string, name: string, value: string): string {
  const url = new URL(callback);
  url.searchParams.set(name, value);
  return url.toString();
}

describe('security headers on every page of the sample, SHIFT and CustomApp (issue 7)', () => {
  let t: TestSample;

  before(async () => {
    t = await startTestSample({ loginRateLimit: { perUser: 3, perIp: 1000 } });
  });
  after(() => t?.close());

  it("SHIFT's login page, a failed login, a throttled login and a stale login form", async () => {
    const browser = new CookieClient();
    const page = await browser.request(`${t.shift}/login`);
    assert.equal(page.status, 200);
    assertPageHeaders(page, 'login page');
    const { fields } = readForm(page.text, /<form method="post" action="\/login"/);
    const failed = await browser.request(`${t.shift}/login`, { form: { ...fields, username: 'nate', password: 'not-the-password' } });
    assert.equal(failed.status, 401);
    assertPageHeaders(failed, 'failed login page');
    const stale = await browser.request(`${t.shift}/login`, { form: { ...fields, _csrf: 'forged', username: 'nate', password: 'x' } });
    assert.equal(stale.status, 403);
    assert.match(stale.text, /This form has expired/);
    assertPageHeaders(stale, 'stale form error page');

    let throttled: Answer | undefined;
    for (let i = 0; i < 4; i++) {
      throttled = await browser.request(`${t.shift}/login`, { form: { ...fields, username: 'mallory', password: `guess-${i}` } });
    }
    assert.equal(throttled!.status, 429);
    assertPageHeaders(throttled!, 'throttled login page');
  });

  it('CustomApp’s pages and callback, and the SHIFT pages on the way, with a code in the URL never cached or sent on', async () => {
    const browser = new CookieClient();
    const welcome = await browser.request(`${t.customApp}/`);
    assert.equal(welcome.status, 200);
    assert.match(welcome.text, /Log in with SHIFT/);
    assertPageHeaders(welcome, 'CustomApp welcome page');

    // The first authorization: SHIFT's login and consent pages, and a callback whose state is not ours.
    const first = await logInWithShift(browser, t);
    assertPageHeaders(first.loginPage!, 'SHIFT login page (from CustomApp)');
    assertPageHeaders(first.consentPage!, 'SHIFT consent page', { policy: /default-src 'self'/ });
    const firstCode = new URL(first.callback).searchParams.get('code')!;
    assert.ok(firstCode);
    const badState = await browser.request(withParam(first.callback, 'state', 'forged'));
    assert.equal(badState.status, 400);
    assert.match(badState.text, /Please start again/);
    assertPageHeaders(badState, 'callback page for a state that is not ours (its URL carries a code)');
    assert.ok(!badState.text.includes(firstCode), 'the page does not repeat the code');

    // The second one connects: the callback redirects to a URL without the code.
    const second = await logInWithShift(browser, t);
    const connected = await browser.request(second.callback);
    assert.equal(connected.status, 303);
    assert.equal(connected.headers.get('location'), '/');
    assertPageHeaders(connected, 'callback redirect (its URL carries a code)', { html: false });
    const profile = await browser.request(`${t.customApp}/`);
    assert.equal(profile.status, 200);
    assert.match(profile.text, /Disconnect from SHIFT/);
    assertPageHeaders(profile, 'CustomApp profile page');

    const staleDisconnect = await browser.request(`${t.customApp}/disconnect`, { form: { _csrf: 'forged' } });
    assert.equal(staleDisconnect.status, 403);
    assertPageHeaders(staleDisconnect, 'CustomApp stale form error page');

    // A code this browser did not ask for (its PKCE verifier does not match): SHIFT refuses it.
    const start = await browser.request(`${t.customApp}/oauth/start`);
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
    const injected = new URL(`${t.customApp}/oauth/redirect`);
    injected.search = new URLSearchParams({ code: firstCode, state, iss: t.shift }).toString();
    const refused = await browser.request(injected.toString());
    assert.equal(refused.status, 502);
    assert.match(refused.text, /invalid_grant/);
    assertPageHeaders(refused, 'callback page for a code SHIFT refused (its URL carries a code)');
    assert.ok(!refused.text.includes(firstCode), 'the page does not repeat the code');

    // SHIFT's own pages for the logged-in user.
    const home = await browser.request(`${t.shift}/`);
    assert.equal(home.status, 200);
    assertPageHeaders(home, 'SHIFT home page');
    const apps = await browser.request(`${t.shift}/account/apps`);
    assert.equal(apps.status, 200);
    assert.match(apps.text, /CustomApp/);
    assertPageHeaders(apps, 'SHIFT connected apps page');
    const revokeForm = readForm(apps.text, /<form method="post" action="\/account\/apps\/revoke"/);
    const staleRevoke = await browser.request(`${t.shift}/account/apps/revoke`, { form: { ...revokeForm.fields, _csrf: 'forged' } });
    assert.equal(staleRevoke.status, 403);
    assertPageHeaders(staleRevoke, 'SHIFT stale revoke error page');
    const revoked = await browser.request(`${t.shift}/account/apps/revoke`, { form: revokeForm.fields });
    assert.equal(revoked.status, 303);
    assertPageHeaders(revoked, 'SHIFT revoke redirect', { html: false });
    const unknownClient = await browser.request(`${t.shift}/v1/oauth2/auth?response_type=code&client_id=nobody`);
    assert.equal(unknownClient.status, 400);
    assertPageHeaders(unknownClient, 'SHIFT unknown client page');

    // Revoked on SHIFT: CustomApp says so; asked again, the user denies.
    const disconnected = await browser.request(`${t.customApp}/`);
    assert.equal(disconnected.status, 200);
    assert.match(disconnected.text, /You are disconnected/);
    assertPageHeaders(disconnected, 'CustomApp disconnected page');
    const denied = await logInWithShift(browser, t, { decision: 'deny' });
    assert.equal(new URL(denied.callback).searchParams.get('error'), 'access_denied');
    const deniedPage = await browser.request(denied.callback);
    assert.equal(deniedPage.status, 400);
    assert.match(deniedPage.text, /You chose not to let CustomApp use your SHIFT account/);
    assertPageHeaders(deniedPage, 'callback page for a denied consent');
  });

  it('a session the database cannot read gets the "try again" page on SHIFT and CustomApp: 503 with Retry-After, never a 500', async () => {
    const apps = [
      { url: t.shift, opens: '/login', rows: t.sample.shift.get<Repository<SessionRow>>(getRepositoryToken(ShiftSession)) },
      {
        url: t.customApp,
        opens: '/oauth/start',
        rows: t.sample.customApp.get<Repository<SessionRow>>(getRepositoryToken(CustomAppSession, CUSTOMAPP_DATA_SOURCE)),
      },
    ];
    for (const { url, opens, rows } of apps) {
      const browser = new CookieClient();
      await browser.request(`${url}${opens}`);
      assert.ok(browser.cookies.size > 0, `${url}: a session cookie`);
      // The session table stops answering, as when the database is cut.
      Object.assign(rows, { findOneBy: () => Promise.reject(new Error('connection refused')) });
      try {
        const res = await browser.request(`${url}/`);
        assert.equal(res.status, 503, `${url}: ${res.status} ${res.text.slice(0, 200)}`);
        assert.equal(res.headers.get('retry-after'), '5');
        assert.match(res.text, /Temporarily unavailable/);
        assert.doesNotMatch(res.text, /connection refused|at .*\.js:\d+/, 'the cause is never shown');
        assertPageHeaders(res, `${url}: session store unavailable page`);
      } finally {
        delete (rows as { findOneBy?: unknown }).findOneBy;
      }
      assert.notEqual((await browser.request(`${url}/`)).status, 503, `${url}: serves again once the database answers`);
    }
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Injectable } from '@nestjs/common';
import request from 'supertest';
import type { Response } from 'supertest';
import type { ConsentView } from 'nest-oauth2-provider';
import { createOAuthTestApp, type OAuthTestApp } from './fixtures/oauth-app.fixture';
import { AUTH_PATH, authorize, decide, pkcePair } from './fixtures/oauth-flow';
import { TestInteraction } from './fixtures/test-interaction';

const REDIRECT = 'https://customapp.example/oauth/redirect';

/** A host that renders its own consent page (the library still sets the headers). */
@Injectable()
class HostConsentInteraction extends TestInteraction {
  override renderConsent(view: ConsentView): string {
    return `<!doctype html><form method="post" action="${view.action}"><button name="decision" value="allow">Allow</button></form>`;
  }
}

/**
 * The headers every HTML page of the library carries (RFC 6749 §10.13 clickjacking, RFC 9700 §4.2.4
 * Referer leakage, §4.16 framing; RFC 6749 §5.1 no-store for pages in the middle of a grant).
 */
function assertPageHeaders(res: Response, what: string, csp: RegExp = /default-src 'none'/): void {
  assert.match(res.headers['content-type'], /^text\/html; charset=utf-8$/, `${what}: content type`);
  assert.match(res.headers['content-security-policy'], csp, `${what}: CSP default-src`);
  assert.match(res.headers['content-security-policy'], /frame-ancestors 'none'/, `${what}: CSP frame-ancestors`);
  assert.match(res.headers['content-security-policy'], /base-uri 'none'/, `${what}: CSP base-uri`);
  assert.doesNotMatch(res.headers['content-security-policy'], /script-src[^;]*'unsafe-inline'/, `${what}: no inline scripts`);
  assert.equal(res.headers['x-content-type-options'], 'nosniff', `${what}: X-Content-Type-Options`);
  assert.equal(res.headers['x-frame-options'], 'DENY', `${what}: X-Frame-Options`);
  assert.equal(res.headers['referrer-policy'], 'no-referrer', `${what}: Referrer-Policy`);
  assert.equal(res.headers['cache-control'], 'no-store', `${what}: Cache-Control`);
}

describe('security headers on every HTML page the library renders (issue 7)', () => {
  let t: OAuthTestApp;
  let clientId: string;
  const query = (extra: Record<string, string> = {}) => ({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: REDIRECT,
    scope: 'profile',
    state: 's',
    code_challenge: pkcePair().challenge,
    code_challenge_method: 'S256',
    ...extra,
  });

  before(async () => {
    t = await createOAuthTestApp();
    clientId = (await t.register({ name: 'CustomApp', redirectUris: [REDIRECT], scopes: ['profile'] })).client.id;
  });
  after(() => t.close());

  it('sends CSP, nosniff, DENY framing, no-referrer and no-store on the consent page, and a HttpOnly SameSite cookie', async () => {
    const page = await authorize(t, query(), 'alice');
    assert.equal(page.status, 200);
    assertPageHeaders(page, 'consent page');
    const cookie = (page.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('oauth_consent='))!;
    assert.match(cookie, /; HttpOnly/);
    assert.match(cookie, /; SameSite=Lax/);
  });

  it('sends them on the error page for an unknown client and for an unregistered redirect_uri (RFC 6749 §4.1.2.1)', async () => {
    for (const [what, extra] of [
      ['unknown client page', { client_id: 'nobody' }],
      ['bad redirect_uri page', { redirect_uri: 'https://evil.example/' }],
    ] as const) {
      const page = await authorize(t, query(extra), 'alice');
      assert.equal(page.status, 400, what);
      assertPageHeaders(page, what);
    }
  });

  it('sends them on the pages refusing a consent post: signed out, or a bad CSRF token (RFC 6749 §10.12)', async () => {
    const page = await authorize(t, query(), 'alice');
    const signedOut = await request(t.server)
      .post(AUTH_PATH)
      .type('form')
      .send({ client_id: clientId, redirect_uri: REDIRECT, decision: 'allow' });
    assert.equal(signedOut.status, 403);
    assertPageHeaders(signedOut, 'signed-out page');
    const forged = await decide(t, page, 'alice', 'allow', { fields: { csrf_token: 'forged' } });
    assert.equal(forged.status, 403);
    assertPageHeaders(forged, 'CSRF failure page');
  });

  it('sends no-referrer and no-store on the redirect that carries the code (RFC 9700 §4.2.4)', async () => {
    const res = await decide(t, await authorize(t, query(), 'alice'), 'alice', 'allow');
    assert.equal(res.status, 302);
    assert.ok(new URL(res.headers.location).searchParams.get('code'));
    assert.equal(res.headers['referrer-policy'], 'no-referrer');
    assert.equal(res.headers['cache-control'], 'no-store');
  });
});

describe('security headers on pages a host renders or misconfigures (issue 7)', () => {
  it('keeps the headers on a host-rendered consent page, with a CSP that lets the host’s own assets load', async () => {
    const t = await createOAuthTestApp({ extras: { interaction: HostConsentInteraction } });
    try {
      const clientId = (await t.register({ name: 'CustomApp', redirectUris: [REDIRECT], scopes: ['profile'] })).client.id;
      const page = await authorize(
        t,
        {
          response_type: 'code',
          client_id: clientId,
          scope: 'profile',
          code_challenge: pkcePair().challenge,
          code_challenge_method: 'S256',
        },
        'alice',
      );
      assert.equal(page.status, 200);
      assert.match(page.text, /<button name="decision"/);
      assertPageHeaders(page, 'host consent page', /default-src 'self'/);
    } finally {
      await t.close();
    }
  });

  it('sends them on the configuration error page of an app without an interaction', async () => {
    const t = await createOAuthTestApp({ extras: { interaction: undefined } });
    try {
      const clientId = (await t.register({ name: 'CustomApp', redirectUris: [REDIRECT] })).client.id;
      const page = await authorize(t, { response_type: 'code', client_id: clientId }, 'alice');
      assert.equal(page.status, 500);
      assertPageHeaders(page, 'configuration error page');
    } finally {
      await t.close();
    }
  });
});

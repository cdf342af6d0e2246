import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { TEST_SCOPES } from './fixtures/oauth-app.fixture';
import { pkcePair } from './fixtures/oauth-flow';
import { TEST_USER_HEADER } from './fixtures/test-interaction';
import { CONFIDENTIAL_REDIRECTS, CONSENTED_USER, createHostileApp, PUBLIC_REDIRECT, type HostileApp } from './support/hostile-app';
import {
  bodyFor,
  contentEncoded,
  contentType,
  encodeParams,
  encoding,
  headerSafe,
  hostileString,
  checkProperty,
  HOSTILE_SEED,
  mostlyValid,
  param,
  params,
} from './support/hostile-values';
import { redirectTricks, redirectUriValue } from './support/redirect-tricks';
import { scopeValue } from './support/scope-values';

const AUTH = '/oauth2/auth';

describe('hostile input at the authorization endpoint, GET and POST {prefix}/auth (issue 7)', () => {
  let h: HostileApp;
  const challenge = pkcePair().challenge;

  before(async () => {
    h = await createHostileApp();
  });
  after(async () => {
    console.log(`hostile-input authorize: ${h.summary()}, seed ${HOSTILE_SEED} (FC_SEED replays)`);
    await h.close();
  });

  /** The authorization request's parameters, each valid, hostile, absent or repeated. */
  const requestParams = () =>
    params({
      response_type: param(mostlyValid('code')),
      client_id: param(mostlyValid(h.confidential.id, h.publicId)),
      redirect_uri: param(redirectUriValue(h.registeredRedirects, hostileString())),
      scope: param(scopeValue(Object.keys(TEST_SCOPES), hostileString())),
      state: param(hostileString()),
      code_challenge: param(mostlyValid(challenge)),
      code_challenge_method: param(mostlyValid('S256', 'plain')),
      prompt: param(mostlyValid('none', 'login', 'consent', 'none login')),
      shift_team_id: param(hostileString()),
    });
  const user = () => fc.option(fc.oneof(fc.constant(CONSENTED_USER), hostileString().map(headerSafe)), { nil: undefined });

  it('GET: never a 5xx, a stack trace, an unregistered redirect, an injected header or a row for a refused request', async () => {
    await checkProperty(fc.tuple(requestParams(), encoding(), user()), async ([values, how, who]) => {
      const headers: Record<string, string> = who === undefined ? {} : { [TEST_USER_HEADER]: who };
      await h.attack({ method: 'GET', path: `${AUTH}?${encodeParams(values, how)}`, headers });
    });
  });

  it('POST (consent decision): the same invariants, whatever the body, cookie and CSRF token', async () => {
    const decision = params({ decision: param(mostlyValid('allow', 'deny')), csrf_token: param(hostileString()) });
    const arbitrary = fc
      .tuple(requestParams(), decision, encoding(), user(), fc.option(hostileString().map(headerSafe), { nil: undefined }))
      .chain(([values, extra, how, who, cookie]) => {
        const all = { ...values, ...extra };
        return fc.tuple(
          bodyFor(encodeParams(all, how), all).chain(contentEncoded),
          contentType('application/x-www-form-urlencoded'),
          fc.constant({ who, cookie }),
        );
      });
    await checkProperty(arbitrary, async ([{ body, encoding }, type, { who, cookie }]) => {
      const headers: Record<string, string> = {};
      if (encoding !== undefined) headers['content-encoding'] = encoding;
      if (who !== undefined) headers[TEST_USER_HEADER] = who;
      if (cookie !== undefined) headers.cookie = `oauth_consent=${cookie}`;
      if (type !== undefined) headers['content-type'] = type;
      await h.attack({ method: 'POST', path: AUTH, headers, body });
    });
  });

  const valid = (extra: Record<string, string>) =>
    encodeParams(
      {
        response_type: 'code',
        client_id: h.confidential.id,
        redirect_uri: CONFIDENTIAL_REDIRECTS[0],
        scope: 'profile',
        state: 's',
        code_challenge: challenge,
        code_challenge_method: 'S256',
        ...extra,
      },
      'encoded',
    );

  it('shows the error page, never a redirect, for every redirect_uri trick (RFC 9700 §4.1.3, RFC 6749 §4.1.2.1)', async () => {
    for (const registered of [...CONFIDENTIAL_REDIRECTS, PUBLIC_REDIRECT]) {
      const clientId = registered === PUBLIC_REDIRECT ? h.publicId : h.confidential.id;
      for (const trick of redirectTricks(registered)) {
        const res = await h.attack({
          method: 'GET',
          path: `${AUTH}?${valid({ client_id: clientId, redirect_uri: trick })}`,
          headers: { [TEST_USER_HEADER]: CONSENTED_USER },
        });
        assert.equal(res.status, 400, `redirect_uri ${JSON.stringify(trick)} was not refused`);
        assert.equal(res.headers.location, undefined, `redirect_uri ${JSON.stringify(trick)} was redirected to`);
      }
    }
  });

  it('keeps CR/LF and quotes in state inside the redirect URL, percent-encoded (RFC 6749 §4.1.2)', async () => {
    for (const state of ['a\r\nX-Injected: 1', '"\'<>', 'x%0d%0aX-Injected:%201']) {
      const res = await h.attack({ method: 'GET', path: `${AUTH}?${valid({ state })}`, headers: { [TEST_USER_HEADER]: CONSENTED_USER } });
      assert.equal(res.status, 302);
      assert.equal(new URL(res.headers.location!).searchParams.get('state'), state, 'state comes back unchanged');
    }
  });

  it('refuses scopes separated by anything but one space, and unicode look-alikes, with invalid_scope (RFC 6749 §3.3)', async () => {
    for (const scope of ['profile\temail', 'profile\u00a0email', 'profile,email', 'pr\u043efile', 'PROFILE', 'profile\u200b']) {
      const res = await h.attack({ method: 'GET', path: `${AUTH}?${valid({ scope })}`, headers: { [TEST_USER_HEADER]: CONSENTED_USER } });
      assert.equal(new URL(res.headers.location!).searchParams.get('error'), 'invalid_scope', `scope ${JSON.stringify(scope)}`);
    }
  });

  it('answers a repeated client_id or redirect_uri with the error page, not a redirect (RFC 6749 §3.1)', async () => {
    for (const name of ['client_id', 'redirect_uri']) {
      const query = `${valid({})}&${name}=${encodeURIComponent(name === 'client_id' ? h.confidential.id : CONFIDENTIAL_REDIRECTS[0])}`;
      const res = await h.attack({ method: 'GET', path: `${AUTH}?${query}`, headers: { [TEST_USER_HEADER]: CONSENTED_USER } });
      assert.equal(res.status, 400);
      assert.equal(res.headers.location, undefined);
    }
  });

  it('shows the unknown-client page for a client_id holding a NUL or non-ASCII byte (RFC 6749 Appendix A.1)', async () => {
    for (const id of ['%00', `${h.confidential.id}%00`, 'caf%C3%A9', '%C3%28']) {
      const res = await h.attack({
        method: 'GET',
        path: `${AUTH}?${valid({})}&client_id=${id}`.replace(/client_id=[^&]*&/, ''),
        headers: { [TEST_USER_HEADER]: CONSENTED_USER },
      });
      assert.equal(res.status, 400, `client_id ${id}: ${res.status}`);
      assert.match(res.text, /not registered/);
    }
  });

  it('answers bad percent-encoding and invalid UTF-8 in the query without a 5xx', async () => {
    for (const junk of ['state=%ZZ', 'state=%', 'state=%C3%28', 'state=\xc3\x28', 'client_id=%E0%A4%A', 'redirect_uri=%FF%FE']) {
      const res = await h.attack({ method: 'GET', path: `${AUTH}?${valid({})}&${junk}`, headers: { [TEST_USER_HEADER]: CONSENTED_USER } });
      assert.ok(res.status === 302 || res.status === 400, `${junk}: ${res.status}`);
    }
  });

  it('answers a 10 kB state normally and a 1 MB query with 431, not a 5xx', async () => {
    const big = await h.attack({
      method: 'GET',
      path: `${AUTH}?${valid({ state: 'x'.repeat(10 * 1024) })}`,
      headers: { [TEST_USER_HEADER]: CONSENTED_USER },
    });
    assert.equal(big.status, 302);
    const huge = await h.attack({ method: 'GET', path: `${AUTH}?${valid({ state: 'x'.repeat(1024 * 1024) })}` });
    assert.equal(huge.status, 431);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ClientStore } from 'nest-oauth2-provider';
import { createOAuthTestApp, type OAuthTestApp } from './fixtures/oauth-app.fixture';
import { authorize, decide, obtainCode, pkcePair, tokenRequest } from './fixtures/oauth-flow';

/**
 * Redirect URIs of native apps (RFC 8252) and of web apps, over HTTP on the database in DATABASE_URL:
 * a native app's loopback redirect may use any port, a private-use scheme is for native apps, and
 * everything else is an exact match.
 */
describe('redirect URIs of native and web clients over HTTP (RFC 8252, RFC 9700 §4.1.3)', () => {
  let t: OAuthTestApp;
  let native: string;
  let nativeV6: string;
  let web: { id: string; secret: string };

  before(async () => {
    t = await createOAuthTestApp();
    native = (await t.register({ name: 'Desktop', redirectUris: ['http://127.0.0.1/cb', 'com.example.app:/oauth2redirect'], public: true }))
      .client.id;
    nativeV6 = (
      await t.register({ name: 'CLI', redirectUris: ['http://[::1]:8080/cb?tenant=a', 'http://localhost:7000/cb'], public: true })
    ).client.id;
    const c = await t.register({ name: 'Site', redirectUris: ['http://127.0.0.1:8400/cb'] });
    web = { id: c.client.id, secret: c.clientSecret! };
  });
  after(() => t.close());

  const query = (clientId: string, redirectUri: string, challenge: string) => ({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    scope: 'profile',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });

  /** The authorization endpoint's answer for `redirectUri`, consent included when asked. */
  async function answer(clientId: string, redirectUri: string) {
    const res = await authorize(t, query(clientId, redirectUri, pkcePair().challenge), 'alice');
    return res.status === 200 ? decide(t, res, 'alice', 'allow') : res;
  }

  it('sends the code to a native client on any port of its loopback IP redirect URI, and exchanges it there (RFC 8252 §7.3)', async () => {
    const { verifier, challenge } = pkcePair();
    const redirectUri = 'http://127.0.0.1:51234/cb';
    const { code, params } = await obtainCode(t, query(native, redirectUri, challenge));
    assert.equal(params.get('iss'), 'http://127.0.0.1');
    const res = await tokenRequest(t, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
      client_id: native,
    });
    assert.equal(res.status, 200, res.text);
    assert.ok(res.body.access_token);
  });

  it('also lets an IPv6 loopback redirect URI change only its port for a native client (RFC 8252 §7.3)', async () => {
    const res = await answer(nativeV6, 'http://[::1]:49152/cb?tenant=a');
    assert.equal(res.status, 302);
    assert.ok(res.headers.location.startsWith('http://[::1]:49152/cb?tenant=a&code='), res.headers.location);
  });

  it('still matches the scheme, host, path and query of a native loopback redirect exactly (RFC 8252 §7.3)', async () => {
    for (const uri of [
      'http://127.0.0.1:51234/cb/',
      'http://127.0.0.1:51234/cb?x=1',
      'https://127.0.0.1:51234/cb',
      'http://127.0.0.2:51234/cb',
      'http://[::1]:51234/cb',
      'http://[::1]:49152/cb?tenant=b',
      'http://127.0.0.1:51234/cb#frag',
    ]) {
      const res = await answer(native, uri);
      assert.equal(res.status, 400, `${uri} → ${res.status} ${res.headers.location ?? ''}`);
    }
  });

  it('keeps an exact match, port included, for a localhost redirect URI even of a native client (RFC 8252 §8.3)', async () => {
    assert.equal((await answer(nativeV6, 'http://localhost:7000/cb')).status, 302);
    assert.equal((await answer(nativeV6, 'http://localhost:7001/cb')).status, 400);
  });

  it('redirects a native client to its private-use URI scheme (RFC 8252 §7.1)', async () => {
    const res = await answer(native, 'com.example.app:/oauth2redirect');
    assert.equal(res.status, 302);
    assert.ok(res.headers.location.startsWith('com.example.app:/oauth2redirect?code='), res.headers.location);
  });

  it('keeps exact matching, port included, for a web client on loopback (RFC 9700 §4.1.3)', async () => {
    assert.equal((await answer(web.id, 'http://127.0.0.1:8400/cb')).status, 302);
    assert.equal((await answer(web.id, 'http://127.0.0.1:8401/cb')).status, 400);
  });

  it('never redirects to a stored redirect URI that the registration rules refuse, e.g. half of a list split on a space (RFC 9700 §4.1.1)', async () => {
    // What a space-separated column read back for 'https://legacy.example/cb http://evil.example/steal'.
    const clients = t.app.get(ClientStore);
    const legacy = (await t.register({ name: 'Legacy', redirectUris: ['https://legacy.example/cb'] })).client;
    await clients.save({ ...legacy, redirectUris: ['https://legacy.example/cb', 'http://evil.example/steal'] });
    assert.equal((await answer(legacy.id, 'https://legacy.example/cb')).status, 302);
    const res = await answer(legacy.id, 'http://evil.example/steal');
    assert.equal(res.status, 400);
    assert.equal(res.headers.location, undefined);
  });
});

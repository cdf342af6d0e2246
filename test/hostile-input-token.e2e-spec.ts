import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { TEST_SCOPES } from './fixtures/oauth-app.fixture';
import { pkcePair } from './fixtures/oauth-flow';
import { createHostileApp, type HostileApp } from './support/hostile-app';
import {
  authorizationHeader,
  bodyFor,
  contentEncoded,
  contentType,
  encodeParams,
  encoding,
  hostileString,
  checkProperty,
  HOSTILE_SEED,
  mostlyValid,
  param,
  params,
  type ParamValue,
} from './support/hostile-values';
import { redirectUriValue } from './support/redirect-tricks';
import { scopeValue } from './support/scope-values';

const FORM = 'application/x-www-form-urlencoded';

describe('hostile input at the token, revocation and introspection endpoints (issue 7)', () => {
  let h: HostileApp;

  before(async () => {
    h = await createHostileApp();
  });
  after(async () => {
    console.log(`hostile-input token/revoke/introspect: ${h.summary()}, seed ${HOSTILE_SEED} (FC_SEED replays)`);
    await h.close();
  });

  /**
   * A form POST in every shape: the body (form, JSON, junk, 1 MB), its content encoding (real,
   * corrupt, lying or unknown), its content type and an Authorization header.
   */
  function post(path: string, shape: Record<string, fc.Arbitrary<ParamValue>>) {
    return fc
      .tuple(params(shape), encoding(), authorizationHeader(h.confidential))
      .chain(([values, how, authorization]) =>
        fc.tuple(bodyFor(encodeParams(values, how), values).chain(contentEncoded), contentType(FORM), fc.constant(authorization)),
      )
      .map(([{ body, encoding }, type, authorization]) => {
        const headers: Record<string, string> = {};
        if (type !== undefined) headers['content-type'] = type;
        if (encoding !== undefined) headers['content-encoding'] = encoding;
        if (authorization !== undefined) headers.authorization = authorization;
        return { method: 'POST', path, headers, body };
      });
  }

  const clientParams = () => ({
    client_id: param(mostlyValid(h.confidential.id, h.publicId)),
    client_secret: param(mostlyValid(h.confidential.secret)),
  });

  it('POST /token: never a 5xx, a stack trace, an injected header, or a row unless tokens were issued', async () => {
    const shape = {
      grant_type: param(mostlyValid('authorization_code', 'refresh_token', 'client_credentials', 'password', 'implicit')),
      code: param(hostileString()),
      redirect_uri: param(redirectUriValue(h.registeredRedirects, hostileString())),
      code_verifier: param(mostlyValid(pkcePair().verifier)),
      refresh_token: param(mostlyValid(h.refreshToken)),
      scope: param(scopeValue(Object.keys(TEST_SCOPES), hostileString())),
      ...clientParams(),
    };
    await checkProperty(post('/oauth2/token', shape), async (req) => {
      const res = await h.attack(req);
      // 431: Node refused the headers (over 16 kB) before the app saw the request.
      if (res.status !== 431) assert.equal(res.headers['cache-control'], 'no-store', 'RFC 6749 §5.1: every token response is no-store');
    });
  });

  for (const endpoint of ['revoke', 'introspect']) {
    it(`POST /${endpoint}: the same invariants for any token, hint and client credentials`, async () => {
      const shape = {
        token: param(mostlyValid(h.accessToken, h.refreshToken)),
        token_type_hint: param(mostlyValid('access_token', 'refresh_token')),
        ...clientParams(),
      };
      await checkProperty(post(`/oauth2/${endpoint}`, shape), async (req) => {
        await h.attack(req);
      });
    });
  }

  it('answers a client_id holding a NUL or non-ASCII byte as an unknown client, 401 invalid_client (RFC 6749 Appendix A.1)', async () => {
    for (const id of ['\u0000', `${h.confidential.id}\u0000`, 'caf\u00e9']) {
      for (const path of ['/oauth2/token', '/oauth2/revoke', '/oauth2/introspect']) {
        const basic = await h.attack({
          method: 'POST',
          path,
          headers: { 'content-type': FORM, authorization: `Basic ${Buffer.from(`${id}:secret`).toString('base64')}` },
          body: 'grant_type=client_credentials&token=x',
        });
        assert.equal(basic.status, 401, `${path} ${JSON.stringify(id)}: ${basic.text}`);
        assert.equal(JSON.parse(basic.text).error, 'invalid_client');
        const post = await h.attack({
          method: 'POST',
          path,
          headers: { 'content-type': FORM },
          body: `grant_type=client_credentials&token=x&client_id=${encodeURIComponent(id)}&client_secret=s`,
        });
        assert.equal(post.status, 401, `${path} ${JSON.stringify(id)}: ${post.text}`);
      }
    }
  });

  it('refuses a JSON body at the token endpoint with invalid_request (RFC 6749 §3.2)', async () => {
    const res = await h.attack({
      method: 'POST',
      path: '/oauth2/token',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', client_id: h.confidential.id, client_secret: h.confidential.secret }),
    });
    assert.equal(res.status, 400);
    assert.equal(JSON.parse(res.text).error, 'invalid_request');
  });

  it('refuses a token request without a content type with invalid_request (RFC 6749 §3.2)', async () => {
    const res = await h.attack({ method: 'POST', path: '/oauth2/token', body: 'grant_type=client_credentials' });
    assert.equal(res.status, 400);
    assert.equal(JSON.parse(res.text).error, 'invalid_request');
  });

  it('refuses a repeated grant_type with invalid_request (RFC 6749 §3.2)', async () => {
    const res = await h.attack({
      method: 'POST',
      path: '/oauth2/token',
      headers: { 'content-type': FORM },
      body: 'grant_type=client_credentials&grant_type=client_credentials',
    });
    assert.equal(JSON.parse(res.text).error, 'invalid_request');
  });

  it('answers bad percent-encoding and invalid UTF-8 in a form body with a 4xx OAuth error', async () => {
    for (const body of [
      'grant_type=%ZZ',
      'grant_type=client_credentials&client_id=%E0%A4%A',
      Buffer.from('grant_type=\xc3\x28', 'latin1'),
    ]) {
      const res = await h.attack({ method: 'POST', path: '/oauth2/token', headers: { 'content-type': FORM }, body });
      assert.ok(res.status >= 400 && res.status < 500, String(res.status));
      assert.ok(JSON.parse(res.text).error);
    }
  });

  it('answers a 10 kB secret with invalid_client, and a quote-laden realm-like client_id without breaking the challenge (RFC 6749 §5.2)', async () => {
    const res = await h.attack({
      method: 'POST',
      path: '/oauth2/token',
      headers: {
        'content-type': FORM,
        authorization: `Basic ${Buffer.from(`"x\\":${'s'.repeat(10 * 1024)}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    assert.equal(res.status, 401);
    assert.equal(JSON.parse(res.text).error, 'invalid_client');
    assert.match(String(res.headers['www-authenticate']), /^Basic realm="[^"\r\n]*"$/);
  });
});

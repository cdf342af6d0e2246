import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { httpAdapterKind } from './fixtures/oauth-app.fixture';
import { createHostileApp, type HostileApp } from './support/hostile-app';

const FORM = 'application/x-www-form-urlencoded';
const FASTIFY = httpAdapterKind() === 'fastify';
/**
 * The platform's body limit, which the module keeps (it applies to the host's routes too): Express's
 * body-parser default of 100 kB for JSON and form bodies, Fastify's `bodyLimit` default of 1 MiB.
 */
const LIMIT = FASTIFY ? 1024 * 1024 : 100 * 1024;
const SHOWN_LIMIT = FASTIFY ? '1 MiB' : '100 kB';

describe('request body limits and unparseable bodies on the OAuth endpoints (issue 7)', () => {
  let h: HostileApp;

  before(async () => {
    h = await createHostileApp();
  });
  after(() => h.close());

  for (const path of ['/oauth2/token', '/oauth2/revoke', '/oauth2/introspect', '/oauth2/auth']) {
    it(`answers a form body over ${SHOWN_LIMIT} at ${path} with 413 invalid_request in the RFC 6749 §5.2 shape`, async () => {
      const res = await h.attack({
        method: 'POST',
        path,
        headers: { 'content-type': FORM },
        body: `grant_type=x&pad=${'a'.repeat(LIMIT)}`,
      });
      assert.equal(res.status, 413);
      assert.deepEqual(JSON.parse(res.text), { error: 'invalid_request', error_description: 'The request body is too large' });
      assert.equal(res.headers['cache-control'], 'no-store');
    });
  }

  it('answers a 1 MB JSON body at the token endpoint with 413 invalid_request', async () => {
    const res = await h.attack({
      method: 'POST',
      path: '/oauth2/token',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pad: 'a'.repeat(1024 * 1024) }),
    });
    assert.equal(res.status, 413);
    assert.equal(JSON.parse(res.text).error, 'invalid_request');
  });

  it('still serves a form body just under the limit', async () => {
    const res = await h.attack({
      method: 'POST',
      path: '/oauth2/token',
      headers: { 'content-type': FORM },
      body: `grant_type=client_credentials&pad=${'a'.repeat(LIMIT - 200)}`,
    });
    assert.equal(res.status, 401, 'reaches client authentication');
    assert.equal(JSON.parse(res.text).error, 'invalid_client');
  });

  it('answers malformed JSON with 400 invalid_request, not Nest’s { statusCode, message }', async () => {
    const res = await h.attack({ method: 'POST', path: '/oauth2/token', headers: { 'content-type': 'application/json' }, body: '{bad' });
    assert.equal(res.status, 400);
    assert.deepEqual(JSON.parse(res.text), { error: 'invalid_request', error_description: 'The request could not be parsed' });
  });

  it('answers an unsupported charset or content encoding with 415 invalid_request', async () => {
    const charset = await h.attack({
      method: 'POST',
      path: '/oauth2/revoke',
      headers: { 'content-type': `${FORM}; charset=koi8-x` },
      body: 'token=x',
    });
    assert.equal(charset.status, 415);
    assert.equal(JSON.parse(charset.text).error, 'invalid_request');
    const encoding = await h.attack({
      method: 'POST',
      path: '/oauth2/introspect',
      headers: { 'content-type': FORM, 'content-encoding': 'br;q=x' },
      body: 'token=x',
    });
    assert.equal(encoding.status, 415);
    assert.equal(JSON.parse(encoding.text).error, 'invalid_request');
  });

  it('answers a form with more than 1000 parameters with invalid_request: 413 on Express, 400 on Fastify', async () => {
    const body = Array.from({ length: 1001 }, (_, i) => `p${i}=1`).join('&');
    const res = await h.attack({ method: 'POST', path: '/oauth2/token', headers: { 'content-type': FORM }, body });
    // body-parser stops at 1000 parameters; Fastify's form parser counts bytes only, so the form
    // reaches the endpoint, which finds no grant_type in it.
    assert.equal(res.status, FASTIFY ? 400 : 413);
    assert.equal(JSON.parse(res.text).error, 'invalid_request');
  });

  it('answers an oversized body on a BearerGuard route with 413 invalid_request and its Bearer challenge (RFC 6750 §3.1)', async () => {
    const body = `pad=${'a'.repeat(LIMIT)}`;
    const res = await h.attack({ method: 'POST', path: '/api/me', headers: { 'content-type': FORM }, body }, { bearerRoute: true });
    assert.equal(res.status, 413);
    assert.deepEqual(JSON.parse(res.text), { error: 'invalid_request', error_description: 'The request body is too large' });
    assert.match(String(res.headers['www-authenticate']), /^Bearer realm="[^"]*", error="invalid_request"/);
  });

  it('leaves the host’s unguarded routes to the host: an oversized body there keeps Nest’s answer', async () => {
    const res = await h.http.send({
      method: 'POST',
      path: '/host/form',
      headers: { 'content-type': FORM },
      body: `pad=${'a'.repeat(LIMIT)}`,
    });
    assert.equal(res.status, 413);
    assert.equal(JSON.parse(res.text).statusCode, 413);
  });
});

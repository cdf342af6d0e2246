import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { createOAuthTestApp, httpAdapterKind, type OAuthTestApp } from './fixtures/oauth-app.fixture';
import { basicAuth, TOKEN_PATH } from './fixtures/oauth-flow';
import { ProfileApiController } from './fixtures/protected-api';
import { HostFormController } from './support/hostile-app';

// Both platform adapters run this file (HTTP_ADAPTER=express | fastify): what the platforms do
// differently before a controller runs must not show through the module's endpoints.
const BIG = 'x='.concat('a'.repeat(2 * 1024 * 1024)); // past Express's 100 kB and Fastify's 1 MiB limits

describe(`request bodies the platform cannot parse (${httpAdapterKind()})`, () => {
  let t: OAuthTestApp;
  let auth: string;

  before(async () => {
    t = await createOAuthTestApp({ storage: 'memory', controllers: [ProfileApiController, HostFormController] });
    const c = await t.register({ name: 'Machine', grantTypes: ['client_credentials'], scopes: ['profile'] });
    auth = basicAuth(c.client.id, c.clientSecret!);
  });
  after(() => t.close());

  function expectInvalidRequest(res: request.Response, status: number, description: RegExp): void {
    assert.equal(res.status, status, res.text);
    assert.deepEqual(Object.keys(res.body).sort(), ['error', 'error_description']);
    assert.equal(res.body.error, 'invalid_request');
    assert.match(res.body.error_description, description);
    assert.match(res.headers['content-type'], /^application\/json/);
    assert.equal(res.headers['cache-control'], 'no-store');
  }

  it('answers a malformed JSON body on the token endpoint with invalid_request (RFC 6749 §5.2)', async () => {
    const res = await request(t.server).post(TOKEN_PATH).set('Authorization', auth).set('Content-Type', 'application/json').send('{"a":');
    expectInvalidRequest(res, 400, /could not be parsed/);
  });

  it('answers an oversized form body with 413 and invalid_request', async () => {
    const res = await request(t.server)
      .post(TOKEN_PATH)
      .set('Authorization', auth)
      .type('form')
      .send(`grant_type=client_credentials&${BIG}`);
    expectInvalidRequest(res, 413, /too large/);
  });

  it('answers an oversized body on the revocation endpoint the same way (RFC 7009 §2.2.1)', async () => {
    const res = await request(t.server).post('/oauth2/revoke').set('Authorization', auth).type('form').send(`token=t&${BIG}`);
    expectInvalidRequest(res, 413, /too large/);
  });

  it('answers an unknown media type with 400 invalid_request, not 415 (RFC 6749 §3.2 asks for a form)', async () => {
    const res = await request(t.server)
      .post(TOKEN_PATH)
      .set('Authorization', auth)
      .set('Content-Type', 'application/x-unknown')
      .send('a=b');
    expectInvalidRequest(res, 400, /x-www-form-urlencoded/);
  });

  it('answers a body error on a BearerGuard route as the guard would: invalid_request with its challenge (RFC 6750 §3.1)', async () => {
    const res = await request(t.server).post('/api/me').type('form').send(BIG);
    expectInvalidRequest(res, 413, /too large/);
    assert.match(res.headers['www-authenticate'], /^Bearer realm="[^"]*", error="invalid_request"/);
  });

  it("leaves body errors on the host's unguarded routes to the host's error handling", async () => {
    const res = await request(t.server).post('/host/form').type('form').send(BIG);
    assert.equal(res.status, 413);
    assert.notEqual(res.body.error, 'invalid_request');
    assert.equal(res.headers['www-authenticate'], undefined);
  });

  it('reads a form body sent with GET so BearerGuard can refuse access_token there (RFC 6750 §2.2)', async () => {
    const res = await request(t.server).get('/api/me').type('form').send({ access_token: 'abc' });
    expectInvalidRequest(res, 400, /not allowed on GET/);
  });

  it('accepts a repeated query parameter only as an array, which the core refuses (RFC 6749 §3.1)', async () => {
    const res = await request(t.server).get('/oauth2/auth?client_id=a&client_id=b&response_type=code');
    assert.equal(res.status, 400);
    assert.match(res.text, /repeated/);
  });
});

describe(`metadata of an issuer with a multi-segment path (RFC 8414 §3.1, ${httpAdapterKind()})`, () => {
  let t: OAuthTestApp;
  before(async () => (t = await createOAuthTestApp({ storage: 'memory', options: { issuer: 'http://127.0.0.1/realms/shift' } })));
  after(() => t.close());

  it('serves /.well-known/oauth-authorization-server/realms/shift', async () => {
    const res = await request(t.server).get('/.well-known/oauth-authorization-server/realms/shift');
    assert.equal(res.status, 200);
    assert.equal(res.body.issuer, 'http://127.0.0.1/realms/shift');
  });

  it('answers 404 for another path', async () => {
    assert.equal((await request(t.server).get('/.well-known/oauth-authorization-server/realms/other')).status, 404);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { createOAuthTestApp, type OAuthTestApp } from './fixtures/oauth-app.fixture';
import { AUTH_PATH, basicAuth, TOKEN_PATH } from './fixtures/oauth-flow';

// Supertest connects over loopback, so a remote client is simulated through a trusted proxy: with
// Express `trust proxy` (or Fastify `trustProxy`), the client IP comes from X-Forwarded-For and TLS
// from X-Forwarded-Proto.
describe('requireHttps (RFC 6749 §3.1, §3.2), honouring a trusted proxy', () => {
  let t: OAuthTestApp;
  let client: { id: string; secret: string };

  before(async () => {
    t = await createOAuthTestApp({ options: { requireHttps: true }, trustProxy: true });
    const c = await t.register({ name: 'Machine', grantTypes: ['client_credentials'], scopes: ['profile'] });
    client = { id: c.client.id, secret: c.clientSecret! };
  });
  after(() => t.close());

  const token = (headers: Record<string, string>) =>
    request(t.server)
      .post(TOKEN_PATH)
      .type('form')
      .set('Authorization', basicAuth(client.id, client.secret))
      .set(headers)
      .send({ grant_type: 'client_credentials', scope: 'profile' });

  it('refuses a plain-http token request from a remote address with invalid_request', async () => {
    const res = await token({ 'X-Forwarded-For': '203.0.113.5', 'X-Forwarded-Proto': 'http' });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'invalid_request');
    assert.match(res.body.error_description, /HTTPS/);
  });

  it('accepts the request when the trusted proxy says it arrived over https', async () => {
    const res = await token({ 'X-Forwarded-For': '203.0.113.5', 'X-Forwarded-Proto': 'https' });
    assert.equal(res.status, 200);
  });

  it('accepts plain http from loopback (local development)', async () => {
    assert.equal((await token({})).status, 200);
  });

  it('answers an error page, not a redirect, on the authorization endpoint', async () => {
    const res = await request(t.server).get(AUTH_PATH).query({ client_id: client.id }).set('X-Forwarded-For', '203.0.113.5');
    assert.equal(res.status, 400);
    assert.match(res.text, /HTTPS/);
  });

  it('refuses the metadata endpoint over plain http from a remote address too', async () => {
    const res = await request(t.server).get('/.well-known/oauth-authorization-server').set('X-Forwarded-For', '203.0.113.5');
    assert.equal(res.status, 400);
  });
});

describe('requireHttps on the path-inserted well-known documents (RFC 8414 §3.1, RFC 9728 §3.1)', () => {
  let t: OAuthTestApp;
  before(async () => {
    t = await createOAuthTestApp({
      options: {
        issuer: 'http://127.0.0.1/tenant',
        requireHttps: true,
        resources: { 'http://127.0.0.1/v1/': { scopes: ['profile'] } },
        defaultResource: 'http://127.0.0.1/v1/',
      },
      trustProxy: true,
    });
  });
  after(() => t.close());

  for (const path of ['/.well-known/oauth-authorization-server/tenant', '/.well-known/oauth-protected-resource/v1/']) {
    it(`RFC 8414 §3: refuses ${path} over plain http from a remote address, and serves it when the trusted proxy says https`, async () => {
      const plain = await request(t.server).get(path).set({ 'X-Forwarded-For': '203.0.113.5', 'X-Forwarded-Proto': 'http' });
      assert.equal(plain.status, 400);
      assert.equal(plain.body.error, 'invalid_request');
      const tls = await request(t.server).get(path).set({ 'X-Forwarded-For': '203.0.113.5', 'X-Forwarded-Proto': 'https' });
      assert.equal(tls.status, 200);
    });
  }
});

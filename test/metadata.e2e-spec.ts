import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { createOAuthTestApp, type OAuthTestApp } from './fixtures/oauth-app.fixture';

describe('authorization server metadata (RFC 8414)', () => {
  let t: OAuthTestApp;
  before(async () => (t = await createOAuthTestApp()));
  after(() => t.close());

  it('publishes the issuer, endpoints and capabilities at /.well-known/oauth-authorization-server (RFC 8414 §2, §3)', async () => {
    const res = await request(t.server).get('/.well-known/oauth-authorization-server');
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'], /^application\/json/);
    const m = res.body;
    assert.equal(m.issuer, 'http://127.0.0.1');
    assert.equal(m.authorization_endpoint, 'http://127.0.0.1/oauth2/auth');
    assert.equal(m.token_endpoint, 'http://127.0.0.1/oauth2/token');
    assert.deepEqual(m.response_types_supported, ['code']);
    assert.deepEqual(m.response_modes_supported, ['query']);
    assert.deepEqual(m.grant_types_supported, ['authorization_code', 'refresh_token', 'client_credentials']);
    assert.deepEqual(m.code_challenge_methods_supported, ['S256']);
    assert.deepEqual(m.token_endpoint_auth_methods_supported, ['client_secret_basic', 'client_secret_post', 'none']);
    assert.deepEqual(m.scopes_supported, ['profile', 'email', 'offline_access', 'teams:read']);
    assert.equal(m.authorization_response_iss_parameter_supported, true);
  });

  it('answers 404 for a path suffix that is not the issuer path', async () => {
    const res = await request(t.server).get('/.well-known/oauth-authorization-server/other');
    assert.equal(res.status, 404);
  });
});

describe('metadata of an issuer with a path (RFC 8414 §3.1)', () => {
  let t: OAuthTestApp;
  before(async () => (t = await createOAuthTestApp({ options: { issuer: 'http://127.0.0.1/tenant', allowPlainPkce: true } })));
  after(() => t.close());

  it('serves the path-suffixed form with the issuer exactly as configured', async () => {
    const res = await request(t.server).get('/.well-known/oauth-authorization-server/tenant');
    assert.equal(res.status, 200);
    assert.equal(res.body.issuer, 'http://127.0.0.1/tenant');
    assert.equal(res.body.token_endpoint, 'http://127.0.0.1/tenant/oauth2/token');
    assert.deepEqual(res.body.code_challenge_methods_supported, ['S256', 'plain']);
  });
});

describe('metadata of an issuer with a deep path (RFC 8414 §3.1)', () => {
  const issuer = 'http://127.0.0.1/a/b/c/d/e/f/g/h/i';
  let t: OAuthTestApp;
  before(async () => (t = await createOAuthTestApp({ options: { issuer } })));
  after(() => t.close());

  it('serves the path-inserted form at any depth, and 404 for a prefix or a longer path of it', async () => {
    const res = await request(t.server).get('/.well-known/oauth-authorization-server/a/b/c/d/e/f/g/h/i');
    assert.equal(res.status, 200);
    assert.equal(res.body.issuer, issuer);
    assert.equal(res.headers['cache-control'], 'public, max-age=3600');
    for (const path of ['/a/b/c', '/a/b/c/d/e/f/g/h/i/j', '/x']) {
      assert.equal((await request(t.server).get(`/.well-known/oauth-authorization-server${path}`)).status, 404, path);
    }
  });

  it('RFC 8414 §3.1: leaves other methods and other well-known names to the host', async () => {
    assert.equal((await request(t.server).post('/.well-known/oauth-authorization-server/a/b/c/d/e/f/g/h/i')).status, 404);
    const other = await request(t.server).get('/.well-known/openid-configuration/a');
    assert.equal(other.status, 404);
    assert.notEqual(other.body.error, 'not_found', 'not answered by the metadata handler');
  });
});

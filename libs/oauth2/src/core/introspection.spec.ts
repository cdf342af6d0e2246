import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { TokenIntrospection } from './introspection';
import { basic, formPost, resourceFixture } from './resource-server.spec-helper';

describe('TokenIntrospection (RFC 7662)', () => {
  let f: ReturnType<typeof resourceFixture>;
  let introspection: TokenIntrospection;
  beforeEach(() => {
    f = resourceFixture();
    introspection = new TokenIntrospection({
      options: { issuer: 'https://issuer.example', realm: 'realm' },
      clients: f.clients,
      tokens: f.tokens,
      clock: f.clock,
    });
  });

  it('describes an active access token', async () => {
    const rs = await f.client({ secret: 's', canIntrospect: true });
    const { value, token } = await f.token({ clientId: rs.id, userId: 'nate', scopes: ['profile', 'email'] });
    const res = await introspection.handle(formPost({ token: value }, basic(rs.id, 's')));
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, {
      active: true,
      scope: 'profile email',
      client_id: rs.id,
      sub: 'nate',
      token_type: 'Bearer',
      exp: Math.floor(token.expiresAt.getTime() / 1000),
      iat: Math.floor(token.createdAt.getTime() / 1000),
      iss: 'https://issuer.example',
      jti: token.id,
    });
  });

  it('answers only {active: false} for an expired token', async () => {
    const rs = await f.client({ secret: 's', canIntrospect: true });
    const { value } = await f.token({ clientId: rs.id, ttl: 1 });
    f.clock.advance(1);
    assert.deepEqual((await introspection.handle(formPost({ token: value }, basic(rs.id, 's')))).body, { active: false });
  });

  it('refuses clients without the permission (403) and public clients (401)', async () => {
    const app = await f.client({ secret: 's' });
    const forbidden = await introspection.handle(formPost({ token: 'x' }, basic(app.id, 's')));
    assert.equal(forbidden.status, 403);
    assert.equal((forbidden.body as { error: string }).error, 'unauthorized_client');
    const spa = await f.client({ canIntrospect: true });
    const anonymous = await introspection.handle(formPost({ token: 'x', client_id: spa.id }));
    assert.equal(anonymous.status, 401);
    assert.equal((anonymous.body as { error: string }).error, 'invalid_client');
  });

  it('answers a storage outage with a 503 temporarily_unavailable response instead of throwing, and reports it (RFC 7662 §2.3)', async () => {
    const rs = await f.client({ secret: 's', canIntrospect: true });
    const reported: unknown[] = [];
    const down = Object.assign(new Error('Connection terminated unexpectedly'), { code: '57P01' });
    const tokens = Object.assign(Object.create(f.tokens), { findByHash: () => Promise.reject(down) });
    const failing = new TokenIntrospection({
      options: { issuer: 'https://issuer.example', realm: 'realm' },
      clients: f.clients,
      tokens,
      clock: f.clock,
      reportError: (e) => reported.push(e),
    });
    const res = await failing.handle(formPost({ token: 'x' }, basic(rs.id, 's')));
    assert.equal(res.status, 503);
    assert.equal((res.body as { error: string }).error, 'temporarily_unavailable');
    assert.equal(res.headers['Retry-After'], '5');
    assert.deepEqual(reported, [down]);
  });

  it('answers an unexpected failure with a generic server_error response instead of throwing (RFC 7662 §2.3)', async () => {
    const rs = await f.client({ secret: 's', canIntrospect: true });
    const tokens = Object.assign(Object.create(f.tokens), { findByHash: () => Promise.reject(new Error('disk on fire')) });
    const failing = new TokenIntrospection({
      options: { issuer: 'https://issuer.example', realm: 'realm' },
      clients: f.clients,
      tokens,
      clock: f.clock,
    });
    const res = await failing.handle(formPost({ token: 'x' }, basic(rs.id, 's')));
    assert.equal(res.status, 500);
    assert.equal((res.body as { error: string }).error, 'server_error');
    assert.doesNotMatch(JSON.stringify(res.body), /disk/);
  });
});

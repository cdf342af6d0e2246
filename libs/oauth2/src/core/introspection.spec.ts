import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { TokenIntrospection } from './introspection';
import { basic, formPost, resourceFixture } from './resource-server.spec-helper';

describe('TokenIntrospection (RFC 7662)', () => {
  let f: ReturnType<typeof resourceFixture>;
  let introspection: TokenIntrospection;
  beforeEach(() => {
    f = resourceFixture();
    introspection = new TokenIntrospection('https://issuer.example', 'realm', f.clients, f.tokens, f.clock);
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
});

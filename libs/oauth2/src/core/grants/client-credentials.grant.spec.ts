import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeCore, tokenPost } from '../core-test.spec-helper';
import { hashSecret } from '../protocol/credentials';

describe('ClientCredentialsGrant (RFC 6749 §4.4)', () => {
  it('stores one access token with no user and issues no refresh token', async () => {
    const { registry, server, stores } = makeCore();
    const { client, clientSecret } = await registry.register({ name: 'Job', grantTypes: ['client_credentials'], scopes: ['profile'] });
    const res = await server.handleTokenRequest(
      tokenPost({ grant_type: 'client_credentials', scope: 'profile' }, { id: client.id, secret: clientSecret }),
    );
    assert.equal(res.status, 200);
    const body = res.body as { access_token: string; refresh_token?: string };
    assert.equal(body.refresh_token, undefined);
    const stored = await stores.tokens.findByHash(hashSecret(body.access_token));
    assert.equal(stored?.userId, null);
    assert.equal(stored?.kind, 'access');
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createOAuthTestApp, type OAuthTestApp } from './fixtures/oauth-app.fixture';
import { tokenRequest } from './fixtures/oauth-flow';

describe('client credentials grant (RFC 6749 §4.4)', () => {
  let t: OAuthTestApp;
  let machine: { id: string; secret: string };

  before(async () => {
    t = await createOAuthTestApp({ options: { defaultScopes: ['profile'] } });
    const c = await t.register({ name: 'Reporting', grantTypes: ['client_credentials'], scopes: ['profile', 'teams:read'] });
    machine = { id: c.client.id, secret: c.clientSecret! };
  });
  after(() => t.close());

  it('issues an access token and no refresh token to a confidential client (RFC 6749 §4.4.3)', async () => {
    const res = await tokenRequest(t, { grant_type: 'client_credentials', scope: 'teams:read' }, machine);
    assert.equal(res.status, 200);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(res.body.token_type, 'Bearer');
    assert.equal(res.body.scope, 'teams:read');
    assert.equal(res.body.refresh_token, undefined);
  });

  it('grants the default scopes the client may have when none are asked for', async () => {
    const res = await tokenRequest(t, { grant_type: 'client_credentials', client_id: machine.id, client_secret: machine.secret });
    assert.equal(res.status, 200);
    assert.equal(res.body.scope, 'profile');
  });

  it("answers invalid_scope for a scope outside the client's (RFC 6749 §5.2)", async () => {
    const res = await tokenRequest(t, { grant_type: 'client_credentials', scope: 'email' }, machine);
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'invalid_scope');
  });

  it('answers invalid_client for a wrong secret', async () => {
    const res = await tokenRequest(t, { grant_type: 'client_credentials' }, { id: machine.id, secret: 'x' });
    assert.equal(res.status, 401);
    assert.equal(res.body.error, 'invalid_client');
  });
});

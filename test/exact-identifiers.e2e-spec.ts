import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ClientStore } from 'nest-oauth2-provider';
import { createOAuthTestApp, type OAuthTestApp } from './fixtures/oauth-app.fixture';
import { basicAuth, tokenRequest, TOKEN_PATH } from './fixtures/oauth-flow';
import request from 'supertest';

/**
 * Identifiers are compared byte for byte on every database (on MySQL/MariaDB through a binary,
 * no-pad collation): a client id in another case or with a trailing space names no client, so it
 * can neither authenticate nor land in a rate-limit bucket of its own for the same client.
 */
describe('exact client identifiers at the token endpoint (RFC 6749 §2.2, §2.3.1)', () => {
  let t: OAuthTestApp;
  let client: { id: string; secret: string };

  before(async () => {
    t = await createOAuthTestApp();
    const c = await t.register({ name: 'Service', grantTypes: ['client_credentials'], scopes: ['profile'] });
    client = { id: c.client.id, secret: c.clientSecret! };
  });
  after(() => t.close());

  const variants = () => [client.id.toUpperCase(), `${client.id} `, `${client.id}  `];

  it('issues a token to the exact client id', async () => {
    const res = await tokenRequest(t, { grant_type: 'client_credentials', scope: 'profile' }, client);
    assert.equal(res.status, 200, res.text);
  });

  it('answers a client id in another case or with a trailing space as an unknown client, with Basic (RFC 6749 §2.3.1)', async () => {
    for (const id of variants()) {
      const res = await request(t.server)
        .post(TOKEN_PATH)
        .type('form')
        .set('Authorization', basicAuth(id, client.secret))
        .send({ grant_type: 'client_credentials', scope: 'profile' });
      assert.equal(res.status, 401, `${JSON.stringify(id)}: ${res.text}`);
      assert.equal(res.body.error, 'invalid_client');
    }
  });

  it('answers a client id in another case or with a trailing space as an unknown client, in the body (RFC 6749 §2.3.1)', async () => {
    for (const id of variants()) {
      const res = await tokenRequest(t, {
        grant_type: 'client_credentials',
        scope: 'profile',
        client_id: id,
        client_secret: client.secret,
      });
      assert.equal(res.status, 401, `${JSON.stringify(id)}: ${res.text}`);
      assert.equal(res.body.error, 'invalid_client');
    }
  });

  it('finds no client for a variant of its id in the store', async () => {
    const clients = t.app.get(ClientStore);
    for (const id of variants()) assert.equal(await clients.findById(id), undefined, JSON.stringify(id));
    assert.equal((await clients.findById(client.id))?.id, client.id);
  });
});

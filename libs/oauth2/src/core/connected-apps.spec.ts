import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConnectedApps } from './connected-apps';
import { resourceFixture } from './resource-server.spec-helper';
import { TokenCache } from './token-cache';

describe('ConnectedApps', () => {
  it('lists approved clients and disconnects one: tokens revoked, cache evicted, consent forgotten', async () => {
    const f = resourceFixture();
    const cache = new TokenCache({ maxEntries: 10, ttl: 30 });
    const apps = new ConnectedApps({ consents: f.consents, clients: f.clients, tokens: f.tokens, cache, clock: f.clock });
    const client = await f.client({ name: 'CustomApp' });
    await f.consents.grant('nate', client.id, ['profile'], f.clock.now());
    const { token } = await f.token({ clientId: client.id, userId: 'nate' });
    cache.set(token.tokenHash, { ...token, tokenId: token.id, audience: null }, token.grantId, f.clock.now(), cache.beginLookup());

    const [listed] = await apps.listForUser('nate');
    assert.deepEqual(listed, {
      clientId: client.id,
      clientName: 'CustomApp',
      scopes: ['profile'],
      firstUsedAt: f.clock.now(),
      lastUsedAt: f.clock.now(),
    });

    assert.equal(await apps.revoke('nate', client.id), true);
    assert.notEqual((await f.tokens.findByHash(token.tokenHash))!.revokedAt, null);
    assert.equal(cache.size, 0);
    assert.deepEqual(await apps.listForUser('nate'), []);
    assert.equal(await apps.revoke('nate', client.id), false);
  });
});

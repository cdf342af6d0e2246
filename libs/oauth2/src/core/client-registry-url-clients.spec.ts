import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClientRegistrationError } from './client-registry';
import { makeCore } from './core-test.spec-helper';

const ID = 'https://agent.example/client.json';

describe('ClientRegistry.saveUrlClient (draft-ietf-oauth-client-id-metadata-document §4.1)', () => {
  it('stores a public client marked url, with its expiry, and replaces it on the next save', async () => {
    const { registry, stores, clock } = makeCore();
    const until = new Date(clock.now().getTime() + 300_000);
    const saved = await registry.saveUrlClient({ id: ID, name: 'Agent', redirectUris: ['http://127.0.0.1/cb'], metadataExpiresAt: until });
    assert.equal(saved.registration, 'url');
    assert.equal(saved.secretHash, null);
    assert.equal(saved.applicationType, 'native');
    assert.deepEqual(saved.grantTypes, ['authorization_code']);
    assert.equal((await stores.clients.findById(ID))?.metadataExpiresAt?.getTime(), until.getTime());

    const created = saved.createdAt;
    clock.advance(600);
    await registry.saveUrlClient({
      id: ID,
      name: 'Agent 2',
      redirectUris: ['http://127.0.0.1/cb'],
      metadataExpiresAt: clock.now(),
      createdAt: created,
    });
    const replaced = await stores.clients.findById(ID);
    assert.equal(replaced?.name, 'Agent 2');
    assert.equal(replaced?.createdAt.getTime(), created.getTime());
    assert.equal((await stores.clients.list()).length, 1);
  });

  it('checks the document by the rules of every client, and stores nothing on a problem', async () => {
    const { registry, stores, clock } = makeCore();
    const error = await registry
      .saveUrlClient({
        id: ID,
        name: 'Agent',
        redirectUris: ['http://agent.example/cb'],
        grantTypes: ['authorization_code', 'client_credentials'],
        applicationType: 'web',
        scopes: ['unknown'],
        metadataExpiresAt: clock.now(),
      })
      .then(
        () => assert.fail('the client was stored'),
        (e: unknown) => e,
      );
    assert.ok(error instanceof ClientRegistrationError);
    assert.ok(error.problems.some((p) => p.includes('http://agent.example/cb')));
    assert.ok(error.problems.some((p) => p.includes('client_credentials')));
    assert.ok(error.problems.some((p) => p.includes('"unknown"')));
    assert.equal((await stores.clients.list()).length, 0);
  });
});

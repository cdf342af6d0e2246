import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClientRegistrationError, MAX_SECRET_OVERLAP } from './client-registry';
import { makeCore, tokenPost } from './core-test.spec-helper';

/** The problems of a refused call; fails when it was accepted. */
async function problemsOf(call: Promise<unknown>): Promise<string[]> {
  const error = await call.then(
    () => assert.fail('the call was accepted'),
    (err: unknown) => err,
  );
  assert.ok(error instanceof ClientRegistrationError, String(error));
  return error.problems;
}

describe('ClientRegistry for a developer portal: owners and descriptions', () => {
  it('keeps the owner and description, and lists only that owner’s clients, oldest first', async () => {
    const { registry, clock } = makeCore();
    const first = await registry.register({
      name: 'Planner',
      redirectUris: ['https://planner.example/cb'],
      ownerId: 'ada',
      description: 'Plans.',
    });
    clock.advance(1);
    const second = await registry.register({ name: 'Notes', redirectUris: ['https://notes.example/cb'], ownerId: 'ada' });
    await registry.register({ name: 'Other', redirectUris: ['https://other.example/cb'], ownerId: 'grace' });
    await registry.register({ name: 'Operator’s', redirectUris: ['https://op.example/cb'] });
    assert.equal(first.client.ownerId, 'ada');
    assert.equal(first.client.description, 'Plans.');
    assert.deepEqual(
      (await registry.listByOwner('ada')).map((c) => c.id),
      [first.client.id, second.client.id],
    );
    assert.deepEqual(await registry.listByOwner('nobody'), []);
  });

  it('records how a client was registered: a developer’s with an owner, the operator’s without, dynamic when asked', async () => {
    const { registry, stores } = makeCore();
    const redirectUris = ['https://planner.example/cb'];
    const owned = await registry.register({ name: 'Planner', redirectUris, ownerId: 'ada' });
    const operators = await registry.register({ name: 'Planner', redirectUris });
    const dynamic = await registry.register({ name: 'Planner', redirectUris, registration: 'dynamic' });
    assert.deepEqual(
      [owned, operators, dynamic].map((r) => r.client.registration),
      ['developer', 'operator', 'dynamic'],
    );
    assert.equal((await stores.clients.findById(dynamic.client.id))?.registration, 'dynamic');
    const before = (await stores.clients.list()).length;
    const mismatch = ["registration: a developer's client needs an owner, and only a developer's client has one"];
    assert.deepEqual(await problemsOf(registry.register({ name: 'X', redirectUris, registration: 'developer' })), mismatch);
    assert.deepEqual(await problemsOf(registry.register({ name: 'X', redirectUris, registration: 'dynamic', ownerId: 'ada' })), mismatch);
    assert.deepEqual(await problemsOf(registry.register({ name: 'X', redirectUris, registration: 'self' as never })), [
      'registration "self" is not one of operator, developer, dynamic, url',
    ]);
    assert.equal((await stores.clients.list()).length, before, 'nothing stored for a refused registration');
  });

  it('answers another owner’s client as an unknown one: no get, update, rotation or delete, and nothing changes', async () => {
    const { registry, stores } = makeCore();
    const { client } = await registry.register({ name: 'Planner', redirectUris: ['https://planner.example/cb'], ownerId: 'ada' });
    const unknown = [`client "${client.id}" does not exist`];
    assert.equal(await registry.get(client.id, { owner: 'grace' }), undefined);
    assert.deepEqual(await problemsOf(registry.update(client.id, { name: 'Taken' }, { owner: 'grace' })), unknown);
    assert.deepEqual(await problemsOf(registry.rotateSecret(client.id, { owner: 'grace' })), unknown);
    assert.deepEqual(await problemsOf(registry.delete(client.id, { owner: 'grace' })), unknown);
    assert.deepEqual(await problemsOf(registry.delete('no-such-client', { owner: 'grace' })), ['client "no-such-client" does not exist']);
    assert.deepEqual(await stores.clients.findById(client.id), client);

    assert.deepEqual(await registry.get(client.id, { owner: 'ada' }), client);
    const renamed = await registry.update(client.id, { name: 'Planner 2', description: 'Plans better.' }, { owner: 'ada' });
    assert.equal(renamed.ownerId, 'ada', 'an update keeps the owner');
    assert.equal(renamed.description, 'Plans better.');
    assert.equal((await registry.update(client.id, { description: null }, { owner: 'ada' })).description, undefined);
    await registry.delete(client.id, { owner: 'ada' });
    assert.equal(await stores.clients.findById(client.id), undefined);
  });

  it('refuses an empty or overlong owner and a description over 1000 characters, storing nothing', async () => {
    const { registry, stores } = makeCore();
    const base = { name: 'App', redirectUris: ['https://app.example/cb'] };
    assert.deepEqual(await problemsOf(registry.register({ ...base, ownerId: '' })), ['owner: must be a user id of 1 to 255 characters']);
    assert.equal((await problemsOf(registry.register({ ...base, ownerId: 'x'.repeat(256) }))).length, 1);
    assert.deepEqual(await problemsOf(registry.register({ ...base, description: 'x'.repeat(1001) })), [
      'description: must be text of at most 1000 characters',
    ]);
    assert.equal((await stores.clients.list()).length, 0);
  });
});

describe('ClientRegistry.rotateSecret with an overlap (RFC 6749 §2.3.1 client authentication)', () => {
  async function setUp() {
    const core = makeCore();
    const { client, clientSecret } = await core.registry.register({ name: 'Job', grantTypes: ['client_credentials'], scopes: ['profile'] });
    const tokenWith = async (secret: string) =>
      (await core.server.handleTokenRequest(tokenPost({ grant_type: 'client_credentials', scope: 'profile' }, { id: client.id, secret })))
        .status;
    return { ...core, client, oldSecret: clientSecret!, tokenWith };
  }

  it('keeps the old secret working beside the new one until the overlap ends, then refuses it with invalid_client', async () => {
    const { registry, clock, client, oldSecret, tokenWith } = await setUp();
    const { clientSecret: newSecret, client: rotated } = await registry.rotateSecret(client.id, { overlap: 3600 });
    assert.equal(rotated.previousSecretExpiresAt?.getTime(), clock.now().getTime() + 3600_000);
    assert.equal(await tokenWith(newSecret!), 200);
    assert.equal(await tokenWith(oldSecret), 200, 'the old secret during the overlap');
    clock.advance(3599);
    assert.equal(await tokenWith(oldSecret), 200);
    clock.advance(1);
    assert.equal(await tokenWith(oldSecret), 401, 'the old secret at the end of the overlap');
    assert.equal(await tokenWith(newSecret!), 200);
  });

  it('without an overlap the old secret stops at once, and a rotation during an overlap keeps only the secret it replaces', async () => {
    const { registry, client, oldSecret, tokenWith } = await setUp();
    const { clientSecret: second } = await registry.rotateSecret(client.id);
    assert.equal(await tokenWith(oldSecret), 401);
    const { clientSecret: third } = await registry.rotateSecret(client.id, { overlap: 600 });
    const { clientSecret: fourth, client: latest } = await registry.rotateSecret(client.id, { overlap: 600 });
    assert.equal(await tokenWith(second!), 401, 'two rotations ago: gone');
    assert.equal(await tokenWith(third!), 200, 'the secret just replaced, in its overlap');
    assert.equal(await tokenWith(fourth!), 200);
    const { client: ended } = await registry.rotateSecret(client.id);
    assert.equal(ended.previousSecretHash, undefined);
    assert.equal(ended.previousSecretExpiresAt, undefined);
    assert.equal(await tokenWith(fourth!), 401);
    assert.notEqual(latest.previousSecretHash, undefined);
  });

  it('refuses an overlap that is negative, fractional or over 30 days, changing nothing', async () => {
    const { registry, client, oldSecret, tokenWith } = await setUp();
    for (const overlap of [-1, 1.5, MAX_SECRET_OVERLAP + 1, Number.NaN]) {
      assert.match((await problemsOf(registry.rotateSecret(client.id, { overlap })))[0]!, /^overlap: /, String(overlap));
    }
    assert.equal(await tokenWith(oldSecret), 200);
  });
});

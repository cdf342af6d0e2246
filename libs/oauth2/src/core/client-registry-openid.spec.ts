import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { InMemoryClientStore } from '../stores/memory/in-memory-client.store';
import { AddressPolicy } from './client-metadata/address-policy';
import { json, makeTestTls, startDocumentServer, type DocumentServer, type TestTls } from './client-metadata/document-server.spec-helper';
import { ClientRegistrationError, ClientRegistry, type ClientRegistryDeps } from './client-registry';
import { ManualClock } from './clock';
import { SECTOR_DOCUMENT_MAX_BYTES } from './openid/sector-identifier';

const REDIRECTS = ['https://customapp.example/cb', 'https://login.customapp.example/cb'];

/** The problems of a refused call; fails when it was accepted. */
async function refusalOf(call: Promise<unknown>): Promise<ClientRegistrationError> {
  const error = await call.then(
    () => assert.fail('the call was accepted'),
    (err: unknown) => err,
  );
  assert.ok(error instanceof ClientRegistrationError, String(error));
  return error;
}

describe('ClientRegistry: OpenID Connect client metadata, however the client arrives', () => {
  let tls: TestTls;
  let server: DocumentServer;

  before(async () => {
    tls = makeTestTls();
    server = await startDocumentServer(tls);
    server.route('/sector.json', json(REDIRECTS));
    server.route('/partial.json', json([REDIRECTS[0]]));
  });
  after(() => server.close());

  function setup(over: Partial<ClientRegistryDeps> = {}) {
    const clients = new InMemoryClientStore();
    const registry = new ClientRegistry({
      clients,
      clock: new ManualClock(new Date('2030-01-01T00:00:00Z')),
      knownScopes: ['openid', 'profile'],
      openid: { idTokenSigningAlgorithms: ['RS256', 'ES256'], subjectTypes: ['public', 'pairwise'] },
      sectorDocuments: {
        addresses: new AddressPolicy(['127.0.0.1/32']),
        timeout: 2000,
        maxBytes: SECTOR_DOCUMENT_MAX_BYTES,
        lookup: async () => [{ address: '127.0.0.1', family: 4 }],
        ca: tls.ca,
      },
      ...over,
    });
    return { clients, registry };
  }

  it('OpenID Connect Registration §2, §5: registers a pairwise client whose sector document lists its redirect URIs', async () => {
    const { registry, clients } = setup();
    const { client } = await registry.register({
      name: 'CustomApp',
      redirectUris: REDIRECTS,
      idTokenSignedResponseAlg: 'ES256',
      subjectType: 'pairwise',
      sectorIdentifierUri: server.url('/sector.json'),
      postLogoutRedirectUris: ['https://customapp.example/bye'],
    });
    assert.deepEqual(
      [client.idTokenSignedResponseAlg, client.subjectType, client.sectorIdentifierUri, client.postLogoutRedirectUris],
      ['ES256', 'pairwise', server.url('/sector.json'), ['https://customapp.example/bye']],
    );
    assert.deepEqual(await clients.findById(client.id), client);
  });

  it('OpenID Connect Registration §5: refuses a sector document missing a redirect URI, as client metadata, storing nothing', async () => {
    const { registry, clients } = setup();
    const error = await refusalOf(
      registry.register({
        name: 'CustomApp',
        redirectUris: REDIRECTS,
        subjectType: 'pairwise',
        sectorIdentifierUri: server.url('/partial.json'),
      }),
    );
    assert.match(error.problems[0], /does not list the redirect URI "https:\/\/login\.customapp\.example\/cb"/);
    assert.deepEqual(error.redirectUriProblems, [], 'not an invalid_redirect_uri (RFC 7591 §3.2.2)');
    assert.deepEqual(await clients.list(), []);
  });

  it('fetches no sector document for a registration refused for another reason', async () => {
    const { registry } = setup();
    const before = server.hits.get('/sector.json') ?? 0;
    await refusalOf(
      registry.register({ name: '', redirectUris: REDIRECTS, subjectType: 'pairwise', sectorIdentifierUri: server.url('/sector.json') }),
    );
    assert.equal(server.hits.get('/sector.json') ?? 0, before);
  });

  it('OpenID Connect Registration §5: fetches the sector document again on update only when the sector or the redirect URIs change', async () => {
    const { registry } = setup();
    const sector = server.url('/sector.json');
    const { client } = await registry.register({
      name: 'CustomApp',
      redirectUris: REDIRECTS,
      subjectType: 'pairwise',
      sectorIdentifierUri: sector,
    });
    const fetched = () => server.hits.get('/sector.json') ?? 0;
    const afterRegistration = fetched();
    await registry.update(client.id, { name: 'CustomApp 2' });
    assert.equal(fetched(), afterRegistration, 'a rename needs no fetch');
    const error = await refusalOf(registry.update(client.id, { redirectUris: [...REDIRECTS, 'https://third.customapp.example/cb'] }));
    assert.match(error.problems[0], /does not list the redirect URI "https:\/\/third\.customapp\.example\/cb"/);
    assert.equal(fetched(), afterRegistration + 1);
  });

  it('RP-Initiated Logout §3.1: an update replaces or clears the OpenID Connect metadata, under the same rules', async () => {
    const { registry, clients } = setup();
    const { client } = await registry.register({
      name: 'CustomApp',
      redirectUris: [REDIRECTS[0]],
      postLogoutRedirectUris: ['https://customapp.example/bye'],
      idTokenSignedResponseAlg: 'ES256',
    });
    const error = await refusalOf(registry.update(client.id, { postLogoutRedirectUris: ['http://customapp.example/bye'] }));
    assert.match(error.problems[0], /^post-logout redirect URI "http:\/\/customapp\.example\/bye" must use https/);
    assert.deepEqual(error.redirectUriProblems, []);
    const cleared = await registry.update(client.id, { postLogoutRedirectUris: null, idTokenSignedResponseAlg: null });
    assert.equal(cleared.postLogoutRedirectUris, undefined);
    assert.equal(cleared.idTokenSignedResponseAlg, undefined);
    assert.deepEqual(await clients.findById(client.id), cleared);
  });

  it('refuses OpenID Connect metadata when the server has OpenID Connect off, storing nothing', async () => {
    const { registry, clients } = setup({ openid: undefined });
    const error = await refusalOf(
      registry.register({ name: 'CustomApp', redirectUris: [REDIRECTS[0]], idTokenSignedResponseAlg: 'RS256' }),
    );
    assert.deepEqual(error.problems, ['id_token_signed_response_alg: OpenID Connect is not enabled on this server']);
    assert.deepEqual(await clients.list(), []);
    const plain = await registry.register({ name: 'CustomApp', redirectUris: [REDIRECTS[0]] });
    assert.equal(plain.client.subjectType, undefined);
  });

  it('OpenID Connect Core §8, §12.2: the subject type and a pairwise sector cannot change after registration, so no client sees another sub', async () => {
    const { registry, clients } = setup();
    const { client: pairwise } = await registry.register({ name: 'Pairwise', redirectUris: [REDIRECTS[0]], subjectType: 'pairwise' });
    const toPublic = await refusalOf(registry.update(pairwise.id, { subjectType: null }));
    assert.match(toPublic.problems.join('\n'), /subject_type cannot change after registration \(it is pairwise\)/);
    // Re-pointed at another host, it would see the sub that host's clients see.
    const moved = await refusalOf(registry.update(pairwise.id, { redirectUris: ['https://victim.example/cb'] }));
    assert.match(moved.problems.join('\n'), /pairwise client's sector .* cannot change after registration: it is customapp\.example/);
    assert.deepEqual(await clients.findById(pairwise.id), pairwise, 'nothing stored');
    const samehost = await registry.update(pairwise.id, { redirectUris: ['https://customapp.example/other'] });
    assert.deepEqual(samehost.redirectUris, ['https://customapp.example/other'], 'the same sector may keep other paths');

    const { client: plain } = await registry.register({ name: 'Public', redirectUris: [REDIRECTS[0]] });
    const toPairwise = await refusalOf(registry.update(plain.id, { subjectType: 'pairwise' }));
    assert.match(toPairwise.problems.join('\n'), /subject_type cannot change after registration \(it is public\)/);
    assert.deepEqual((await registry.update(plain.id, { redirectUris: ['https://elsewhere.example/cb'] })).redirectUris, [
      'https://elsewhere.example/cb',
    ]);
  });
});

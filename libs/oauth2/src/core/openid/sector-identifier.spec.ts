import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AddressPolicy } from '../client-metadata/address-policy';
import type { DocumentFetchSettings, HostLookup } from '../client-metadata/document-fetcher';
import { json, makeTestTls, startDocumentServer, type DocumentServer, type TestTls } from '../client-metadata/document-server.spec-helper';
import { redirectUriSectors, SECTOR_DOCUMENT_MAX_BYTES, sectorDocumentFetchSettings, sectorDocumentProblem } from './sector-identifier';

const REDIRECTS = ['https://customapp.example/cb', 'https://login.customapp.example/cb'];

describe('sector identifier documents (OpenID Connect Registration §5, Core §8.1)', () => {
  let tls: TestTls;
  let server: DocumentServer;
  const toLoopback: HostLookup = async () => [{ address: '127.0.0.1', family: 4 }];
  const settings = (over: Partial<DocumentFetchSettings> = {}): DocumentFetchSettings => ({
    addresses: new AddressPolicy(['127.0.0.1/32']),
    timeout: 2000,
    maxBytes: SECTOR_DOCUMENT_MAX_BYTES,
    lookup: toLoopback,
    ca: tls.ca,
    ...over,
  });

  before(async () => {
    tls = makeTestTls();
    server = await startDocumentServer(tls);
    server.route('/sector.json', json([...REDIRECTS, 'https://other.customapp.example/cb']));
    server.route('/partial.json', json([REDIRECTS[0]]));
    server.route('/object.json', json({ redirect_uris: REDIRECTS }));
    server.route('/numbers.json', json([1, 2]));
    server.route('/broken.json', (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('["https://'));
  });
  after(() => server.close());

  it('Registration §5: accepts a JSON array listing every redirect URI of the client, and more', async () => {
    assert.equal(await sectorDocumentProblem(server.url('/sector.json'), REDIRECTS, settings()), undefined);
  });

  it('Registration §5: refuses a document missing a redirect URI, naming it', async () => {
    const problem = await sectorDocumentProblem(server.url('/partial.json'), REDIRECTS, settings());
    assert.match(problem!, /does not list the redirect URI "https:\/\/login\.customapp\.example\/cb"/);
  });

  it('Registration §5: refuses a document that is not a JSON array of strings, or not JSON at all', async () => {
    for (const path of ['/object.json', '/numbers.json']) {
      assert.match(
        (await sectorDocumentProblem(server.url(path), REDIRECTS, settings()))!,
        /must return a JSON array of redirect URIs/,
        path,
      );
    }
    assert.match(
      (await sectorDocumentProblem(server.url('/broken.json'), REDIRECTS, settings()))!,
      /could not be fetched: the document is not valid JSON/,
    );
  });

  it('fetches under the request-forgery rules of Client ID Metadata Documents: a private address is never connected to', async () => {
    const before = server.connections;
    const problem = await sectorDocumentProblem(server.url('/sector.json'), REDIRECTS, settings({ addresses: new AddressPolicy([]) }));
    assert.match(problem!, /could not be fetched: .*resolves to 127\.0\.0\.1, a private or reserved address/);
    assert.equal(server.connections, before);
    const unanswered = await sectorDocumentProblem(server.url('/missing.json'), REDIRECTS, settings());
    assert.match(unanswered!, /could not be fetched: the document's URL answered HTTP 404/);
  });

  it('takes the address allow-list, resolver, CAs and timeout of Client ID Metadata Documents, or safe defaults', () => {
    const defaults = sectorDocumentFetchSettings(undefined);
    assert.equal(defaults.addresses.isAllowed('127.0.0.1'), false);
    assert.equal(defaults.addresses.isAllowed('93.184.215.14'), true);
    assert.equal(defaults.lookup, undefined);
    const configured = sectorDocumentFetchSettings({
      allowedAddresses: ['10.1.0.0/16'],
      timeout: 1234,
      lookup: toLoopback,
      ca: 'PEM',
    } as never);
    assert.equal(configured.addresses.isAllowed('10.1.2.3'), true);
    assert.deepEqual(
      [configured.timeout, configured.lookup, configured.ca, configured.maxBytes],
      [1234, toLoopback, 'PEM', SECTOR_DOCUMENT_MAX_BYTES],
    );
  });

  it('Core §8.1: counts the sectors of redirect URIs as subjects are computed (host and port; a private-use scheme by its scheme)', () => {
    assert.deepEqual(redirectUriSectors(['https://a.example/x', 'https://a.example/y']), ['a.example']);
    assert.deepEqual(redirectUriSectors(['https://a.example/x', 'https://a.example:8443/x']), ['a.example', 'a.example:8443']);
    assert.deepEqual(redirectUriSectors(['com.example.app:/cb']), ['com.example.app']);
  });
});

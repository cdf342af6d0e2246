import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AddressPolicy } from './address-policy';
import { ClientMetadataDocumentError, fetchClientMetadataDocument, type DocumentFetchSettings, type HostLookup } from './document-fetcher';
import { DOCUMENT_HOST, json, makeTestTls, startDocumentServer, type DocumentServer, type TestTls } from './document-server.spec-helper';

describe('fetchClientMetadataDocument (draft-ietf-oauth-client-id-metadata-document §4.1, §6)', () => {
  let tls: TestTls;
  let server: DocumentServer;
  const toLoopback: HostLookup = async () => [{ address: '127.0.0.1', family: 4 }];
  const settings = (over: Partial<DocumentFetchSettings> = {}): DocumentFetchSettings => ({
    addresses: new AddressPolicy(['127.0.0.1/32']),
    timeout: 2000,
    maxBytes: 5120,
    lookup: toLoopback,
    ca: tls.ca,
    ...over,
  });
  const refusal = async (url: string, over: Partial<DocumentFetchSettings> = {}): Promise<string> => {
    const error = await fetchClientMetadataDocument(new URL(url), settings(over)).then(
      () => assert.fail('the fetch succeeded'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof ClientMetadataDocumentError, String(error));
    return error.message;
  };

  before(async () => {
    tls = makeTestTls();
    server = await startDocumentServer(tls);
    server.route('/client.json', json({ client_id: 'x' }, { 'cache-control': 'max-age=900' }));
  });
  after(() => server.close());

  it('fetches a JSON object over https from the address the host name resolved to', async () => {
    const fetched = await fetchClientMetadataDocument(new URL(server.url('/client.json')), settings());
    assert.deepEqual(fetched.body, { client_id: 'x' });
    assert.equal(fetched.cacheControl, 'max-age=900');
    assert.equal(fetched.address, '127.0.0.1');
  });

  it('verifies the certificate for the host name (an untrusted CA is refused)', async () => {
    const other = makeTestTls();
    assert.match(await refusal(server.url('/client.json'), { ca: other.ca }), /request failed/);
  });

  it('§6: refuses a host name resolving to a private address, without connecting', async () => {
    const before = server.connections;
    assert.match(
      await refusal(server.url('/client.json'), { addresses: new AddressPolicy() }),
      /127\.0\.0\.1, a private or reserved address/,
    );
    const metadata: HostLookup = async () => [{ address: '169.254.169.254', family: 4 }];
    assert.match(await refusal(server.url('/client.json'), { lookup: metadata }), /169\.254\.169\.254/);
    assert.equal(server.connections, before);
  });

  it('§6: refuses a host name with any refused address among its answers', async () => {
    const mixed: HostLookup = async () => [
      { address: '127.0.0.1', family: 4 },
      { address: '10.0.0.7', family: 4 },
    ];
    assert.match(await refusal(server.url('/client.json'), { lookup: mixed }), /10\.0\.0\.7/);
  });

  it('§6: refuses an IP-literal URL in a refused range, admits it when allowed', async () => {
    const literal = `https://127.0.0.1:${server.port}/client.json`;
    assert.match(await refusal(literal, { addresses: new AddressPolicy() }), /private or reserved/);
    const fetched = await fetchClientMetadataDocument(new URL(literal), settings());
    assert.deepEqual(fetched.body, { client_id: 'x' });
  });

  it('§6 DNS rebinding: resolves once and connects to the address it checked, whatever a second answer would be', async () => {
    const answers = ['127.0.0.1', '10.0.0.1'];
    let lookups = 0;
    const rebinding: HostLookup = async (hostname) => {
      assert.equal(hostname, DOCUMENT_HOST);
      return [{ address: answers[Math.min(lookups++, 1)], family: 4 }];
    };
    const fetched = await fetchClientMetadataDocument(new URL(server.url('/client.json')), settings({ lookup: rebinding }));
    assert.equal(fetched.address, '127.0.0.1');
    assert.equal(lookups, 1, 'the host name was resolved exactly once');
    // The next fetch resolves again, gets the private address, and is refused before connecting.
    assert.match(await refusal(server.url('/client.json'), { lookup: rebinding }), /10\.0\.0\.1/);
  });

  it('refuses plain http', async () => {
    assert.match(await refusal(`http://${DOCUMENT_HOST}/client.json`), /https/);
  });

  it('does not follow redirects: a 3xx is a failure and its target is never asked', async () => {
    server.route('/moved.json', (_req, res) => res.writeHead(302, { location: server.url('/client-target.json') }).end());
    server.route('/client-target.json', json({ client_id: 'elsewhere' }));
    assert.match(await refusal(server.url('/moved.json')), /redirect \(302\).*not followed/);
    assert.equal(server.hits.get('/client-target.json'), undefined);
  });

  it('refuses an answer other than 200', async () => {
    assert.match(await refusal(server.url('/missing.json')), /HTTP 404/);
  });

  it('refuses a document larger than maxBytes, announced or streamed', async () => {
    const big = JSON.stringify({ client_id: 'x', padding: 'a'.repeat(6000) });
    server.route('/announced.json', (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': big.length }).end(big),
    );
    server.route('/streamed.json', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      for (let i = 0; i < 60; i++) res.write('a'.repeat(100));
      res.end();
    });
    assert.match(await refusal(server.url('/announced.json')), /larger than 5120 bytes/);
    assert.match(await refusal(server.url('/streamed.json')), /larger than 5120 bytes/);
  });

  it('gives up after the timeout, whether the answer or its body is slow', async () => {
    server.route('/silent.json', () => undefined);
    server.route('/trickle.json', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"client_id":');
    });
    const started = Date.now();
    assert.match(await refusal(server.url('/silent.json'), { timeout: 300 }), /no answer within 300 ms/);
    assert.match(await refusal(server.url('/trickle.json'), { timeout: 300 }), /within 300 ms|not received completely/);
    assert.ok(Date.now() - started < 3000);
  });

  it('gives up after the timeout when the resolver hangs', async () => {
    const hanging: HostLookup = () => new Promise(() => undefined);
    assert.match(await refusal(server.url('/client.json'), { lookup: hanging, timeout: 200 }), /no answer within 200 ms/);
  });

  it('requires a JSON media type and a JSON object', async () => {
    server.route('/html.json', (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('{"client_id":"x"}'));
    server.route('/broken.json', (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"client_id":'));
    server.route('/list.json', json([1, 2]));
    assert.match(await refusal(server.url('/html.json')), /application\/json \(got text\/html\)/);
    assert.match(await refusal(server.url('/broken.json')), /not valid JSON/);
    assert.match(await refusal(server.url('/list.json')), /not a JSON object/);
  });
});

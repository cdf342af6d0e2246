import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import * as oauth from 'oauth4webapi';
import request from 'supertest';
import type { HostLookup, OAuthClientIdMetadataDocumentsOptions } from 'nest-oauth2-provider';
import { createOAuthTestApp, type OAuthTestApp } from './fixtures/oauth-app.fixture';
import { authorize, decide, pkcePair, redirectParams, TOKEN_PATH, tokenRequest } from './fixtures/oauth-flow';
import {
  DOCUMENT_HOST,
  json,
  makeTestTls,
  startDocumentServer,
  type DocumentServer,
  type TestTls,
} from '../libs/oauth2/src/core/client-metadata/document-server.spec-helper';

// Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document), as the MCP
// authorization specification uses them: the client_id is the https URL of the client's metadata,
// which the server fetches from a document server this test runs on 127.0.0.1 with its own CA.
// A stubbed resolver answers `client.test` with 127.0.0.1 and `private.test` with 10.0.0.5; the
// allow-list admits 127.0.0.1 only.

const LOOPBACK_REDIRECT = 'http://127.0.0.1/callback';
const WEB_REDIRECT = 'https://agent.example/callback';

describe('Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document)', () => {
  let tls: TestTls;
  let docs: DocumentServer;
  let t: OAuthTestApp;
  const lookups: string[] = [];
  const lookup: HostLookup = async (hostname) => {
    lookups.push(hostname);
    if (hostname === DOCUMENT_HOST) return [{ address: '127.0.0.1', family: 4 }];
    if (hostname === 'private.test') return [{ address: '10.0.0.5', family: 4 }];
    throw Object.assign(new Error(`no such host ${hostname}`), { code: 'ENOTFOUND' });
  };
  const settings = (over: Partial<OAuthClientIdMetadataDocumentsOptions> = {}): OAuthClientIdMetadataDocumentsOptions => ({
    enabled: true,
    allowedAddresses: ['127.0.0.1/32'],
    lookup,
    ca: tls.ca,
    timeout: 500,
    ...over,
  });

  /** A valid document for the client at `path`, with `over` merged in. */
  const document = (path: string, over: Record<string, unknown> = {}) => ({
    client_id: docs.url(path),
    client_name: 'Desk Agent',
    redirect_uris: [LOOPBACK_REDIRECT],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
    scope: 'profile offline_access',
    ...over,
  });
  /** Serves a valid document at `path` and answers its client id. */
  const serve = (path: string, over: Record<string, unknown> = {}, headers: Record<string, string> = {}): string => {
    docs.route(path, json(document(path, over), headers));
    return docs.url(path);
  };
  const query = (clientId: string, redirectUri = 'http://127.0.0.1:49152/callback') => ({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    scope: 'profile offline_access',
    state: 'xyz',
    code_challenge: pkcePair().challenge,
    code_challenge_method: 'S256',
  });
  /** The authorization endpoint's answer for `clientId`: must be an error page, never a redirect. */
  const errorPage = async (clientId: string, redirectUri?: string) => {
    const res = await authorize(t, query(clientId, redirectUri), 'alice');
    assert.equal(res.status, 400, res.text);
    assert.equal(res.headers.location, undefined, 'an unusable document is never redirected to');
    return res.text.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
  };

  before(async () => {
    tls = makeTestTls();
    docs = await startDocumentServer(tls);
    t = await createOAuthTestApp({ options: { clientIdMetadataDocuments: settings() } });
  });
  after(async () => {
    await t?.close();
    await docs?.close();
  });

  it('advertises client_id_metadata_document_supported in the server metadata (RFC 8414, §5 of the draft)', async () => {
    const res = await request(t.server).get('/.well-known/oauth-authorization-server');
    assert.equal(res.body.client_id_metadata_document_supported, true);
  });

  it('a complete authorization code flow with PKCE and a refresh, the client known only by its URL (oauth4webapi as the client)', async () => {
    const clientId = serve('/flow/client.json', {}, { 'cache-control': 'max-age=3600' });
    const verifier = oauth.generateRandomCodeVerifier();
    const redirectUri = 'http://127.0.0.1:51004/callback';
    const page = await authorize(
      t,
      { ...query(clientId, redirectUri), code_challenge: await oauth.calculatePKCECodeChallenge(verifier) },
      'alice',
    );
    assert.equal(page.status, 200, page.text);
    assert.match(page.text, new RegExp(`Identified by its web address: <strong>${DOCUMENT_HOST}:${docs.port}</strong>`));
    assert.match(page.text, /known only by its web address/);
    assert.match(page.text, /Only continue if you just started this yourself/, 'every redirect URI is loopback: the page warns');
    const allowed = await decide(t, page, 'alice', 'allow');
    const location = new URL(allowed.headers.location);
    assert.equal(location.origin + location.pathname, 'http://127.0.0.1:51004/callback');

    const stored = await t.registry.get(clientId);
    assert.equal(stored?.registration, 'url');
    assert.equal(stored?.secretHash, null);
    assert.equal(stored?.applicationType, 'native', 'loopback redirect URIs only: a native app (RFC 8252)');
    assert.equal(stored?.name, 'Desk Agent');

    const server = t.app.getHttpServer();
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const as: oauth.AuthorizationServer = {
      issuer: 'http://127.0.0.1',
      token_endpoint: `${base}${TOKEN_PATH}`,
      authorization_response_iss_parameter_supported: true,
    };
    const client: oauth.Client = { client_id: clientId };
    const insecure = { [oauth.allowInsecureRequests]: true };
    const callback = oauth.validateAuthResponse(as, client, location, 'xyz');
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      client,
      await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), callback, redirectUri, verifier, insecure),
    );
    assert.equal(tokens.scope, 'profile offline_access');
    assert.ok(tokens.refresh_token);
    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, oauth.None(), tokens.refresh_token, insecure),
    );
    assert.ok(refreshed.access_token);
    assert.notEqual(refreshed.refresh_token, tokens.refresh_token);
    assert.equal(docs.hits.get('/flow/client.json'), 1, 'the cached copy served every later lookup');
  });

  it('shows the host without the loopback warning for a web client', async () => {
    const clientId = serve('/web/client.json', { redirect_uris: [WEB_REDIRECT] });
    const page = await authorize(t, query(clientId, WEB_REDIRECT), 'alice');
    assert.equal(page.status, 200, page.text);
    assert.match(page.text, new RegExp(`<strong>${DOCUMENT_HOST}:${docs.port}</strong>`));
    assert.doesNotMatch(page.text, /Only continue if you just started this yourself/);
    assert.equal((await t.registry.get(clientId))?.applicationType, 'web');
  });

  it('§4.1: refuses a document whose client_id is not exactly its URL, on a page', async () => {
    docs.route('/mismatch/client.json', json(document('/mismatch/client.json', { client_id: docs.url('/mismatch/client.json') + '?x' })));
    const text = await errorPage(docs.url('/mismatch/client.json'));
    assert.match(text, /client_id must equal its URL exactly/);
    assert.equal(await t.registry.get(docs.url('/mismatch/client.json')), undefined, 'nothing is stored');
  });

  it('§4.1: refuses a redirect_uri the document does not list (any port only on loopback)', async () => {
    const clientId = serve('/listed/client.json');
    assert.match(await errorPage(clientId, 'http://127.0.0.2:8080/callback'), /redirect_uri is not registered/);
    assert.match(await errorPage(clientId, 'http://127.0.0.1:8080/elsewhere'), /redirect_uri is not registered/);
  });

  it('§4.1: refuses a document that declares a shared secret, or carries one', async () => {
    const basic = serve('/secret/basic.json', { token_endpoint_auth_method: 'client_secret_basic' });
    assert.match(await errorPage(basic), /cannot use a shared secret \(token_endpoint_auth_method "client_secret_basic"\)/);
    const carried = serve('/secret/carried.json', { client_secret: 'hunter2' });
    assert.match(await errorPage(carried), /must not contain a client_secret/);
    const jwt = serve('/secret/jwt.json', { token_endpoint_auth_method: 'private_key_jwt' });
    assert.match(await errorPage(jwt), /token_endpoint_auth_method must be "none"/);
  });

  it('checks the document with the registration rules of every client (ClientRegistry)', async () => {
    const clientId = serve('/rules/client.json', {
      redirect_uris: ['http://agent.example/callback'],
      logo_uri: 'http://agent.example/logo.png',
    });
    const text = await errorPage(clientId);
    assert.match(text, /not a valid client registration/);
    assert.match(text, /http:\/\/agent\.example\/callback/);
    assert.match(text, /logo URI .* must be an https URL/);
  });

  it('§6: refuses an oversize document, a slow one, a redirect and a document that is not JSON', async () => {
    docs.route('/hostile/big.json', json(document('/hostile/big.json', { client_name: 'x'.repeat(6000) })));
    assert.match(await errorPage(docs.url('/hostile/big.json')), /larger than 5120 bytes/);
    docs.route('/hostile/slow.json', () => undefined);
    assert.match(await errorPage(docs.url('/hostile/slow.json')), /no answer within 500 ms/);
    docs.route('/hostile/moved.json', (_req, res) => res.writeHead(301, { location: docs.url('/flow/client.json') }).end());
    assert.match(await errorPage(docs.url('/hostile/moved.json')), /redirects are not followed/);
    docs.route('/hostile/page.json', (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html></html>'));
    assert.match(await errorPage(docs.url('/hostile/page.json')), /must be served as application\/json/);
  });

  it('§6: refuses a host name that resolves to a private address, without connecting', async () => {
    const before = docs.connections;
    assert.match(await errorPage('https://private.test/client.json'), /resolves to 10\.0\.0\.5, a private or reserved address/);
    assert.equal(docs.connections, before);
  });

  it('§3: refuses a client id URL without a path, or not in its normalized form', async () => {
    assert.match(await errorPage(`https://${DOCUMENT_HOST}:${docs.port}/`), /must have a path/);
    assert.match(await errorPage(`https://${DOCUMENT_HOST}:${docs.port}/a/../client.json`), /normalized form/);
  });

  it('the token endpoint answers invalid_client (401) for a client id whose document cannot be used', async () => {
    docs.route('/token/mismatch.json', json(document('/token/mismatch.json', { client_id: 'https://other.example/client.json' })));
    const res = await tokenRequest(t, { grant_type: 'authorization_code', code: 'x', client_id: docs.url('/token/mismatch.json') });
    assert.equal(res.status, 401);
    assert.equal(res.body.error, 'invalid_client');
    assert.match(res.body.error_description, /metadata document cannot be used: .*client_id must equal its URL/);
  });

  it('§4.3: uses the stored copy until Cache-Control says, then fetches again', async () => {
    const clientId = serve('/cache/client.json', {}, { 'cache-control': 'public, max-age=600' });
    const path = '/cache/client.json';
    assert.equal((await authorize(t, query(clientId), 'alice')).status, 200);
    assert.equal((await authorize(t, query(clientId), 'alice')).status, 200);
    assert.equal(docs.hits.get(path), 1, 'the second request within the lifetime did not fetch');
    const stored = await t.registry.get(clientId);
    assert.equal(stored?.metadataExpiresAt?.getTime(), t.clock.now().getTime() + 600_000);
    t.clock.advance(601);
    docs.route(path, json(document(path, { client_name: 'Desk Agent 2' }), { 'cache-control': 'max-age=600' }));
    assert.equal((await authorize(t, query(clientId), 'alice')).status, 200);
    assert.equal(docs.hits.get(path), 2, 'fetched again after expiry');
    assert.equal((await t.registry.get(clientId))?.name, 'Desk Agent 2', 'the new document replaced the stored copy');
  });

  it('§4.3: keeps a document at least 5 minutes and at most 24 hours, whatever Cache-Control says', async () => {
    const short = serve('/bounds/short.json', {}, { 'cache-control': 'max-age=10' });
    const long = serve('/bounds/long.json', {}, { 'cache-control': 'max-age=31536000' });
    const none = serve('/bounds/none.json', {}, { 'cache-control': 'no-store' });
    const now = t.clock.now().getTime();
    for (const id of [short, long, none]) assert.equal((await authorize(t, query(id), 'alice')).status, 200);
    assert.equal((await t.registry.get(short))?.metadataExpiresAt?.getTime(), now + 300_000);
    assert.equal((await t.registry.get(none))?.metadataExpiresAt?.getTime(), now + 300_000);
    assert.equal((await t.registry.get(long))?.metadataExpiresAt?.getTime(), now + 86_400_000);
  });

  it('fetches once for concurrent first requests (one fetch per URL in flight)', async () => {
    const path = '/stampede/client.json';
    docs.route(path, (req, res) => setTimeout(() => json(document(path))(req, res), 100));
    const answers = await Promise.all(Array.from({ length: 5 }, () => authorize(t, query(docs.url(path)), 'alice')));
    assert.deepEqual(
      answers.map((a) => a.status),
      [200, 200, 200, 200, 200],
    );
    assert.equal(docs.hits.get(path), 1);
  });

  it('never serves an expired copy when the document can no longer be fetched', async () => {
    const path = '/withdrawn/client.json';
    const clientId = serve(path);
    assert.equal((await authorize(t, query(clientId), 'alice')).status, 200);
    t.clock.advance(301);
    docs.route(path, (_req, res) => res.writeHead(404).end());
    assert.match(await errorPage(clientId), /answered HTTP 404/);
    const res = await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: 'x', client_id: clientId });
    assert.equal(res.status, 401);
    assert.equal(res.body.error, 'invalid_client');
  });

  it('§6: refuses a URL whose document failed for 30 s without fetching it again, then fetches it anew', async () => {
    const path = '/failing/client.json';
    docs.route(path, (_req, res) => res.writeHead(503).end());
    const clientId = docs.url(path);
    assert.match(await errorPage(clientId), /answered HTTP 503/);
    assert.match(await errorPage(clientId), /answered HTTP 503/);
    const res = await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: 'x', client_id: clientId });
    assert.equal(res.body.error, 'invalid_client');
    assert.equal(docs.hits.get(path), 1, 'the later requests fetched nothing');
    serve(path);
    t.clock.advance(31);
    assert.equal((await authorize(t, query(clientId), 'alice')).status, 200);
    assert.equal(docs.hits.get(path), 2);
  });

  it('fetches nothing for a client an operator registered under a URL id', async () => {
    const id = `https://${DOCUMENT_HOST}:${docs.port}/operator/client.json`;
    await t.register({ id, name: 'Seeded', redirectUris: [WEB_REDIRECT], public: true });
    assert.equal((await authorize(t, query(id, WEB_REDIRECT), 'alice')).status, 200);
    assert.equal(docs.hits.get('/operator/client.json'), undefined);
  });
});

describe('Client ID Metadata Documents: settings and trust policy', () => {
  let tls: TestTls;
  let docs: DocumentServer;
  const apps: OAuthTestApp[] = [];
  const lookup: HostLookup = async () => [{ address: '127.0.0.1', family: 4 }];
  const doc = (path: string) =>
    json({ client_id: docs.url(path), redirect_uris: [LOOPBACK_REDIRECT], token_endpoint_auth_method: 'none' }, {});
  const authorizeQuery = (clientId: string) => ({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: LOOPBACK_REDIRECT,
    scope: 'profile',
    code_challenge: pkcePair().challenge,
    code_challenge_method: 'S256',
  });
  const app = async (documents?: OAuthClientIdMetadataDocumentsOptions, extra: Record<string, unknown> = {}) => {
    const created = await createOAuthTestApp({ options: { ...extra, ...(documents ? { clientIdMetadataDocuments: documents } : {}) } });
    apps.push(created);
    return created;
  };

  before(async () => {
    tls = makeTestTls();
    docs = await startDocumentServer(tls);
  });
  after(async () => {
    for (const a of apps) await a.close();
    await docs?.close();
  });

  it('is off by default: a URL client id is an unknown client and nothing is fetched', async () => {
    const t = await app();
    docs.route('/off/client.json', doc('/off/client.json'));
    const res = await authorize(t, authorizeQuery(docs.url('/off/client.json')), 'alice');
    assert.equal(res.status, 400);
    assert.match(res.text, /not registered on this server/);
    assert.equal(docs.hits.get('/off/client.json'), undefined);
    const metadata = await request(t.server).get('/.well-known/oauth-authorization-server');
    assert.equal(metadata.body.client_id_metadata_document_supported, undefined);
  });

  it('§6: refuses loopback when the allow-list does not admit it, without connecting', async () => {
    const t = await app({ enabled: true, lookup, ca: tls.ca });
    docs.route('/loopback/client.json', doc('/loopback/client.json'));
    const before = docs.connections;
    const res = await authorize(t, authorizeQuery(docs.url('/loopback/client.json')), 'alice');
    assert.equal(res.status, 400);
    assert.match(res.text, /resolves to 127\.0\.0\.1, a private or reserved address/);
    assert.equal(docs.connections, before);
  });

  it('§6 DNS rebinding: the fetch resolves once and connects to the checked address; a later private answer is refused', async () => {
    const answers: string[] = [];
    const rebinding: HostLookup = async () => {
      const address = answers.length === 0 ? '127.0.0.1' : '10.0.0.9';
      answers.push(address);
      return [{ address, family: 4 }];
    };
    const t = await app({ enabled: true, lookup: rebinding, ca: tls.ca, allowedAddresses: ['127.0.0.1/32'] });
    docs.route('/rebind/client.json', doc('/rebind/client.json'));
    const connections = docs.connections;
    const first = await authorize(t, authorizeQuery(docs.url('/rebind/client.json')), 'alice');
    assert.equal(first.status, 200, first.text);
    assert.deepEqual(answers, ['127.0.0.1'], 'one resolution for the fetch, none by the connection itself');
    assert.equal(docs.connections, connections + 1, 'the one connection reached the checked address');
    t.clock.advance(301);
    const second = await authorize(t, authorizeQuery(docs.url('/rebind/client.json')), 'alice');
    assert.equal(second.status, 400);
    assert.match(second.text, /resolves to 10\.0\.0\.9, a private or reserved address/);
    assert.equal(docs.connections, connections + 1, 'no connection after the private answer');
  });

  it('the trust policy refuses a URL before anything is fetched, and sets the scopes and default resource of those it admits', async () => {
    const MCP = 'https://mcp.example/mcp';
    const API = 'https://api.example/';
    const t = await app(
      {
        enabled: true,
        lookup,
        ca: tls.ca,
        allowedAddresses: ['127.0.0.1/32'],
        allowClientIdUrl: (url) =>
          url.pathname.startsWith('/trusted/') ? { scopes: ['profile', 'teams:read'], defaultResource: MCP } : false,
      },
      { resources: { [MCP]: { scopes: ['teams:read'] }, [API]: { scopes: ['email'] } }, defaultResource: API },
    );
    docs.route('/refused/client.json', doc('/refused/client.json'));
    const refused = await authorize(t, authorizeQuery(docs.url('/refused/client.json')), 'alice');
    assert.equal(refused.status, 400);
    assert.match(refused.text, /does not accept clients from/);
    assert.equal(docs.hits.get('/refused/client.json'), undefined);

    docs.route('/trusted/client.json', doc('/trusted/client.json'));
    const query = { ...authorizeQuery(docs.url('/trusted/client.json')), scope: 'profile teams:read' };
    const page = await authorize(t, query, 'alice');
    assert.equal(page.status, 200, page.headers.location);
    const stored = await t.registry.get(docs.url('/trusted/client.json'));
    assert.equal(stored?.defaultResource, MCP);
    assert.deepEqual(stored?.scopes, ['profile', 'teams:read']);
    // The request names no resource: it gets the MCP server, whose scope it may then ask for.
    assert.match(page.text, /At: <strong>https:\/\/mcp\.example\/mcp<\/strong>/);
    assert.match(page.text, /<code>teams:read<\/code>/);
    const code = redirectParams(await decide(t, page, 'alice', 'allow')).get('code');
    assert.ok(code);
  });

  it('refuses invalid settings at start-up, listing each problem', async () => {
    // In memory: an app that refuses to start at compile time has no database to leave open.
    const refused = createOAuthTestApp({
      storage: 'memory',
      options: {
        clientIdMetadataDocuments: { enabled: true, allowedAddresses: ['intranet'], minCacheTtl: 100_000, timeout: 0, scopes: ['nope'] },
      },
    });
    await assert.rejects(refused, (error: Error) => {
      assert.match(error.message, /clientIdMetadataDocuments\.allowedAddresses: "intranet" is not a CIDR range/);
      assert.match(error.message, /clientIdMetadataDocuments\.minCacheTtl: must not exceed maxCacheTtl/);
      assert.match(error.message, /clientIdMetadataDocuments\.timeout: must be a positive integer/);
      assert.match(error.message, /clientIdMetadataDocuments\.scopes: "nope" is not a configured scope/);
      return true;
    });
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import {
  BearerGuard,
  InsufficientScopeError,
  OAuthAuthorization,
  Resource,
  Scopes,
  TokenStore,
  type HostLookup,
  type ResourceAuthorization,
} from 'nest-oauth2-provider';
import * as oauth from 'oauth4webapi';
import request from 'supertest';
import type { Response } from 'supertest';
import { createOAuthTestApp, type OAuthTestApp } from './fixtures/oauth-app.fixture';
import { hashSecret } from './support/library-internals';
import { AUTH_PATH, authorize, decide, obtainCode, pkcePair, redirectParams, tokenRequest } from './fixtures/oauth-flow';
import {
  DOCUMENT_HOST,
  json,
  makeTestTls,
  startDocumentServer,
  type DocumentServer,
  type TestTls,
} from '../libs/oauth2/src/core/client-metadata/document-server.spec-helper';

// The Model Context Protocol authorization specification, revision 2025-11-25 (basic/authorization),
// from the side of the authorization server and the protected MCP server: one test per requirement
// on either, named by the section that states it. The app is an MCP server at https://mcp.example/mcp
// whose own authorization server has the issuer https://mcp.example, beside a second API of the same
// server (https://mcp.example/api) whose tokens must not open the MCP endpoint, nor the reverse.
// The conformance table in docs/reference/mcp-conformance.md points at these tests.

const ISSUER = 'https://mcp.example';
const MCP = 'https://mcp.example/mcp';
const API = 'https://mcp.example/api';
const MCP_METADATA = 'https://mcp.example/.well-known/oauth-protected-resource/mcp';
const LOOPBACK = 'http://127.0.0.1:7000/callback';
const SCOPES = {
  'mcp:tools': 'Use the tools of the MCP server',
  'mcp:admin': 'Administer the MCP server',
  'api:read': 'Read the API',
  offline_access: 'Stay connected when you are away',
};
const RESOURCES = {
  [MCP]: { scopes: ['mcp:tools', 'mcp:admin'], name: 'MCP server' },
  [API]: { scopes: ['api:read'], name: 'Files API' },
};
const S = 'MCP 2025-11-25 Authorization';

/** The MCP endpoint: every call needs `mcp:tools`; the administration tools need `mcp:admin` as well. */
@Controller('mcp')
@UseGuards(BearerGuard)
@Resource(MCP)
class McpController {
  @Post()
  @HttpCode(200)
  @Scopes('mcp:tools')
  call(@OAuthAuthorization() auth: ResourceAuthorization) {
    return { jsonrpc: '2.0', id: 1, result: { audience: auth.audience, scopes: auth.scopes } };
  }

  @Post('admin')
  @HttpCode(200)
  @Scopes('mcp:tools', 'mcp:admin')
  admin() {
    return { jsonrpc: '2.0', id: 1, result: {} };
  }

  /** A tool checked per call, as an MCP server checks each `tools/call`: the handler throws the 403 itself. */
  @Post('tool')
  @HttpCode(200)
  @Scopes('mcp:tools')
  tool(@OAuthAuthorization() auth: ResourceAuthorization) {
    if (!auth.scopes.includes('mcp:admin')) {
      throw new InsufficientScopeError(['mcp:admin', 'mcp:tools', 'offline_access'], 'The tool purge_cache requires the scope: mcp:admin');
    }
    return { jsonrpc: '2.0', id: 1, result: {} };
  }
}

/** Another API of the same server, with its own audience. */
@Controller('api')
@UseGuards(BearerGuard)
@Resource(API)
class OtherApiController {
  @Get()
  @Scopes('api:read')
  read(@OAuthAuthorization() auth: ResourceAuthorization) {
    return { audience: auth.audience };
  }
}

const TOOLS_LIST = { jsonrpc: '2.0', id: 1, method: 'tools/list' };

/** A call of the MCP endpoint, with `token` in the Authorization header when given. */
function callMcp(t: OAuthTestApp, token?: string, path = '/mcp'): Promise<Response> {
  const req = request(t.server).post(path).set('Content-Type', 'application/json');
  if (token) req.set('Authorization', `Bearer ${token}`);
  return req.send(TOOLS_LIST);
}

/** An oauth4webapi fetch that answers https://mcp.example/… from the app in process. */
function inProcessFetch(t: OAuthTestApp, asked: string[] = []) {
  return async (url: string) => {
    asked.push(url);
    const answer = await request(t.server).get(new URL(url).pathname).set('Accept', 'application/json');
    return new Response(answer.text, { status: answer.status, headers: answer.headers as Record<string, string> });
  };
}

describe(`${S}: the authorization server and the MCP server it protects`, () => {
  let tls: TestTls;
  let docs: DocumentServer;
  let t: OAuthTestApp;
  let agent: string;
  const lookup: HostLookup = async (hostname) => {
    if (hostname === DOCUMENT_HOST) return [{ address: '127.0.0.1', family: 4 }];
    throw Object.assign(new Error(`no such host ${hostname}`), { code: 'ENOTFOUND' });
  };

  before(async () => {
    tls = makeTestTls();
    docs = await startDocumentServer(tls);
    t = await createOAuthTestApp({
      options: {
        issuer: ISSUER,
        scopes: SCOPES,
        resources: RESOURCES,
        defaultResource: MCP,
        refreshTokenGracePeriod: 10,
        clientIdMetadataDocuments: { enabled: true, allowedAddresses: ['127.0.0.1/32'], lookup, ca: tls.ca, timeout: 500 },
        registration: { enabled: true, initialAccessToken: 'none', rateLimit: false },
      },
      controllers: [McpController, OtherApiController],
    });
    // An agent as MCP clients are: public, with a loopback redirect (any port, RFC 8252 §7.3).
    agent = (await t.register({ name: 'Desk Agent', redirectUris: [LOOPBACK], public: true })).client.id;
  });
  after(async () => {
    await t?.close();
    await docs?.close();
  });

  /** An authorization request of the agent, with PKCE S256; `over` replaces or (undefined) removes parameters. */
  const query = (challenge: string, over: Record<string, string | undefined> = {}) => {
    const q: Record<string, string | undefined> = {
      response_type: 'code',
      client_id: agent,
      redirect_uri: LOOPBACK,
      scope: 'mcp:tools',
      state: 'agent-state',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      resource: MCP,
      ...over,
    };
    return Object.fromEntries(Object.entries(q).filter((e): e is [string, string] => e[1] !== undefined));
  };

  /**
   * The whole flow for the agent: authorize (as `user`) with `over` on the authorization request,
   * exchange the code with `tokenOver` on the token request; the token response.
   */
  const connect = async (over: Record<string, string | undefined> = {}, tokenOver: Record<string, string> = {}, user = 'alice') => {
    const { verifier, challenge } = pkcePair();
    const { code } = await obtainCode(t, query(challenge, over), user);
    const form: Record<string, string> = {
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      client_id: agent,
      redirect_uri: LOOPBACK,
      ...tokenOver,
    };
    // The token request names the resource the authorization request named, or none when it named none.
    const resource = tokenOver.resource ?? ('resource' in over ? over.resource : MCP);
    if (resource === undefined) delete form.resource;
    else form.resource = resource;
    const res = await tokenRequest(t, form);
    assert.equal(res.status, 200, res.text);
    return res.body as { access_token: string; refresh_token: string; scope: string };
  };

  const refresh = (refreshToken: string) => tokenRequest(t, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: agent });

  describe('Authorization Server Discovery', () => {
    it(`${S} §Authorization Server Location: the MCP server's Protected Resource Metadata (RFC 9728) names its authorization server`, async () => {
      const res = await request(t.server).get('/.well-known/oauth-protected-resource/mcp');
      assert.equal(res.status, 200);
      assert.match(res.headers['content-type'], /^application\/json/);
      assert.equal(res.body.resource, MCP);
      assert.deepEqual(res.body.authorization_servers, [ISSUER], 'at least one authorization server');
      assert.deepEqual(res.body.scopes_supported, ['mcp:tools', 'mcp:admin']);
      assert.deepEqual(res.body.bearer_methods_supported, ['header', 'body']);
    });

    it(`${S} §Protected Resource Metadata Discovery Requirements: a 401 names resource_metadata and the scope the call needs`, async () => {
      const res = await callMcp(t);
      assert.equal(res.status, 401);
      assert.equal(res.headers['www-authenticate'], `Bearer realm="${ISSUER}", scope="mcp:tools", resource_metadata="${MCP_METADATA}"`);
      const invalid = await callMcp(t, 'not-a-token');
      assert.equal(invalid.status, 401);
      const challenge = String(invalid.headers['www-authenticate']);
      assert.match(
        challenge,
        /^Bearer realm="[^"]+", error="invalid_token", error_description="[^"]+", scope="mcp:tools", resource_metadata="/,
      );
      assert.ok(challenge.endsWith(`resource_metadata="${MCP_METADATA}"`), challenge);
      // The route needing two scopes names both.
      assert.match(String((await callMcp(t, undefined, '/mcp/admin')).headers['www-authenticate']), /scope="mcp:tools mcp:admin"/);
    });

    it(`${S} §Protected Resource Metadata Discovery Requirements: the well-known URIs in the client's order, path-inserted first (oauth4webapi as the client)`, async () => {
      const asked: string[] = [];
      const options = { [oauth.customFetch]: inProcessFetch(t, asked) as never };
      const response = await oauth.resourceDiscoveryRequest(new URL(MCP), options);
      assert.deepEqual(asked, [MCP_METADATA]);
      const metadata = await oauth.processResourceDiscoveryResponse(new URL(MCP), response);
      assert.equal(metadata.resource, MCP);
      // RFC 9728 §3.3: the root document would describe https://mcp.example, another resource; the
      // client's fallback finds none there rather than a document whose resource does not match.
      assert.equal((await request(t.server).get('/.well-known/oauth-protected-resource')).status, 404);
    });

    it(`${S} §Authorization Server Metadata Discovery: RFC 8414 metadata at the well-known URI, issuer identical, PKCE advertised (oauth4webapi as the client)`, async () => {
      const asked: string[] = [];
      const response = await oauth.discoveryRequest(new URL(ISSUER), {
        algorithm: 'oauth2',
        [oauth.customFetch]: inProcessFetch(t, asked) as never,
      });
      assert.deepEqual(asked, [`${ISSUER}/.well-known/oauth-authorization-server`]);
      // processDiscoveryResponse refuses a document whose issuer is not the one asked for (RFC 8414 §3.3).
      const as = await oauth.processDiscoveryResponse(new URL(ISSUER), response);
      assert.equal(as.issuer, ISSUER);
      assert.deepEqual(as.code_challenge_methods_supported, ['S256']);
      assert.equal(as.authorization_endpoint, `${ISSUER}/oauth2/auth`);
      assert.equal(as.token_endpoint, `${ISSUER}/oauth2/token`);
      assert.deepEqual(as.response_types_supported, ['code']);
      assert.equal(as.authorization_response_iss_parameter_supported, true);
    });

    it(`${S} §Overview: RFC 8414 is the discovery mechanism; OpenID Connect Discovery is not served, so a client's OIDC fallback finds nothing to misread`, async () => {
      assert.equal((await request(t.server).get('/.well-known/openid-configuration')).status, 404);
    });
  });

  describe('Client Registration Approaches', () => {
    it(`${S} §Client Registration Approaches: Client ID Metadata Documents and Dynamic Client Registration advertised and working on one server`, async () => {
      const metadata = (await request(t.server).get('/.well-known/oauth-authorization-server')).body;
      assert.equal(metadata.client_id_metadata_document_supported, true);
      assert.equal(metadata.registration_endpoint, `${ISSUER}/oauth2/register`);

      const registered = await request(t.server)
        .post('/oauth2/register')
        .set('Content-Type', 'application/json')
        .send({ client_name: 'Registered Agent', redirect_uris: [LOOPBACK], token_endpoint_auth_method: 'none' });
      assert.equal(registered.status, 201, registered.text);
      const dynamicPage = await authorize(t, query(pkcePair().challenge, { client_id: registered.body.client_id }), 'alice');
      assert.equal(dynamicPage.status, 200, dynamicPage.text);
      assert.match(dynamicPage.text, /Registered Agent/);

      const path = '/mcp-agent/client.json';
      docs.route(
        path,
        json({ client_id: docs.url(path), client_name: 'URL Agent', redirect_uris: [LOOPBACK], token_endpoint_auth_method: 'none' }),
      );
      const urlPage = await authorize(t, query(pkcePair().challenge, { client_id: docs.url(path) }), 'alice');
      assert.equal(urlPage.status, 200, urlPage.text);
      assert.match(urlPage.text, /URL Agent/);
    });

    it(`${S} §Client ID Metadata Documents: the document's client_id must equal its URL and the redirect URI must be one it lists`, async () => {
      const path = '/mcp-mismatch/client.json';
      docs.route(path, json({ client_id: `${docs.url(path)}?x`, client_name: 'Mismatch', redirect_uris: [LOOPBACK] }));
      const mismatch = await authorize(t, query(pkcePair().challenge, { client_id: docs.url(path) }), 'alice');
      assert.equal(mismatch.status, 400);
      assert.equal(mismatch.headers.location, undefined);

      const good = '/mcp-redirects/client.json';
      docs.route(good, json({ client_id: docs.url(good), client_name: 'Listed', redirect_uris: [LOOPBACK] }));
      const unlisted = await authorize(
        t,
        query(pkcePair().challenge, { client_id: docs.url(good), redirect_uri: 'https://elsewhere.example/cb' }),
        'alice',
      );
      assert.equal(unlisted.status, 400);
      assert.equal(unlisted.headers.location, undefined, 'never redirected to');

      const incomplete = '/mcp-incomplete/client.json';
      docs.route(incomplete, json({ client_name: 'No client_id or redirect_uris' }));
      assert.equal((await authorize(t, query(pkcePair().challenge, { client_id: docs.url(incomplete) }), 'alice')).status, 400);
    });

    it(`${S} §Client ID Metadata Document Security: the consent page shows the redirect URI's host and the client's, and warns when every redirect is localhost`, async () => {
      const path = '/mcp-host/client.json';
      docs.route(path, json({ client_id: docs.url(path), client_name: 'Host Agent', redirect_uris: [LOOPBACK] }));
      const page = await authorize(t, query(pkcePair().challenge, { client_id: docs.url(path) }), 'alice');
      assert.equal(page.status, 200, page.text);
      assert.match(page.text, new RegExp(`<strong>${DOCUMENT_HOST}:${docs.port}</strong>`));
      assert.match(page.text, /You will be sent back to <strong>127\.0\.0\.1:7000<\/strong>/);
      assert.match(page.text, /Only continue if you just started this yourself/);
    });
  });

  describe('Authorization Code Protection', () => {
    it(`${S} §Authorization Code Protection: PKCE is required, S256 only; a request without it or with plain is refused`, async () => {
      const { challenge } = pkcePair();
      const missing = redirectParams(
        await authorize(t, query(challenge, { code_challenge: undefined, code_challenge_method: undefined }), 'alice'),
      );
      assert.equal(missing.get('error'), 'invalid_request');
      assert.equal(missing.get('state'), 'agent-state');
      const plain = redirectParams(
        await authorize(t, query(challenge, { code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' }), 'alice'),
      );
      assert.equal(plain.get('error'), 'invalid_request');
    });

    it(`${S} §Authorization Code Protection: the code is bound to its verifier and used once`, async () => {
      const { challenge } = pkcePair();
      const { code } = await obtainCode(t, query(challenge));
      const base = { grant_type: 'authorization_code', code, client_id: agent, redirect_uri: LOOPBACK, resource: MCP };
      const wrong = await tokenRequest(t, { ...base, code_verifier: pkcePair().verifier });
      assert.equal(wrong.body.error, 'invalid_grant');
      const fresh = pkcePair();
      const second = await obtainCode(t, query(fresh.challenge));
      const form = { ...base, code: second.code, code_verifier: fresh.verifier };
      assert.equal((await tokenRequest(t, form)).status, 200);
      assert.equal((await tokenRequest(t, form)).body.error, 'invalid_grant');
    });
  });

  describe('Resource Parameter Implementation and Token Audience Binding', () => {
    it(`${S} §Resource Parameter Implementation: the resource of the authorization and token requests is the audience of the token`, async () => {
      const tokens = await connect();
      const res = await callMcp(t, tokens.access_token);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.result.audience, MCP);
    });

    it(`${S} §Canonical Server URI: uppercase scheme and host are accepted as the canonical URI; a fragment is refused with invalid_target`, async () => {
      const tokens = await connect({ resource: 'HTTPS://MCP.EXAMPLE/mcp' }, { resource: 'HTTPS://MCP.EXAMPLE:443/mcp' });
      assert.equal((await callMcp(t, tokens.access_token)).body.result.audience, MCP);
      const fragment = redirectParams(await authorize(t, query(pkcePair().challenge, { resource: `${MCP}#frag` }), 'alice'));
      assert.equal(fragment.get('error'), 'invalid_target');
    });

    it(`${S} §Resource Parameter Implementation: a client that sends no resource gets a token for the default resource, the MCP server`, async () => {
      const tokens = await connect({ resource: undefined });
      assert.equal((await callMcp(t, tokens.access_token)).body.result.audience, MCP);
    });

    it(`${S} §Access Token Privilege Restriction: a token for the MCP server is refused by another API of the server, and the reverse (no passthrough)`, async () => {
      const mcp = await connect();
      const atApi = await request(t.server).get('/api').set('Authorization', `Bearer ${mcp.access_token}`);
      assert.equal(atApi.status, 401);
      assert.equal(atApi.body.error, 'invalid_token');
      const api = await connect({ scope: 'api:read', resource: API });
      assert.equal((await request(t.server).get('/api').set('Authorization', `Bearer ${api.access_token}`)).status, 200);
      const atMcp = await callMcp(t, api.access_token);
      assert.equal(atMcp.status, 401);
      assert.equal(atMcp.body.error, 'invalid_token');
      assert.equal(atMcp.body.error_description, 'This access token is not for this resource');
    });

    it(`${S} §Token Audience Binding and Validation: a token for the MCP server can carry only its scopes; asking it for another resource's is invalid_scope`, async () => {
      const res = redirectParams(await authorize(t, query(pkcePair().challenge, { scope: 'mcp:tools api:read' }), 'alice'));
      assert.equal(res.get('error'), 'invalid_scope');
      assert.match(res.get('error_description')!, /not a scope of the requested resource/);
    });
  });

  describe('Access Token Usage', () => {
    it(`${S} §Token Requirements: the token goes in the Authorization header; one in the query string is refused`, async () => {
      const tokens = await connect();
      const res = await request(t.server).post(`/mcp?access_token=${tokens.access_token}`).send(TOOLS_LIST);
      assert.equal(res.status, 400);
      assert.equal(res.body.error, 'invalid_request');
      assert.match(res.body.error_description, /query string/);
      assert.match(String(res.headers['www-authenticate']), new RegExp(`resource_metadata="${MCP_METADATA}"`));
      assert.equal((await callMcp(t, tokens.access_token)).status, 200);
    });

    it(`${S} §Token Handling: invalid or expired tokens get 401 invalid_token`, async () => {
      const tokens = await connect();
      assert.equal((await callMcp(t, tokens.access_token)).status, 200);
      t.clock.advance(3601);
      const expired = await callMcp(t, tokens.access_token);
      assert.equal(expired.status, 401);
      assert.equal(expired.body.error, 'invalid_token');
    });

    it(`${S} §Error Handling: 401 without a token, 403 for missing scopes, 400 for a malformed request`, async () => {
      assert.equal((await callMcp(t)).status, 401);
      const tokens = await connect();
      assert.equal((await callMcp(t, tokens.access_token, '/mcp/admin')).status, 403);
      const malformed = await request(t.server).post('/mcp').set('Authorization', 'Bearer two tokens').send(TOOLS_LIST);
      assert.equal(malformed.status, 400);
      assert.equal(malformed.body.error, 'invalid_request');
    });
  });

  describe('Scope Challenge Handling', () => {
    it(`${S} §Runtime Insufficient Scope Errors: 403 with error="insufficient_scope", the scopes needed and resource_metadata`, async () => {
      const tokens = await connect();
      const res = await callMcp(t, tokens.access_token, '/mcp/admin');
      assert.equal(res.status, 403);
      assert.equal(res.body.error, 'insufficient_scope');
      const challenge = String(res.headers['www-authenticate']);
      assert.match(challenge, /error="insufficient_scope"/);
      assert.match(challenge, /error_description="[^"]+"/);
      assert.match(challenge, /scope="mcp:tools mcp:admin"/, 'the scopes the call needs, the granted one included so the client keeps it');
      assert.ok(challenge.includes(`resource_metadata="${MCP_METADATA}"`), challenge);
    });

    it(`${S} §Runtime Insufficient Scope Errors: a handler's own insufficient_scope gets the guard's challenge, without offline_access`, async () => {
      const tokens = await connect();
      const res = await callMcp(t, tokens.access_token, '/mcp/tool');
      assert.equal(res.status, 403);
      assert.equal(res.body.error, 'insufficient_scope');
      assert.equal(
        res.headers['www-authenticate'],
        'Bearer realm="https://mcp.example", error="insufficient_scope", error_description="The tool purge_cache requires the scope: mcp:admin", ' +
          `scope="mcp:admin mcp:tools", resource_metadata="${MCP_METADATA}"`,
      );
    });

    it(`${S} §Step-Up Authorization Flow: asking for the challenged scopes succeeds, the consent page showing only the new scope as new`, async () => {
      const first = await connect({}, {}, 'bob');
      const refused = await callMcp(t, first.access_token, '/mcp/admin');
      const challenged = /scope="([^"]+)"/.exec(String(refused.headers['www-authenticate']))![1];
      const { verifier, challenge } = pkcePair();
      const page = await authorize(t, query(challenge, { scope: challenged }), 'bob');
      assert.equal(page.status, 200, 'a public client sees the consent page again');
      assert.match(
        page.text,
        /<ul class="scopes new"><li><span class="scope">[^<]*<\/span> <em class="badge">New<\/em> <code>mcp:admin<\/code><\/li><\/ul>/,
      );
      assert.match(page.text, /You already allowed[^]*<code>mcp:tools<\/code>/);
      const code = redirectParams(await decide(t, page, 'bob', 'allow')).get('code')!;
      const stepped = await tokenRequest(t, {
        grant_type: 'authorization_code',
        code,
        code_verifier: verifier,
        client_id: agent,
        redirect_uri: LOOPBACK,
        resource: MCP,
      });
      assert.equal(stepped.body.scope, 'mcp:tools mcp:admin');
      assert.equal((await callMcp(t, stepped.body.access_token, '/mcp/admin')).status, 200);
    });
  });

  describe('Token Theft: refresh token rotation for public clients', () => {
    it(`${S} §Token Theft: tokens are stored by their SHA-256 only, never as issued`, async () => {
      const tokens = await connect();
      const store = t.app.get(TokenStore);
      for (const value of [tokens.access_token, tokens.refresh_token]) {
        const row = await store.findByHash(hashSecret(value));
        assert.ok(row, 'found by its hash');
        assert.ok(!JSON.stringify(row).includes(value), 'the stored row does not hold the token');
        assert.equal(await store.findByHash(value), undefined, 'the token itself is no key');
      }
    });

    it(`${S} §Token Theft: a public client's refresh token rotates on every use`, async () => {
      const first = await connect();
      const next = await refresh(first.refresh_token);
      assert.equal(next.status, 200, next.text);
      assert.notEqual(next.body.refresh_token, first.refresh_token);
      assert.equal((await callMcp(t, next.body.access_token)).body.result.audience, MCP, 'the refreshed token keeps its audience');
      assert.equal((await refresh(next.body.refresh_token)).status, 200);
    });

    it(`${S} §Token Theft: several processes of one agent refreshing the same token at once all get the same new pair`, async () => {
      const first = await connect();
      const answers = await Promise.all([refresh(first.refresh_token), refresh(first.refresh_token), refresh(first.refresh_token)]);
      for (const answer of answers) assert.equal(answer.status, 200, answer.text);
      const pairs = new Set(answers.map((a) => `${a.body.access_token} ${a.body.refresh_token}`));
      assert.equal(pairs.size, 1, 'one successor, never a branch');
      t.clock.advance(5);
      const late = await refresh(first.refresh_token);
      assert.equal(late.status, 200, 'a process that comes back within the grace period gets the same pair');
      assert.equal(late.body.refresh_token, answers[0].body.refresh_token);
      assert.equal((await refresh(answers[0].body.refresh_token)).status, 200, 'the shared successor works');
    });

    it(`${S} §Token Theft: an already-rotated token presented after the grace period ends the grant (reuse detection)`, async () => {
      const first = await connect();
      const next = (await refresh(first.refresh_token)).body;
      t.clock.advance(11);
      const reuse = await refresh(first.refresh_token);
      assert.equal(reuse.status, 400);
      assert.equal(reuse.body.error, 'invalid_grant');
      assert.equal((await refresh(next.refresh_token)).body.error, 'invalid_grant', 'the successor is revoked with the grant');
      assert.equal((await callMcp(t, next.access_token)).status, 401, 'and so is its access token');
    });
  });

  describe('offline_access (MCP 2026-07-28 Authorization, Refresh Tokens)', () => {
    it(`${S} §Scope Selection Strategy: offline_access is offered by the authorization server, never by the MCP server's scopes_supported or challenges`, async () => {
      const as = (await request(t.server).get('/.well-known/oauth-authorization-server')).body;
      assert.ok(as.scopes_supported.includes('offline_access'), 'a client may add it when the server lists it');
      const prm = (await request(t.server).get('/.well-known/oauth-protected-resource/mcp')).body;
      assert.ok(!prm.scopes_supported.includes('offline_access'));
      assert.doesNotMatch(String((await callMcp(t)).headers['www-authenticate']), /offline_access/);
      // A server-level scope goes with the MCP token: asking for it still yields a refresh token.
      const tokens = await connect({ scope: 'mcp:tools offline_access' });
      assert.equal(tokens.scope, 'mcp:tools offline_access');
      assert.ok(tokens.refresh_token);
    });
  });

  describe('Open Redirection and state', () => {
    it(`${S} §Open Redirection: the redirect URI must match a registered one exactly; a mismatch gets an error page, never a redirect`, async () => {
      for (const redirect of [
        'https://attacker.example/callback',
        'http://127.0.0.1:7000/callback/extra',
        'http://127.0.0.1:7000/callback?x=1',
      ]) {
        const res = await authorize(t, query(pkcePair().challenge, { redirect_uri: redirect }), 'alice');
        assert.equal(res.status, 400, redirect);
        assert.equal(res.headers.location, undefined, redirect);
      }
    });

    it(`${S} §Open Redirection: the authorization response returns the client's state unchanged, and iss (RFC 9207)`, async () => {
      const { params } = await obtainCode(t, query(pkcePair().challenge, { state: 'opaque/+= state' }));
      assert.equal(params.get('state'), 'opaque/+= state');
      assert.equal(params.get('iss'), ISSUER);
      const denied = await authorize(t, query(pkcePair().challenge, { state: 'deny-state' }), 'carol');
      const error = redirectParams(await decide(t, denied, 'carol', 'deny'));
      assert.equal(error.get('error'), 'access_denied');
      assert.equal(error.get('state'), 'deny-state');
    });

    it(`${S} §Overview: OAuth 2.1: no implicit grant and no password grant`, async () => {
      const implicit = redirectParams(await authorize(t, query(pkcePair().challenge, { response_type: 'token' }), 'alice'));
      assert.equal(implicit.get('error'), 'unsupported_response_type');
      const password = await tokenRequest(t, { grant_type: 'password', username: 'alice', password: 'x', client_id: agent });
      assert.equal(password.body.error, 'unsupported_grant_type');
    });
  });
});

describe(`${S}: an issuer with a path`, () => {
  let t: OAuthTestApp;
  before(async () => {
    t = await createOAuthTestApp({ storage: 'memory', options: { issuer: 'https://mcp.example/tenant1', scopes: SCOPES } });
  });
  after(() => t.close());

  it(`${S} §Authorization Server Metadata Discovery: the path-inserted RFC 8414 URI serves the issuer's metadata, issuer identical (oauth4webapi as the client)`, async () => {
    const issuer = new URL('https://mcp.example/tenant1');
    const asked: string[] = [];
    const response = await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', [oauth.customFetch]: inProcessFetch(t, asked) as never });
    assert.deepEqual(asked, ['https://mcp.example/.well-known/oauth-authorization-server/tenant1']);
    const as = await oauth.processDiscoveryResponse(issuer, response);
    assert.equal(as.issuer, 'https://mcp.example/tenant1');
    assert.deepEqual(as.code_challenge_methods_supported, ['S256']);
    assert.equal((await request(t.server).get('/.well-known/oauth-authorization-server/tenant2')).status, 404);
  });
});

describe(`${S}: a resource that lists offline_access among its scopes`, () => {
  @Controller('legacy-mcp')
  @UseGuards(BearerGuard)
  class LegacyMcpController {
    @Post()
    @Scopes('mcp:tools', 'offline_access')
    call() {
      return {};
    }
  }

  let t: OAuthTestApp;
  before(async () => {
    t = await createOAuthTestApp({
      storage: 'memory',
      options: {
        issuer: ISSUER,
        scopes: SCOPES,
        resources: { [MCP]: { scopes: ['mcp:tools', 'offline_access'] } },
        defaultResource: MCP,
      },
      controllers: [LegacyMcpController],
    });
  });
  after(() => t.close());

  it(`${S} §Scope Selection Strategy: neither scopes_supported nor the 401 challenge names offline_access (MCP 2026-07-28, Refresh Tokens)`, async () => {
    const prm = (await request(t.server).get('/.well-known/oauth-protected-resource/mcp')).body;
    assert.deepEqual(prm.scopes_supported, ['mcp:tools']);
    const res = await request(t.server).post('/legacy-mcp').send({});
    assert.equal(res.status, 401);
    assert.equal(res.headers['www-authenticate'], `Bearer realm="${ISSUER}", scope="mcp:tools", resource_metadata="${MCP_METADATA}"`);
  });
});

describe(`${S}: Communication Security`, () => {
  let t: OAuthTestApp;
  before(async () => {
    t = await createOAuthTestApp({
      storage: 'memory',
      trustProxy: true,
      options: { issuer: ISSUER, scopes: SCOPES, resources: RESOURCES, defaultResource: MCP, requireHttps: true },
      controllers: [McpController],
    });
  });
  after(() => t.close());

  const remote = (proto: 'http' | 'https') => ({ 'X-Forwarded-For': '203.0.113.5', 'X-Forwarded-Proto': proto });

  it(`${S} §Communication Security: authorization server endpoints refuse plain http from a remote address; https is served`, async () => {
    for (const path of ['/.well-known/oauth-authorization-server', '/.well-known/oauth-protected-resource/mcp']) {
      assert.equal((await request(t.server).get(path).set(remote('http'))).status, 400, path);
      assert.equal((await request(t.server).get(path).set(remote('https'))).status, 200, path);
    }
    const token = await request(t.server)
      .post('/oauth2/token')
      .set(remote('http'))
      .type('form')
      .send({ grant_type: 'refresh_token', refresh_token: 'x' });
    assert.equal(token.status, 400);
    assert.match(token.body.error_description, /HTTPS/);
    const page = await request(t.server).get(AUTH_PATH).set(remote('http')).query({ client_id: 'any' });
    assert.equal(page.status, 400);
    assert.equal(page.headers.location, undefined);
  });

  it(`${S} §Communication Security: redirect URIs are https or loopback http; any other http URI is refused at registration`, async () => {
    await assert.rejects(t.register({ name: 'Plain', redirectUris: ['http://agent.example/callback'] }), /redirect/i);
    assert.ok((await t.register({ name: 'Web', redirectUris: ['https://agent.example/callback'] })).client.id);
    for (const loopback of ['http://127.0.0.1/callback', 'http://[::1]/callback', 'http://localhost:8080/callback']) {
      assert.ok((await t.register({ name: 'Native', redirectUris: [loopback], public: true })).client.id, loopback);
    }
  });
});

import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Browser, BrowserContext } from 'playwright-core';
import { ChromiumAgent } from './support/chromium-agent';
import { nateReachesConsent, startAgentWorld, type AgentWorld, type LoopbackRedirect, type SampleProcess } from './support/sample-process';
import { json, type DocumentServer } from '../../libs/oauth2/src/core/client-metadata/document-server.spec-helper';

/** Access tokens live this long here, so a test can see one expire and the agent refresh it. */
const TOKEN_TTL = 8;

/** One HTTP exchange the SDK made, as the agent's fetch saw it. */
interface Exchange {
  method: string;
  url: URL;
  status: number;
  challenge: string | null;
  body: string;
}

/**
 * SHIFT's MCP server with a client we did not write: the official SDK's `Client`,
 * `StreamableHTTPClientTransport` and `auth()` drive every request (discovery, registration, token,
 * refresh, MCP), and Chromium is Nate at SHIFT's login and consent pages. The test seeds no client,
 * token or consent; it only watches the SDK's exchanges through its `fetch` option.
 */
for (const platform of ['express', 'fastify'] as const) {
  describe(`an MCP agent on SHIFT with the official SDK, on ${platform === 'express' ? 'Express' : 'Fastify'}`, () => {
    mcpAgentFlows(platform);
  });
}

function mcpAgentFlows(platform: 'express' | 'fastify'): void {
  let world: AgentWorld;
  let sample: SampleProcess;
  let browser: Browser;
  let docs: DocumentServer;
  let redirect: LoopbackRedirect;
  let shift: string;
  let callbackUri: string;

  before(async () => {
    world = await startAgentWorld({ ACCESS_TOKEN_TTL: String(TOKEN_TTL), HTTP_ADAPTER: platform });
    ({ sample, docs, redirect, browser } = world);
    callbackUri = redirect.uri;
    shift = sample.shift;
  });

  after(() => world?.close());

  /** Nate in one browser: logs in the first time SHIFT asks, approves every consent page, hands back the code. */
  function nateIn(context: BrowserContext, consents: string[]) {
    return async (authorizationUrl: URL): Promise<string> => {
      const page = await context.newPage();
      const arrived = redirect.next();
      await page.goto(authorizationUrl.href);
      consents.push(await nateReachesConsent(page));
      await page.getByRole('button', { name: 'Allow' }).click();
      const callback = await arrived;
      await page.close();
      const code = callback.searchParams.get('code');
      if (!code) throw new Error(`SHIFT sent the agent back with no code: ${callback.search}`);
      assert.equal(callback.searchParams.get('iss'), shift, 'RFC 9207: the response names SHIFT');
      return code;
    };
  }

  /** A fetch that passes every request on untouched and keeps what came back. */
  function watched(log: Exchange[]): typeof fetch {
    return async (input, init) => {
      const response = await fetch(input, init);
      const url = new URL(input instanceof Request ? input.url : String(input));
      const body = await response.clone().text();
      log.push({ method: init?.method ?? 'GET', url, status: response.status, challenge: response.headers.get('www-authenticate'), body });
      return response;
    };
  }

  /** An SDK client connected to SHIFT's /mcp, signing in through `agent` when SHIFT asks. */
  async function connect(agent: ChromiumAgent, log: Exchange[]) {
    const url = new URL(`${shift}/mcp`);
    for (let attempt = 0; ; attempt++) {
      const transport = new StreamableHTTPClientTransport(url, { authProvider: agent, fetch: watched(log) });
      const client = new Client({ name: 'desk-agent', version: '1.0.0' });
      try {
        await client.connect(transport);
        return { client, transport };
      } catch (error) {
        if (!(error instanceof UnauthorizedError) || attempt > 0) throw error;
        await transport.finishAuth(await agent.authorizationCode());
      }
    }
  }

  /** `tools/call` of `name`; when SHIFT wants more scope the agent signs in again and calls once more. */
  async function callTool(agent: ChromiumAgent, mcp: Awaited<ReturnType<typeof connect>>, name: string) {
    try {
      return await mcp.client.callTool({ name, arguments: {} });
    } catch (error) {
      if (!(error instanceof UnauthorizedError)) throw error;
      await mcp.transport.finishAuth(await agent.authorizationCode());
      return mcp.client.callTool({ name, arguments: {} });
    }
  }

  const mcpPosts = (log: Exchange[]) => log.filter((e) => e.method === 'POST' && e.url.pathname === '/mcp');
  const tokenRequests = (log: Exchange[]) => log.filter((e) => e.url.pathname === '/v1/oauth2/token');

  /** What both ways of arriving share: 401, discovery, sign-in, then the tools answer for Nate. */
  async function firstContact(agent: ChromiumAgent, log: Exchange[], consents: string[]) {
    const mcp = await connect(agent, log);
    const [refused] = mcpPosts(log);
    assert.equal(refused!.status, 401);
    assert.equal(
      refused!.challenge,
      `Bearer realm="${shift}", resource_metadata="${shift}/.well-known/oauth-protected-resource/mcp", scope="profile"`,
    );
    const metadata = log.find((e) => e.url.pathname === '/.well-known/oauth-protected-resource/mcp');
    assert.equal(metadata?.status, 200, 'RFC 9728 §3: the agent reads the metadata the challenge names');
    const document = JSON.parse(metadata!.body) as { resource: string; authorization_servers: string[]; scopes_supported: string[] };
    assert.equal(document.resource, `${shift}/mcp`);
    assert.deepEqual(document.authorization_servers, [shift]);
    assert.deepEqual(
      document.scopes_supported,
      ['profile', 'teams:read', 'files:read'],
      'no offline_access: it is not the resource’s to offer',
    );
    assert.ok(
      log.some((e) => e.url.pathname === '/.well-known/oauth-authorization-server' && e.status === 200),
      'RFC 8414 discovery',
    );

    const [authorization] = agent.authorizations;
    assert.equal(authorization!.searchParams.get('resource'), `${shift}/mcp`, 'RFC 8707: the token is asked for the MCP server');
    assert.equal(authorization!.searchParams.get('code_challenge_method'), 'S256');
    assert.ok(authorization!.searchParams.get('scope')!.split(' ').includes('profile'));
    assert.match(consents[0]!, /See your name and email address/);

    const tools = await mcp.client.listTools();
    assert.deepEqual(tools.tools.map((t) => t.name).sort(), ['get_profile', 'list_files', 'list_teams']);
    const profile = await callTool(agent, mcp, 'get_profile');
    assert.equal(profile.isError, undefined);
    assert.equal((profile.structuredContent as { username: string }).username, 'nate');
    assert.match(JSON.stringify(profile.content), /Nate/);
    return mcp;
  }

  it('MCP 2025-11-25 Authorization §Dynamic Client Registration, §Step-Up Authorization Flow: an agent registers itself (RFC 7591), signs Nate in, its tools answer for him, and it steps up for list_files', async () => {
    const context = await browser.newContext();
    const log: Exchange[] = [];
    const consents: string[] = [];
    const agent = new ChromiumAgent(
      callbackUri,
      {
        client_name: 'Desk Agent (MCP)',
        redirect_uris: [callbackUri],
        grant_types: ['authorization_code', 'refresh_token'],
        token_endpoint_auth_method: 'none',
      },
      nateIn(context, consents),
    );
    const mcp = await firstContact(agent, log, consents);
    const registration = log.find((e) => e.url.pathname === '/v1/oauth2/register');
    assert.equal(registration?.status, 201, 'registered at SHIFT, no initial access token needed');
    assert.match(consents[0]!, /Desk Agent \(MCP\) wants to use your SHIFT account/);
    assert.match(consents[0]!, /Registered itself automatically/);
    // SHIFT registers agents with every scope its policy allows (scopeLimit 'policy'), whatever they asked.
    assert.equal(JSON.parse(registration!.body).scope.split(' ').includes('files:read'), true);
    assert.ok(agent.stored?.tokens.refresh_token, 'offline_access, allowed by the registration, gave a refresh token');

    // Step-up past the scope it registered with: list_files needs files:read.
    const files = await callTool(agent, mcp, 'list_files');
    assert.ok(mcpPosts(log).some((e) => e.status === 403 && /error="insufficient_scope"/.test(e.challenge ?? '')));
    assert.equal(agent.authorizations.length, 2, 'the agent sent Nate to SHIFT again');
    assert.match(consents[1]!, /See the files you keep in SHIFT Files/);
    assert.equal((files.structuredContent as { files: unknown[] }).files.length, 2);
    await mcp.client.close();
    await context.close();
  });

  it('MCP 2025-11-25 Authorization §Client ID Metadata Documents, §Step-Up Authorization Flow, §Token refresh: an agent known by its URL steps up for list_files, refreshes an expired token, and steps up again for list_teams', async () => {
    const context = await browser.newContext();
    const log: Exchange[] = [];
    const consents: string[] = [];
    const clientId = docs.url('/agents/mcp-desk.json').replace('client.test', '127.0.0.1');
    const metadata = {
      client_id: clientId,
      client_name: 'Desk Agent by URL (MCP)',
      redirect_uris: [callbackUri],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      scope: 'profile teams:read files:read offline_access',
    };
    docs.route('/agents/mcp-desk.json', json(metadata));
    const agent = new ChromiumAgent(callbackUri, metadata, nateIn(context, consents), clientId);
    const mcp = await firstContact(agent, log, consents);
    assert.equal(agent.client?.client_id, clientId, 'no registration: the URL is the client id');
    assert.ok(!log.some((e) => e.url.pathname === '/v1/oauth2/register'));
    assert.match(consents[0]!, /Desk Agent by URL \(MCP\) wants to use your SHIFT account/);
    assert.ok(agent.stored?.tokens.refresh_token, 'offline_access, added by the agent, gave a refresh token');

    // Step-up: list_files needs files:read, which the first token does not have.
    const files = await callTool(agent, mcp, 'list_files');
    const stepUp = mcpPosts(log).find((e) => e.status === 403);
    assert.ok(stepUp, 'RFC 6750 §3.1: 403 for the call the token does not cover');
    assert.equal(
      stepUp.challenge,
      `Bearer realm="${shift}", error="insufficient_scope", error_description="The tool list_files requires the scope: files:read", ` +
        `scope="files:read profile", resource_metadata="${shift}/.well-known/oauth-protected-resource/mcp"`,
    );
    assert.equal(agent.authorizations.length, 2, 'the agent sent Nate to SHIFT again');
    assert.deepEqual(agent.authorizations[1]!.searchParams.get('scope')!.split(' ').sort(), ['files:read', 'offline_access', 'profile']);
    assert.match(consents[1]!, /See the files you keep in SHIFT Files/);
    assert.deepEqual(
      (files.structuredContent as { files: { name: string }[] }).files.map((f) => f.name),
      ['Spring rota.xlsx', 'Design team offsite.pdf'],
    );
    const profile = await callTool(agent, mcp, 'get_profile');
    assert.equal((profile.structuredContent as { username: string }).username, 'nate', 'the stepped-up token kept profile');

    // Expiry: the next call is refused as invalid_token, the SDK refreshes, and calls again; no new sign-in.
    const before = agent.stored!.tokens;
    await sleep((TOKEN_TTL + 1) * 1000);
    const again = await callTool(agent, mcp, 'list_files');
    assert.equal((again.structuredContent as { files: unknown[] }).files.length, 2);
    assert.ok(mcpPosts(log).some((e) => e.status === 401 && /error="invalid_token"/.test(e.challenge ?? '')));
    const refresh = tokenRequests(log).at(-1)!;
    assert.equal(refresh.status, 200);
    assert.notEqual(agent.stored!.tokens.access_token, before.access_token);
    assert.notEqual(agent.stored!.tokens.refresh_token, before.refresh_token, 'RFC 9700 §4.14.2: the refresh token rotated');
    assert.equal(agent.authorizations.length, 2, 'refreshed without Nate');

    // A second step-up, for list_teams: the challenge keeps what the token has, so nothing is lost.
    const teams = await callTool(agent, mcp, 'list_teams');
    assert.match(
      mcpPosts(log)
        .filter((e) => e.status === 403)
        .at(-1)!.challenge!,
      /scope="teams:read profile files:read"/,
    );
    assert.equal(agent.authorizations.length, 3);
    assert.deepEqual((teams.structuredContent as { teams: { name: string }[] }).teams.map((t) => t.name).sort(), ['Design', 'Support']);
    assert.equal((await callTool(agent, mcp, 'list_files')).isError, undefined);
    assert.equal(docs.hits.get('/agents/mcp-desk.json'), 1, 'the metadata document was fetched once');
    assert.doesNotMatch(sample.output, /access_token=|refresh_token=|code_verifier=/, 'no token in the logs');
    await mcp.client.close();
    await context.close();
  });
}

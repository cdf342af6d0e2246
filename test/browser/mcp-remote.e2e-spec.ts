import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { BrowserContext } from 'playwright-core';
import { freePort } from '../support/sample-harness';
import { nateReachesConsent, startAgentWorld, type AgentWorld } from './support/sample-process';
import { json } from '../../libs/oauth2/src/core/client-metadata/document-server.spec-helper';

const PROXY = join(__dirname, '..', '..', '..', 'node_modules', 'mcp-remote', 'dist', 'proxy.js');

/** Access tokens live this long here, so the test can see one expire and mcp-remote refresh it. */
const TOKEN_TTL = 8;

/**
 * SHIFT's MCP server behind `mcp-remote`, a stdio proxy we did not write: it meets the 401, reads
 * the metadata, registers itself, opens "the browser" and serves its own loopback callback. Its
 * browser is a script that writes each URL it is given to a file; Chromium, as Nate, opens them.
 */
describe('an MCP host on SHIFT through mcp-remote', () => {
  let world: AgentWorld;
  let shift: string;
  let dir: string;
  let opened: string;
  let context: BrowserContext;

  interface McpRemote {
    client: Client;
    transport: StdioClientTransport;
    /** Its loopback callback's port. */
    port: number;
    /** What it printed to stderr so far. */
    log: { text: string };
    /** One of the JSON files it keeps its state in (`_client_info.json`, `_tokens.json`). */
    stateFile(suffix: string): Record<string, string>;
  }

  before(async () => {
    world = await startAgentWorld({ ACCESS_TOKEN_TTL: String(TOKEN_TTL) });
    shift = world.sample.shift;
    context = await world.browser.newContext();
    dir = mkdtempSync(join(tmpdir(), 'mcp-remote-'));
    opened = join(dir, 'opened');
    const opener = join(dir, 'bin', 'xdg-open');
    mkdirSync(join(dir, 'bin'));
    writeFileSync(opener, `#!/bin/sh\nprintf '%s\\n' "$1" >> '${opened}'\n`);
    chmodSync(opener, 0o755);
  });

  after(async () => {
    await context?.close();
    await world?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The URLs mcp-remote has opened so far. */
  const openedUrls = () => (existsSync(opened) ? readFileSync(opened, 'utf8').trim().split('\n') : []).map((u) => new URL(u));

  /**
   * Waits for mcp-remote to open its `n`th URL, then Nate signs in (if SHIFT asks), allows it, and
   * his browser lands on mcp-remote's callback with SHIFT's answer.
   */
  async function nateAllows(mcp: McpRemote, n: number, consents: string[]): Promise<URL> {
    for (let i = 0; openedUrls().length < n; i++) {
      if (i > 300) throw new Error(`mcp-remote opened no browser:\n${mcp.log.text}`);
      await sleep(100);
    }
    const url = openedUrls()[n - 1]!;
    const page = await context.newPage();
    await page.goto(url.href);
    consents.push(await nateReachesConsent(page));
    const landed = page.waitForURL((u) => u.pathname === '/oauth/callback');
    await page.getByRole('button', { name: 'Allow' }).click();
    await landed;
    const callback = new URL(page.url());
    assert.equal(callback.origin, `http://localhost:${mcp.port}`);
    assert.ok(callback.searchParams.get('code'));
    assert.equal(callback.searchParams.get('iss'), shift, 'RFC 9207: the response names SHIFT');
    await page.close();
    return url;
  }

  /**
   * Runs `body` with mcp-remote started as an MCP host starts it, with a state directory of its own
   * and an SDK client on its stdio; stops it after, and adds what it printed to a failure.
   */
  async function withMcpRemote(
    name: string,
    body: (mcp: McpRemote) => Promise<void>,
    { port, flags = [] }: { port?: number; flags?: string[] } = {},
  ): Promise<void> {
    port ??= await freePort();
    const bin = join(dir, 'bin');
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [PROXY, `${shift}/mcp`, String(port), '--allow-http', ...flags],
      env: {
        // Should `open` fall back to the xdg-open on PATH, it finds the script too.
        PATH: `${bin}:${process.env.PATH ?? ''}`,
        HOME: dir,
        MCP_REMOTE_CONFIG_DIR: join(dir, name),
        // The `open` package runs its own copy of xdg-open, which hands URLs to $BROWSER when no desktop is running.
        BROWSER: join(bin, 'xdg-open'),
      },
      stderr: 'pipe',
    });
    const log = { text: '' };
    transport.stderr?.on('data', (chunk) => (log.text += chunk));
    const client = new Client({ name: 'desk-host', version: '1.0.0' });
    const stateFile = (suffix: string) => {
      const state = join(dir, name, 'mcp-remote-v1');
      const file = readdirSync(state).find((f) => f.endsWith(suffix));
      return JSON.parse(readFileSync(join(state, file!), 'utf8')) as Record<string, string>;
    };
    try {
      await body({ client, transport, port, log, stateFile });
    } catch (error) {
      if (error instanceof Error)
        error.message += `\n\nmcp-remote printed:\n${log.text}\n\nthe sample printed:\n${world.sample.output.slice(-4000)}`;
      throw error;
    } finally {
      await client.close();
    }
  }

  it('MCP 2025-11-25 Authorization §Dynamic Client Registration: mcp-remote, a client we did not write, signs Nate in and calls get_profile', async () => {
    const consents: string[] = [];
    await withMcpRemote('dcr', async (mcp) => {
      const [, authorization] = await Promise.all([mcp.client.connect(mcp.transport), nateAllows(mcp, openedUrls().length + 1, consents)]);

      // The 401 said scope="profile" and named the metadata: mcp-remote found SHIFT (RFC 9728, RFC 8414),
      // registered there (RFC 7591), and asks for the challenge's scope, plus offline_access SHIFT offers.
      const registered = mcp.stateFile('_client_info.json');
      assert.equal(authorization.origin + authorization.pathname, `${shift}/v1/oauth2/auth`);
      assert.equal(authorization.searchParams.get('client_id'), registered.client_id);
      assert.equal(authorization.searchParams.get('redirect_uri'), `http://localhost:${mcp.port}/oauth/callback`);
      assert.equal(authorization.searchParams.get('resource'), `${shift}/mcp`, 'RFC 8707: the token is asked for the MCP server');
      assert.equal(authorization.searchParams.get('code_challenge_method'), 'S256');
      assert.deepEqual(authorization.searchParams.get('scope')!.split(' ').sort(), ['offline_access', 'profile']);
      assert.match(consents[0]!, /MCP CLI Proxy wants to use your SHIFT account/);
      assert.match(consents[0]!, /Registered itself automatically/);
      assert.match(consents[0]!, /See your name and email address/);

      const tools = await mcp.client.listTools();
      assert.deepEqual(tools.tools.map((t) => t.name).sort(), ['get_profile', 'list_files', 'list_teams']);
      const profile = await mcp.client.callTool({ name: 'get_profile', arguments: {} });
      assert.equal(profile.isError, undefined);
      assert.equal((profile.structuredContent as { username: string }).username, 'nate');
      assert.match(JSON.stringify(profile.content), /Nate/);
      assert.ok(mcp.stateFile('_tokens.json').refresh_token, 'offline_access gave it a refresh token');
    });
  });

  it('MCP 2025-11-25 Authorization §Step-Up Authorization Flow, §Token refresh: mcp-remote signs Nate in again for list_files, and refreshes its token without him', async () => {
    const consents: string[] = [];
    await withMcpRemote('step-up', async (mcp) => {
      const first = openedUrls().length;
      await Promise.all([mcp.client.connect(mcp.transport), nateAllows(mcp, first + 1, consents)]);

      const [files, stepUp] = await Promise.all([
        mcp.client.callTool({ name: 'list_files', arguments: {} }),
        nateAllows(mcp, first + 2, consents),
      ]);
      // The 403's challenge names files:read; mcp-remote asks for it, keeping what it had, as the same client.
      assert.equal(stepUp.searchParams.get('client_id'), mcp.stateFile('_client_info.json').client_id);
      assert.deepEqual(stepUp.searchParams.get('scope')!.split(' ').sort(), ['files:read', 'offline_access', 'profile']);
      assert.match(consents[1]!, /MCP CLI Proxy asks for more access/);
      assert.match(consents[1]!, /See the files you keep in SHIFT Files/);
      assert.deepEqual(
        (files.structuredContent as { files: { name: string }[] }).files.map((f) => f.name),
        ['Spring rota.xlsx', 'Design team offsite.pdf'],
      );

      // Past the access token's lifetime the next calls still answer, and nobody is sent to SHIFT:
      // mcp-remote refreshes any token within 60 s of expiry before it uses it.
      const before = mcp.stateFile('_tokens.json');
      await sleep((TOKEN_TTL + 1) * 1000);
      const profile = await mcp.client.callTool({ name: 'get_profile', arguments: {} });
      assert.equal((profile.structuredContent as { username: string }).username, 'nate');
      assert.equal(
        (await mcp.client.callTool({ name: 'list_files', arguments: {} })).isError,
        undefined,
        'the refreshed token kept files:read',
      );
      const after = mcp.stateFile('_tokens.json');
      assert.notEqual(after.access_token, before.access_token);
      assert.notEqual(after.refresh_token, before.refresh_token, 'RFC 9700 §4.14.2: the refresh token rotated');
      assert.equal(openedUrls().length, first + 2, 'refreshed without Nate');
      assert.doesNotMatch(world.sample.output, /access_token=|refresh_token=|code_verifier=/, 'no token in the logs');
    });
  });

  it('MCP 2025-11-25 Authorization §Client ID Metadata Documents: mcp-remote given --client-metadata-url is known by that URL, no registration', async () => {
    const consents: string[] = [];
    const port = await freePort();
    const clientId = world.docs.url('/agents/mcp-remote.json').replace('client.test', '127.0.0.1');
    world.docs.route(
      '/agents/mcp-remote.json',
      json({
        client_id: clientId,
        client_name: 'MCP CLI Proxy by URL',
        redirect_uris: [`http://localhost:${port}/oauth/callback`],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
        scope: 'profile teams:read files:read offline_access',
      }),
    );
    await withMcpRemote(
      'cimd',
      async (mcp) => {
        const [, authorization] = await Promise.all([
          mcp.client.connect(mcp.transport),
          nateAllows(mcp, openedUrls().length + 1, consents),
        ]);
        assert.equal(authorization.searchParams.get('client_id'), clientId, 'the URL is the client id');
        assert.match(consents[0]!, /MCP CLI Proxy by URL wants to use your SHIFT account/);
        assert.doesNotMatch(consents[0]!, /Registered itself automatically/);
        const [teams, stepUp] = await Promise.all([
          mcp.client.callTool({ name: 'list_teams', arguments: {} }),
          nateAllows(mcp, openedUrls().length + 1, consents),
        ]);
        assert.equal(stepUp.searchParams.get('client_id'), clientId);
        assert.deepEqual(stepUp.searchParams.get('scope')!.split(' ').sort(), ['offline_access', 'profile', 'teams:read']);
        assert.match(consents[1]!, /See the teams you belong to/);
        const names = (teams.structuredContent as { teams: { name: string }[] }).teams.map((t) => t.name);
        assert.deepEqual(names.sort(), ['Design', 'Support']);
        assert.equal(world.docs.hits.get('/agents/mcp-remote.json'), 1, 'SHIFT fetched the document once');
      },
      { port, flags: ['--client-metadata-url', clientId] },
    );
  });
});

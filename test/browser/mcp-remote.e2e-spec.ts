import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { BrowserContext } from 'playwright-core';
import { startAgentWorld, type AgentWorld } from './support/sample-process';
import { freePort } from '../support/sample-harness';

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
  const clients: Client[] = [];

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
    for (const client of clients) await client.close();
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
    const allow = page.getByRole('button', { name: 'Allow' });
    await page.locator('input[name="username"], button[value="allow"]').first().waitFor();
    if (await page.locator('input[name="username"]').count()) {
      await page.fill('input[name="username"]', 'nate');
      await page.fill('input[name="password"]', 'shift-demo');
      await page.click('button[type="submit"]');
    }
    await allow.waitFor();
    consents.push(await page.locator('main').innerText());
    const landed = page.waitForURL((u) => u.pathname === '/oauth/callback');
    await allow.click();
    await landed;
    const callback = new URL(page.url());
    assert.equal(callback.origin, `http://127.0.0.1:${mcp.port}`);
    assert.ok(callback.searchParams.get('code'));
    assert.equal(callback.searchParams.get('iss'), shift, 'RFC 9207: the response names SHIFT');
    await page.close();
    return url;
  }

  /** mcp-remote as an MCP host starts it, with a state directory of its own, and an SDK client on its stdio. */
  async function startMcpRemote(name: string) {
    const port = await freePort();
    const bin = join(dir, 'bin');
    const transport = new StdioClientTransport({
      command: process.execPath,
      // SHIFT's loopback redirects are IP literals (RFC 8252 §7.3), and SHIFT is plain http on localhost here.
      args: [PROXY, `${shift}/mcp`, String(port), '--allow-http', '--host', '127.0.0.1'],
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
    clients.push(client);
    const stateFile = (suffix: string) => {
      const state = join(dir, name, 'mcp-remote-v1');
      const file = readdirSync(state).find((f) => f.endsWith(suffix));
      return JSON.parse(readFileSync(join(state, file!), 'utf8')) as Record<string, string>;
    };
    return { client, transport, port, log, stateFile };
  }
  type McpRemote = Awaited<ReturnType<typeof startMcpRemote>>;

  it('MCP 2025-11-25 Authorization §Dynamic Client Registration: mcp-remote, a client we did not write, signs Nate in and calls get_profile', async () => {
    const consents: string[] = [];
    const mcp = await startMcpRemote('dcr');
    const [, authorization] = await Promise.all([mcp.client.connect(mcp.transport), nateAllows(mcp, openedUrls().length + 1, consents)]);

    // The 401 said scope="profile" and named the metadata: mcp-remote found SHIFT (RFC 9728, RFC 8414),
    // registered there (RFC 7591), and asks for the challenge's scope, plus offline_access SHIFT offers.
    const registered = mcp.stateFile('_client_info.json');
    assert.equal(authorization.origin + authorization.pathname, `${shift}/v1/oauth2/auth`);
    assert.equal(authorization.searchParams.get('client_id'), registered.client_id);
    assert.equal(authorization.searchParams.get('redirect_uri'), `http://127.0.0.1:${mcp.port}/oauth/callback`);
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
    await mcp.client.close();
  });

  it('MCP 2025-11-25 Authorization §Step-Up Authorization Flow, §Token refresh: mcp-remote signs Nate in again for list_files, and refreshes its token without him', async () => {
    const consents: string[] = [];
    const mcp = await startMcpRemote('step-up');
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
    await mcp.client.close();
  });
});

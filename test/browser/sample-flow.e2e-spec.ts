import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { eventually } from '../support/eventually';
import { launchChromium, startSampleProcess, type SampleProcess } from './support/sample-process';

const ROOT = join(__dirname, '..', '..', '..');
const SHOTS = join(ROOT, 'test', 'browser', 'screenshots');
const TTL = 3;

/**
 * The whole sample in Debian's Chromium, as a person would use it: CustomApp → "Log in with SHIFT" →
 * SHIFT login → consent → profile in CustomApp → silent refresh → revoke on SHIFT → disconnected,
 * the deny path, and CustomApp's own "Disconnect" withdrawing the consent. CustomApp also reads SHIFT
 * Files, the second API on its own port, with a token minted for it alone (RFC 8707). The three apps
 * run as `npm start` runs them, on free ports and a fresh SQLite file, once on each HTTP platform
 * (`HTTP_ADAPTER`): Express, the default, then Fastify, whose screenshots go to a subfolder.
 */
for (const platform of ['express', 'fastify'] as const) {
  describe(`sample flow in Chromium on ${platform === 'express' ? 'Express' : 'Fastify'} (HTTP_ADAPTER=${platform})`, () => {
    sampleFlow(platform);
  });
}

function sampleFlow(platform: 'express' | 'fastify'): void {
  const shots = platform === 'express' ? SHOTS : join(SHOTS, platform);
  let dir: string;
  let dbFile: string;
  let server: SampleProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let shift: string;
  let customApp: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sample-browser-'));
    dbFile = join(dir, 'sample.sqlite');
    mkdirSync(shots, { recursive: true });
    server = await startSampleProcess({
      DATABASE_URL: `sqlite:${dbFile}`,
      ACCESS_TOKEN_TTL: String(TTL),
      HTTP_ADAPTER: platform,
    });
    shift = server.shift;
    customApp = server.customApp;
    assert.match(
      server.output,
      new RegExp(`served by ${platform === 'express' ? 'Express' : 'Fastify'}`),
      'the platform HTTP_ADAPTER names',
    );
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
    page = await context.newPage();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const shot = (name: string) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  const query = <T>(sql: string): T => {
    const db = new Database(dbFile, { readonly: true });
    try {
      return db.prepare(sql).get() as T;
    } finally {
      db.close();
    }
  };
  /** CustomApp's own count of refreshes, for either API (undefined once it forgot the connection). */
  const refreshCount = () => query<{ n: number } | undefined>('SELECT refresh_count AS n FROM customapp_connections')?.n;
  /** SHIFT's side: refresh tokens that were exchanged (rotated), and tokens still usable. */
  const rotatedRefreshTokens = () =>
    query<{ n: number }>("SELECT COUNT(*) AS n FROM oauth_tokens WHERE kind = 'refresh' AND rotated_at IS NOT NULL").n;
  const liveTokens = () => query<{ n: number }>('SELECT COUNT(*) AS n FROM oauth_tokens WHERE revoked_at IS NULL').n;

  it('logs in with SHIFT, asks for consent, and shows Nate’s profile in CustomApp', async () => {
    await page.goto(customApp);
    await shot('customapp-home');
    await page.getByRole('link', { name: 'Log in with SHIFT' }).click();
    await page.waitForURL(`${shift}/login**`);
    assert.equal(await page.locator('input[name="username"]').count(), 1);
    assert.equal(await page.locator('input[name="password"]').count(), 1);
    await shot('shift-login');

    await page.fill('input[name="username"]', 'nate');
    await page.fill('input[name="password"]', 'wrong-password');
    await page.click('button[type="submit"]');
    await page.getByText('Wrong username or password').waitFor();
    await page.fill('input[name="password"]', 'shift-demo');
    await page.click('button[type="submit"]');

    await page.locator('button[name="decision"][value="allow"]').waitFor();
    assert.match(await page.locator('h1').innerText(), /CustomApp wants to use your SHIFT account/);
    assert.equal(await page.locator('button[name="decision"][value="deny"]').count(), 1);
    // The grant covers both APIs, and the page names them in words (RFC 8707 §2).
    assert.match(await page.getByTestId('consent-resources').innerText(), /^For SHIFT .+ and SHIFT Files .+\.$/);
    await shot('shift-consent');
    await page.setViewportSize({ width: 390, height: 800 });
    await shot('shift-consent-phone');
    await page.setViewportSize({ width: 1100, height: 800 });

    await page.click('button[name="decision"][value="allow"]');
    await page.waitForURL(`${customApp}/`);
    await page.getByText('Nate Rivera').waitFor();
    assert.match(await page.locator('main').innerText(), /nate@shift\.example/);
    assert.match(await page.locator('main').innerText(), /Design/);
    // The code bought a token for SHIFT's user API; the SHIFT Files token came with one refresh (RFC 8707 §2).
    assert.match(await page.getByTestId('files').innerText(), /Spring rota\.xlsx/);
    assert.equal(refreshCount(), 1);
    assert.equal(rotatedRefreshTokens(), 1);
    await shot('customapp-profile');
    await page.setViewportSize({ width: 390, height: 800 });
    await shot('customapp-profile-phone');
    await page.setViewportSize({ width: 1100, height: 800 });
  });

  it('RFC 8707 §2: SHIFT Files refuses the token minted for SHIFT, and SHIFT refuses the one minted for SHIFT Files', async () => {
    assert.equal(await page.getByTestId('files-with-shift-token').innerText(), 'refused it: 401 invalid_token');
    assert.equal(await page.getByTestId('shift-with-files-token').innerText(), 'refused it: 401 invalid_token');
  });

  it('stays connected past the access-token lifetime by refreshing silently', async () => {
    // Reload until CustomApp shows its first refresh: the access token ran out, and the page still shows Nate.
    const refreshes = await eventually(
      async () => {
        await page.reload();
        await page.getByText('Nate Rivera').waitFor();
        return page.getByTestId('refresh-count').innerText();
      },
      (count) => count !== '1',
      { timeoutMs: (TTL + 5) * 1000, intervalMs: 250 },
    );
    assert.ok(Number(refreshes) > 1);
    assert.match(await page.getByTestId('files').innerText(), /Spring rota\.xlsx/, 'SHIFT Files still answers with a renewed token');
    assert.equal(refreshCount(), Number(refreshes), 'CustomApp stored the rotated tokens of each refresh');
    assert.equal(rotatedRefreshTokens(), refreshCount(), 'SHIFT rotated the refresh token once per refresh (RFC 9700 §4.14.2)');
  });

  it('shows the connection on SHIFT’s connected-apps page, and revoking it disconnects CustomApp', async () => {
    await page.goto(`${shift}/account/apps`);
    await page.getByText('CustomApp').first().waitFor();
    await shot('shift-connected-apps');
    await page.getByRole('button', { name: 'Revoke access' }).click();
    await page.getByText('CustomApp can no longer access your SHIFT account.').waitFor();
    assert.match(await page.locator('main').innerText(), /No app is connected/);

    await page.goto(customApp);
    await page.getByText('You are disconnected').waitFor();
    assert.equal(await page.getByText('Nate Rivera').count(), 0);
    assert.equal(refreshCount(), undefined, 'CustomApp forgot the revoked tokens');
    await shot('customapp-disconnected');
  });

  it('shows a friendly page when the user denies consent', async () => {
    await page.getByRole('link', { name: 'Log in with SHIFT' }).click();
    // Still logged in to SHIFT, but the consent was revoked with the app: SHIFT asks again.
    await page.locator('button[name="decision"][value="deny"]').click();
    await page.waitForURL(`${customApp}/oauth/redirect**`);
    await page.getByText('You chose not to let CustomApp use your SHIFT account').waitFor();
    const text = await page.locator('body').innerText();
    assert.doesNotMatch(text, /at .*\.js:\d+|stack|Internal Server Error/i);
    await shot('customapp-denied');
  });

  it('opened from a team on SHIFT, passes shift_team_id through the authorization and back', async () => {
    await page.goto(shift);
    await page.getByText('Hello, Nate').waitFor();
    await shot('shift-home');
    await page.locator('li', { hasText: 'Design' }).getByRole('link', { name: 'Open in CustomApp' }).click();
    await page.waitForURL(`${customApp}/?shift_team_id=*`);
    await page.getByRole('link', { name: 'Log in with SHIFT' }).click();
    await page.getByText('opening from the team Design').waitFor();
    await page.click('button[name="decision"][value="allow"]');
    await page.getByText('Nate Rivera').waitFor();
    assert.match(await page.locator('main').innerText(), /Opened from your SHIFT team Design/);
  });

  it('"Disconnect" revokes at SHIFT and forgets the tokens', async () => {
    await page.getByRole('button', { name: 'Disconnect from SHIFT' }).click();
    await page.getByText('CustomApp is no longer connected to your SHIFT account.').waitFor();
    assert.equal(refreshCount(), undefined, 'CustomApp forgot the tokens');
    assert.equal(liveTokens(), 0, 'SHIFT revoked the grant (RFC 7009 §2.1)');
    assert.doesNotMatch(server.output, /shift-demo|client_secret|refresh_token=|access_token=/, 'no secret in the logs');
  });

  it('after "Disconnect", SHIFT no longer lists CustomApp and the next "Log in with SHIFT" asks for consent again (RFC 7009 §2.1)', async () => {
    await page.goto(`${shift}/account/apps`);
    await page.getByText('No app is connected').waitFor();
    assert.equal(await page.locator('.apps .app-name', { hasText: 'CustomApp' }).count(), 0);
    await shot('shift-connected-apps-after-disconnect');

    await page.goto(customApp);
    await page.getByRole('link', { name: 'Log in with SHIFT' }).click();
    // Still logged in to SHIFT: the consent screen, not a silent code.
    await page.locator('button[name="decision"][value="allow"]').waitFor();
    assert.match(await page.locator('h1').innerText(), /CustomApp wants to use your SHIFT account/);
    assert.doesNotMatch(await page.locator('main').innerText(), /You already allowed/);
    await page.click('button[name="decision"][value="allow"]');
    await page.getByText('Nate Rivera').waitFor();
  });
}

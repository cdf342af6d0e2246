import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { eventually } from '../support/eventually';
import { launchChromium, startSampleProcess, type SampleProcess } from './support/sample-process';

const ROOT = join(__dirname, '..', '..', '..');
const SHOTS = join(ROOT, 'test', 'browser', 'screenshots');
const TTL = 3;

/**
 * An outside developer's path through the sample in Chromium, without the admin CLI: Nate registers
 * an app in SHIFT's "Developer settings → Your apps", pastes its client id and secret into
 * CustomApp's settings, and signs in to CustomApp with it; the consent page says an outside
 * developer registered it. Then the secret is rotated (at once: CustomApp is refused until it gets
 * the new one; with an overlap: it carries on), another user finds no such app, and deleting the app
 * cuts CustomApp off. Once on each HTTP platform (`HTTP_ADAPTER`).
 */
for (const platform of ['express', 'fastify'] as const) {
  describe(`developer portal in Chromium on ${platform === 'express' ? 'Express' : 'Fastify'}: register an app in SHIFT, use it from CustomApp`, () => {
    portalFlow(platform);
  });
}

function portalFlow(platform: 'express' | 'fastify'): void {
  const shots = platform === 'express' ? SHOTS : join(SHOTS, platform);
  let dir: string;
  let server: SampleProcess;
  let browser: Browser;
  let page: Page;
  let shift: string;
  let customApp: string;
  let clientId: string;
  let appUrl: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sample-portal-'));
    mkdirSync(shots, { recursive: true });
    server = await startSampleProcess({
      DATABASE_URL: `sqlite:${join(dir, 'sample.sqlite')}`,
      ACCESS_TOKEN_TTL: String(TTL),
      HTTP_ADAPTER: platform,
    });
    shift = server.shift;
    customApp = server.customApp;
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1100, height: 900 } })).newPage();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const shot = (name: string) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  const main = () => page.locator('main').innerText();

  async function logIn(p: Page, username: string): Promise<void> {
    await p.goto(`${shift}/login`);
    await p.fill('input[name="username"]', username);
    await p.fill('input[name="password"]', 'shift-demo');
    await p.click('button[type="submit"]');
    await p.waitForURL(`${shift}/`);
  }

  /** Pastes a client id and secret into CustomApp's settings page. */
  async function paste(id: string, secret: string): Promise<void> {
    await page.goto(`${customApp}/settings`);
    await page.fill('input[name="client_id"]', id);
    await page.fill('input[name="client_secret"]', secret);
    await page.getByRole('button', { name: 'Check with SHIFT and save' }).click();
    await page.getByText('CustomApp now signs in to SHIFT as this app.').waitFor();
  }

  /** Issues a new secret on the app's page; resolves it. */
  async function rotate(overlap: string): Promise<string> {
    await page.goto(appUrl);
    await page.selectOption('select[name="overlap"]', { label: overlap });
    await page.getByRole('button', { name: 'Issue a new secret' }).click();
    return page.getByTestId('client-secret').innerText();
  }

  /** Reloads CustomApp until its page matches `pattern` (an access token lives TTL seconds). */
  async function customAppShows(pattern: RegExp): Promise<string> {
    const text = await eventually(
      async () => {
        await page.goto(customApp);
        return main();
      },
      (t) => pattern.test(t),
      { timeoutMs: (TTL + 5) * 1000, intervalMs: 300 },
    );
    assert.match(text, pattern);
    return text;
  }

  it('registers a confidential app and shows its secret once', async () => {
    await logIn(page, 'nate');
    await page.getByRole('link', { name: 'Developer settings' }).click();
    await page.getByRole('heading', { name: 'Your apps' }).waitFor();
    await page.getByRole('link', { name: 'Register an app' }).click();
    await page.fill('input[name="name"]', 'Nate’s CustomApp');
    await page.fill('input[name="client_uri"]', 'https://customapp.example/');
    await page.fill('textarea[name="description"]', 'CustomApp, registered by hand.');
    await page.fill('textarea[name="redirect_uris"]', `${customApp}/oauth/redirect`);
    await shot('shift-developer-register');
    await page.getByRole('button', { name: 'Register' }).click();
    await page.getByText('Copy the secret now').waitFor();
    clientId = await page.getByTestId('client-id').innerText();
    const secret = await page.getByTestId('client-secret').innerText();
    assert.ok(secret.length >= 43);
    await shot('shift-developer-secret');

    // Reloading posts the form again: nothing is registered twice, and the secret is not shown again.
    await page.reload();
    await page.getByRole('heading', { name: 'Your apps' }).waitFor();
    assert.ok(!(await page.content()).includes(secret), 'the secret is gone after a reload');
    assert.equal(await page.getByRole('link', { name: 'Nate’s CustomApp' }).count(), 1, 'registered once');
    await page.getByRole('link', { name: 'Nate’s CustomApp' }).click();
    appUrl = page.url();
    assert.ok(!(await page.content()).includes(secret));
    assert.equal(await page.getByTestId('client-id').innerText(), clientId);

    await paste(clientId, secret);
    assert.equal(await page.getByTestId('current-client-id').innerText(), clientId);
    await shot('customapp-settings');
  });

  it('signs in to CustomApp with it: the consent page names an outside developer, the home page and the redirect host', async () => {
    await page.goto(customApp);
    await page.getByRole('link', { name: 'Log in with SHIFT' }).click();
    await page.locator('button[name="decision"][value="allow"]').waitFor();
    assert.match(await page.locator('h1').innerText(), /Nate’s CustomApp wants to use your SHIFT account/);
    assert.match(await page.getByTestId('consent-registration').innerText(), /registered by an outside developer/i);
    assert.match(await page.getByTestId('consent-home').innerText(), /customapp\.example/);
    assert.match(await page.getByTestId('consent-redirect').innerText(), new RegExp(new URL(customApp).host));
    await shot('shift-consent-developer-app');
    await page.click('button[name="decision"][value="allow"]');
    await page.waitForURL(`${customApp}/`);
    await page.getByText('Nate Rivera').waitFor();
    assert.match(await main(), /nate@shift\.example/);
  });

  it('RFC 6819 §5.2.3.1: a rotation with no overlap refuses CustomApp until the new secret is pasted', async () => {
    const fresh = await rotate('Stop the old secret now');
    await page.getByText('The old secret no longer works.').waitFor();
    // Once the access token runs out, CustomApp's refresh with the old secret is refused (invalid_client).
    await customAppShows(/SHIFT refused to connect CustomApp/);
    await paste(clientId, fresh);
    await customAppShows(/Nate Rivera/);
  });

  it('a rotation with an overlap keeps CustomApp working on the old secret', async () => {
    await rotate('Keep it working for 1 hour');
    await page.getByText('The old secret keeps working for 1 hour').waitFor();
    await customAppShows(/Nate Rivera/);
    const before = Number(await page.getByTestId('refresh-count').innerText());
    // Past another access-token lifetime CustomApp refreshes with the old secret, and stays connected.
    const after = await eventually(
      async () => {
        await page.goto(customApp);
        return (await page.getByTestId('refresh-count').count()) ? Number(await page.getByTestId('refresh-count').innerText()) : -1;
      },
      (n) => n !== before,
      { timeoutMs: (TTL + 5) * 1000, intervalMs: 300 },
    );
    assert.ok(after > before, `refreshed with the old secret (${before} → ${after})`);
    assert.match(await main(), /Nate Rivera/);
  });

  it('another user finds no such app', async () => {
    const context = await browser.newContext();
    try {
      const ada = await context.newPage();
      await logIn(ada, 'ada');
      const res = await ada.goto(appUrl);
      assert.equal(res!.status(), 404);
      assert.doesNotMatch(await ada.locator('main').innerText(), /Nate’s CustomApp/);
      await ada.goto(`${shift}/developer/apps`);
      assert.doesNotMatch(await ada.locator('main').innerText(), /Nate’s CustomApp/);
    } finally {
      await context.close();
    }
  });

  it('an app named with markup shows as text', async () => {
    await page.goto(`${shift}/developer/apps/new`);
    await page.fill('input[name="name"]', '<script>alert(1)</script>');
    await page.fill('textarea[name="redirect_uris"]', 'https://example.com/cb');
    let dialogs = 0;
    page.on('dialog', (dialog) => {
      dialogs++;
      void dialog.dismiss();
    });
    await page.getByRole('button', { name: 'Register' }).click();
    await page.getByText('Copy the secret now').waitFor();
    assert.match(await page.locator('h1').innerText(), /<script>alert\(1\)<\/script> is registered/);
    await page.goto(`${shift}/developer/apps`);
    await page.getByText('<script>alert(1)</script>').waitFor();
    assert.equal(dialogs, 0, 'no script ran');
  });

  it('deleting the app cuts CustomApp off: SHIFT refuses its tokens and its secret', async () => {
    await page.goto(appUrl);
    await page.getByRole('button', { name: 'Delete this app' }).click();
    await page.getByText('Nate’s CustomApp is deleted.').waitFor();
    await shot('shift-developer-deleted');
    await customAppShows(/SHIFT refused to connect CustomApp|Disconnected|disconnected/);
    assert.doesNotMatch(await main(), /Nate Rivera/);
    assert.doesNotMatch(server.output, /client_secret=|refresh_token=|access_token=/, 'no secret in the logs');
  });
}

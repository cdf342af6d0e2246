import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, startSampleProcess, type SampleProcess } from './support/sample-process';

const ROOT = join(__dirname, '..', '..', '..');
const SHOTS = join(ROOT, 'test', 'browser', 'screenshots');
/** Nate's SHIFT user id (demo-data.ts): CustomApp's client has public subjects, so it is his `sub`. */
const NATE_SUB = '781c5623c31ae512487ab26ea2e01991';

/**
 * CustomApp signs Nate in with OpenID Connect (openid-client against SHIFT's discovery document), shows
 * who he is from the verified ID token, and "Sign out" ends both sessions: CustomApp's, then SHIFT's
 * through its end-session endpoint (RP-Initiated Logout), back to CustomApp's post-logout URI. Run on
 * both HTTP platforms, since SHIFT ends its session through each one's session store.
 */
for (const platform of ['express', 'fastify'] as const) {
  describe(`OpenID Connect sign-in and sign-out in Chromium on ${platform === 'express' ? 'Express' : 'Fastify'}`, () => {
    signInAndOut(platform);
  });
}

function signInAndOut(platform: 'express' | 'fastify'): void {
  const shots = platform === 'express' ? SHOTS : join(SHOTS, platform);
  let dir: string;
  let dbFile: string;
  let server: SampleProcess;
  let browser: Browser;
  let page: Page;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sample-openid-'));
    dbFile = join(dir, 'sample.sqlite');
    mkdirSync(shots, { recursive: true });
    server = await startSampleProcess({ DATABASE_URL: `sqlite:${dbFile}`, HTTP_ADAPTER: platform });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1100, height: 800 } })).newPage();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const shot = (name: string) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  const connections = () => {
    const db = new Database(dbFile, { readonly: true });
    try {
      return db.prepare('SELECT id_token AS idToken, identity FROM customapp_connections').all() as {
        idToken: string | null;
        identity: string | null;
      }[];
    } finally {
      db.close();
    }
  };
  const logInToShift = async () => {
    await page.waitForURL(`${server.shift}/login**`);
    await page.fill('input[name="username"]', 'nate');
    await page.fill('input[name="password"]', 'shift-demo');
    await page.click('button[type="submit"]');
  };

  it('OpenID Connect Core §3.1: Nate signs in to CustomApp with SHIFT, and CustomApp shows who he is from the ID token', async () => {
    await page.goto(server.customApp);
    await page.getByRole('link', { name: 'Log in with SHIFT' }).click();
    await logInToShift();
    const consent = await page.locator('main').innerText();
    assert.match(consent, /Know who you are on SHIFT/, 'the consent page names the openid scope in words');
    assert.match(consent, /See your email address/);
    await page.getByRole('button', { name: 'Allow' }).click();

    await page.waitForURL(`${server.customApp}/`);
    assert.equal(await page.getByTestId('identity-name').innerText(), 'Nate Rivera');
    assert.equal(await page.getByTestId('identity-email').innerText(), 'nate@shift.example');
    assert.equal(await page.getByTestId('identity-sub').innerText(), NATE_SUB);
    // The API example still answers with the access token.
    assert.match(await page.getByTestId('api-profile').innerText(), /"first_name": "Nate",\s+"last_name": "Rivera"/);
    await shot('customapp-openid-profile');

    const [row] = connections();
    assert.ok(row?.idToken?.startsWith('v1.'), 'CustomApp keeps the ID token encrypted, not as a readable JWT');
    assert.equal(JSON.parse(row!.identity!).sub, NATE_SUB);
  });

  it('OpenID Connect RP-Initiated Logout §2–3: "Sign out" ends CustomApp’s session and SHIFT’s, and SHIFT sends the browser back to CustomApp', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${server.customApp}/signed-out?**`);
    assert.equal(await page.getByTestId('signed-out').innerText(), 'You are signed out of CustomApp and of SHIFT.');
    await shot('customapp-signed-out');
    assert.deepEqual(connections(), [], 'CustomApp forgot the signed-out connection and its tokens');

    await page.goto(server.customApp);
    await page.getByRole('link', { name: 'Log in with SHIFT' }).waitFor();
    assert.equal(await page.getByTestId('identity-name').count(), 0, 'CustomApp shows nobody signed in');

    await page.goto(server.shift);
    await page.waitForURL(`${server.shift}/login**`);
    assert.equal(await page.getByText('Hello, Nate').count(), 0, 'SHIFT no longer knows Nate in this browser');
  });

  it('OpenID Connect Core §3.1.2.3: after signing out, "Log in with SHIFT" needs SHIFT’s password again, and the remembered consent is not asked for again', async () => {
    await page.goto(server.customApp);
    await page.getByRole('link', { name: 'Log in with SHIFT' }).click();
    await page.waitForURL(`${server.shift}/login**`);
    assert.equal(await page.locator('input[name="password"]').count(), 1, 'SHIFT’s login form, not a silent sign-in');
    await logInToShift();
    // Signing out is not withdrawing: CustomApp is still allowed, so SHIFT answers without a consent page.
    await page.waitForURL(`${server.customApp}/`);
    assert.equal(await page.getByTestId('identity-name').innerText(), 'Nate Rivera');
    assert.doesNotMatch(server.output, /shift-demo|eyJ[\w-]+\.eyJ/, 'neither the password nor an ID token reaches the logs');
  });
}

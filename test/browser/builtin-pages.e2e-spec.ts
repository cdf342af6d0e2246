/// <reference lib="dom" />
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import axe from 'axe-core';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { CALLBACK, CHROMIUM_ARGS, startPagesHost, type PagesHost } from './support/pages-host';

const VIEWPORTS = { desktop: { width: 1024, height: 768 }, phone: { width: 390, height: 844 } };
const SCHEMES = ['light', 'dark'] as const;

/**
 * The built-in consent and error pages in Debian's Chromium, in light and dark and at desktop and
 * phone widths: no serious or critical axe-core finding, Allow the primary action and the first
 * button in tab order, and the keyboard alone completes the flow. The pages forbid every script by
 * CSP, so only the audit's context bypasses it to inject axe.
 */
describe('built-in pages in Chromium', () => {
  let host: PagesHost;
  let browser: Browser;

  before(async () => {
    host = await startPagesHost();
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
    });
  });

  after(async () => {
    await browser?.close();
    await host?.t.close();
  });

  /** A page of a fresh context, signed in as nate. */
  async function open(options: BrowserContextOptions): Promise<Page> {
    const context = await browser.newContext(options);
    await context.addCookies([{ name: 'test_user', value: 'nate', url: host.origin }]);
    return context.newPage();
  }

  /**
   * The URL the browser is sent back to the client with. Nothing listens at the client's host, so
   * the request itself is what counts, not whether it loads.
   */
  async function backAtClient(page: Page, act: () => Promise<unknown>): Promise<URL> {
    const [request] = await Promise.all([page.waitForRequest((r) => r.url().startsWith(`${CALLBACK}?`)), act()]);
    return new URL(request.url());
  }

  /** Tab from the top until a button or link-styled button has focus; its text. */
  async function firstFocusedButton(page: Page): Promise<string> {
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const el = document.activeElement;
        return el && (el.tagName === 'BUTTON' || el.classList.contains('button')) ? (el.textContent ?? '') : undefined;
      });
      if (focused !== undefined) return focused;
    }
    throw new Error('no button reached by Tab');
  }

  for (const colorScheme of SCHEMES) {
    for (const [width, viewport] of Object.entries(VIEWPORTS)) {
      for (const which of ['consent', 'error'] as const) {
        it(`WCAG 2.1 AA: the ${which} page has no serious or critical axe finding (${colorScheme}, ${width})`, async () => {
          const page = await open({ viewport, colorScheme, bypassCSP: true });
          try {
            await page.goto(which === 'consent' ? host.consentUrl : host.errorUrl);
            await page.addScriptTag({ content: axe.source });
            const result = await page.evaluate(() =>
              (window as unknown as { axe: typeof axe }).axe.run(document, {
                runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
              }),
            );
            const serious = result.violations
              .filter((v) => v.impact === 'serious' || v.impact === 'critical')
              .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`);
            assert.deepEqual(serious, []);
            assert.ok(
              result.passes.some((p) => p.id === 'color-contrast'),
              'contrast was checked',
            );
            assert.equal(await page.locator('main').count(), 1);
          } finally {
            await page.context().close();
          }
        });
      }

      it(`Allow is the primary action: filled, Deny outlined, both buttons of one form (${colorScheme}, ${width})`, async () => {
        const page = await open({ viewport, colorScheme });
        try {
          await page.goto(host.consentUrl);
          const style = (value: string) =>
            page.locator(`button[name="decision"][value="${value}"]`).evaluate((el) => {
              const s = getComputedStyle(el);
              return { background: s.backgroundColor, form: el.closest('form') !== null };
            });
          const [allow, deny] = [await style('allow'), await style('deny')];
          assert.notEqual(allow.background, deny.background);
          assert.equal(deny.background, 'rgba(0, 0, 0, 0)');
          assert.ok(allow.form && deny.form);
          assert.equal(await page.locator('form').count(), 1);
        } finally {
          await page.context().close();
        }
      });
    }
  }

  it('RFC 6749 §4.1.2: Tab reaches Allow first, Enter submits it, and the code it issues buys a token', async () => {
    const page = await open({ viewport: VIEWPORTS.phone });
    try {
      const response = await page.goto(host.consentUrl);
      assert.match(response!.headers()['content-security-policy'], /^default-src 'none'/);
      assert.match(await page.locator('main').innerText(), /You will be sent back to customapp\.example/);
      assert.match(await page.locator('main').innerText(), /SHIFT API/);
      assert.equal(
        await page.getByRole('link', { name: 'Not you?' }).getAttribute('href'),
        `/logout?return_to=${encodeURIComponent(new URL(host.consentUrl).pathname + new URL(host.consentUrl).search)}`,
      );
      assert.equal(await firstFocusedButton(page), 'Allow');
      const back = await backAtClient(page, () => page.keyboard.press('Enter'));
      assert.equal(back.searchParams.get('state'), 'xyz');
      const code = back.searchParams.get('code');
      assert.ok(code);
      const token = await fetch(`${host.origin}/oauth2/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${host.clientId}:${host.clientSecret}`).toString('base64')}`,
        },
        body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: host.verifier }),
      });
      assert.equal(token.status, 200);
      assert.ok(((await token.json()) as { access_token?: string }).access_token);
    } finally {
      await page.context().close();
    }
  });

  it('RFC 6749 §10.12: a refused form says so in words and Try again, reached by keyboard, shows a fresh consent page', async () => {
    const page = await open({ viewport: VIEWPORTS.desktop });
    try {
      await page.goto(host.consentUrl);
      // Without the form's cookie the token no longer matches this browser.
      await page.context().clearCookies({ name: 'oauth_consent' });
      await page.click('button[value="allow"]');
      assert.equal(await page.locator('h1').innerText(), 'Request refused');
      assert.doesNotMatch(await page.content(), /at \w+ \(|Error:/);
      assert.equal(await firstFocusedButton(page), 'Try again');
      await Promise.all([page.waitForURL(`${host.origin}/oauth2/auth?**`), page.keyboard.press('Enter')]);
      const back = await backAtClient(page, () => page.locator('button[value="allow"]').click());
      assert.ok(back.searchParams.get('code'));
    } finally {
      await page.context().close();
    }
  });
});

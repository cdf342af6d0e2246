/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, startPagesHost } from './support/pages-host';

/**
 * `npm run docs:screenshots`: the built-in consent and error pages, light and dark, as
 * docs/guide/pages.md shows them: 800 px wide, the whole page, so each stays small enough to commit.
 */
async function main(): Promise<void> {
  const out = join(__dirname, '..', '..', '..', 'docs', 'public', 'screenshots');
  mkdirSync(out, { recursive: true });
  const host = await startPagesHost();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  try {
    for (const colorScheme of ['light', 'dark'] as const) {
      const context = await browser.newContext({ viewport: { width: 800, height: 600 }, colorScheme });
      await context.addCookies([{ name: 'test_user', value: 'nate', url: host.origin }]);
      const page = await context.newPage();
      for (const [name, url] of [
        ['consent', host.consentUrl],
        ['error', host.errorUrl],
      ]) {
        await page.goto(url);
        const path = join(out, `${name}-${colorScheme}.png`);
        await page.screenshot({ path, fullPage: true });
        console.log(`wrote ${path}`);
      }
      await context.close();
    }
  } finally {
    await browser.close();
    await host.t.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

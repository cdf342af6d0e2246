// Runs every compiled spec (unit specs beside the library's sources, e2e specs under test/) with
// node's test runner, against SQLite or the database in DATABASE_URL. Browser specs run only
// where Chromium is installed; elsewhere they are skipped with a notice.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'dist');
const only = process.argv.slice(2);

function collect(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return collect(path);
    return name.endsWith('spec.js') ? [path] : [];
  });
}

let files = collect(dist).filter((f) => !only.length || only.some((o) => relative(dist, f).includes(o)));
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const browserOnly = only.some((o) => o.includes('browser'));
if (!existsSync(chromium)) {
  const before = files.length;
  files = files.filter((f) => !f.includes(`${join('test', 'browser')}`));
  if (before !== files.length)
    console.log(`notice: ${chromium} is not installed, so the browser tests were not run (npm run test:browser needs it).`);
} else if (!browserOnly && process.env.SKIP_BROWSER_TESTS === '1') {
  files = files.filter((f) => !f.includes(`${join('test', 'browser')}`));
  console.log('notice: SKIP_BROWSER_TESTS=1, so the browser tests were not run.');
}
if (!files.length) {
  console.error('no spec files found: run `npm run build` first');
  process.exit(1);
}
console.log(`database: ${process.env.DATABASE_URL ? process.env.DATABASE_URL.replace(/\/\/[^@]*@/, '//…@') : 'SQLite (embedded)'}`);
const result = spawnSync(
  process.execPath,
  ['--enable-source-maps', '--test', '--test-reporter=spec', '--test-concurrency=2', '--test-timeout=300000', ...files],
  { stdio: 'inherit', cwd: root, env: { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'test' } },
);
process.exit(result.status ?? 1);

// What the package test's steps share: the workspace paths, running a command that must succeed,
// the pass/fail tally, and installing the packed tarball into a fresh folder.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const root = new URL('../..', import.meta.url).pathname;

/** The version this workspace has installed, so the fresh apps get the same ones from the registry. */
export const installed = (name) => JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;

export function run(cmd, args, cwd, env = {}) {
  const result = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  if (result.status !== 0) {
    console.error(`\n$ ${cmd} ${args.join(' ')}\n${result.stdout}\n${result.stderr}`);
    throw new Error(`${cmd} ${args[0]} failed in ${cwd}`);
  }
  return result.stdout;
}

let failures = 0;
export const failed = () => failures;

export function check(ok, what) {
  console.log(`${ok ? 'ok    ' : 'FAILED'} ${what}`);
  if (!ok) failures++;
}

/**
 * Writes a package.json naming the tarball and `dependencies` (name → version) and installs them
 * from the registry. --ignore-scripts skips compiling better-sqlite3 from source (minutes on a small
 * machine, since its prebuilt binaries come from outside the registry); the binary this workspace
 * already built for the same version and Node ABI is copied in instead. Our own package has no
 * install scripts.
 */
export function install(dir, { tarball, name, dependencies, devDependencies }) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify(
      {
        name,
        private: true,
        dependencies: { 'nest-oauth2-provider': `file:${tarball}`, ...dependencies },
        devDependencies,
        allowScripts: { 'better-sqlite3': true },
      },
      null,
      2,
    ),
  );
  run('npm', ['install', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], dir);
  if (!('better-sqlite3' in dependencies)) return;
  const binary = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node';
  mkdirSync(join(dir, dirname(binary)), { recursive: true });
  copyFileSync(join(root, binary), join(dir, binary));
}

/** The last line a host app printed, as JSON. */
export const lastJsonLine = (output) => JSON.parse(output.trim().split('\n').pop());

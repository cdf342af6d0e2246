import { execFile } from 'node:child_process';
import { join } from 'node:path';

/** What one run of the admin CLI printed. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

const ROOT = join(__dirname, '..', '..', '..');

/** The package's compiled `nest-oauth2` bin. */
export const CLI_PATH = join(ROOT, 'libs', 'oauth2', 'dist', 'cli', 'main.js');

/** What `npm run oauth` adds: SHIFT's settings and the sample's database (see apps/sample/src/cli). */
const SAMPLE_CLI_ARGS = [
  '--config',
  join(ROOT, 'dist', 'apps', 'sample', 'src', 'cli', 'oauth-options.js'),
  '--data-source',
  join(ROOT, 'dist', 'apps', 'sample', 'src', 'cli', 'data-source.js'),
];

/**
 * Runs the real admin CLI as a child process against `databaseUrl`, as `npm run oauth` does, with
 * the sample settings in `env` (those the running sample was given, so both build the same options).
 */
export function runCli(args: string[], databaseUrl: string, env: Record<string, string> = {}): Promise<CliRun> {
  return runBareCli([...SAMPLE_CLI_ARGS, ...args], { ...env, DATABASE_URL: databaseUrl });
}

/** Runs the bin with exactly `args` (no sample settings) and `env` over this process's environment. */
export function runBareCli(args: string[], env: Record<string, string | undefined>): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI_PATH, ...args], { env: { ...process.env, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

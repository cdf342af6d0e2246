import { execFile } from 'node:child_process';
import { join } from 'node:path';

/** What one run of the admin CLI printed. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The compiled admin CLI (`npm run oauth` runs this file). */
export const CLI_PATH = join(__dirname, '..', '..', 'apps', 'sample', 'src', 'cli', 'main.js');

/** Runs the real admin CLI as a child process against `databaseUrl`. */
export function runCli(args: string[], databaseUrl: string): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI_PATH, ...args],
      { env: { ...process.env, DATABASE_URL: databaseUrl }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

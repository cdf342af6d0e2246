import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** One SHIFT instance in its own OS process, as `npm run start:shift` runs it. */
export interface ShiftProcess {
  /** `http://127.0.0.1:<port>`, for supertest. */
  url: string;
  child: ChildProcess;
  /** Everything it wrote to stderr (errors and warnings it logged). */
  stderr(): string;
  /** True while the process runs. */
  alive(): boolean;
  stop(): Promise<void>;
}

/** The compiled apps/sample/src/shift/main.ts. */
const ENTRY = join(__dirname, '..', '..', 'apps', 'sample', 'src', 'shift', 'main.js');

/** Starts SHIFT on a free loopback port with `env` on top of ours, and resolves once it serves. */
export function startShift(env: Record<string, string>): Promise<ShiftProcess> {
  const child = spawn(process.execPath, ['--enable-source-maps', ENTRY], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error('SHIFT did not start within 90 s')), 90_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${error.message}\n${stderr}`));
    };
    child.once('exit', (code) => fail(new Error(`SHIFT exited with ${code} before serving`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /SHIFT listening on port (\d+)/.exec(stdout);
      if (!match) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({
        url: `http://127.0.0.1:${match[1]}`,
        child,
        stderr: () => stderr,
        alive: () => child.exitCode === null && child.signalCode === null,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** One host app instance in its own OS process (see oauth-host.main.ts). */
export interface HostProcess {
  /** `http://127.0.0.1:<port>`, for supertest. */
  url: string;
  child: ChildProcess;
  /** Everything it wrote to stderr (errors and warnings it logged). */
  stderr(): string;
  /** True while the process runs. */
  alive(): boolean;
  stop(): Promise<void>;
}

const ENTRY = join(__dirname, 'oauth-host.main.js');

/** Starts a host app process with `env` on top of ours and resolves once it serves. */
export function startHost(env: Record<string, string>): Promise<HostProcess> {
  const child = spawn(process.execPath, ['--enable-source-maps', ENTRY], {
    env: { ...process.env, NODE_ENV: 'test', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error('the host app did not start within 90 s')), 90_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${error.message}\n${stderr}`));
    };
    child.once('exit', (code) => fail(new Error(`the host app exited with ${code} before serving`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening (\d+)/.exec(stdout);
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

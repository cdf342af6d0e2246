import type { AddressInfo } from 'node:net';
import { READY_MARKER, type BenchFixtures } from '../harness/fixtures';

/** Tells the harness the server is ready: one line on stdout (see `READY_MARKER`). */
export function announceReady(address: AddressInfo | string | null, fixtures: BenchFixtures): void {
  if (!address || typeof address === 'string') throw new Error('the bench server must listen on a TCP port');
  process.stdout.write(`${READY_MARKER}${JSON.stringify({ port: address.port, fixtures })}\n`);
}

/**
 * Closes the server on SIGTERM/SIGINT and exits normally, so `node --cpu-prof` gets to write its
 * profile (it does on a normal exit, not on a kill).
 */
export function closeOnSignal(close: () => Promise<unknown>): void {
  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    const timer = setTimeout(() => process.exit(0), 5000);
    timer.unref();
    close()
      .catch((error: unknown) => console.error(error))
      .finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/** `--name value` from argv, or the fallback. */
export function argValue(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] !== undefined ? process.argv[index + 1] : fallback;
}

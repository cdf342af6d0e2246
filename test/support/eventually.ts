import { setTimeout as delay } from 'node:timers/promises';

/**
 * Calls `probe` until `done` accepts its result, every `intervalMs`, for at most `timeoutMs`, and
 * resolves the last result either way, for the caller's assertion to report. Tests wait on what
 * they can observe with it rather than sleeping for a guessed time.
 */
export async function eventually<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs = 10_000, intervalMs = 100 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() >= deadline) return value;
    await delay(intervalMs);
  }
}

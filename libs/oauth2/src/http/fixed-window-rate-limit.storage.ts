import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { OAuthRateLimitStorage } from '../oauth-module-options.interface';

interface Window {
  hits: number;
  /** Epoch ms at which this window ends and the count starts again. */
  endsAt: number;
}

/** How often windows that have ended are dropped, so idle keys do not pile up. */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * The module's default rate-limit storage: a `@nestjs/throttler` storage that counts each key in a
 * fixed window (the first hit opens it for `ttl`; over `limit`, refused until it ends).
 *
 * `@nestjs/throttler`'s own in-process storage keeps one timestamp per hit and filters the list on
 * every call: exact, but the cost of each request grows with the hits in the window, and on the
 * token endpoint it measured as the largest single cost of an issuance. Here a call is one Map
 * lookup. The price of a fixed window: a client can spend up to twice its limit across the boundary
 * of two windows, which is the usual trade of Redis-style counters too.
 * @publicApi
 */
@Injectable()
export class FixedWindowRateLimitStorage implements OAuthRateLimitStorage, OnModuleDestroy {
  private readonly windows = new Map<string, Window>();
  private sweeper: NodeJS.Timeout | undefined;

  async increment(key: string, ttl: number, limit: number, _blockDuration: number, throttlerName: string) {
    const now = this.now();
    const id = `${throttlerName}\n${key}`;
    let window = this.windows.get(id);
    if (!window || window.endsAt <= now) {
      window = { hits: 0, endsAt: now + ttl };
      this.windows.set(id, window);
      this.sweeper ??= setInterval(() => this.sweep(), SWEEP_INTERVAL_MS).unref();
    }
    window.hits++;
    const secondsLeft = Math.max(1, Math.ceil((window.endsAt - now) / 1000));
    const isBlocked = window.hits > limit;
    return { totalHits: window.hits, timeToExpire: secondsLeft, isBlocked, timeToBlockExpire: isBlocked ? secondsLeft : 0 };
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  /** Drops every window that has ended. */
  sweep(): void {
    const now = this.now();
    for (const [id, window] of this.windows) if (window.endsAt <= now) this.windows.delete(id);
  }

  /** Number of keys counted right now (ended windows included until the next sweep). */
  get size(): number {
    return this.windows.size;
  }

  /** The current time in epoch ms; a subclass may supply another clock. */
  protected now(): number {
    return Date.now();
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { OAuthRateLimitStorage } from '../oauth-module-options.interface';
import { TooManyRequestsError } from '../core/oauth.errors';
import { hashSecret } from '../core/protocol/credentials';
import type { OAuthRateLimit } from '../oauth-module-options.interface';
import { OAUTH_RATE_LIMIT_STORAGE } from '../oauth.constants';

/**
 * Counts requests per key in a `@nestjs/throttler` storage and refuses the one over the limit with
 * `TooManyRequestsError` (429, `Retry-After`). The token endpoint uses it per client and per IP; a
 * host uses it for its own forms (a login per user and per IP). With the default in-process storage
 * every instance counts alone; plug a shared one with the `rateLimitStorage` extra.
 * @publicApi
 * @example
 * await limiter.consume('login:user', username.toLowerCase(), { limit: 5, ttl: 300 });
 */
@Injectable()
export class OAuthRateLimiter {
  /** Spent failure budgets this instance counted (hashed bucket key → epoch ms the window ends), for `assertNotBlocked`. */
  private readonly blocks = new Map<string, number>();

  constructor(@Inject(OAUTH_RATE_LIMIT_STORAGE) private readonly storage: OAuthRateLimitStorage) {}

  /**
   * Count one request for `key` in the bucket `name`; throws `TooManyRequestsError` when it is over
   * `limit` within `ttl` seconds. Blocked requests keep the block until the window frees.
   */
  async consume(name: string, key: string, limit: OAuthRateLimit): Promise<void> {
    const { record } = await this.increment(name, key, limit);
    if (record.isBlocked) throw new TooManyRequestsError(Math.max(1, record.timeToBlockExpire));
  }

  /**
   * Count one failure (a wrong secret) for `key` in the bucket `name`, which counts nothing else.
   * Once `limit` failures are spent within `ttl` seconds, `assertNotBlocked` refuses every further
   * attempt until the window ends; a failure past the limit throws `TooManyRequestsError` itself.
   */
  async countFailure(name: string, key: string, limit: OAuthRateLimit): Promise<void> {
    const { hashed, record } = await this.increment(name, key, limit);
    if (record.isBlocked) {
      const seconds = Math.max(1, record.timeToBlockExpire);
      this.remember(hashed, Date.now() + seconds * 1000);
      throw new TooManyRequestsError(seconds);
    }
    // The budget is spent: the next attempt, right or wrong, waits for the window to end.
    if (record.totalHits >= limit.limit) this.remember(hashed, Date.now() + Math.max(1, record.timeToExpire) * 1000);
  }

  /**
   * Throws `TooManyRequestsError` while `key` has spent its failures in the bucket `name`, without
   * counting: for buckets of `countFailure` (a client authentication that may succeed). It knows
   * what this instance counted; with a shared storage, each instance learns of a spent budget at
   * its own next counted failure.
   */
  assertNotBlocked(name: string, key: string): void {
    // The usual case (no spent budget anywhere) costs no hashing: a resource server introspects freely.
    if (this.blocks.size === 0) return;
    const hashed = bucketKey(name, key);
    const until = this.blocks.get(hashed);
    if (until === undefined) return;
    const left = until - Date.now();
    if (left > 0) throw new TooManyRequestsError(Math.max(1, Math.ceil(left / 1000)));
    this.blocks.delete(hashed);
  }

  private async increment(name: string, key: string, limit: OAuthRateLimit) {
    const ttl = limit.ttl * 1000;
    const hashed = bucketKey(name, key);
    return { hashed, record: await this.storage.increment(hashed, ttl, limit.limit, ttl, name) };
  }

  private remember(hashed: string, until: number): void {
    this.blocks.delete(hashed); // re-inserted last: the map stays in insertion order, oldest first
    this.blocks.set(hashed, until);
    if (this.blocks.size <= MAX_REMEMBERED_BLOCKS) return;
    const now = Date.now();
    for (const [key, ends] of this.blocks) if (ends <= now) this.blocks.delete(key);
    // Still full of live blocks: the oldest go first, as the storage would let them go soonest.
    for (const key of this.blocks.keys()) {
      if (this.blocks.size <= MAX_REMEMBERED_BLOCKS) break;
      this.blocks.delete(key);
    }
  }
}

/** Live blocks remembered for `assertNotBlocked`, at most. */
const MAX_REMEMBERED_BLOCKS = 100_000;

// Keys are hashed: a client_id or username may be long or odd, and a shared store should not hold it in clear.
function bucketKey(name: string, key: string): string {
  return hashSecret(`oauth:${name}:${key}`);
}

import { Inject, Injectable } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { TooManyRequestsError } from '../core/oauth.errors';
import { hashSecret } from '../core/protocol/random-token';
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
  constructor(@Inject(OAUTH_RATE_LIMIT_STORAGE) private readonly storage: ThrottlerStorage) {}

  /**
   * Count one request for `key` in the bucket `name`; throws `TooManyRequestsError` when it is over
   * `limit` within `ttl` seconds. Blocked requests keep the block until the window frees.
   */
  async consume(name: string, key: string, limit: OAuthRateLimit): Promise<void> {
    const ttl = limit.ttl * 1000;
    // Keys are hashed: a client_id or username may be long or odd, and a shared store should not hold it in clear.
    const hashed = hashSecret(`oauth:${name}:${key}`);
    const record = await this.storage.increment(hashed, ttl, limit.limit, ttl, name);
    if (record.isBlocked) throw new TooManyRequestsError(Math.max(1, record.timeToBlockExpire));
  }
}

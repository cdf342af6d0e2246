// The snippets of docs/guide/operations.md and docs/guide/several-instances.md, compiled with the
// rest of the project (strict) and checked against the pages by test/docs-snippets.e2e-spec.ts.
import { Injectable, type Type } from '@nestjs/common';
import { OAuthModule, OAuthRateLimiter, type OAuthRateLimitStorage } from 'nest-oauth2-provider';

declare const options: { issuer: string; scopes: Record<string, string> };
/** Stands for any `@nestjs/throttler` storage shared by the instances, e.g. a Redis one. */
declare const RedisThrottlerStorage: Type<OAuthRateLimitStorage>;

// #region rate-limit
OAuthModule.forRoot({
  issuer: 'https://shift.com',
  scopes: { profile: 'Read your profile' },
  rateLimit: { token: { perIp: { limit: 120, ttl: 60 }, perClient: false } },
});
// #endregion rate-limit

// #region rate-limit-storage
OAuthModule.forRoot({ ...options, rateLimitStorage: RedisThrottlerStorage }); // any class of ThrottlerStorage's shape (OAuthRateLimitStorage)
// #endregion rate-limit-storage

@Injectable()
export class LoginService {
  // #region login-limiter
  constructor(private readonly limiter: OAuthRateLimiter) {}

  async login(username: string, ip: string) {
    await this.limiter.consume('login:ip', ip, { limit: 20, ttl: 300 });
    await this.limiter.consume('login:user', username.toLowerCase(), { limit: 5, ttl: 300 });
    // … check the password
  }
  // #endregion login-limiter
}

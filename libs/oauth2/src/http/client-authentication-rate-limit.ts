import { Inject, Injectable } from '@nestjs/common';
import type { OAuthResponse } from '../core/oauth-response';
import type { ResolvedOAuthOptions } from '../oauth-options';
import { RESOLVED_OAUTH_OPTIONS } from '../oauth.constants';
import { clientAddress, headersOf, parsedBody } from './http-bridge';
import { OAuthRateLimiter } from './oauth-rate-limiter';
import { claimedClientId } from './token-rate-limit.guard';

/**
 * Rate-limits failed client authentications at the revocation and introspection endpoints, per IP
 * and per claimed `client_id` (`rateLimit.clientAuthentication`), so secret guessing there meets
 * the same bound as at the token endpoint. Only failures count: a resource server introspecting at
 * its normal rate is never slowed. Once a client or address has spent its failures, every request of
 * it gets 429, a correct secret too, until the window ends, as at the token endpoint past its limit.
 */
@Injectable()
export class ClientAuthenticationRateLimit {
  constructor(
    @Inject(RESOLVED_OAUTH_OPTIONS) private readonly options: ResolvedOAuthOptions,
    private readonly limiter: OAuthRateLimiter,
  ) {}

  /** Runs `handle` unless the request's address or client is blocked, and counts its answer if it is `invalid_client`. */
  async guard(request: unknown, handle: () => Promise<OAuthResponse>): Promise<OAuthResponse> {
    const limits = this.options.rateLimit.clientAuthentication;
    if (!limits) return handle();
    const ip = clientAddress(request);
    const clientId = claimedClientId(headersOf(request).authorization, parsedBody(request).client_id);
    if (limits.perIp) this.limiter.assertNotBlocked('client-auth:ip', ip);
    if (limits.perClient && clientId !== undefined) this.limiter.assertNotBlocked('client-auth:client', clientId);
    const response = await handle();
    if (!isFailedClientAuthentication(response)) return response;
    // Both buckets count the failure before either refuses it.
    const counted = await Promise.allSettled([
      limits.perIp && this.limiter.countFailure('client-auth:ip', ip, limits.perIp),
      limits.perClient && clientId !== undefined && this.limiter.countFailure('client-auth:client', clientId, limits.perClient),
    ]);
    for (const outcome of counted) if (outcome.status === 'rejected') throw outcome.reason;
    return response;
  }
}

/** A 401 `invalid_client` (RFC 6749 §5.2): the credentials were missing or wrong. */
function isFailedClientAuthentication(response: OAuthResponse): boolean {
  const body = response.body as { error?: unknown } | undefined;
  return response.status === 401 && body?.error === 'invalid_client';
}

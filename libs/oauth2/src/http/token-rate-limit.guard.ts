import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { parseBasicCredentials } from '../core/protocol/http-basic';
import type { ResolvedOAuthOptions } from '../oauth-options';
import { RESOLVED_OAUTH_OPTIONS } from '../oauth.constants';
import { clientAddress, headersOf, parsedBody } from './http-bridge';
import { OAuthRateLimiter } from './oauth-rate-limiter';

/**
 * Rate-limits the token endpoint per IP and per claimed `client_id` (`rateLimit.token`), before any
 * database work. The client id is counted as sent, authenticated or not: that bounds secret guessing
 * against one client from many addresses, at the price that a flood naming a client slows that client.
 */
@Injectable()
export class TokenRateLimitGuard implements CanActivate {
  constructor(
    @Inject(RESOLVED_OAUTH_OPTIONS) private readonly options: ResolvedOAuthOptions,
    private readonly limiter: OAuthRateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const limits = this.options.rateLimit.token;
    if (!limits) return true;
    // Only the address and the claimed client: the endpoint builds the whole request itself.
    const request = context.switchToHttp().getRequest();
    if (limits.perIp) await this.limiter.consume('token:ip', clientAddress(request), limits.perIp);
    if (!limits.perClient) return true;
    const clientId = claimedClientId(headersOf(request).authorization, parsedBody(request).client_id);
    if (clientId !== undefined) await this.limiter.consume('token:client', clientId, limits.perClient);
    return true;
  }
}

/** The client id a request names (HTTP Basic first, RFC 6749 §2.3.1, else the body); malformed input is left to the endpoint. */
export function claimedClientId(authorization: string | string[] | undefined, bodyClientId: unknown): string | undefined {
  let basicId: string | undefined;
  try {
    basicId = parseBasicCredentials(authorization)?.id;
  } catch {
    // Malformed: the endpoint refuses it before any client lookup, so there is no secret to guess.
  }
  if (basicId) return basicId;
  return typeof bodyClientId === 'string' && bodyClientId ? bodyClientId : undefined;
}

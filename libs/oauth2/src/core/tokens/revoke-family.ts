import type { TokenStore } from '../../stores/token.store';
import type { TokenCache } from '../token-cache';

/**
 * Revokes every token of a grant (a code replay, a refresh-token reuse: RFC 6749 §4.1.2, RFC 9700
 * §4.14.2) and forgets them in this instance's bearer cache, so they stop working on the next request.
 * A cached JWT access token is filed under its `jti`, not the grant (the JWT does not carry it), so
 * the revoked rows are evicted by id as well: a recorded JWT's row id is its `jti`.
 */
export async function revokeFamily(tokens: TokenStore, cache: TokenCache | undefined, grantId: string, now: Date): Promise<void> {
  const revoked = await tokens.revokeGrant(grantId, now);
  cache?.evictGrant(grantId);
  cache?.evictTokens(revoked);
}

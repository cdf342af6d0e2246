import type { TokenStore } from '../../stores/token.store';
import type { TokenCache } from '../token-cache';

/**
 * Revokes every token of a grant (a code replay, a refresh-token reuse: RFC 6749 §4.1.2, RFC 9700
 * §4.14.2) and forgets them in this instance's bearer cache, so they stop working on the next request.
 */
export async function revokeFamily(tokens: TokenStore, cache: TokenCache | undefined, grantId: string, now: Date): Promise<void> {
  await tokens.revokeGrant(grantId, now);
  cache?.evictGrant(grantId);
}

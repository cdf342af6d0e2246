import type { ConsentStore } from '../../stores/consent.store';
import type { TokenStore } from '../../stores/token.store';
import type { TokenCache } from '../token-cache';

/** What ending a client's authorization by a user touches. */
export interface DisconnectDeps {
  tokens: TokenStore;
  consents: ConsentStore;
  cache: TokenCache;
}

/**
 * Ends a client's authorization by a user (RFC 7009 §2.1 "the authorization grant itself", and the
 * user's own "revoke access"): every token the client holds for them is revoked and evicted from
 * this instance's cache, then the consent goes, so the next authorization asks again. Tokens first:
 * should the consent delete fail, the client is already cut off and the user can still retry.
 * Resolves whether there was anything to end.
 */
export async function disconnectClient(deps: DisconnectDeps, userId: string, clientId: string, now: Date): Promise<boolean> {
  const revoked = await deps.tokens.revokeForUserAndClient(userId, clientId, now);
  deps.cache.evictTokens(revoked);
  const hadConsent = await deps.consents.revoke(userId, clientId);
  return hadConsent || revoked.length > 0;
}

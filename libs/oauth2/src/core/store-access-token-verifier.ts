import type { ClientStore } from '../stores/client.store';
import type { OAuthToken } from '../stores/models';
import type { TokenStore } from '../stores/token.store';
import { AccessTokenVerifier } from './access-token-verifier';
import type { Clock } from './clock';
import { InvalidTokenError } from './oauth.errors';
import { hashSecret } from './protocol/credentials';
import type { ResourceAuthorization } from './resource-authorization';
import type { TokenCache } from './token-cache';

/** What the store-backed verifier needs. */
export interface StoreAccessTokenVerifierDeps {
  tokens: TokenStore;
  clients: ClientStore;
  clock: Clock;
  /** This instance's bearer cache, shared with everything that revokes. */
  cache: TokenCache;
}

/**
 * Validates access tokens against this application's `TokenStore` (the authorization server and the
 * resource server share a database).
 *
 * - One `TokenStore.findByHash` per request (the store keeps only SHA-256 hashes), then one
 *   `ClientStore.findById`: a deleted client's tokens stop working, as the ClientStore contract
 *   promises. With the cache on, a repeated token costs neither lookup; a revocation on this
 *   instance that finishes while those lookups are awaited keeps the token out of the cache.
 * - A token is accepted only if it is an access token, not revoked, and `expiresAt` is after the
 *   injected clock's `now()`. Every refusal is `invalid_token` (RFC 6750 §3.1).
 */
export class StoreAccessTokenVerifier extends AccessTokenVerifier {
  constructor(private readonly deps: StoreAccessTokenVerifierDeps) {
    super();
  }

  async verify(accessToken: string): Promise<ResourceAuthorization> {
    const tokenHash = hashSecret(accessToken);
    const now = this.deps.clock.now();
    const cached = this.deps.cache.get(tokenHash, now);
    if (cached) return cached;

    // A revocation may finish while the lookups below are awaited; the cache then refuses this result.
    const lookup = this.deps.cache.beginLookup();
    try {
      const token = await this.deps.tokens.findByHash(tokenHash);
      const problem = token ? problemWith(token, now) : 'The access token is not recognized';
      if (problem || !token) throw new InvalidTokenError(problem ?? 'The access token is not recognized');
      if (!(await this.deps.clients.findById(token.clientId))) {
        throw new InvalidTokenError('The client this access token was issued to no longer exists');
      }
      const authorization = toAuthorization(token);
      this.deps.cache.set(tokenHash, authorization, token.grantId, now, lookup);
      return authorization;
    } finally {
      this.deps.cache.endLookup(lookup);
    }
  }
}

function problemWith(token: OAuthToken, now: Date): string | undefined {
  // A refresh token is for the token endpoint only (RFC 6749 §1.5); accepting it here would let a
  // long-lived credential act as an access token.
  if (token.kind === 'refresh') return 'A refresh token cannot be used as an access token';
  // A `jwt_access` row's hash is that of a JWT's `jti`: the claim is not a bearer credential.
  if (token.kind !== 'access') return 'The access token is not recognized';
  if (token.revokedAt) return 'The access token has been revoked';
  if (token.expiresAt.getTime() <= now.getTime()) return 'The access token expired';
  return undefined;
}

function toAuthorization(token: OAuthToken): ResourceAuthorization {
  return Object.freeze({
    clientId: token.clientId,
    userId: token.userId,
    scopes: Object.freeze([...token.scopes]),
    expiresAt: new Date(token.expiresAt.getTime()),
    tokenId: token.id,
    // An access token has at most one resource: its audience (RFC 8707 §2).
    audience: token.resources[0] ?? null,
  });
}

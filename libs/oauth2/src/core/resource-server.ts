import type { ClientStore } from '../stores/client.store';
import type { OAuthToken } from '../stores/models';
import type { TokenStore } from '../stores/token.store';
import { BearerRequestError, BearerScopeError, BearerTokenError, MissingBearerTokenError } from './bearer-challenge';
import { extractBearerToken, type BearerRequest } from './bearer-credentials';
import type { Clock } from './clock';
import { hashSecret } from './protocol/credentials';
import type { ResourceAuthorization } from './resource-authorization';
import type { TokenCache } from './token-cache';

/** What the resource server needs from the module options. */
export interface ResourceServerSettings {
  /** `realm` of every `WWW-Authenticate: Bearer` challenge (RFC 6750 §3). */
  realm: string;
  /** Accept `?access_token=` (RFC 6750 §2.3). */
  allowQueryToken: boolean;
}

/** What the resource server needs. @publicApi */
export interface ResourceServerDeps {
  settings: ResourceServerSettings;
  tokens: TokenStore;
  clients: ClientStore;
  clock: Clock;
  /** This instance's bearer cache. */
  cache: TokenCache;
}

/**
 * Validates bearer access tokens (RFC 6750): the framework-free core behind `BearerGuard`.
 *
 * - One `TokenStore.findByHash` per request (the store keeps only SHA-256 hashes), then one
 *   `ClientStore.findById`: a deleted client's tokens stop working, as the ClientStore contract
 *   promises. With the cache on, a repeated token costs neither lookup; a revocation on this
 *   instance that finishes while those lookups are awaited keeps the token out of the cache.
 * - A token is accepted only if it is an access token, not revoked, and `expiresAt` is after the
 *   injected clock's `now()`. Every refusal is `invalid_token` (401) with a challenge.
 * - Scopes: every scope the resource lists is required (RFC 6750 §3.1 `insufficient_scope`, 403).
 * @publicApi
 * @example
 * const auth = await resourceServer.authenticate({ method: 'GET', headers: { authorization: 'Bearer …' }, query: {}, body: {} });
 * resourceServer.assertScopes(auth, ['profile']);
 */
export class ResourceServer {
  constructor(private readonly deps: ResourceServerDeps) {}

  /** Finds the request's token (RFC 6750 §2) and validates it; throws the RFC 6750 error otherwise. */
  async authenticate(request: BearerRequest): Promise<ResourceAuthorization> {
    const token = extractBearerToken(request, this.deps.settings.realm, this.deps.settings.allowQueryToken);
    if (token === undefined) throw new MissingBearerTokenError(this.deps.settings.realm);
    return this.validate(token);
  }

  /** Validates an access token value; throws `invalid_token` (with its challenge) when it must be refused. */
  async validate(accessToken: string): Promise<ResourceAuthorization> {
    const tokenHash = hashSecret(accessToken);
    const now = this.deps.clock.now();
    const cached = this.deps.cache.get(tokenHash, now);
    if (cached) return cached;

    // A revocation may finish while the lookups below are awaited; the cache then refuses this result.
    const lookup = this.deps.cache.beginLookup();
    try {
      const token = await this.deps.tokens.findByHash(tokenHash);
      const problem = token ? this.problemWith(token, now) : 'The access token is not recognized';
      if (problem || !token) throw new BearerTokenError(this.deps.settings.realm, problem ?? 'The access token is not recognized');
      if (!(await this.deps.clients.findById(token.clientId))) {
        throw new BearerTokenError(this.deps.settings.realm, 'The client this access token was issued to no longer exists');
      }
      const authorization = toAuthorization(token);
      this.deps.cache.set(tokenHash, authorization, token.grantId, now, lookup);
      return authorization;
    } finally {
      this.deps.cache.endLookup(lookup);
    }
  }

  /**
   * The RFC 6750 §3.1 `invalid_request`, with its challenge, for a request whose body could not be
   * read (too large, undecodable): on a protected resource it still names the realm and the error.
   */
  malformedRequest(description: string, status = 400): BearerRequestError {
    return new BearerRequestError(this.deps.settings.realm, description, { status });
  }

  /** Throws `insufficient_scope` (403) unless the authorization holds every one of `required`. */
  assertScopes(authorization: ResourceAuthorization, required: readonly string[]): void {
    if (required.some((scope) => !authorization.scopes.includes(scope))) {
      throw new BearerScopeError(this.deps.settings.realm, required);
    }
  }

  private problemWith(token: OAuthToken, now: Date): string | undefined {
    // A refresh token is for the token endpoint only (RFC 6749 §1.5); accepting it here would let a
    // long-lived credential act as an access token.
    if (token.kind !== 'access') return 'A refresh token cannot be used as an access token';
    if (token.revokedAt) return 'The access token has been revoked';
    if (token.expiresAt.getTime() <= now.getTime()) return 'The access token expired';
    return undefined;
  }
}

function toAuthorization(token: OAuthToken): ResourceAuthorization {
  return Object.freeze({
    clientId: token.clientId,
    userId: token.userId,
    scopes: Object.freeze([...token.scopes]),
    expiresAt: new Date(token.expiresAt.getTime()),
    tokenId: token.id,
  });
}

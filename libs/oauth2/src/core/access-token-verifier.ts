import type { ResourceAuthorization } from './resource-authorization';

/**
 * Turns an access token into what the resource server learns about its caller: the pluggable
 * half of `ResourceServer`, which keeps extraction (RFC 6750 §2), the audience check, scopes and
 * challenges for itself.
 *
 * - `verify` resolves for a token the resource may accept, whatever its audience: the caller
 *   compares `audience` with the resource it protects.
 * - It rejects with `InvalidTokenError` (RFC 6750 §3.1) when the token is unknown, expired,
 *   revoked or not an access token; the description is shown to the client, so it never quotes
 *   the token. An outage of what it asks rejects with `TemporarilyUnavailableError` (503).
 * - Two implementations ship: `StoreAccessTokenVerifier` reads the `TokenStore` of this
 *   application, and the remote resource server asks the authorization server (RFC 7662).
 *
 * It is also the DI token, so a host or a test can provide its own.
 * @publicApi
 * @example
 * class MyVerifier extends AccessTokenVerifier {
 *   async verify(token: string) { return lookUp(token) ?? Promise.reject(new InvalidTokenError('The access token is not recognized')); }
 * }
 */
export abstract class AccessTokenVerifier {
  /** The authorization the token carries, or a rejection with the RFC 6750 error (see the class). */
  abstract verify(accessToken: string): Promise<ResourceAuthorization>;
}

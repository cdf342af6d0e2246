/**
 * What a protected handler learns about the caller once its bearer token has been validated
 * (the "ResourceAuthorization" role of the provider interface this library descends from).
 * Read it with `@OAuthAuthorization()`.
 * @publicApi
 */
export interface ResourceAuthorization {
  /** The client the token was issued to (`client_id`). */
  readonly clientId: string;
  /** The resource owner, or null for a `client_credentials` token (the client acts for itself). */
  readonly userId: string | null;
  /** The scopes the token was granted (RFC 6749 §3.3). */
  readonly scopes: readonly string[];
  /** When the token stops being accepted. */
  readonly expiresAt: Date;
  /** The token's id (not the token): introspection's `jti`, safe to log. */
  readonly tokenId: string;
  /**
   * The resource the token is for (RFC 8707 §2, the `aud` of RFC 7662 §2.2), or null when it names
   * none. `BearerGuard` has already checked it against the route's resource when one is configured.
   */
  readonly audience: string | null;
}

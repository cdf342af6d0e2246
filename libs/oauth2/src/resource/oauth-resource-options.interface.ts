/**
 * Options of `OAuthResourceModule.forRoot()` / `forRootAsync()`: a resource server on another host
 * than the authorization server, validating tokens by introspection (RFC 7662). Validated at
 * start-up, with one line per problem.
 * @publicApi
 */
export interface OAuthResourceModuleOptions {
  /** The authorization server's issuer, exactly as its metadata (RFC 8414) says it. */
  issuer: string;
  /**
   * This API's identifier (RFC 8707 §2) in canonical form: tokens must carry it in `aud`, and it is
   * the `resource` of the RFC 9728 document this module serves.
   */
  resource: string;
  /** This resource server's credentials as a client of the authorization server allowed to introspect. */
  introspection: { clientId: string; clientSecret: string };
  /** The scopes of this API, published as `scopes_supported` (RFC 9728 §2); left out when not given. */
  scopes?: string[];
  /** This API's name in words (`resource_name`, RFC 9728 §2). */
  resourceName?: string;
  /**
   * Cache of active introspection answers, keyed by the token's SHA-256. An entry lives at most `ttl`
   * seconds and never past the token's `exp`, so a token revoked at the authorization server is still
   * accepted here for up to `ttl` seconds. `false` asks on every request. Default: `{ maxEntries: 10000, ttl: 30 }`.
   */
  cache?: { maxEntries?: number; ttl?: number } | false;
  /** `realm` of the `WWW-Authenticate` challenges. Default: the resource identifier. */
  realm?: string;
  /** Accept `?access_token=` (RFC 6750 §2.3). Default: false. */
  allowQueryToken?: boolean;
  /** Seconds to wait for the authorization server (metadata and introspection). Default: 5. */
  timeout?: number;
}

/** Options that decide the module's wiring rather than its behaviour. @publicApi */
export interface OAuthResourceModuleExtras {
  /** Register the module globally, so `BearerGuard` resolves in every module. Default: true. */
  isGlobal?: boolean;
}

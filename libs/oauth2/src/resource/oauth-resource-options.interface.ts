import type { SigningAlgorithm } from '../stores/models';

/**
 * Options of `OAuthResourceModule.forRoot()` / `forRootAsync()`: a resource server on another host
 * than the authorization server. A token shaped as a JWT is verified locally against the
 * authorization server's JWK Set (RFC 9068 §4); any other token is introspected (RFC 7662) when
 * `introspection` is set, and refused otherwise. Validated at start-up, with one line per problem.
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
  /**
   * This resource server's credentials as a client of the authorization server allowed to introspect.
   * Leave it out when every token is a JWT: opaque tokens are then refused with `invalid_token`.
   */
  introspection?: { clientId: string; clientSecret: string };
  /**
   * Where and how long to keep the authorization server's keys, for JWT access tokens (RFC 9068).
   * Fetched on the first JWT from `uri` (default: `jwks_uri` of the metadata, RFC 8414 §2), kept for
   * the answer's `Cache-Control: max-age` clamped to `maxAge.min`..`maxAge.max` (`maxAge.fallback`
   * without one), fetched again when stale or when a token names an unknown `kid`, never twice within
   * `cooldown` seconds. A failed fetch keeps the keys held. `false`: no local verification, every
   * token is introspected (revocation seen at once; needs `introspection`).
   * Default: `{ cooldown: 30, maxAge: { min: 30, max: 86400, fallback: 300 } }`.
   */
  jwks?: { uri?: string; cooldown?: number; maxAge?: { min?: number; max?: number; fallback?: number } } | false;
  /** The algorithms a JWT may be signed with (RFC 8725 §3.1). Default: `['ES256', 'EdDSA', 'RS256']`. */
  algorithms?: SigningAlgorithm[];
  /** Seconds of clock difference tolerated on a JWT's `exp`, `nbf` and `iat`. Default: 30. */
  clockTolerance?: number;
  /** The scopes of this API, published as `scopes_supported` (RFC 9728 §2); left out when not given. */
  scopes?: string[];
  /** This API's name in words (`resource_name`, RFC 9728 §2). */
  resourceName?: string;
  /**
   * Cache of accepted tokens (introspection answers, verified JWTs), keyed by the token's SHA-256. An
   * entry lives at most `ttl` seconds and never past the token's `exp`, so a token revoked at the
   * authorization server is still accepted here for up to `ttl` seconds. `false` asks (or verifies the
   * signature) on every request. Default: `{ maxEntries: 10000, ttl: 30 }`.
   */
  cache?: { maxEntries?: number; ttl?: number } | false;
  /** `realm` of the `WWW-Authenticate` challenges. Default: the resource identifier. */
  realm?: string;
  /** Accept `?access_token=` (RFC 6750 §2.3). Default: false. */
  allowQueryToken?: boolean;
  /** Seconds to wait for the authorization server (metadata, JWK Set and introspection). Default: 5. */
  timeout?: number;
}

/** Options that decide the module's wiring rather than its behaviour. @publicApi */
export interface OAuthResourceModuleExtras {
  /** Register the module globally, so `BearerGuard` resolves in every module. Default: true. */
  isGlobal?: boolean;
}

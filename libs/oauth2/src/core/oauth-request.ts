/**
 * The framework-free view of an HTTP request that the core works on. The HTTP bridge builds it from
 * Express or Fastify; the core never sees the framework's objects except through `raw`, which is
 * handed untouched to the host's interaction class (so it can read its own session).
 */
export interface OAuthRequest {
  method: string;
  /** Path and query as received, e.g. `/v1/oauth2/auth?client_id=…`. */
  url: string;
  /** Lower-case header names. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Parsed query; a repeated parameter arrives as an array (rejected by the core, RFC 6749 §3.1). */
  query: Readonly<Record<string, unknown>>;
  /** Parsed `application/x-www-form-urlencoded` body, or `{}`. */
  body: Readonly<Record<string, unknown>>;
  /** Cookies sent with the request (name → value). */
  cookies: Readonly<Record<string, string>>;
  /** True when the request reached us over TLS (directly or through a trusted proxy). */
  secure: boolean;
  /** Client IP, after `trust proxy`. */
  ip: string;
  /** The framework's own request object, for the host's interaction class. */
  raw: unknown;
}

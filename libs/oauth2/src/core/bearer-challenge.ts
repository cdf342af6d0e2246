import { InsufficientScopeError, InvalidRequestError, InvalidTokenError } from './oauth.errors';
import { quoteHeaderValue, safeDescription } from './error-response';

/**
 * The `WWW-Authenticate: Bearer` challenge of RFC 6750 §3 and the errors that carry it.
 * - No credentials at all: `Bearer realm="…"`, with no error attribute (RFC 6750 §3.1).
 * - Otherwise the challenge repeats the error code and description, plus `scope` for
 *   `insufficient_scope`. Every value is a quoted-string with `"` and `\` escaped (RFC 7235 §2.1).
 * - A 401 of a known resource may carry `scope` too, the scopes the route needs (RFC 6750 §3 allows
 *   it on any challenge), so a client asks for those rather than everything (MCP 2025-11-25
 *   Authorization, Protected Resource Metadata Discovery Requirements).
 * - When the protected resource is known, every challenge also names its metadata document,
 *   `resource_metadata="<URL>"` (RFC 9728 §5.1), so a client can discover the authorization server.
 * The errors carry the challenge in `headers`, so whatever filter writes them sends it.
 */
export function bearerChallenge(
  target: ChallengeTarget,
  error: { code?: string; description?: string; scope?: readonly string[] } = {},
): string {
  const realm = typeof target === 'string' ? target : target.realm;
  const params = [`realm=${quoteHeaderValue(realm)}`];
  if (error.code) {
    params.push(`error=${quoteHeaderValue(error.code)}`);
    if (error.description) params.push(`error_description=${quoteHeaderValue(safeDescription(error.description))}`);
  }
  if (error.scope?.length) params.push(`scope=${quoteHeaderValue(error.scope.join(' '))}`);
  if (typeof target !== 'string' && target.resourceMetadata) params.push(`resource_metadata=${quoteHeaderValue(target.resourceMetadata)}`);
  return `Bearer ${params.join(', ')}`;
}

/**
 * What a challenge names: the realm alone, or the realm and the URL of the protected resource's
 * metadata document (RFC 9728 §5.1).
 */
export type ChallengeTarget = string | { readonly realm: string; readonly resourceMetadata?: string };

/**
 * The request carried no bearer token: 401 with a bare challenge (RFC 6750 §3.1 — "the resource server
 * SHOULD NOT include an error code"). The JSON body still says `invalid_request` (the token, a required
 * parameter, is missing) so clients parsing bodies get a code and a description.
 */
export class MissingBearerTokenError extends InvalidRequestError {
  override readonly headers: Readonly<Record<string, string>>;
  /** `scope`: the scopes the route needs, named in the challenge as a hint (none: no attribute). */
  constructor(realm: ChallengeTarget, scope?: readonly string[]) {
    super('This resource requires a bearer access token (RFC 6750 section 2)', { status: 401 });
    this.headers = { 'WWW-Authenticate': bearerChallenge(realm, { scope }) };
  }
}

/** A malformed bearer request (bad header syntax, two token sources, a refused query token): 400 (RFC 6750 §3.1). */
export class BearerRequestError extends InvalidRequestError {
  override readonly headers: Readonly<Record<string, string>>;
  constructor(realm: ChallengeTarget, description: string, options?: { cause?: unknown; status?: number }) {
    super(description, options);
    this.headers = { 'WWW-Authenticate': bearerChallenge(realm, { code: this.code, description }) };
  }
}

/** The token is unknown, expired, revoked, not an access token, or its client is gone: 401 (RFC 6750 §3.1). */
export class BearerTokenError extends InvalidTokenError {
  override readonly headers: Readonly<Record<string, string>>;
  /** `scope`: the scopes the route needs, named in the challenge as a hint (none: no attribute). */
  constructor(realm: ChallengeTarget, description: string, scope?: readonly string[]) {
    super(description);
    this.headers = { 'WWW-Authenticate': bearerChallenge(realm, { code: this.code, description, scope }) };
  }
}

/** The token lacks a scope the resource requires: 403 with the required scopes in the challenge (RFC 6750 §3.1). */
export class BearerScopeError extends InsufficientScopeError {
  override readonly headers: Readonly<Record<string, string>>;
  constructor(realm: ChallengeTarget, requiredScopes: readonly string[], description?: string) {
    super(requiredScopes, description);
    this.headers = {
      'WWW-Authenticate': bearerChallenge(realm, { code: this.code, description: this.description, scope: requiredScopes }),
    };
  }
}

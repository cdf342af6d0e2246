/**
 * JWT access tokens (RFC 9068): what goes in them and what a resource server checks.
 * - header: `typ: at+jwt` (§2.1), `alg`, `kid`;
 * - claims (§2.2): `iss`, `exp`, `aud` (the one resource, RFC 8707), `sub` (the user, or the client
 *   id when there is none, §2.2), `client_id`, `iat`, `jti`, `scope` (§2.2.3). Nothing secret.
 * Validation (§4): `typ` must be `at+jwt` (an ID token or any other JWT is refused, RFC 8725 §3.11),
 * `iss` must be the issuer, `aud` must hold the resource, `exp` in the future and `nbf`/`iat` not in
 * it, each with a small tolerance for clock skew.
 */
import { formatScope, parseScope } from '../protocol/scope';
import type { ResourceAuthorization } from '../resource-authorization';
import type { ParsedJws } from './jws';

export const ACCESS_TOKEN_TYP = 'at+jwt';

export interface AccessTokenClaimsInput {
  issuer: string;
  audience: string;
  clientId: string;
  userId: string | null;
  scopes: readonly string[];
  jti: string;
  issuedAt: Date;
  expiresAt: Date;
}

/** The claims of one access token, in a fixed order. */
export function accessTokenClaims(input: AccessTokenClaimsInput): Record<string, string | number> {
  return {
    iss: input.issuer,
    sub: input.userId ?? input.clientId,
    aud: input.audience,
    client_id: input.clientId,
    scope: formatScope([...input.scopes]),
    jti: input.jti,
    iat: Math.floor(input.issuedAt.getTime() / 1000),
    exp: Math.floor(input.expiresAt.getTime() / 1000),
  };
}

export interface AccessTokenExpectations {
  issuer: string;
  /** The resource this server protects; undefined = any audience (the caller compares it). */
  audience?: string;
  now: Date;
  /** Seconds of clock skew tolerated on `exp`, `nbf` and `iat`. */
  clockTolerance: number;
}

/** Why the token's header and claims fail RFC 9068 §4, or undefined when they pass. */
export function accessTokenProblem(jws: ParsedJws, expect: AccessTokenExpectations): string | undefined {
  const typ = typeof jws.header.typ === 'string' ? jws.header.typ.toLowerCase() : undefined;
  if (typ !== ACCESS_TOKEN_TYP && typ !== `application/${ACCESS_TOKEN_TYP}`)
    return 'The token is not a JWT access token (typ must be at+jwt)';
  const c = jws.payload;
  if (c.iss !== expect.issuer) return 'The access token was issued by another authorization server';
  const audiences = Array.isArray(c.aud) ? c.aud : [c.aud];
  if (audiences.some((a) => typeof a !== 'string') || audiences.length === 0) return 'The access token has no valid audience';
  if (expect.audience !== undefined && !audiences.includes(expect.audience)) return 'The access token is not meant for this resource';
  if (typeof c.sub !== 'string' || typeof c.client_id !== 'string' || typeof c.jti !== 'string')
    return 'The access token lacks sub, client_id or jti';
  if (!isNumericDate(c.exp) || !isNumericDate(c.iat)) return 'The access token lacks a valid exp or iat';
  if (c.scope !== undefined && typeof c.scope !== 'string') return 'The access token has an invalid scope claim';
  const now = expect.now.getTime() / 1000;
  if (c.exp <= now - expect.clockTolerance) return 'The access token expired';
  if (c.iat > now + expect.clockTolerance) return 'The access token was issued in the future';
  if (c.nbf !== undefined && (!isNumericDate(c.nbf) || c.nbf > now + expect.clockTolerance)) return 'The access token is not valid yet';
  return undefined;
}

/**
 * What a validated token tells the resource server. A `sub` equal to `client_id` means no user (RFC
 * 9068 §2.2). The audience is `resource` when `aud` lists it (RFC 9068 §4: `aud` contains the
 * resource), else the first entry, for the resource server to refuse.
 */
export function authorizationFromClaims(claims: Record<string, unknown>, resource?: string): ResourceAuthorization {
  const clientId = claims.client_id as string;
  const listed = Array.isArray(claims.aud) ? (claims.aud as string[]) : [claims.aud as string];
  const audiences = resource !== undefined && listed.includes(resource) ? [resource] : listed;
  return Object.freeze({
    clientId,
    userId: claims.sub === clientId ? null : (claims.sub as string),
    scopes: Object.freeze(parseScope(claims.scope as string | undefined)),
    expiresAt: new Date((claims.exp as number) * 1000),
    tokenId: claims.jti as string,
    audience: audiences[0] ?? null,
  });
}

function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

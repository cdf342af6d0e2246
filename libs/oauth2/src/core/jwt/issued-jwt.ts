import type { SigningAlgorithm } from '../../stores/models';
import type { Clock } from '../clock';
import { accessTokenProblem } from './access-token-jwt';
import { looksLikeJws, parseJws, verifyJws } from './jws';
import type { VerificationKeySource } from './jwt-access-token-verifier';

/** What the introspection and revocation endpoints need to recognise this server's JWT access tokens. */
export interface IssuedJwtSettings {
  /** The `iss` of this server's tokens. */
  issuer: string;
  keys: VerificationKeySource;
  /** The algorithms this server signs access tokens with (RFC 8725 §3.1). */
  algorithms: readonly SigningAlgorithm[];
  /** Seconds of clock skew tolerated on `exp`, `nbf` and `iat`. */
  clockTolerance: number;
  /** Whether each JWT's `jti` is recorded as a `jwt_access` token row. */
  recordTokens: boolean;
}

/** The claims of a JWT access token this server issued and that is still valid, as RFC 9068 §2.2 names them. */
export interface IssuedJwtClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  client_id: string;
  jti: string;
  iat: number;
  exp: number;
  scope?: string;
}

/**
 * Reads `token` as a JWT access token of this server: signed by one of its keys under an allowed
 * algorithm, and valid by RFC 9068 §4 for any audience (the introspection and revocation endpoints
 * serve every resource). Undefined for anything else — not a JWS, another issuer's, tampered,
 * expired, an ID-token shaped JWT — which those endpoints treat as an unknown token.
 */
export async function readIssuedJwt(token: string, settings: IssuedJwtSettings, clock: Clock): Promise<IssuedJwtClaims | undefined> {
  if (!looksLikeJws(token)) return undefined;
  const jws = parseJws(token);
  if (!jws || typeof jws.header.kid !== 'string') return undefined;
  const key = await settings.keys.verificationKey(jws.header.kid);
  if (!key || !verifyJws(jws, key, settings.algorithms)) return undefined;
  const now = clock.now();
  if (accessTokenProblem(jws, { issuer: settings.issuer, now, clockTolerance: settings.clockTolerance })) return undefined;
  return jws.payload as unknown as IssuedJwtClaims;
}

import type { KeyObject } from 'node:crypto';
import type { SigningAlgorithm } from '../../stores/models';
import { AccessTokenVerifier } from '../access-token-verifier';
import type { Clock } from '../clock';
import { InvalidTokenError } from '../oauth.errors';
import { hashSecret } from '../protocol/credentials';
import type { ResourceAuthorization } from '../resource-authorization';
import type { TokenCache } from '../token-cache';
import { accessTokenProblem, authorizationFromClaims } from './access-token-jwt';
import { looksLikeJws, parseJws, verifyJws } from './jws';

/** Where verification keys come from: this server's key store, or a remote JWKS. */
export interface VerificationKeySource {
  /** The public key of `kid`, or undefined when it is unknown (after any refresh the source allows). */
  verificationKey(kid: string): Promise<KeyObject | undefined>;
  /**
   * The public key of `kid` when the source already holds it and may use it at `now` (epoch ms)
   * without asking anyone; undefined sends the caller to `verificationKey`. Spares the promise on
   * the path every token takes.
   */
  knownKey?(kid: string, now: number): KeyObject | undefined;
}

export interface JwtAccessTokenVerifierDeps {
  issuer: string;
  keys: VerificationKeySource;
  /** The algorithms accepted (RFC 8725 §3.1): those the authorization server signs with. */
  algorithms: readonly SigningAlgorithm[];
  clock: Clock;
  clockTolerance: number;
  /** Verified tokens by hash, never served past `exp`; evicted by revocations on this instance. */
  cache: TokenCache;
  /** The resource this server protects: named as the audience when a token's `aud` list holds it. */
  resource?: string;
  /** Tokens that are not JWTs (opaque ones) go here; without it they are refused. */
  opaque?: AccessTokenVerifier;
  /** Consulted when tokens are recorded: whether the token with this `jti` was revoked. */
  isRevoked?: (jti: string) => Promise<boolean>;
}

/**
 * Verifies JWT access tokens (RFC 9068 §4) locally: signature with a known key under an allowed
 * algorithm, then `typ`, `iss`, `exp`/`nbf`/`iat`; the audience is left to `ResourceServer`, which
 * compares it with the resource it protects. No network or database call per request unless tokens
 * are recorded (then one revocation lookup per token not yet cached). A verified token is cached by
 * its hash until the cache's ttl or its `exp`, whichever comes first.
 */
export class JwtAccessTokenVerifier extends AccessTokenVerifier {
  constructor(private readonly deps: JwtAccessTokenVerifierDeps) {
    super();
  }

  async verify(accessToken: string): Promise<ResourceAuthorization> {
    if (!looksLikeJws(accessToken)) {
      if (this.deps.opaque) return this.deps.opaque.verify(accessToken);
      throw new InvalidTokenError('The access token is not recognized');
    }
    const now = this.deps.clock.now();
    // The hash only keys the cache: with the cache off, a JWT's SHA-256 would be work for nothing.
    const tokenHash = this.deps.cache.enabled ? hashSecret(accessToken) : undefined;
    const cached = tokenHash === undefined ? undefined : this.deps.cache.get(tokenHash, now);
    if (cached) return cached;

    const lookup = this.deps.cache.beginLookup();
    try {
      const jws = parseJws(accessToken);
      if (!jws) throw new InvalidTokenError('The access token is not a well-formed JWT');
      const kid = jws.header.kid;
      if (typeof kid !== 'string' || !this.deps.algorithms.includes(jws.header.alg as SigningAlgorithm)) {
        throw new InvalidTokenError('The access token is not signed with a key or algorithm this server accepts');
      }
      const key = this.deps.keys.knownKey?.(kid, now.getTime()) ?? (await this.deps.keys.verificationKey(kid));
      if (!key || !verifyJws(jws, key, this.deps.algorithms)) throw new InvalidTokenError('The access token signature is not valid');
      const problem = accessTokenProblem(jws, { issuer: this.deps.issuer, now, clockTolerance: this.deps.clockTolerance });
      if (problem) throw new InvalidTokenError(problem);
      const authorization = authorizationFromClaims(jws.payload, this.deps.resource);
      if (this.deps.isRevoked && (await this.deps.isRevoked(authorization.tokenId))) {
        throw new InvalidTokenError('The access token has been revoked');
      }
      // A JWT carries no grant id; its jti keys both the token and its own "grant" for eviction.
      if (tokenHash !== undefined) this.deps.cache.set(tokenHash, authorization, authorization.tokenId, now, lookup);
      return authorization;
    } finally {
      this.deps.cache.endLookup(lookup);
    }
  }
}

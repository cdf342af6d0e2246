import type { OAuthToken } from './models';

/** What `TokenStore.rotate` did. */
export type RotationOutcome = 'rotated' | 'lost';

/**
 * Keeps access and refresh tokens, by SHA-256 of their value (RFC 6749 §10.3, §10.4).
 *
 * Multi-row writes (`save` of a pair, `rotate`, `revokeGrant`) are each one transaction: a crash
 * between two rows must leave either all of them or none.
 * @publicApi
 * @example
 * const token = await tokens.findByHash(hashSecret(bearer));
 * if (!token || token.revokedAt || token.expiresAt <= now) throw new InvalidTokenError();
 */
export abstract class TokenStore {
  /** Insert the tokens of one issuance (an access token and maybe a refresh token), in one transaction. */
  abstract save(tokens: OAuthToken[]): Promise<void>;

  /**
   * The token with this hash, whatever its state (revoked, rotated and expired tokens are returned
   * too, so the caller can tell a replay from an unknown token). This is the bearer hot path: one
   * indexed lookup.
   */
  abstract findByHash(tokenHash: string): Promise<OAuthToken | undefined>;

  /**
   * Rotate a refresh token (RFC 9700 §4.14.2), in one transaction: mark `refreshId` rotated at `now`
   * only if it is still unrotated and unrevoked (a conditional UPDATE, so exactly one concurrent caller
   * wins across instances), then insert `issued`. Resolves 'lost' — inserting nothing — when another
   * call rotated or revoked it first. A retry of the rotation writes nothing: it finds the pair this
   * call inserted by hash (the values are derived from the rotated token, see `RefreshSuccessors`).
   */
  abstract rotate(refreshId: string, issued: OAuthToken[], now: Date): Promise<RotationOutcome>;

  /** Revoke one token by id (RFC 7009 §2.1 for an access token). Idempotent. */
  abstract revoke(id: string, now: Date): Promise<void>;

  /** Revoke every token of a grant — the refresh family and the access tokens issued in it. Resolves the ids revoked. */
  abstract revokeGrant(grantId: string, now: Date): Promise<string[]>;

  /** Revoke every token a user holds for a client (connected apps → revoke). Resolves the ids revoked. */
  abstract revokeForUserAndClient(userId: string, clientId: string, now: Date): Promise<string[]>;

  /** Delete up to `batchSize` tokens that expired before `now`; resolves how many were deleted. */
  abstract purgeExpired(now: Date, batchSize?: number): Promise<number>;
}

import type { AuthorizationCode } from './models';

/** What `CodeStore.consume` found. */
export type CodeConsumption =
  /** This call consumed the code: the only caller that will ever see it. */
  | { outcome: 'consumed'; code: AuthorizationCode }
  /** The code exists but was consumed before: a replay (RFC 6749 §4.1.2), the caller revokes `code.grantId`. */
  | { outcome: 'replayed'; code: AuthorizationCode }
  /** Unknown or expired. */
  | { outcome: 'invalid' };

/**
 * Keeps authorization codes between the authorization and token endpoints (RFC 6749 §4.1).
 * @publicApi
 * @example
 * const found = await codes.consume(hashSecret(code), clock.now());
 * if (found.outcome === 'replayed') await tokens.revokeGrant(found.code.grantId, now);
 */
export abstract class CodeStore {
  /** Persist a freshly issued code (`consumedAt` null, `expiresAt` already set, ≤ 10 min per RFC 6749 §4.1.2). */
  abstract save(code: AuthorizationCode): Promise<void>;

  /**
   * Atomically mark the code consumed, exactly once across every app instance: an
   * `UPDATE … WHERE code_hash = ? AND consumed_at IS NULL AND expires_at > now` decides who wins a race,
   * never a read-then-write. Expired codes are `invalid`, including replays of expired codes.
   */
  abstract consume(codeHash: string, now: Date): Promise<CodeConsumption>;

  /** Delete up to `batchSize` codes that expired before `now`; resolves how many were deleted. */
  abstract purgeExpired(now: Date, batchSize?: number): Promise<number>;
}

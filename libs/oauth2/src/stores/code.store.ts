import type { AuthorizationCode } from './models';

/** What `CodeStore.consume` found. */
export type CodeConsumption =
  /** This call consumed the code: the only caller that will ever see it. */
  | { outcome: 'consumed'; code: AuthorizationCode }
  /**
   * The code exists but was consumed before: a replay (RFC 6749 §4.1.2). `replayedAt` is already
   * committed on the row when this resolves; the caller then revokes `code.grantId`.
   */
  | { outcome: 'replayed'; code: AuthorizationCode }
  /**
   * The code exists but was issued to another client than `consume` was told: nothing was changed
   * (not consumed, no replay recorded), so the owner can still redeem it (RFC 6749 §4.1.3).
   */
  | { outcome: 'foreign'; code: AuthorizationCode }
  /** Unknown, or expired before it was ever used. */
  | { outcome: 'invalid' };

/**
 * Keeps authorization codes between the authorization and token endpoints (RFC 6749 §4.1).
 * @publicApi
 * @example
 * const found = await codes.consume(hashSecret(code), clock.now());
 * if (found.outcome === 'replayed') await tokens.revokeGrant(found.code.grantId, now);
 * // the winner, once its tokens are saved:
 * if (await codes.isReplayed(hashSecret(code))) await tokens.revokeGrant(grantId, now);
 */
export abstract class CodeStore {
  /**
   * Persist a freshly issued code (`consumedAt` and `replayedAt` null, `expiresAt` already set, ≤ 10 min
   * per RFC 6749 §4.1.2).
   */
  abstract save(code: AuthorizationCode): Promise<void>;

  /**
   * Atomically mark the code consumed, exactly once across every app instance: an
   * `UPDATE … WHERE code_hash = ? AND consumed_at IS NULL AND expires_at > now` decides who wins a race,
   * never a read-then-write. A code that expired unused is `invalid`. With `clientId`, a code issued
   * to another client is `foreign` and left exactly as it was: the same conditional write carries
   * the client, so refusing another client's code costs no extra read.
   *
   * A call that finds the code already consumed is a replay, expired or not (a late replay must still
   * revoke what the code issued, RFC 6749 §4.1.2): before resolving `replayed` it records the replay
   * on the row (`replayedAt`, kept from the first replay) and that write is committed and visible to
   * every instance, since `isReplayed` depends on it.
   */
  abstract consume(codeHash: string, now: Date, clientId?: string): Promise<CodeConsumption>;

  /**
   * Whether a replay of this code was recorded by `consume`; false for an unknown or purged code.
   * Reads committed state (no cache, no enclosing transaction): the token request that won the code
   * calls it after its tokens are saved, to revoke them if a replay raced ahead (RFC 9700 §4.2.4).
   */
  abstract isReplayed(codeHash: string): Promise<boolean>;

  /**
   * Delete up to `batchSize` codes that expired before `now`; resolves how many were deleted. A
   * consumed code is kept while it was consumed at or after `keepConsumedSince` (the purge passes
   * `now − consumedCodeRetention`), so a replay long after expiry is still recognised and revokes.
   * Without `keepConsumedSince`, every expired code goes.
   */
  abstract purgeExpired(now: Date, batchSize?: number, keepConsumedSince?: Date): Promise<number>;
}

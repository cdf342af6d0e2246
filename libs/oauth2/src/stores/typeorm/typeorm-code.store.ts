import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { CodeStore, type CodeConsumption } from '../code.store';
import type { AuthorizationCode } from '../models';
import { millis } from './column-transformers';
import { OAuthAuthorizationCodeEntity } from './oauth-authorization-code.entity';
import { affectedRows, serialized } from './store-transactions';

/** `CodeStore` on TypeORM (`oauth_authorization_codes`). @publicApi */
@Injectable()
export class TypeOrmCodeStore extends CodeStore {
  constructor(@InjectRepository(OAuthAuthorizationCodeEntity) private readonly rows: Repository<OAuthAuthorizationCodeEntity>) {
    super();
  }

  async save(code: AuthorizationCode): Promise<void> {
    await serialized(this.rows.manager.connection, () => this.rows.insert(OAuthAuthorizationCodeEntity.fromModel(code)));
  }

  async consume(codeHash: string, now: Date, clientId?: string): Promise<CodeConsumption> {
    // The conditional UPDATE is the whole race: the database lets exactly one statement flip
    // consumed_at from NULL, across every connection and app instance (RFC 6749 §4.1.2 single use).
    // Carrying the client in the same condition leaves another client's code untouched.
    const ofClient = clientId === undefined ? '' : ' AND client_id = :clientId';
    const result = await serialized(this.rows.manager.connection, () =>
      this.rows
        .createQueryBuilder()
        .update()
        .set({ consumedAt: now })
        .where(`code_hash = :codeHash AND consumed_at IS NULL AND expires_at > :now${ofClient}`, { codeHash, clientId, now: millis(now) })
        .execute(),
    );
    const won = affectedRows(result) === 1;
    // A loser on a consumed code of this client is a replay: record it (committed, in its own
    // statement) before answering, so the winner's later `isReplayed` read sees it (see the grant).
    if (!won) await this.markReplayed(codeHash, now, ofClient, clientId);
    const row = await this.rows.findOneBy({ codeHash });
    if (won && row) return { outcome: 'consumed', code: row.toModel() };
    if (row && clientId !== undefined && row.clientId !== clientId) return { outcome: 'foreign', code: row.toModel() };
    // Consumed and presented again is a replay even after expiry; unused and expired is only invalid.
    return row?.consumedAt ? { outcome: 'replayed', code: row.toModel() } : { outcome: 'invalid' };
  }

  async isReplayed(codeHash: string): Promise<boolean> {
    const row = await this.rows.findOne({ select: { codeHash: true, replayedAt: true }, where: { codeHash } });
    return row?.replayedAt != null;
  }

  /** Sets `replayed_at` once, on a consumed code, expired or not; later replays keep the first time. */
  private async markReplayed(codeHash: string, now: Date, ofClient: string, clientId: string | undefined): Promise<void> {
    await serialized(this.rows.manager.connection, () =>
      this.rows
        .createQueryBuilder()
        .update()
        .set({ replayedAt: now })
        .where(`code_hash = :codeHash AND consumed_at IS NOT NULL AND replayed_at IS NULL${ofClient}`, { codeHash, clientId })
        .execute(),
    );
  }

  async purgeExpired(now: Date, batchSize = 1000, keepConsumedSince?: Date): Promise<number> {
    // Consumed codes stay until their retention ends, so a late replay still finds them and revokes.
    const expired = keepConsumedSince ? 'expires_at < :now AND (consumed_at IS NULL OR consumed_at < :keepSince)' : 'expires_at < :now';
    const params = { now: millis(now), keepSince: keepConsumedSince && millis(keepConsumedSince) };
    // Select a bounded batch, then delete it still guarded by the same condition: DELETE … LIMIT is not portable.
    const batch = await this.rows
      .createQueryBuilder('code')
      .select('code.codeHash', 'codeHash')
      .where(expired.replace(/(expires_at|consumed_at)/g, 'code.$1'), params)
      .limit(batchSize)
      .getRawMany<{ codeHash: string }>();
    if (!batch.length) return 0;
    const result = await serialized(this.rows.manager.connection, () =>
      this.rows
        .createQueryBuilder()
        .delete()
        .where(`code_hash IN (:...hashes) AND ${expired}`, { ...params, hashes: batch.map((b) => b.codeHash) })
        .execute(),
    );
    return affectedRows(result);
  }
}

import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import type { OAuthToken } from '../models';
import { TokenStore, type RotationOutcome } from '../token.store';
import { millis } from './column-transformers';
import { hotPathSql, type HotPathSql } from './hot-path-sql';
import { TYPEORM_STORE_OPTIONS, type TypeOrmStoreOptions } from './typeorm-store-options';
import { OAuthTokenEntity } from './oauth-token.entity';
import { affectedRows, inTransaction, isSqlite, serialized } from './store-transactions';
import { TOKEN_COLUMNS, tokenFromRow, tokenRowValues, type OAuthTokenRow } from './token-row';

/** Which tokens a revocation selects, as a WHERE fragment over `oauth_tokens`. */
interface TokenFilter {
  where: string;
  params: Record<string, unknown>;
}

/** `TokenStore` on TypeORM (`oauth_tokens`, access and refresh tokens by `kind`). @publicApi */
@Injectable()
export class TypeOrmTokenStore extends TokenStore {
  /** Undefined with `hotPathSql: false`: the lookup and the insert then go through the repository. */
  private readonly sql: HotPathSql | undefined;
  private readonly table: string;

  constructor(
    @InjectRepository(OAuthTokenEntity) private readonly rows: Repository<OAuthTokenEntity>,
    @Optional() @Inject(TYPEORM_STORE_OPTIONS) options?: TypeOrmStoreOptions,
  ) {
    super();
    this.sql = hotPathSql(rows.manager.connection, options);
    this.table = this.sql ? this.sql.table(rows) : '';
  }

  private get dataSource() {
    return this.rows.manager.connection;
  }

  async save(tokens: OAuthToken[]): Promise<void> {
    if (!tokens.length) return;
    if (!this.sql) {
      const entities = tokens.map((t) => OAuthTokenEntity.fromModel(t));
      await serialized(this.dataSource, () => this.rows.insert(entities));
      return;
    }
    // One multi-row INSERT is atomic on every database: the pair of a code exchange needs no transaction.
    const row = `(${TOKEN_COLUMNS.split(',')
      .map(() => '?')
      .join(', ')})`;
    await this.sql.write(
      `INSERT INTO ${this.table} (${TOKEN_COLUMNS}) VALUES ${tokens.map(() => row).join(', ')}`,
      tokens.flatMap(tokenRowValues),
    );
  }

  async findByHash(tokenHash: string): Promise<OAuthToken | undefined> {
    if (!this.sql) return (await this.rows.findOneBy({ tokenHash }))?.toModel();
    const [row] = await this.sql.select<OAuthTokenRow>(`SELECT ${TOKEN_COLUMNS} FROM ${this.table} WHERE token_hash = ?`, [tokenHash]);
    return row && tokenFromRow(row);
  }

  async rotate(refreshId: string, issued: OAuthToken[], now: Date): Promise<RotationOutcome> {
    return inTransaction(this.dataSource, async (manager) => {
      // One conditional UPDATE decides the winner (RFC 9700 §4.14.2): concurrent callers block on
      // the row lock and then find rotated_at already set, so they change nothing and insert nothing.
      const result = await manager
        .createQueryBuilder()
        .update(OAuthTokenEntity)
        .set({ rotatedAt: now })
        .where("id = :refreshId AND kind = 'refresh' AND rotated_at IS NULL AND revoked_at IS NULL", { refreshId })
        .execute();
      if (affectedRows(result) !== 1) return 'lost';
      await this.insert(manager, issued);
      return 'rotated';
    });
  }

  async revoke(id: string, now: Date): Promise<void> {
    await serialized(this.dataSource, () =>
      this.rows.createQueryBuilder().update().set({ revokedAt: now }).where('id = :id AND revoked_at IS NULL', { id }).execute(),
    );
  }

  async revokeGrant(grantId: string, now: Date): Promise<string[]> {
    return this.revokeWhere({ where: 'token.grant_id = :grantId', params: { grantId } }, now);
  }

  async revokeForUserAndClient(userId: string, clientId: string, now: Date): Promise<string[]> {
    return this.revokeWhere({ where: 'token.user_id = :userId AND token.client_id = :clientId', params: { userId, clientId } }, now);
  }

  async purgeExpired(now: Date, batchSize = 1000): Promise<number> {
    // A bounded batch, deleted still guarded by expiry: DELETE … LIMIT is not portable.
    const batch = await this.rows
      .createQueryBuilder('token')
      .select('token.id', 'id')
      .where('token.expires_at < :now', { now: millis(now) })
      .limit(batchSize)
      .getRawMany<{ id: string }>();
    if (!batch.length) return 0;
    const result = await serialized(this.dataSource, () =>
      this.rows
        .createQueryBuilder()
        .delete()
        .where('id IN (:...ids) AND expires_at < :now', { ids: batch.map((b) => b.id), now: millis(now) })
        .execute(),
    );
    return affectedRows(result);
  }

  /**
   * Revoke every unrevoked token matching `filter`, in one transaction, and resolve their ids (for
   * cache eviction). The rows are locked first; the loop picks up a token a concurrent rotation
   * committed into the family while we waited, so none escapes.
   */
  private revokeWhere(filter: TokenFilter, now: Date): Promise<string[]> {
    return inTransaction(this.dataSource, async (manager) => {
      const revoked: string[] = [];
      for (;;) {
        const ids = (await this.locked(manager, filter)).map((row) => row.id);
        if (!ids.length) return revoked;
        await manager
          .createQueryBuilder()
          .update(OAuthTokenEntity)
          .set({ revokedAt: now })
          .where('id IN (:...ids) AND revoked_at IS NULL', { ids })
          .execute();
        revoked.push(...ids);
      }
    });
  }

  /** Ids of the unrevoked tokens matching `filter`, locked FOR UPDATE where the database has row locks. */
  private async locked(manager: EntityManager, filter: TokenFilter): Promise<{ id: string }[]> {
    const query = manager
      .createQueryBuilder(OAuthTokenEntity, 'token')
      .select('token.id', 'id')
      .where(`${filter.where} AND token.revoked_at IS NULL`, filter.params);
    // SQLite has no row locks; its writes are already serialized (see inTransaction).
    if (!isSqlite(this.dataSource)) query.setLock('pessimistic_write');
    return query.getRawMany<{ id: string }>();
  }

  private async insert(manager: EntityManager, tokens: OAuthToken[]): Promise<void> {
    if (tokens.length)
      await manager.insert(
        OAuthTokenEntity,
        tokens.map((t) => OAuthTokenEntity.fromModel(t)),
      );
  }
}

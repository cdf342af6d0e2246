import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type Repository } from 'typeorm';
import { ClientStore, type IdleClientCutoffs } from '../client.store';
import type { OAuthClient } from '../models';
import { CLIENT_COLUMNS, clientFromRow, type OAuthClientRow } from './client-row';
import { hotPathSql, type HotPathSql } from './hot-path-sql';
import { TYPEORM_STORE_OPTIONS, type TypeOrmStoreOptions } from './typeorm-store-options';
import { OAuthClientEntity } from './oauth-client.entity';
import { affectedRows, serialized } from './store-transactions';
import { millis } from './column-transformers';

/** `ClientStore` on TypeORM (`oauth_clients`). @publicApi */
@Injectable()
export class TypeOrmClientStore extends ClientStore {
  /** Undefined with `hotPathSql: false`: the lookup then goes through the repository. */
  private readonly sql: HotPathSql | undefined;
  private readonly findSql: string;

  constructor(
    @InjectRepository(OAuthClientEntity) private readonly rows: Repository<OAuthClientEntity>,
    @Optional() @Inject(TYPEORM_STORE_OPTIONS) options?: TypeOrmStoreOptions,
  ) {
    super();
    this.sql = hotPathSql(rows.manager.connection, options);
    this.findSql = this.sql ? `SELECT ${CLIENT_COLUMNS} FROM ${this.sql.table(rows)} WHERE id = ?` : '';
  }

  async findById(id: string): Promise<OAuthClient | undefined> {
    if (!this.sql) return (await this.rows.findOneBy({ id }))?.toModel();
    const [row] = await this.sql.select<OAuthClientRow>(this.findSql, [id]);
    return row && clientFromRow(row);
  }

  async save(client: OAuthClient): Promise<void> {
    // One INSERT … ON CONFLICT / ON DUPLICATE KEY statement: no read-then-write window.
    await serialized(this.rows.manager.connection, () => this.rows.upsert(OAuthClientEntity.fromModel(client), ['id']));
  }

  async delete(id: string): Promise<boolean> {
    return affectedRows(await serialized(this.rows.manager.connection, () => this.rows.delete({ id }))) > 0;
  }

  async list(): Promise<OAuthClient[]> {
    return (await this.rows.find({ order: { createdAt: 'ASC', id: 'ASC' } })).map((row) => row.toModel());
  }

  override async listByOwner(ownerId: string): Promise<OAuthClient[]> {
    return (await this.rows.find({ where: { ownerId }, order: { createdAt: 'ASC', id: 'ASC' } })).map((row) => row.toModel());
  }

  override async markUsed(id: string, at: Date): Promise<void> {
    await serialized(this.rows.manager.connection, () =>
      this.rows.createQueryBuilder().update().set({ lastUsedAt: at }).where('id = :id', { id }).execute(),
    );
  }

  override async purgeIdleDynamic({ unusedBefore, idleBefore }: IdleClientCutoffs, batchSize = 1000): Promise<number> {
    const conditions: string[] = [];
    const params: Record<string, unknown> = {};
    if (unusedBefore) {
      conditions.push('(last_used_at IS NULL AND created_at < :unusedBefore)');
      params.unusedBefore = millis(unusedBefore);
    }
    if (idleBefore) {
      conditions.push('last_used_at < :idleBefore');
      params.idleBefore = millis(idleBefore);
    }
    if (!conditions.length) return 0;
    const idle = `registration = 'dynamic' AND (${conditions.join(' OR ')})`;
    // A bounded batch, deleted still guarded by the condition: a client used in between stays.
    const batch = await this.rows
      .createQueryBuilder('client')
      .select('client.id', 'id')
      .where(idle, params)
      .limit(batchSize)
      .getRawMany<{ id: string }>();
    if (!batch.length) return 0;
    const result = await serialized(this.rows.manager.connection, () =>
      this.rows
        .createQueryBuilder()
        .delete()
        .where(`id IN (:...ids) AND ${idle}`, { ...params, ids: batch.map((row) => row.id) })
        .execute(),
    );
    return affectedRows(result);
  }

  override async findDynamicPublic(name: string, softwareId: string | undefined): Promise<OAuthClient[]> {
    const rows = await this.rows.find({
      where: { registration: 'dynamic', name, softwareId: softwareId ?? IsNull(), secretHash: IsNull() },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    // MySQL/MariaDB compare these text columns without case: the exact match is decided here.
    return rows.map((row) => row.toModel()).filter((client) => client.name === name && client.softwareId === softwareId);
  }
}

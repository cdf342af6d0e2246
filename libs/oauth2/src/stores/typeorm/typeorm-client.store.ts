import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { ClientStore } from '../client.store';
import type { OAuthClient } from '../models';
import { CLIENT_COLUMNS, clientFromRow, type OAuthClientRow } from './client-row';
import { hotPathSql, type HotPathSql } from './hot-path-sql';
import { TYPEORM_STORE_OPTIONS, type TypeOrmStoreOptions } from './typeorm-store-options';
import { OAuthClientEntity } from './oauth-client.entity';
import { affectedRows, serialized } from './store-transactions';

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
}

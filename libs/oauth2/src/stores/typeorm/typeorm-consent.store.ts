import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { ConsentStore } from '../consent.store';
import type { Consent } from '../models';
import { OAuthConsentEntity } from './oauth-consent.entity';
import { affectedRows, inTransaction, isSqlite, serialized } from './store-transactions';

/** `ConsentStore` on TypeORM (`oauth_consents`, one row per user and client). @publicApi */
@Injectable()
export class TypeOrmConsentStore extends ConsentStore {
  constructor(@InjectRepository(OAuthConsentEntity) private readonly rows: Repository<OAuthConsentEntity>) {
    super();
  }

  async find(userId: string, clientId: string): Promise<Consent | undefined> {
    return (await this.rows.findOneBy({ userId, clientId }))?.toModel();
  }

  async grant(userId: string, clientId: string, scopes: string[], now: Date, resources: string[] = []): Promise<Consent> {
    const dataSource = this.rows.manager.connection;
    return inTransaction(dataSource, async (manager) => {
      // Insert-if-absent, then merge under a row lock: two concurrent approvals of different scopes
      // both end up recorded, and neither fails on the primary key.
      await manager
        .createQueryBuilder()
        .insert()
        .into(OAuthConsentEntity)
        .values({ userId, clientId, scopes: [], resources: [], createdAt: now, lastUsedAt: now })
        .orIgnore()
        .execute();
      const query = manager
        .createQueryBuilder(OAuthConsentEntity, 'consent')
        .where('consent.user_id = :userId AND consent.client_id = :clientId', { userId, clientId });
      if (!isSqlite(dataSource)) query.setLock('pessimistic_write');
      const row = await query.getOneOrFail();
      row.scopes = [...new Set([...row.scopes, ...scopes])];
      row.resources = [...new Set([...row.resources, ...resources])];
      row.lastUsedAt = now;
      await manager.update(OAuthConsentEntity, { userId, clientId }, { scopes: row.scopes, resources: row.resources, lastUsedAt: now });
      return row.toModel();
    });
  }

  async touch(userId: string, clientId: string, now: Date): Promise<void> {
    await serialized(this.rows.manager.connection, () => this.rows.update({ userId, clientId }, { lastUsedAt: now }));
  }

  async revoke(userId: string, clientId: string): Promise<boolean> {
    return affectedRows(await serialized(this.rows.manager.connection, () => this.rows.delete({ userId, clientId }))) > 0;
  }

  async listForUser(userId: string): Promise<Consent[]> {
    const rows = await this.rows.find({ where: { userId }, order: { lastUsedAt: 'DESC', clientId: 'ASC' } });
    return rows.map((row) => row.toModel());
  }
}

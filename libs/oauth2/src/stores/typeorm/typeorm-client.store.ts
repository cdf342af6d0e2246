import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { ClientStore } from '../client.store';
import type { OAuthClient } from '../models';
import { OAuthClientEntity } from './oauth-client.entity';
import { affectedRows, serialized } from './store-transactions';

/** `ClientStore` on TypeORM (`oauth_clients`). @publicApi */
@Injectable()
export class TypeOrmClientStore extends ClientStore {
  constructor(@InjectRepository(OAuthClientEntity) private readonly rows: Repository<OAuthClientEntity>) {
    super();
  }

  async findById(id: string): Promise<OAuthClient | undefined> {
    return (await this.rows.findOneBy({ id }))?.toModel();
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
}

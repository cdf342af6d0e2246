import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { SigningKey, SigningKeyState } from '../models';
import { SigningKeyStore } from '../signing-key.store';
import { millis } from './column-transformers';
import { OAuthSigningKeyEntity } from './oauth-signing-key.entity';
import { affectedRows, serialized } from './store-transactions';

/** `SigningKeyStore` on TypeORM (`oauth_signing_keys`), shared by every instance of the server. @publicApi */
@Injectable()
export class TypeOrmSigningKeyStore extends SigningKeyStore {
  constructor(@InjectRepository(OAuthSigningKeyEntity) private readonly rows: Repository<OAuthSigningKeyEntity>) {
    super();
  }

  async list(): Promise<SigningKey[]> {
    return (await this.rows.find({ order: { createdAt: 'ASC', kid: 'ASC' } })).map((row) => row.toModel());
  }

  async insert(key: SigningKey): Promise<void> {
    // A plain INSERT: the primary key makes a second key with the same kid fail, as the contract asks.
    await serialized(this.rows.manager.connection, () => this.rows.insert(OAuthSigningKeyEntity.fromModel(key)));
  }

  async transition(kid: string, from: SigningKeyState, to: SigningKeyState, at: Date, expiresAt?: Date): Promise<boolean> {
    const changes: Partial<OAuthSigningKeyEntity> = { state: to };
    if (to === 'active') changes.activatedAt = at;
    if (to === 'retired') {
      changes.retiredAt = at;
      changes.expiresAt = expiresAt ?? at;
    }
    // The state in the WHERE clause decides a race between instances rotating at once: the database
    // lets exactly one UPDATE move the key out of `from`, the others change nothing.
    const result = await serialized(this.rows.manager.connection, () =>
      this.rows.createQueryBuilder().update().set(changes).where('kid = :kid AND state = :from', { kid, from }).execute(),
    );
    return affectedRows(result) === 1;
  }

  async deleteRetiredBefore(now: Date): Promise<string[]> {
    const due = "state = 'retired' AND expires_at IS NOT NULL AND expires_at <= :now";
    const candidates = await this.rows
      .createQueryBuilder('key')
      .select('key.kid', 'kid')
      .where(due.replace(/(state|expires_at)/g, 'key.$1'), { now: millis(now) })
      .getRawMany<{ kid: string }>();
    // One guarded DELETE per key (a handful at most): each kid reported is one this call removed, so
    // two instances purging at once never both report the same key.
    const deleted: string[] = [];
    for (const { kid } of candidates) {
      const result = await serialized(this.rows.manager.connection, () =>
        this.rows
          .createQueryBuilder()
          .delete()
          .where(`kid = :kid AND ${due}`, { kid, now: millis(now) })
          .execute(),
      );
      if (affectedRows(result) === 1) deleted.push(kid);
    }
    return deleted;
  }
}

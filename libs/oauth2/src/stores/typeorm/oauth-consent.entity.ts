import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Consent } from '../models';
import { epochMillis, jsonListOf, spaceSeparated } from './column-transformers';

/**
 * Row of `oauth_consents`: one per (user, client), which is the primary key — so it is unique, and
 * its user-first order also serves the "connected apps" list of a user (RFC 6749 §10.2).
 * @publicApi
 */
@Entity({ name: 'oauth_consents' })
export class OAuthConsentEntity {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 255 })
  userId!: string;

  @PrimaryColumn({ name: 'client_id', type: 'varchar', length: 255 })
  clientId!: string;

  @Column({ type: 'text', transformer: spaceSeparated })
  scopes!: string[];

  /** A JSON array of the approved resource indicators (RFC 8707). */
  @Column({ type: 'text', transformer: jsonListOf('oauth_consents.resources') })
  resources!: string[];

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt!: Date;

  @Column({ name: 'last_used_at', type: 'bigint', transformer: epochMillis })
  lastUsedAt!: Date;

  /** The domain consent of this row. */
  toModel(): Consent {
    const { userId, clientId, scopes, resources, createdAt, lastUsedAt } = this;
    return { userId, clientId, scopes, resources, createdAt, lastUsedAt };
  }
}

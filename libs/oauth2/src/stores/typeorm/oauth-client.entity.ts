import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { GrantType, OAuthClient } from '../models';
import { epochMillis, spaceSeparated } from './column-transformers';

/** Row of `oauth_clients`: a registered client (RFC 6749 §2). Looked up by primary key on every request. @publicApi */
@Entity({ name: 'oauth_clients' })
export class OAuthClientEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  /** SHA-256 hex of the secret; null for public clients. The secret itself is never stored. */
  @Column({ name: 'secret_hash', type: 'varchar', length: 64, nullable: true })
  secretHash!: string | null;

  @Column({ name: 'redirect_uris', type: 'text', transformer: spaceSeparated })
  redirectUris!: string[];

  @Column({ name: 'grant_types', type: 'varchar', length: 200, transformer: spaceSeparated })
  grantTypes!: GrantType[];

  @Column({ type: 'text', transformer: spaceSeparated })
  scopes!: string[];

  @Column({ name: 'can_introspect', type: 'boolean' })
  canIntrospect!: boolean;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt!: Date;

  /** The row for a domain client. */
  static fromModel(client: OAuthClient): OAuthClientEntity {
    return Object.assign(new OAuthClientEntity(), client);
  }

  /** The domain client of this row. */
  toModel(): OAuthClient {
    const { id, name, secretHash, redirectUris, grantTypes, scopes, canIntrospect, createdAt } = this;
    return { id, name, secretHash, redirectUris, grantTypes, scopes, canIntrospect: Boolean(canIntrospect), createdAt };
  }
}

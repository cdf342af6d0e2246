import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { OAuthToken, OpenIdAuthentication, TokenKind } from '../models';
import { epochMillis, jsonListOf, spaceSeparated } from './column-transformers';
import { openIdColumn } from './openid-column';

const tokenResources = jsonListOf('oauth_tokens.resources');

/**
 * Row of `oauth_tokens`: access and refresh tokens in one table (`kind`), so a grant's whole family
 * is revoked by one indexed UPDATE. Every hot-path lookup has its index: the bearer check by hash
 * (unique), family revocation by grant, a rotation's children by parent, "connected apps"
 * revocation by user and client, and the purge by expiry.
 * @publicApi
 */
@Entity({ name: 'oauth_tokens' })
@Index('IDX_oauth_tokens_token_hash', ['tokenHash'], { unique: true })
@Index('IDX_oauth_tokens_grant_id', ['grantId'])
@Index('IDX_oauth_tokens_parent_id', ['parentId'])
@Index('IDX_oauth_tokens_user_id_client_id', ['userId', 'clientId'])
@Index('IDX_oauth_tokens_expires_at', ['expiresAt'])
export class OAuthTokenEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  /** SHA-256 hex of the token; the token itself is never stored (RFC 6819 §5.1.4.1.3). */
  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: TokenKind;

  @Column({ name: 'client_id', type: 'varchar', length: 255 })
  clientId!: string;

  @Column({ name: 'user_id', type: 'varchar', length: 255, nullable: true })
  userId!: string | null;

  @Column({ type: 'text', transformer: spaceSeparated })
  scopes!: string[];

  /** A JSON array of resource indicators (RFC 8707): an access token's audience, a refresh token's grant resources. */
  @Column({ type: 'text', transformer: tokenResources })
  resources!: string[];

  @Column({ name: 'grant_id', type: 'varchar', length: 64 })
  grantId!: string;

  @Column({ name: 'parent_id', type: 'varchar', length: 64, nullable: true })
  parentId!: string | null;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt!: Date;

  /** The grant's first issuance, on every row of the family: the start of the absolute refresh lifetime. */
  @Column({ name: 'grant_created_at', type: 'bigint', transformer: epochMillis })
  grantCreatedAt!: Date;

  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMillis })
  expiresAt!: Date;

  @Column({ name: 'revoked_at', type: 'bigint', nullable: true, transformer: epochMillis })
  revokedAt!: Date | null;

  @Column({ name: 'rotated_at', type: 'bigint', nullable: true, transformer: epochMillis })
  rotatedAt!: Date | null;

  /** Refresh tokens of an OpenID Connect grant: the sign-in, as JSON (see `openid-column.ts`); null otherwise. */
  @Column({ type: 'text', nullable: true, transformer: openIdColumn('oauth_tokens.openid') })
  openid!: OpenIdAuthentication | null;

  /** The row for a domain token. */
  static fromModel(token: OAuthToken): OAuthTokenEntity {
    return Object.assign(new OAuthTokenEntity(), token, { openid: token.openid ?? null });
  }

  /** The domain token of this row. */
  toModel(): OAuthToken {
    const { id, tokenHash, kind, clientId, userId, scopes, resources, grantId, parentId, createdAt, grantCreatedAt } = this;
    const { expiresAt, revokedAt, rotatedAt, openid } = this;
    return {
      id,
      tokenHash,
      kind,
      clientId,
      userId,
      scopes,
      resources,
      grantId,
      parentId,
      createdAt,
      grantCreatedAt,
      expiresAt,
      revokedAt,
      rotatedAt,
      openid: openid ?? null,
    };
  }
}

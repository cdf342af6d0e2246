import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { AuthorizationCode, OpenIdAuthentication } from '../models';
import { epochMillis, jsonListOf, spaceSeparated } from './column-transformers';
import { openIdColumn } from './openid-column';

/**
 * Row of `oauth_authorization_codes` (RFC 6749 §4.1.2). The primary key is the code's SHA-256, so the
 * token endpoint's lookup and the consuming UPDATE are one primary-key access.
 * @publicApi
 */
@Entity({ name: 'oauth_authorization_codes' })
@Index('IDX_oauth_authorization_codes_expires_at', ['expiresAt'])
export class OAuthAuthorizationCodeEntity {
  @PrimaryColumn({ name: 'code_hash', type: 'varchar', length: 64 })
  codeHash!: string;

  @Column({ name: 'client_id', type: 'varchar', length: 255 })
  clientId!: string;

  @Column({ name: 'user_id', type: 'varchar', length: 255 })
  userId!: string;

  @Column({ name: 'redirect_uri', type: 'text', nullable: true })
  redirectUri!: string | null;

  @Column({ type: 'text', transformer: spaceSeparated })
  scopes!: string[];

  /** A JSON array of the grant's resource indicators (RFC 8707), in request order. */
  @Column({ type: 'text', transformer: jsonListOf('oauth_authorization_codes.resources') })
  resources!: string[];

  @Column({ name: 'code_challenge', type: 'varchar', length: 128, nullable: true })
  codeChallenge!: string | null;

  @Column({ name: 'code_challenge_method', type: 'varchar', length: 8, nullable: true })
  codeChallengeMethod!: 'S256' | 'plain' | null;

  @Column({ name: 'grant_id', type: 'varchar', length: 64 })
  grantId!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMillis })
  expiresAt!: Date;

  @Column({ name: 'consumed_at', type: 'bigint', nullable: true, transformer: epochMillis })
  consumedAt!: Date | null;

  @Column({ name: 'replayed_at', type: 'bigint', nullable: true, transformer: epochMillis })
  replayedAt!: Date | null;

  /** The sign-in of an OpenID Connect grant, as JSON (see `openid-column.ts`); null for a plain OAuth grant. */
  @Column({ type: 'text', nullable: true, transformer: openIdColumn('oauth_authorization_codes.openid') })
  openid!: OpenIdAuthentication | null;

  /** The row for a domain code. */
  static fromModel(code: AuthorizationCode): OAuthAuthorizationCodeEntity {
    return Object.assign(new OAuthAuthorizationCodeEntity(), code, { openid: code.openid ?? null });
  }

  /** The domain code of this row. */
  toModel(): AuthorizationCode {
    const { codeHash, clientId, userId, redirectUri, scopes, resources, codeChallenge, codeChallengeMethod } = this;
    const { grantId, createdAt, expiresAt, consumedAt, replayedAt, openid } = this;
    return {
      codeHash,
      clientId,
      userId,
      redirectUri,
      scopes,
      resources,
      codeChallenge,
      codeChallengeMethod,
      grantId,
      createdAt,
      expiresAt,
      consumedAt,
      replayedAt,
      openid: openid ?? null,
    };
  }
}

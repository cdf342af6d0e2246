import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** CustomApp's own settings: its client credentials at SHIFT and its encryption key (both encrypted or secret). */
@Entity('customapp_settings')
export class CustomAppSetting {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  key!: string;

  @Column({ type: 'text' })
  value!: string;
}

/**
 * A SHIFT account connected to CustomApp: the profile CustomApp keeps, and the tokens, encrypted with
 * AES-256-GCM (token-cipher.ts) so a copy of the database alone does not give access to SHIFT.
 */
@Entity('customapp_connections')
@Index('idx_customapp_connections_user', ['shiftUserId'])
export class CustomAppConnection {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'shift_user_id', type: 'varchar', length: 64 })
  shiftUserId!: string;

  /** The last `GET /v1/users/me` answer, as JSON (`{}` until the first page load after sign-in). */
  @Column({ type: 'text' })
  profile!: string;

  /**
   * Who signed in, from the verified ID token (OpenID Connect Core §3.1.3.7): `sub`, `name`, `email`…
   * as JSON. Null for a connection made before CustomApp signed in with OpenID Connect.
   */
  @Column({ type: 'text', nullable: true })
  identity!: string | null;

  /**
   * The latest ID token, encrypted: not a credential, but it names the user, and CustomApp sends it
   * back to SHIFT as `id_token_hint` when the user signs out (OpenID Connect RP-Initiated Logout §2).
   */
  @Column({ name: 'id_token', type: 'text', nullable: true })
  idToken!: string | null;

  /** The scopes SHIFT granted, space-separated (RFC 6749 §5.1). */
  @Column({ type: 'varchar', length: 255 })
  scope!: string;

  @Column({ name: 'access_token', type: 'text' })
  accessToken!: string;

  @Column({ name: 'access_token_expires_at' })
  accessTokenExpiresAt!: Date;

  @Column({ name: 'refresh_token', type: 'text', nullable: true })
  refreshToken!: string | null;

  /** The access token for SHIFT Files (its audience is SHIFT Files only), once CustomApp has asked for one. */
  @Column({ name: 'files_access_token', type: 'text', nullable: true })
  filesAccessToken!: string | null;

  @Column({ name: 'files_access_token_expires_at', nullable: true, type: Date })
  filesAccessTokenExpiresAt!: Date | null;

  /** How many times the access token was renewed with the refresh token (shown on the profile page). */
  @Column({ name: 'refresh_count', type: 'integer', default: 0 })
  refreshCount!: number;

  /** The `shift_team_id` SHIFT passed back with the code, when CustomApp was opened from a team. */
  @Column({ name: 'shift_team_id', type: 'varchar', length: 64, nullable: true })
  shiftTeamId!: string | null;

  @Column({ name: 'connected_at' })
  connectedAt!: Date;

  @Column({ name: 'refreshed_at', nullable: true, type: Date })
  refreshedAt!: Date | null;
}

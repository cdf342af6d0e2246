import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** The columns of an express-session row; each app has its own table so neither can read the other's. */
export abstract class SessionRow {
  /** SHA-256 (hex) of the session id; the id itself is only in the browser's cookie. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  sid!: string;

  /** The session as JSON (user id, CSRF token, a pending authorization request): never a password or a token. */
  @Column({ type: 'text' })
  data!: string;

  @Column({ name: 'expires_at' })
  expiresAt!: Date;
}

/** SHIFT's login sessions. */
@Entity('shift_sessions')
@Index('idx_shift_sessions_expires', ['expiresAt'])
export class ShiftSession extends SessionRow {}

/** CustomApp's sessions (pending state + PKCE verifier, which connection the browser is using). */
@Entity('customapp_sessions')
@Index('idx_customapp_sessions_expires', ['expiresAt'])
export class CustomAppSession extends SessionRow {}

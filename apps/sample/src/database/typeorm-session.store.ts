import { createHash } from 'node:crypto';
import session from 'express-session';
import { LessThan, type Repository } from 'typeorm';
import type { SessionRow } from './session.entities';

/**
 * An express-session store on a TypeORM table, so sessions survive restarts and are shared by every
 * instance behind a load balancer (the apps keep no state in memory).
 *
 * Rows are keyed by the SHA-256 of the session id, never the id itself: the id is the bearer
 * credential of a login, and a database dump or backup must not hand out live sessions (the cookie
 * signature does not help there, as SESSION_SECRET usually sits beside the database).
 */
export class TypeOrmSessionStore extends session.Store {
  private lastPurge = 0;

  constructor(
    private readonly rows: Repository<SessionRow>,
    private readonly defaultTtlMs: number,
  ) {
    super();
  }

  override get(sid: string, done: (err: unknown, data?: session.SessionData | null) => void): void {
    this.rows
      .findOneBy({ sid: rowKey(sid) })
      .then((row) => done(null, row && row.expiresAt > new Date() ? (JSON.parse(row.data) as session.SessionData) : null))
      .catch(done);
  }

  override set(sid: string, data: session.SessionData, done?: (err?: unknown) => void): void {
    this.rows
      .save({ sid: rowKey(sid), data: JSON.stringify(data), expiresAt: this.expiry(data) })
      .then(() => this.purgeNow())
      .then(() => done?.())
      .catch((err) => done?.(err));
  }

  override destroy(sid: string, done?: (err?: unknown) => void): void {
    this.rows
      .delete({ sid: rowKey(sid) })
      .then(() => done?.())
      .catch((err) => done?.(err));
  }

  override touch(sid: string, data: session.SessionData, done?: () => void): void {
    this.rows
      .update({ sid: rowKey(sid) }, { expiresAt: this.expiry(data) })
      .then(() => done?.())
      .catch(() => done?.());
  }

  private expiry(data: session.SessionData): Date {
    const expires = data.cookie?.expires;
    return expires ? new Date(expires) : new Date(Date.now() + this.defaultTtlMs);
  }

  /** Deletes expired rows at most once a minute, so the table never grows without limit. */
  private async purgeNow(): Promise<void> {
    if (Date.now() - this.lastPurge < 60_000) return;
    this.lastPurge = Date.now();
    await this.rows.delete({ expiresAt: LessThan(new Date()) });
  }
}

/** The row key of a session id: its SHA-256 in hex (64 characters, the column's width). */
function rowKey(sid: string): string {
  return createHash('sha256').update(sid).digest('hex');
}

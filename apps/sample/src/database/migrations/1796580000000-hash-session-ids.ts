import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Session rows are now keyed by the SHA-256 of the session id (see `TypeOrmSessionStore`). A row
 * stored under a raw id can never be found again, and hashing it here would need SQL that SQLite
 * lacks, so the existing sessions are dropped: everyone signs in to SHIFT and CustomApp once more
 * after the upgrade. CustomApp's stored connections (its tokens) are kept.
 */
export class HashSessionIds1796580000000 implements MigrationInterface {
  name = 'HashSessionIds1796580000000';

  async up(qr: QueryRunner): Promise<void> {
    await dropSessions(qr);
  }

  /** The old code looks sessions up by raw id: hashed rows mean nothing to it either. */
  async down(qr: QueryRunner): Promise<void> {
    await dropSessions(qr);
  }
}

async function dropSessions(qr: QueryRunner): Promise<void> {
  for (const table of ['shift_sessions', 'customapp_sessions']) {
    await qr.query(`DELETE FROM ${qr.connection.driver.escape(table)}`);
  }
}

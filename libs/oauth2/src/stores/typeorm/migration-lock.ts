import type { DataSource } from 'typeorm';

const LOCK_NAME = 'nest-oauth2-provider migrations';

/**
 * Session-level locks, freed by the server if the holding process dies. PostgreSQL's advisory locks
 * are per database; MySQL's GET_LOCK names are server-wide (at most 64 characters), so the database
 * name goes into a digest of the name.
 */
const LOCKS = {
  postgres: { lock: 'SELECT pg_advisory_lock(hashtext($1)) AS granted', unlock: 'SELECT pg_advisory_unlock(hashtext($1))' },
  mysql: {
    lock: 'SELECT GET_LOCK(SHA1(CONCAT(?, DATABASE())), 600) AS granted',
    unlock: 'SELECT RELEASE_LOCK(SHA1(CONCAT(?, DATABASE())))',
  },
};

/**
 * Applies the data source's pending migrations while this process holds a lock in the database, so
 * instances (and a `nest-oauth2 --migrate` run) starting at the same moment against a new PostgreSQL
 * or MySQL/MariaDB database migrate it once: with TypeORM's `migrationsRun` alone each finds nothing
 * applied, and all but one fail on CREATE TABLE. A SQLite file serves one writer at a time and needs
 * no lock.
 * @publicApi
 * @example
 * const dataSource = await new DataSource({ ...options, migrationsRun: false }).initialize();
 * await runMigrationsLocked(dataSource);
 */
export async function runMigrationsLocked(dataSource: DataSource): Promise<void> {
  const type = dataSource.options.type;
  const statements = type === 'postgres' ? LOCKS.postgres : type === 'mysql' || type === 'mariadb' ? LOCKS.mysql : undefined;
  const migrate = async () => void (await dataSource.runMigrations({ transaction: dataSource.options.migrationsTransactionMode ?? 'all' }));
  if (!statements) return migrate();
  const runner = dataSource.createQueryRunner();
  try {
    const [{ granted }] = await runner.query(statements.lock, [LOCK_NAME]);
    // pg_advisory_lock waits as long as it takes (void); GET_LOCK gives up after 600 s with 0.
    if (type !== 'postgres' && Number(granted) !== 1) throw new Error('timed out waiting for another process to finish the migrations');
    try {
      await migrate();
    } finally {
      await runner.query(statements.unlock, [LOCK_NAME]);
    }
  } finally {
    await runner.release();
  }
}

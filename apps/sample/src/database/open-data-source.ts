import { DataSource, type DataSourceOptions } from 'typeorm';

/**
 * Opens a data source. When its options ask for `migrationsRun`, the pending migrations are applied
 * while this process holds a lock in the database, so instances started at once against a new
 * PostgreSQL or MySQL/MariaDB database migrate it once: with TypeORM's `migrationsRun` alone each
 * finds nothing applied, and all but one fail on CREATE TABLE. A SQLite file serves one process and
 * needs no lock.
 */
export async function openDataSource(options: DataSourceOptions): Promise<DataSource> {
  const dataSource = await new DataSource({ ...options, migrationsRun: false }).initialize();
  if (!options.migrationsRun) return dataSource;
  try {
    await whileLocked(dataSource, () => dataSource.runMigrations({ transaction: options.migrationsTransactionMode ?? 'all' }));
    return dataSource;
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
}

const LOCK_NAME = 'nest-oauth2-provider sample migrations';

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

/** Runs `work` while holding the migrations lock, on a connection of its own. */
async function whileLocked<T>(dataSource: DataSource, work: () => Promise<T>): Promise<T> {
  const type = dataSource.options.type;
  const statements = type === 'postgres' ? LOCKS.postgres : type === 'mysql' || type === 'mariadb' ? LOCKS.mysql : undefined;
  if (!statements) return work();
  const runner = dataSource.createQueryRunner();
  try {
    const [{ granted }] = await runner.query(statements.lock, [LOCK_NAME]);
    // pg_advisory_lock waits as long as it takes (void); GET_LOCK gives up after 600 s with 0.
    if (type !== 'postgres' && Number(granted) !== 1) throw new Error('Timed out waiting for another instance to finish the migrations');
    try {
      return await work();
    } finally {
      await runner.query(statements.unlock, [LOCK_NAME]);
    }
  } finally {
    await runner.release();
  }
}

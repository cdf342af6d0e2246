import type { DataSourceOptions } from 'typeorm';

/**
 * Where the embedded default keeps a generated key-encryption key: beside the SQLite file, as
 * `<file>.kek`, so the sealed signing keys and the key that opens them move, are backed up and are
 * deleted together, and a restart on the same file opens the same keys. Undefined for every other
 * database: a file beside a PostgreSQL or MariaDB server is not something this process can place,
 * so there the key lives as long as the process (with a warning) and production must configure one.
 */
export function defaultKeyEncryptionKeyFile(options: DataSourceOptions): string | undefined {
  if (options.type !== 'better-sqlite3') return undefined;
  const database = options.database;
  if (typeof database !== 'string' || database === '' || database === ':memory:' || database.startsWith('file:')) return undefined;
  return `${database}.kek`;
}

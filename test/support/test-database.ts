import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';

/** The database kind the suite runs on: SQLite unless DATABASE_URL names PostgreSQL or MySQL/MariaDB. */
export type DatabaseKind = 'sqlite' | 'postgres' | 'mysql';

export function databaseKind(url = process.env.DATABASE_URL): DatabaseKind {
  if (!url || url.startsWith('sqlite:')) return 'sqlite';
  if (/^postgres(ql)?:/.test(url)) return 'postgres';
  if (/^(mysql|mariadb):/.test(url)) return 'mysql';
  throw new Error(`DATABASE_URL must start with sqlite:, postgres:// or mysql:// (got ${url.split(':')[0]}:…)`);
}

/** A fresh, empty database for one test file, and how to drop it. */
export interface TestDatabase {
  kind: DatabaseKind;
  /** Connection options without entities or migrations: add your own. */
  options: DataSourceOptions;
  /** A DATABASE_URL that names this database (for child processes such as the CLI). */
  url: string;
  drop(): Promise<void>;
}

/**
 * Creates an empty database of the kind in DATABASE_URL: a temporary SQLite file, or a new
 * PostgreSQL/MariaDB database named `t_<random>` beside the one in the URL. Each test file gets its
 * own, so files can run in parallel and every run starts from a clean schema.
 */
export async function createTestDatabase(url = process.env.DATABASE_URL): Promise<TestDatabase> {
  const kind = databaseKind(url);
  const name = `t_${randomBytes(6).toString('hex')}`;
  if (kind === 'sqlite') {
    const file = join(tmpdir(), `oauth-${name}.sqlite`);
    return {
      kind,
      url: `sqlite:${file}`,
      options: { type: 'better-sqlite3', database: file },
      // With the key-encryption key the embedded default generates beside it.
      drop: async () => {
        for (const path of [file, `${file}.kek`]) rmSync(path, { force: true });
      },
    };
  }
  const admin = new DataSource(kind === 'postgres' ? { type: 'postgres', url } : { type: 'mysql', url });
  await admin.initialize();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.destroy();
  const dbUrl = new URL(url!);
  dbUrl.pathname = `/${name}`;
  return {
    kind,
    url: dbUrl.toString(),
    options: kind === 'postgres' ? { type: 'postgres', url: dbUrl.toString() } : { type: 'mysql', url: dbUrl.toString() },
    drop: async () => {
      const cleanup = new DataSource(kind === 'postgres' ? { type: 'postgres', url } : { type: 'mysql', url });
      await cleanup.initialize();
      await cleanup.query(kind === 'postgres' ? `DROP DATABASE IF EXISTS ${name} WITH (FORCE)` : `DROP DATABASE IF EXISTS ${name}`);
      await cleanup.destroy();
    },
  };
}

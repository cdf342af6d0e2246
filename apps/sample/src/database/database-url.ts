import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { OAUTH_ENTITIES, OAUTH_MIGRATIONS } from 'nest-oauth2-provider/typeorm';
import type { DataSourceOptions } from 'typeorm';
import { SAMPLE_ENTITIES, SAMPLE_MIGRATIONS } from './sample-schema';

/** Where the sample keeps its data when DATABASE_URL is not set: an embedded SQLite file. */
export const DEFAULT_DATABASE_URL = 'sqlite:data/sample.sqlite';

/**
 * TypeORM options for a DATABASE_URL: `sqlite:<path>` (relative to the working directory; its folder
 * is created), `postgres://…` / `postgresql://…`, or `mysql://…` / `mariadb://…`. The OAuth entities
 * and migrations are included and pending migrations run at start-up, so a new empty database — or a
 * SQLite file that does not exist yet — just works. Add your own entities beside OAUTH_ENTITIES.
 */
export function dataSourceOptionsFromUrl(url: string | undefined = process.env.DATABASE_URL): DataSourceOptions {
  const target = url?.trim() || DEFAULT_DATABASE_URL;
  const common = {
    entities: [...OAUTH_ENTITIES, ...SAMPLE_ENTITIES],
    // The sample's own tables (users, teams, sessions, CustomApp's storage) after the library's.
    migrations: [...OAUTH_MIGRATIONS, ...SAMPLE_MIGRATIONS],
    migrationsRun: true,
  };
  if (target.startsWith('sqlite:')) {
    const path = target.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!path) throw new Error('DATABASE_URL: sqlite: needs a file path, e.g. sqlite:data/sample.sqlite');
    if (path === ':memory:') return { type: 'better-sqlite3', database: path, ...common };
    const file = resolve(path);
    mkdirSync(dirname(file), { recursive: true });
    // WAL lets the CLI read while the sample writes; synchronous=NORMAL drops the fsync per commit,
    // which in WAL mode can lose the last commits on power loss but never corrupts the file.
    return {
      type: 'better-sqlite3',
      database: file,
      enableWAL: true,
      prepareDatabase: (db: { pragma(sql: string): unknown }) => void db.pragma('synchronous = NORMAL'),
      ...common,
    };
  }
  if (/^postgres(ql)?:\/\//.test(target)) return { type: 'postgres', url: target, ...common };
  if (target.startsWith('mysql://')) return { type: 'mysql', url: target, ...common };
  // TypeORM's URL parser expects mysql://; MariaDB speaks the same protocol through the same driver.
  if (target.startsWith('mariadb://')) return { type: 'mariadb', url: target.replace(/^mariadb:/, 'mysql:'), ...common };
  throw new Error(`DATABASE_URL: expected sqlite:<path>, postgres://… or mysql://… (got "${target.split(':')[0]}:…")`);
}

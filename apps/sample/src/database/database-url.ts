import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { OAUTH_ENTITIES } from 'nest-oauth2-provider';
import type { DataSourceOptions } from 'typeorm';
import { SAMPLE_ENTITIES, SAMPLE_MIGRATIONS } from './sample-schema';

/** The sample's database: `sqlite:<path>` (default `sqlite:data/sample.sqlite`), `postgres://…` or `mysql://…`. */
export function dataSourceOptionsFromUrl(url = process.env.DATABASE_URL || 'sqlite:data/sample.sqlite'): DataSourceOptions {
  const common = {
    entities: [...OAUTH_ENTITIES, ...SAMPLE_ENTITIES],
    migrations: SAMPLE_MIGRATIONS,
    migrationsRun: true,
    synchronize: false,
  };
  if (url.startsWith('sqlite:')) {
    const file = resolve(url.slice('sqlite:'.length));
    mkdirSync(dirname(file), { recursive: true });
    return { type: 'better-sqlite3', database: file, ...common };
  }
  if (/^postgres(ql)?:\/\//.test(url)) return { type: 'postgres', url, ...common };
  if (/^(mysql|mariadb):\/\//.test(url)) return { type: 'mariadb', url: url.replace(/^mariadb:/, 'mysql:'), ...common };
  throw new Error(`DATABASE_URL must start with sqlite:, postgres:// or mysql:// (got ${url.split(':')[0]}:…)`);
}

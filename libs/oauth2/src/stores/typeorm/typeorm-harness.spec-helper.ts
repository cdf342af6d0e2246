import { DataSource, type DataSourceOptions } from 'typeorm';
import { createTestDatabase } from '../../../../../test/support/test-database';
import type { StoreHarness } from '../store-contract.spec-helper';
import { OAUTH_ENTITIES, OAUTH_MIGRATIONS } from './oauth-entities';

/**
 * A contract harness on a fresh database of the kind in DATABASE_URL, schema made by the migrations.
 * PostgreSQL and MariaDB get two DataSources with pools of 10 connections each, so the race tests
 * run as truly concurrent transactions of two app instances; SQLite has one connection per process.
 */
export function typeOrmHarness<S>(table: string, create: (dataSource: DataSource) => S): () => Promise<StoreHarness<S>> {
  return async () => {
    const db = await createTestDatabase();
    const open = async () =>
      new DataSource({
        ...db.options,
        entities: [...OAUTH_ENTITIES],
        migrations: [...OAUTH_MIGRATIONS],
        poolSize: 10,
      } as DataSourceOptions).initialize();
    const first = await open();
    await first.runMigrations();
    const sources = db.kind === 'sqlite' ? [first] : [first, await open()];
    return {
      stores: sources.map(create),
      dump: async () => JSON.stringify(await first.query(`SELECT * FROM ${table}`)),
      clear: async () => void (await first.query(`DELETE FROM ${table}`)),
      close: async () => {
        for (const source of sources) await source.destroy();
        await db.drop();
      },
    };
  };
}

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { dataSourceOptionsFromUrl } from '../apps/sample/src/database/database-url';
import { CustomAppSession, ShiftSession } from '../apps/sample/src/database/session.entities';
import { CustomAppSetting } from '../apps/sample/src/customapp/storage/customapp.entities';
import { SampleSchema1733000000000 } from '../apps/sample/src/database/migrations/1733000000000-sample-schema';
import { createTestDatabase, type TestDatabase } from './support/test-database';

const SAMPLE_TABLES = [
  'shift_users',
  'shift_teams',
  'shift_team_members',
  'shift_sessions',
  'customapp_settings',
  'customapp_connections',
  'customapp_sessions',
];

/** The sample's own migration, on an empty database of the kind in DATABASE_URL. */
describe('sample schema migrations', () => {
  let db: TestDatabase;
  let source: DataSource;

  before(async () => {
    db = await createTestDatabase();
    const options = dataSourceOptionsFromUrl(db.url);
    source = new DataSource(options);
    await source.initialize();
    if (options.type === 'mysql' && /mariadb/i.test((await source.query('SELECT VERSION() AS v'))[0].v)) {
      // TypeORM's 'mysql' driver misreads MariaDB's nullable-column defaults and would report every
      // nullable column as changed; compare the schema with the driver written for this server.
      await source.destroy();
      source = new DataSource({ ...options, type: 'mariadb' });
      await source.initialize();
    }
  });
  after(async () => {
    await source?.destroy();
    await db?.drop();
  });

  it('creates every table of SHIFT and CustomApp on an empty database (migrationsRun, no synchronize)', async () => {
    const runner = source.createQueryRunner();
    try {
      for (const table of SAMPLE_TABLES) assert.equal(await runner.hasTable(table), true, table);
    } finally {
      await runner.release();
    }
  });

  it('leaves nothing for synchronize to change in the sample’s tables: the migration matches the entities', async () => {
    const pending = (await source.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query);
    const ours = pending.filter((q) => /(shift|customapp)_/.test(q));
    assert.deepEqual(ours, []);
  });

  it('indexes the lookups the apps make: username, session expiry, team members by user, connections by user', async () => {
    const runner = source.createQueryRunner();
    try {
      const users = (await runner.getTable('shift_users'))!;
      assert.ok(
        users.indices.some((i) => i.isUnique && i.columnNames.join() === 'username') ||
          users.uniques.some((u) => u.columnNames.join() === 'username') ||
          users.findColumnByName('username')?.isUnique,
      );
      for (const [table, column] of [
        ['shift_sessions', 'expires_at'],
        ['customapp_sessions', 'expires_at'],
        ['shift_team_members', 'user_id'],
        ['customapp_connections', 'shift_user_id'],
      ]) {
        const indices = (await runner.getTable(table))!.indices;
        assert.ok(
          indices.some((i) => i.columnNames[0] === column),
          `${table}.${column}`,
        );
      }
    } finally {
      await runner.release();
    }
  });
});

describe('sample migration to hashed session ids', () => {
  it('drops the sessions stored under raw ids (they could never be found again) and keeps the rest', async () => {
    const db = await createTestDatabase();
    const options = dataSourceOptionsFromUrl(db.url);
    const before = new DataSource({ ...options, migrations: [SampleSchema1733000000000], migrationsRun: false });
    try {
      await before.initialize();
      await before.runMigrations();
      const future = new Date(Date.now() + 3600_000);
      for (const table of [ShiftSession, CustomAppSession]) {
        await before.getRepository(table).insert({ sid: 'raw-session-id', data: '{}', expiresAt: future });
      }
      await before.getRepository(CustomAppSetting).insert({ key: 'kept', value: 'yes' });
      await before.destroy();

      const after = new DataSource({ ...options, migrationsRun: false });
      await after.initialize();
      try {
        await after.runMigrations();
        for (const table of [ShiftSession, CustomAppSession]) {
          assert.equal(await after.getRepository(table).count(), 0, table.name);
        }
        assert.equal(await after.getRepository(CustomAppSetting).count(), 1);
      } finally {
        await after.destroy();
      }
    } finally {
      if (before.isInitialized) await before.destroy();
      await db.drop();
    }
  });
});

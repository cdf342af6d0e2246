import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OAUTH_MIGRATIONS } from 'nest-oauth2-provider/typeorm';
import { hashSecret } from './support/library-internals';
import { DataSource, type QueryRunner } from 'typeorm';
import { dataSourceOptionsFromUrl } from '../apps/sample/src/database/database-url';
import { openDataSource } from '../apps/sample/src/database/open-data-source';
import { createTestDatabase, databaseKind, type TestDatabase } from './support/test-database';

const OAUTH_TABLES = ['oauth_authorization_codes', 'oauth_clients', 'oauth_consents', 'oauth_signing_keys', 'oauth_tokens'];

/**
 * The `oauth_` tables of the data source's own database, by name.
 *
 * Not `queryRunner.getTables()` without names: on MySQL/MariaDB TypeORM then reads the tables of
 * every database on the server (`SELECT … FROM INFORMATION_SCHEMA.TABLES`, no schema filter), and
 * afterwards looks each table's schema up in a second query (`… FROM INFORMATION_SCHEMA.SCHEMATA`,
 * for the default collation). Other test files create and drop their own `t_…` databases in
 * parallel; one dropped between the two queries leaves a table whose schema is gone, and
 * `loadTables` fails with "Cannot read properties of undefined (reading 'COLLATION')". Asking the
 * catalog for this database's tables only, then loading those by name, keeps every query scoped to a
 * database nobody else drops. The race is reproduced below by dropping a database at that moment.
 */
async function oauthTables(runner: QueryRunner): Promise<string[]> {
  const type = runner.connection.options.type;
  const sql =
    type === 'better-sqlite3'
      ? `SELECT name AS name FROM sqlite_master WHERE type = 'table'`
      : type === 'postgres'
        ? 'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()'
        : 'SELECT TABLE_NAME AS name FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = DATABASE()';
  const names = ((await runner.query(sql)) as { name: string }[]).map((row) => row.name).filter((n) => n.startsWith('oauth_'));
  if (!names.length) return [];
  return (await runner.getTables(names)).map((t) => t.name).sort();
}

/** Runs `action` with a query runner of `ds`, released afterwards. */
async function withRunner<T>(ds: DataSource, action: (runner: QueryRunner) => Promise<T>): Promise<T> {
  const runner = ds.createQueryRunner();
  try {
    return await action(runner);
  } finally {
    await runner.release();
  }
}

/** The 13-digit timestamp at the end of a migration class name. */
const timestampOf = (migration: { name: string }) => Number(/(\d{13})$/.exec(migration.name)![1]);

/** The index a hot path needs: `columns` of `table`, by name. */
const HOT_PATH_INDEXES = [
  { table: 'oauth_tokens', name: 'IDX_oauth_tokens_token_hash', columns: ['token_hash'], unique: true },
  { table: 'oauth_tokens', name: 'IDX_oauth_tokens_grant_id', columns: ['grant_id'], unique: false },
  { table: 'oauth_tokens', name: 'IDX_oauth_tokens_parent_id', columns: ['parent_id'], unique: false },
  { table: 'oauth_tokens', name: 'IDX_oauth_tokens_user_id_client_id', columns: ['user_id', 'client_id'], unique: false },
  { table: 'oauth_tokens', name: 'IDX_oauth_tokens_expires_at', columns: ['expires_at'], unique: false },
  { table: 'oauth_authorization_codes', name: 'IDX_oauth_authorization_codes_expires_at', columns: ['expires_at'], unique: false },
  { table: 'oauth_clients', name: 'IDX_oauth_clients_registration_name', columns: ['registration', 'name'], unique: false },
];

/**
 * The database's URL naming its exact flavour: TypeORM reads MariaDB's catalog (which reports the
 * default of a nullable column as the string 'NULL') correctly only when told it is MariaDB.
 */
async function exactUrl(db: TestDatabase): Promise<string> {
  if (db.kind !== 'mysql') return db.url;
  const probe = await new DataSource(db.options).initialize();
  const [{ version }] = await probe.query('SELECT VERSION() AS version');
  await probe.destroy();
  return /mariadb/i.test(version) ? db.url.replace(/^mysql:/, 'mariadb:') : db.url;
}

describe('migrations (on the database in DATABASE_URL)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  before(async () => {
    db = await createTestDatabase();
    // Exactly what the sample and the CLI do: options from DATABASE_URL, migrations run on start.
    ds = await openDataSource(dataSourceOptionsFromUrl(await exactUrl(db)));
  });
  after(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('creates the five oauth_ tables on an empty database', async () => {
    assert.deepEqual(await withRunner(ds, oauthTables), OAUTH_TABLES);
  });

  it('leaves the schema exactly as the entities describe it (no pending schema change)', async () => {
    const pending = await ds.driver.createSchemaBuilder().log();
    assert.deepEqual(
      pending.upQueries.map((q) => q.query),
      [],
    );
  });

  it('has no migration left to run after start-up', async () => {
    assert.equal(await ds.showMigrations(), false);
  });

  it('backs every hot-path lookup with an index', async () => {
    const runner = ds.createQueryRunner();
    try {
      for (const expected of HOT_PATH_INDEXES) {
        const table = await runner.getTable(expected.table);
        const index = table?.indices.find((i) => i.name === expected.name);
        assert.ok(index, `${expected.table}.${expected.name} is missing`);
        // Compared as sets: PostgreSQL's catalog reader in TypeORM does not keep the column order.
        assert.deepEqual([...index.columnNames].sort(), [...expected.columns].sort(), expected.name);
        assert.equal(Boolean(index.isUnique), expected.unique, `${expected.name} uniqueness`);
      }
      const primary = async (name: string) => (await runner.getTable(name))!.primaryColumns.map((c) => c.name);
      assert.deepEqual(await primary('oauth_clients'), ['id'], 'client by id');
      assert.deepEqual(await primary('oauth_authorization_codes'), ['code_hash'], 'code by hash');
      assert.deepEqual(await primary('oauth_tokens'), ['id'], 'token by id');
      assert.deepEqual(await primary('oauth_consents'), ['user_id', 'client_id'], 'consent by user and client (unique)');
      assert.deepEqual(await primary('oauth_signing_keys'), ['kid'], 'signing key by kid');
    } finally {
      await runner.release();
    }
  });

  it('reverts cleanly: undoing every migration, newest first, drops every oauth_ table', async () => {
    // Every migration, the sample's included: the library's are not necessarily the last ones run.
    for (let i = 0; i < ds.migrations.length; i++) await ds.undoLastMigration();
    assert.deepEqual(await withRunner(ds, oauthTables), []);
    await ds.runMigrations();
    assert.equal(await ds.showMigrations(), false);
    assert.deepEqual(await withRunner(ds, oauthTables), OAUTH_TABLES);
  });
});

/** Columns that hold an identifier or a hash, compared byte for byte (binary collation on MySQL/MariaDB). */
const IDENTIFIER_COLUMNS: Record<string, string[]> = {
  oauth_clients: ['id', 'secret_hash', 'owner_id', 'previous_secret_hash', 'registration_access_token_hash'],
  oauth_authorization_codes: ['code_hash', 'client_id', 'user_id', 'grant_id', 'code_challenge'],
  oauth_tokens: ['id', 'token_hash', 'client_id', 'user_id', 'grant_id', 'parent_id'],
  oauth_consents: ['user_id', 'client_id'],
  oauth_signing_keys: ['kid'],
};

describe('migrating clients registered before redirect URI lists were JSON (on the database in DATABASE_URL)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const FIRST_NEW = 1780000100000;
  const legacy = [
    // What `clients create --redirect-uri 'https://app.example/cb http://evil.example/steal'` stored.
    { id: 'c-1', secret_hash: 'a'.repeat(64), redirect_uris: 'https://app.example/cb http://evil.example/steal' },
    { id: 'c-2', secret_hash: null, redirect_uris: 'http://127.0.0.1:8765/cb' },
    { id: 'c-3', secret_hash: 'b'.repeat(64), redirect_uris: '' },
  ];

  before(async () => {
    db = await createTestDatabase();
    const old = await new DataSource({
      ...db.options,
      migrations: OAUTH_MIGRATIONS.filter((m) => timestampOf(m) < FIRST_NEW),
    }).initialize();
    await old.runMigrations();
    for (const row of legacy) {
      await old
        .createQueryBuilder()
        .insert()
        .into('oauth_clients')
        .values({ ...row, name: row.id, grant_types: 'authorization_code', scopes: 'profile', can_introspect: 0, created_at: 1 })
        .execute();
    }
    await old.destroy();
    ds = await openDataSource(dataSourceOptionsFromUrl(db.url));
  });
  after(async () => {
    await ds.destroy();
    await db.drop();
  });

  const rows = async () =>
    (await ds.query('SELECT id, redirect_uris, application_type FROM oauth_clients ORDER BY id')) as {
      id: string;
      redirect_uris: string;
      application_type: string;
    }[];

  it('stores each redirect URI list as a JSON array, and the application type from whether the client has a secret (RFC 8252 §8.4)', async () => {
    assert.deepEqual(
      (await rows()).map((r) => ({ id: r.id, uris: JSON.parse(r.redirect_uris), type: r.application_type })),
      [
        { id: 'c-1', uris: ['https://app.example/cb', 'http://evil.example/steal'], type: 'web' },
        { id: 'c-2', uris: ['http://127.0.0.1:8765/cb'], type: 'native' },
        { id: 'c-3', uris: [], type: 'web' },
      ],
    );
  });

  it('converts back to space-separated lists without application types when undone', async () => {
    const executed = ((await ds.query('SELECT name FROM migrations')) as { name: string }[]).filter((m) => timestampOf(m) >= FIRST_NEW);
    for (let i = 0; i < executed.length; i++) await ds.undoLastMigration();
    const undone = await ds.query('SELECT id, redirect_uris FROM oauth_clients ORDER BY id');
    assert.deepEqual(
      undone.map((r: { id: string; redirect_uris: string }) => [r.id, r.redirect_uris]),
      legacy.map((r) => [r.id, r.redirect_uris]),
    );
    assert.equal(await withRunner(ds, (runner) => runner.hasColumn('oauth_clients', 'application_type')), false);
    await ds.runMigrations();
    assert.equal((await rows()).length, 3);
  });
});

describe('upgrading a database that holds tokens (on the database in DATABASE_URL)', () => {
  it("gives existing tokens their grant's first issuance as grant_created_at, then requires it (refreshTokenAbsoluteTtl)", async () => {
    const db = await createTestDatabase();
    const [first, ...later] = OAUTH_MIGRATIONS;
    const old = await new DataSource({ ...db.options, migrations: [first] }).initialize();
    try {
      await old.runMigrations();
      const insert = (id: string, grant: string, createdAt: number) =>
        old
          .createQueryBuilder()
          .insert()
          .into('oauth_tokens')
          .values({
            id,
            token_hash: hashSecret(id),
            kind: 'refresh',
            client_id: 'client-1',
            user_id: 'nate',
            scopes: 'profile',
            grant_id: grant,
            parent_id: null,
            created_at: createdAt,
            expires_at: createdAt + 3_600_000,
          })
          .execute();
      await insert('a1', 'grant-a', 1_000);
      await insert('a2', 'grant-a', 5_000);
      await insert('a3', 'grant-a', 9_000);
      await insert('b1', 'grant-b', 7_000);
      await old.destroy();
      const upgraded = await new DataSource({ ...db.options, migrations: [first, ...later] }).initialize();
      try {
        await upgraded.runMigrations();
        const rows: { id: string; grant_created_at: string | number }[] = await upgraded.query(
          'SELECT id, grant_created_at FROM oauth_tokens ORDER BY id',
        );
        assert.deepEqual(
          rows.map((r) => [r.id, Number(r.grant_created_at)]),
          [
            ['a1', 1_000],
            ['a2', 1_000],
            ['a3', 1_000],
            ['b1', 7_000],
          ],
        );
        const column = (await upgraded.createQueryRunner().getTable('oauth_tokens'))!.findColumnByName('grant_created_at')!;
        assert.equal(column.isNullable, false);
        assert.equal((await upgraded.query('SELECT COUNT(*) AS n FROM oauth_tokens'))[0].n.toString(), '4', 'no row lost');
      } finally {
        await upgraded.destroy();
      }
    } finally {
      if (old.isInitialized) await old.destroy();
      await db.drop();
    }
  });
});

describe('upgrading a database to resource indicators (on the database in DATABASE_URL)', () => {
  it('RFC 8707: gives existing clients no resource restriction, codes and tokens no audience, consents no resource, then requires the lists', async () => {
    const db = await createTestDatabase();
    const before = OAUTH_MIGRATIONS.filter((m) => timestampOf(m) < 1780000500000);
    const old = await new DataSource({ ...db.options, migrations: before }).initialize();
    try {
      await old.runMigrations();
      const into = (table: string, values: Record<string, unknown>) =>
        old.createQueryBuilder().insert().into(table).values(values).execute();
      await into('oauth_clients', {
        id: 'c-1',
        name: 'Old app',
        secret_hash: 'a'.repeat(64),
        redirect_uris: '["https://app.example/cb"]',
        grant_types: 'authorization_code',
        scopes: 'profile',
        can_introspect: 0,
        application_type: 'web',
        created_at: 1,
      });
      await into('oauth_authorization_codes', {
        code_hash: hashSecret('code'),
        client_id: 'c-1',
        user_id: 'nate',
        redirect_uri: null,
        scopes: 'profile',
        grant_id: 'g-1',
        created_at: 1,
        expires_at: 2,
      });
      const token = { token_hash: hashSecret('t'), kind: 'access', client_id: 'c-1', user_id: 'nate', scopes: 'profile', grant_id: 'g-1' };
      await into('oauth_tokens', { ...token, id: 't-1', parent_id: null, created_at: 1, grant_created_at: 1, expires_at: 2 });
      await into('oauth_consents', { user_id: 'nate', client_id: 'c-1', scopes: 'profile', created_at: 1, last_used_at: 1 });
      await old.destroy();
      const upgraded = await new DataSource({ ...db.options, migrations: OAUTH_MIGRATIONS as never }).initialize();
      try {
        await upgraded.runMigrations();
        const [client] = await upgraded.query('SELECT resources, default_resource FROM oauth_clients');
        assert.deepEqual([client.resources, client.default_resource], [null, null]);
        assert.equal((await upgraded.query('SELECT resources FROM oauth_authorization_codes'))[0].resources, '[]');
        assert.equal((await upgraded.query('SELECT resources FROM oauth_tokens'))[0].resources, '[]');
        assert.equal((await upgraded.query('SELECT resources FROM oauth_consents'))[0].resources, '[]');
        const runner = upgraded.createQueryRunner();
        for (const table of ['oauth_authorization_codes', 'oauth_tokens', 'oauth_consents']) {
          assert.equal((await runner.getTable(table))!.findColumnByName('resources')!.isNullable, false, table);
        }
        await runner.release();
      } finally {
        await upgraded.destroy();
      }
    } finally {
      if (old.isInitialized) await old.destroy();
      await db.drop();
    }
  });
});

describe('upgrading a database to registration kinds (on the database in DATABASE_URL)', () => {
  it('RFC 7591: keeps every client, code, token and consent, marks owned clients as a developer’s, then takes a client id that is a URL', async () => {
    const db = await createTestDatabase();
    const before = OAUTH_MIGRATIONS.filter((m) => timestampOf(m) < 1780000900000);
    const old = await new DataSource({ ...db.options, migrations: before }).initialize();
    try {
      await old.runMigrations();
      const into = (ds: DataSource, table: string, values: Record<string, unknown>) =>
        ds.createQueryBuilder().insert().into(table).values(values).execute();
      const client = (id: string, owner: string | null) => ({
        id,
        name: 'Old app',
        secret_hash: 'a'.repeat(64),
        redirect_uris: '["https://app.example/cb"]',
        grant_types: 'authorization_code',
        scopes: 'profile',
        can_introspect: 0,
        application_type: 'web',
        resources: null,
        owner_id: owner,
        created_at: 1,
      });
      await into(old, 'oauth_clients', client('c-1', null));
      await into(old, 'oauth_clients', client('c-2', 'ada'));
      const code = { code_hash: hashSecret('code'), user_id: 'nate', redirect_uri: null, scopes: 'profile', resources: '[]' };
      await into(old, 'oauth_authorization_codes', { ...code, client_id: 'c-1', grant_id: 'g-1', created_at: 1, expires_at: 2 });
      const token = { token_hash: hashSecret('t'), kind: 'access', client_id: 'c-1', user_id: 'nate', scopes: 'profile', grant_id: 'g-1' };
      await into(old, 'oauth_tokens', {
        ...token,
        id: 't-1',
        parent_id: null,
        created_at: 1,
        grant_created_at: 1,
        expires_at: 2,
        resources: '[]',
      });
      const consent = { user_id: 'nate', client_id: 'c-1', scopes: 'profile', created_at: 1, last_used_at: 1, resources: '[]' };
      await into(old, 'oauth_consents', consent);
      await old.destroy();
      const upgraded = await new DataSource({ ...db.options, migrations: OAUTH_MIGRATIONS as never }).initialize();
      try {
        await upgraded.runMigrations();
        const clients = await upgraded.query('SELECT id, registration, secret_hash FROM oauth_clients ORDER BY id');
        assert.deepEqual(
          clients.map((c: Record<string, unknown>) => [c.id, c.registration, c.secret_hash]),
          [
            ['c-1', 'operator', 'a'.repeat(64)],
            ['c-2', 'developer', 'a'.repeat(64)],
          ],
        );
        for (const table of ['oauth_authorization_codes', 'oauth_tokens', 'oauth_consents']) {
          assert.deepEqual(
            (await upgraded.query(`SELECT client_id FROM ${table}`)).map((r: { client_id: string }) => r.client_id),
            ['c-1'],
            table,
          );
        }
        const url = `https://agent.example/${'a'.repeat(200)}.json`;
        await into(upgraded, 'oauth_clients', { ...client(url, null), registration: 'url' });
        await into(upgraded, 'oauth_consents', { ...consent, client_id: url });
        assert.equal((await upgraded.query("SELECT id FROM oauth_clients WHERE registration = 'url'"))[0].id, url);
      } finally {
        await upgraded.destroy();
      }
    } finally {
      if (old.isInitialized) await old.destroy();
      await db.drop();
    }
  });
});

// Several instances share a PostgreSQL or MySQL/MariaDB database; a SQLite file serves one process.
if (databaseKind() !== 'sqlite') {
  describe('reading the schema while other databases come and go (on the database in DATABASE_URL)', () => {
    let db: TestDatabase;
    let ds: DataSource;
    before(async () => {
      db = await createTestDatabase();
      ds = await openDataSource(dataSourceOptionsFromUrl(db.url));
    });
    after(async () => {
      await ds.destroy();
      await db.drop();
    });

    /** A query runner that drops `other` right after its first catalog query for tables returns. */
    async function runnerDroppingMidway(other: TestDatabase): Promise<{ runner: QueryRunner; dropped: () => boolean }> {
      const runner = ds.createQueryRunner();
      const query = runner.query.bind(runner);
      let dropped = false;
      runner.query = (async (sql: string, ...rest: unknown[]) => {
        const result = await (query as (...args: unknown[]) => Promise<unknown>)(sql, ...rest);
        if (!dropped && /information_schema[`"]?\.[`"]?tables/i.test(sql)) {
          dropped = true;
          await other.drop();
        }
        return result;
      }) as QueryRunner['query'];
      return { runner, dropped: () => dropped };
    }

    /** Another test file's database, with a table in it. */
    async function otherDatabase(): Promise<TestDatabase> {
      const other = await createTestDatabase();
      const otherDs = await new DataSource(other.options).initialize();
      await otherDs.query('CREATE TABLE scratch (id int)');
      await otherDs.destroy();
      return other;
    }

    it('lists its own tables even when another database is dropped between the catalog queries', async () => {
      const { runner, dropped } = await runnerDroppingMidway(await otherDatabase());
      try {
        assert.deepEqual(await oauthTables(runner), OAUTH_TABLES);
        assert.equal(dropped(), true, 'the other database was dropped midway');
      } finally {
        await runner.release();
      }
    });

    if (databaseKind() === 'mysql') {
      it("reproduces TypeORM's race: getTables() without names fails when a database is dropped midway", async () => {
        // If this stops failing, TypeORM scoped its catalog reads and oauthTables() could go back to getTables().
        const { runner, dropped } = await runnerDroppingMidway(await otherDatabase());
        try {
          await assert.rejects(runner.getTables(), /reading 'COLLATION'/);
          assert.equal(dropped(), true);
        } finally {
          await runner.release();
        }
      });

      it('makes every identifier and hash column binary and no-pad on MySQL/MariaDB', async () => {
        const columns = (await ds.query(
          `SELECT TABLE_NAME AS t, COLUMN_NAME AS c, COLLATION_NAME AS collation FROM INFORMATION_SCHEMA.COLUMNS
           WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE 'oauth\\_%' AND COLLATION_NAME IS NOT NULL`,
        )) as { t: string; c: string; collation: string }[];
        for (const [table, names] of Object.entries(IDENTIFIER_COLUMNS)) {
          for (const name of names) {
            const column = columns.find((c) => c.t === table && c.c === name);
            assert.ok(column, `${table}.${name}`);
            assert.match(column.collation, /^utf8mb4_(nopad_bin|0900_bin)$/, `${table}.${name}`);
          }
        }
        // Byte-for-byte in SQL too: neither another case nor a trailing space finds the row.
        await ds.query(
          `INSERT INTO oauth_consents (user_id, client_id, scopes, resources, created_at, last_used_at) VALUES ('Nate', 'Client-1', 'profile', '[]', 1, 1)`,
        );
        for (const [user, client] of [
          ['nate', 'Client-1'],
          ['Nate ', 'Client-1'],
          ['Nate', 'CLIENT-1'],
          ['Nate', 'Client-1 '],
        ]) {
          const found = await ds.query('SELECT user_id FROM oauth_consents WHERE user_id = ? AND client_id = ?', [user, client]);
          assert.deepEqual(found, [], JSON.stringify([user, client]));
        }
      });
    }
  });
}

// Several instances share a PostgreSQL or MySQL/MariaDB database; a SQLite file serves one process.
if (databaseKind() !== 'sqlite') {
  describe('migrations when instances start at once (on the database in DATABASE_URL)', () => {
    it('lets three instances open a new database at the same moment: all start, each migration runs once', async () => {
      const db = await createTestDatabase();
      try {
        const opened = await Promise.allSettled([1, 2, 3].map(() => openDataSource(dataSourceOptionsFromUrl(db.url))));
        const sources = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
        try {
          assert.deepEqual(
            opened.filter((o) => o.status === 'rejected').map((o) => String((o as PromiseRejectedResult).reason)),
            [],
          );
          const runs: { name: string; n: string | number }[] = await sources[0].query(
            'SELECT name, COUNT(*) AS n FROM migrations GROUP BY name',
          );
          assert.equal(runs.length, sources[0].migrations.length, 'every migration recorded');
          for (const run of runs) assert.equal(Number(run.n), 1, `${run.name} ran once`);
        } finally {
          await Promise.all(sources.map((s) => s.destroy()));
        }
      } finally {
        await db.drop();
      }
    });
  });
}

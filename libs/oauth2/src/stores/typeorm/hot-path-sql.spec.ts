import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Test } from '@nestjs/testing';
import { TypeOrmModule, type TypeOrmModuleOptions } from '@nestjs/typeorm';
import type { DataSource, Logger } from 'typeorm';
import { createTestDatabase, databaseKind } from '../../../../../test/support/test-database';
import { OAuthModule } from '../../oauth.module';
import { ClientStore } from '../client.store';
import { TokenStore } from '../token.store';
import { CLIENT_COLUMNS } from './client-row';
import { TOKEN_COLUMNS } from './token-row';
import { OAUTH_ENTITIES, OAUTH_MIGRATIONS } from './oauth-entities';
import type { StoreHarness } from '../store-contract.spec-helper';
import { HotPathSql } from './hot-path-sql';
import { OAuthClientEntity } from './oauth-client.entity';
import { typeOrmHarness } from './typeorm-harness.spec-helper';

const kind = databaseKind();

/**
 * What `HotPathSql` takes from TypeORM beyond its public API, on the database in DATABASE_URL. A
 * TypeORM upgrade that changes any of it fails here, by name, before a store misbehaves; the way
 * out is the stores' `hotPathSql: false` (see the file header of `hot-path-sql.ts`).
 */
describe(`HotPathSql: the TypeORM internals it relies on (${kind})`, () => {
  let harness: StoreHarness<DataSource>;
  let ds: DataSource;
  before(async () => {
    harness = await typeOrmHarness('oauth_clients', (source) => source)();
    ds = harness.stores[0];
    await ds.getRepository(OAuthClientEntity).insert(
      OAuthClientEntity.fromModel({
        id: 'hot-path-client',
        name: 'Hot path',
        secretHash: null,
        redirectUris: ['https://app.example/cb'],
        grantTypes: ['authorization_code'],
        scopes: ['profile'],
        canIntrospect: false,
        applicationType: 'web',
        createdAt: new Date('2030-01-01T00:00:00.000Z'),
      } as never),
    );
  });
  after(async () => harness?.close());

  // Registered only on the database kind that has this internal.
  if (kind === 'sqlite')
    it('better-sqlite3: driver.databaseConnection is the one Database every query runner uses, with prepare() and an inTransaction flag TypeORM transactions set', async () => {
      assert.equal(ds.options.type, 'better-sqlite3');
      const connection = (ds.driver as unknown as { databaseConnection?: { prepare?: unknown; inTransaction?: unknown } })
        .databaseConnection;
      assert.ok(connection, 'driver.databaseConnection exists');
      assert.equal(typeof connection.prepare, 'function', 'databaseConnection.prepare()');
      assert.equal(connection.inTransaction, false, 'databaseConnection.inTransaction is a boolean, false outside a transaction');
      const runner = ds.createQueryRunner();
      try {
        assert.equal(await runner.connect(), connection, 'query runners share the driver connection');
      } finally {
        await runner.release();
      }
      await ds.transaction(async () => assert.equal(connection.inTransaction, true, 'true inside a TypeORM transaction'));
      assert.equal(connection.inTransaction, false);
    });

  it('runs `?` statements with several parameters, logged through TypeORM’s logger, and reads rows as stored', async () => {
    const logged: string[] = [];
    const logger = ds.logger;
    const logQuery = logger.logQuery.bind(logger);
    logger.logQuery = (query, parameters, runner) => {
      logged.push(query);
      return logQuery(query, parameters, runner);
    };
    try {
      const sql = new HotPathSql(ds);
      const table = sql.table(ds.getRepository(OAuthClientEntity));
      const statement = `SELECT id, name FROM ${table} WHERE id = ? AND name = ?`;
      assert.deepEqual(await sql.select(statement, ['hot-path-client', 'Hot path']), [{ id: 'hot-path-client', name: 'Hot path' }]);
      assert.deepEqual(await sql.select(statement, ['hot-path-client', 'Other']), []);
      await sql.write(`UPDATE ${table} SET name = ? WHERE id = ?`, ['Renamed', 'hot-path-client']);
      assert.equal((await ds.getRepository(OAuthClientEntity).findOneByOrFail({ id: 'hot-path-client' })).name, 'Renamed');
      assert.ok(
        logged.some((q) => q.includes('WHERE id = ') && q.includes('AND name = ')),
        'the statement went to TypeORM’s query logger',
      );
    } finally {
      logger.logQuery = logQuery;
    }
  });

  it('names the table as TypeORM escapes its tablePath', () => {
    const repository = ds.getRepository(OAuthClientEntity);
    assert.equal(repository.metadata.tablePath, 'oauth_clients');
    assert.equal(new HotPathSql(ds).table(repository), ds.driver.escape('oauth_clients'));
  });
});

/** The module's `typeorm` extra reaches its TypeORM stores: with `hotPathSql: false` no hand-written statement runs. */
describe(`OAuthModule's typeorm extra (${kind})`, () => {
  for (const hotPathSql of [true, false]) {
    it(`hotPathSql: ${hotPathSql} ${hotPathSql ? 'runs' : 'does not run'} the stores' hand-written lookups`, async () => {
      const db = await createTestDatabase();
      const queries: string[] = [];
      const logger: Logger = {
        logQuery: (query) => void queries.push(query),
        logQueryError: () => undefined,
        logQuerySlow: () => undefined,
        logSchemaBuild: () => undefined,
        logMigration: () => undefined,
        log: () => undefined,
      };
      const moduleRef = await Test.createTestingModule({
        imports: [
          TypeOrmModule.forRoot({
            ...db.options,
            entities: [...OAUTH_ENTITIES],
            migrations: [...OAUTH_MIGRATIONS],
            migrationsRun: true,
            logging: true,
            logger,
          } as TypeOrmModuleOptions),
          OAuthModule.forRoot({
            issuer: 'https://as.example',
            scopes: { profile: 'Profile' },
            purgeInterval: false,
            typeorm: { hotPathSql },
          }),
        ],
      }).compile();
      try {
        await moduleRef.init();
        queries.length = 0;
        assert.equal(await moduleRef.get(TokenStore).findByHash('no-such-hash'), undefined);
        assert.equal(await moduleRef.get(ClientStore).findById('no-such-client'), undefined);
        const handWritten = queries.filter(
          (q) => q.startsWith(`SELECT ${TOKEN_COLUMNS} FROM`) || q.startsWith(`SELECT ${CLIENT_COLUMNS} FROM`),
        );
        assert.equal(handWritten.length, hotPathSql ? 2 : 0, queries.join('\n'));
        assert.ok(queries.length >= 2, 'both lookups reached the database');
      } finally {
        await moduleRef.close();
        await db.drop();
      }
    });
  }
});

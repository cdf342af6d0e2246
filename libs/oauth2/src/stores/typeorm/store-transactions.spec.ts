import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DataSource } from 'typeorm';
import { databaseKind } from '../../../../../test/support/test-database';
import type { StoreHarness } from '../store-contract.spec-helper';
import { inTransaction, isSqlite, serialized } from './store-transactions';
import { typeOrmHarness } from './typeorm-harness.spec-helper';

const kind = databaseKind();

/**
 * The premise of the SQLite write queue (see the file header of `store-transactions.ts`), on the
 * database in DATABASE_URL: a TypeORM upgrade that changes how query runners get connections fails
 * here, by name.
 */
describe(`store transactions: how TypeORM hands out connections (${kind})`, () => {
  let harness: StoreHarness<DataSource>;
  let ds: DataSource;
  before(async () => {
    harness = await typeOrmHarness('oauth_clients', (source) => source)();
    ds = harness.stores[0];
  });
  after(async () => harness?.close());

  /** The driver connections two query runners hold at once. */
  async function twoRunnerConnections(): Promise<[unknown, unknown]> {
    const [a, b] = [ds.createQueryRunner(), ds.createQueryRunner()];
    try {
      return [await a.connect(), await b.connect()];
    } finally {
      await a.release();
      await b.release();
    }
  }

  it('takes exactly the SQLite drivers for shared-connection ones', () => {
    assert.equal(isSqlite(ds), kind === 'sqlite');
  });

  // Registered only on the database kind that has this internal.
  if (kind === 'sqlite')
    it('SQLite: every query runner shares the one driver connection, so store writes must queue', async () => {
      const [a, b] = await twoRunnerConnections();
      assert.ok(a, 'a connection');
      assert.equal(a, b, 'two query runners, one connection: interleaved transactions would nest');
    });

  // Registered only on the database kind that has this internal.
  if (kind !== 'sqlite')
    it('PostgreSQL and MariaDB: each query runner holds its own pooled connection, so no queue is needed', async () => {
      const [a, b] = await twoRunnerConnections();
      assert.ok(a && b, 'connections');
      assert.notEqual(a, b);
    });

  // Registered only on the database kind that has this internal.
  if (kind === 'sqlite')
    it('SQLite: a write waits for the store transaction open on the DataSource, and runs after it', async () => {
      const order: string[] = [];
      let finish!: () => void;
      const open = new Promise<void>((resolve) => (finish = resolve));
      const transaction = inTransaction(ds, async () => {
        order.push('transaction starts');
        await open;
        order.push('transaction ends');
      });
      const write = serialized(ds, async () => void order.push('write'));
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(order, ['transaction starts']);
      finish();
      await Promise.all([transaction, write]);
      assert.deepEqual(order, ['transaction starts', 'transaction ends', 'write']);
    });
});

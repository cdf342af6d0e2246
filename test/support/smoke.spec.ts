import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from './test-database';

describe('test database', () => {
  let db: TestDatabase;
  before(async () => (db = await createTestDatabase()));
  after(async () => db.drop());

  it('is a fresh, empty database of the configured kind', async () => {
    const ds = new DataSource(db.options);
    await ds.initialize();
    const tables = await ds.createQueryRunner().getTables();
    await ds.destroy();
    assert.deepEqual(tables, []);
  });
});

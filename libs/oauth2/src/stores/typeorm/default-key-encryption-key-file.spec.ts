import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultKeyEncryptionKeyFile } from './default-key-encryption-key-file';

describe('defaultKeyEncryptionKeyFile: where the embedded default keeps a generated key-encryption key', () => {
  it('puts it beside an SQLite file, relative or absolute, as <file>.kek', () => {
    assert.equal(defaultKeyEncryptionKeyFile({ type: 'better-sqlite3', database: 'data/sample.sqlite' }), 'data/sample.sqlite.kek');
    assert.equal(defaultKeyEncryptionKeyFile({ type: 'better-sqlite3', database: '/srv/app/oauth.db' }), '/srv/app/oauth.db.kek');
  });

  it('has no file for an in-memory or URI-named SQLite database, nor for PostgreSQL or MySQL/MariaDB', () => {
    for (const database of [':memory:', '', 'file:oauth.db?mode=memory']) {
      assert.equal(defaultKeyEncryptionKeyFile({ type: 'better-sqlite3', database }), undefined, database);
    }
    assert.equal(defaultKeyEncryptionKeyFile({ type: 'postgres', url: 'postgres://db/app' }), undefined);
    assert.equal(defaultKeyEncryptionKeyFile({ type: 'mysql', url: 'mysql://db/app' }), undefined);
    assert.equal(defaultKeyEncryptionKeyFile({ type: 'mariadb', database: 'app' }), undefined);
  });
});

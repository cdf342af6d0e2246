import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { OAUTH_ENTITIES, OAUTH_MIGRATIONS } from 'nest-oauth2-provider/typeorm';
import { DataSource } from 'typeorm';
import { DEFAULT_DATABASE_URL, dataSourceOptionsFromUrl } from './database-url';
import { SAMPLE_ENTITIES, SAMPLE_MIGRATIONS } from './sample-schema';

describe('dataSourceOptionsFromUrl (DATABASE_URL)', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'database-url-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('defaults to the embedded SQLite file data/sample.sqlite', () => {
    assert.equal(DEFAULT_DATABASE_URL, 'sqlite:data/sample.sqlite');
    const options = dataSourceOptionsFromUrl('');
    assert.equal(options.type, 'better-sqlite3');
    assert.equal(options.database, resolve('data/sample.sqlite'));
  });

  it('creates the folder of a SQLite file, and a missing file becomes a migrated database on start', async () => {
    const file = join(scratch, 'nested', 'dir', 'oauth.sqlite');
    const options = dataSourceOptionsFromUrl(`sqlite:${file}`);
    assert.ok(existsSync(join(scratch, 'nested', 'dir')));
    const ds = await new DataSource(options).initialize();
    const tables = (await ds.createQueryRunner().getTables()).map((t) => t.name);
    await ds.destroy();
    assert.ok(['oauth_clients', 'oauth_authorization_codes', 'oauth_tokens', 'oauth_consents'].every((t) => tables.includes(t)));
  });

  it('maps postgres://, postgresql://, mysql:// and mariadb:// URLs to their drivers', () => {
    assert.equal(dataSourceOptionsFromUrl('postgres://u@db:5432/app').type, 'postgres');
    assert.equal(dataSourceOptionsFromUrl('postgresql://u@db:5432/app').type, 'postgres');
    assert.deepEqual(
      (({ type, url }) => ({ type, url }))(dataSourceOptionsFromUrl('mysql://root@db:3306/app') as { type: string; url: string }),
      { type: 'mysql', url: 'mysql://root@db:3306/app' },
    );
    assert.equal(dataSourceOptionsFromUrl('mariadb://root@db:3306/app').type, 'mariadb');
  });

  it('includes the OAuth entities and migrations (then the sample’s own) and runs pending migrations on start', () => {
    const options = dataSourceOptionsFromUrl('postgres://u@db/app');
    assert.deepEqual(options.entities, [...OAUTH_ENTITIES, ...SAMPLE_ENTITIES]);
    assert.deepEqual(options.migrations, [...OAUTH_MIGRATIONS, ...SAMPLE_MIGRATIONS]);
    assert.equal(options.migrationsRun, true);
  });

  it('rejects an unknown scheme with a one-line reason', () => {
    assert.throws(
      () => dataSourceOptionsFromUrl('mongodb://db/app'),
      /DATABASE_URL: expected sqlite:<path>, postgres:\/\/… or mysql:\/\/…/,
    );
  });
});

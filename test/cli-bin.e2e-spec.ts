import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CLI_PATH, type CliRun } from './support/run-cli';
import { createTestDatabase, databaseKind } from './support/test-database';

/** Runs the package's `nest-oauth2` bin with nothing but its own arguments and environment, as a host would. */
function bin(args: string[], env: Record<string, string | undefined>): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      CLI_PATH,
      args,
      { env: { ...process.env, DATABASE_URL: undefined, NEST_OAUTH2_CONFIG: undefined, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

/**
 * The bin on a host's database (DATABASE_URL, the library's entities) with the host's settings from
 * a JSON file or a JavaScript module: what a host without the sample's code gets.
 */
describe('the nest-oauth2 bin on a host database', () => {
  let dir: string;
  let file: string;
  let url: string;
  let json: string;
  let module: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'oauth-bin-'));
    file = join(dir, 'host.sqlite');
    url = `sqlite:${file}`;
    json = join(dir, 'oauth.config.json');
    writeFileSync(
      json,
      JSON.stringify({
        issuer: 'https://auth.example',
        scopes: { 'reports:read': 'Read your reports' },
        resources: { 'https://api.example/': { scopes: ['reports:read'] } },
        defaultResource: 'https://api.example/',
      }),
    );
    module = join(dir, 'oauth-options.js');
    writeFileSync(module, "exports.oauthOptions = { issuer: 'https://auth.example', scopes: { 'files:read': 'Read your files' } };\n");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is an executable file that prints its usage with --help', async () => {
    const run = await bin(['--help'], {});
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Usage: nest-oauth2 <command>/);
  });

  it('refuses a SQLite path where there is no database, creating nothing, and suggests migrations', async () => {
    const run = await bin(['clients', 'list', '--json'], { DATABASE_URL: url });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^error: DATABASE_URL: there is no SQLite database at .+ \(run your migrations first, or pass --migrate\)\n$/);
    assert.equal(existsSync(file), false);
  });

  it('refuses to run without a database', async () => {
    const run = await bin(['clients', 'list'], {});
    assert.equal(run.code, 2);
    assert.match(run.stderr, /set DATABASE_URL .* or pass --data-source FILE/);
  });

  it('clients create needs the server settings, and says where to give them', async () => {
    const run = await bin(['clients', 'create', '--name', 'X', '--grant-types', 'client_credentials'], { DATABASE_URL: url });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /pass --config FILE or set NEST_OAUTH2_CONFIG/);
  });

  it('refuses an invalid config file with the problems the module would report, exit code 2', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ scopes: {} }));
    const run = await bin(['clients', 'list', '--config', bad], { DATABASE_URL: url });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^error: .*bad\.json: Invalid OAuthModule options: .*issuer/);
    assert.equal(run.stderr.trimEnd().split('\n').length, 1);
  });

  it('--migrate creates the OAuth tables, then registers a client checked against the JSON config (NEST_OAUTH2_CONFIG)', async () => {
    const env = { DATABASE_URL: url, NEST_OAUTH2_CONFIG: json };
    const args = ['clients', 'create', '--name', 'Reports', '--grant-types', 'client_credentials', '--json'];
    const run = await bin([...args, '--resource', 'https://api.example/', '--migrate'], env);
    assert.equal(run.code, 0, run.stderr);
    const created = JSON.parse(run.stdout) as { client_id: string; client_secret: string };
    assert.match(created.client_secret, /^[A-Za-z0-9_-]{43}$/);
    const list = JSON.parse((await bin(['clients', 'list', '--json'], env)).stdout) as Record<string, unknown>[];
    assert.deepEqual(
      list.map((c) => [c.client_id, c.scopes, c.resources]),
      [[created.client_id, ['reports:read'], ['https://api.example/']]],
    );
  });

  it('RFC 8707 §2: refuses a --resource the JSON config does not list, and a scope it does not know', async () => {
    const env = { DATABASE_URL: url };
    const base = ['clients', 'create', '--name', 'X', '--grant-types', 'client_credentials', '--config', json];
    const resource = await bin([...base, '--resource', 'https://other.example/'], env);
    assert.equal(resource.code, 2);
    assert.match(resource.stderr, /resource "https:\/\/other\.example\/" is not configured on this server/);
    const scope = await bin([...base, '--scope', 'files:read'], env);
    assert.equal(scope.code, 2);
    assert.match(scope.stderr, /scope "files:read"/);
  });

  it('takes the settings from a JavaScript module exporting oauthOptions', async () => {
    const args = ['clients', 'create', '--name', 'Files', '--grant-types', 'client_credentials', '--scope', 'files:read'];
    const run = await bin([...args, '--config', module, '--json'], { DATABASE_URL: url });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(Object.keys(JSON.parse(run.stdout)), ['client_id', 'client_secret']);
  });

  it('refuses a database whose OAuth tables are missing, suggesting the migrations', async () => {
    const empty = join(dir, 'empty.sqlite');
    writeFileSync(empty, '');
    const run = await bin(['tokens', 'purge'], { DATABASE_URL: `sqlite:${empty}` });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /the database has no OAuth tables: run your migrations \(OAUTH_MIGRATIONS .*\), or pass --migrate/);
  });

  it('fails with one line and exit code 1 when the database cannot be reached', async () => {
    const run = await bin(['clients', 'list'], { DATABASE_URL: 'postgres://u@127.0.0.1:1/none' });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^error: /);
    assert.equal(run.stderr.trimEnd().split('\n').length, 1, run.stderr);
  });
});

describe('the nest-oauth2 bin with --migrate on a fresh database of the kind in DATABASE_URL', () => {
  it('applies the library migrations once, under a lock, when two runs start at once on a database server', async () => {
    const db = await createTestDatabase();
    try {
      const runs = databaseKind() === 'sqlite' ? 1 : 2;
      const results = await Promise.all(
        Array.from({ length: runs }, () => bin(['tokens', 'purge', '--migrate', '--json'], { DATABASE_URL: db.url })),
      );
      for (const run of results) assert.equal(run.code, 0, run.stderr);
      const listed = await bin(['clients', 'list', '--json'], { DATABASE_URL: db.url });
      assert.equal(listed.code, 0, listed.stderr);
      assert.deepEqual(JSON.parse(listed.stdout), []);
    } finally {
      await db.drop();
    }
  });
});

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { LocalKeySigner, SigningKeys, SystemClock, type SigningKey } from 'nest-oauth2-provider';
import { OAUTH_ENTITIES, OAUTH_MIGRATIONS, OAuthSigningKeyEntity, TypeOrmSigningKeyStore } from 'nest-oauth2-provider/typeorm';
import { runBareCli, runCli } from './support/run-cli';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/**
 * `nest-oauth2 keys list` and `keys rotate` as an operator runs them, as a child process, on the
 * database of DATABASE_URL. The server's part (its first keys) is played by `SigningKeys` on the same
 * store, with the server's settings: publishAhead = 600 + 60 = 660 s, retired hold = 60 + 300 + 30 = 390 s.
 */

const API = 'https://api.shift.example/';
const KEK = randomBytes(32).toString('base64');

function serverOptions(jwt: Record<string, unknown> | undefined, format: 'jwt' | 'opaque' = 'jwt') {
  return {
    issuer: 'https://shift.example',
    scopes: { profile: 'Read your profile' },
    resources: { [API]: { scopes: ['profile'], accessTokenFormat: format } },
    defaultResource: API,
    ...(jwt ? { jwt } : {}),
  };
}

describe('admin CLI: keys list and keys rotate (RFC 9068 signing keys)', () => {
  let dir: string;
  let db: TestDatabase;
  let dataSource: DataSource;
  let store: TypeOrmSigningKeyStore;
  const config = (name: string, options: object) => {
    const file = join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify(options));
    return file;
  };
  let serverConfig: string;
  const cli = (args: string[], env: Record<string, string | undefined> = {}) => runBareCli(args, { DATABASE_URL: db.url, ...env });
  const rows = async () => (await store.list()).sort((a, b) => a.state.localeCompare(b.state));
  const inState = async (state: SigningKey['state']) => (await store.list()).filter((k) => k.state === state);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'oauth-cli-keys-'));
    db = await createTestDatabase();
    serverConfig = config('server', serverOptions({ keyEncryptionKey: KEK }));
  });

  after(async () => {
    await dataSource?.destroy();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keys list on a database whose server has signed nothing yet says so (and --migrate creates the table)', async () => {
    const run = await cli(['keys', 'list', '--migrate']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^No signing keys yet/);
    const json = await cli(['keys', 'list', '--json']);
    assert.equal(json.stdout, '[]\n');

    dataSource = new DataSource({ ...db.options, entities: [...OAUTH_ENTITIES], migrations: [...OAUTH_MIGRATIONS] });
    await dataSource.initialize();
    store = new TypeOrmSigningKeyStore(dataSource.getRepository(OAuthSigningKeyEntity));
    // The server's first token: an active key and a published next key.
    const server = new SigningKeys({
      store,
      signer: new LocalKeySigner(Buffer.from(KEK, 'base64')),
      clock: new SystemClock(),
      settings: {
        algorithms: ['ES256'],
        jwksMaxAge: 600,
        keyRefreshInterval: 60,
        rotationInterval: 0,
        maxTokenLifetime: 300,
        clockTolerance: 30,
      },
    });
    await server.ensure();
  });

  it('keys rotate refuses while the next key is younger than jwksMaxAge + keyRefreshInterval: exit 3, when it can sign, nothing changed', async () => {
    const before = await rows();
    const [next] = await inState('next');
    const run = await cli(['keys', 'rotate', '--config', serverConfig]);
    assert.equal(run.code, 3, run.stderr);
    const signFrom = new Date(next!.createdAt.getTime() + 660_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    assert.match(run.stdout, new RegExp(`ES256: not rotated: the next key ${next!.kid} can sign only from ${signFrom}`));
    assert.match(run.stdout, /jwksMaxAge \+ keyRefreshInterval = 660 s/);
    assert.deepEqual(await rows(), before);

    const json = await cli(['keys', 'rotate', '--config', serverConfig, '--json']);
    assert.equal(json.code, 3);
    assert.deepEqual(JSON.parse(json.stdout), [
      { alg: 'ES256', rotated: false, activated: null, retired: [], published: null, can_sign_from: signFrom },
    ]);
  });

  it('refuses a key-encryption key that does not open the stored keys, before writing anything (exit 2)', async () => {
    const before = await rows();
    const other = config('other-kek', serverOptions({ keyEncryptionKey: randomBytes(32).toString('base64') }));
    const run = await cli(['keys', 'rotate', '--config', other]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^error: the key-encryption key does not open the stored signing key /);
    assert.deepEqual(await rows(), before);
  });

  it('refuses to run without the settings, or with settings where no resource issues JWTs (exit 2)', async () => {
    const without = await cli(['keys', 'rotate'], { NEST_OAUTH2_CONFIG: undefined });
    assert.equal(without.code, 2);
    assert.match(without.stderr, /keys rotate needs the server's settings: pass --config FILE/);
    const opaque = await cli(['keys', 'rotate', '--config', config('opaque', serverOptions(undefined, 'opaque'))]);
    assert.equal(opaque.code, 2);
    assert.match(opaque.stderr, /no resource in the server's settings issues JWT access tokens/);
    const production = await cli(['keys', 'rotate', '--config', config('no-kek', serverOptions(undefined))], { NODE_ENV: 'production' });
    assert.equal(production.code, 2);
    assert.match(production.stderr, /jwt\.keyEncryptionKey is required when NODE_ENV=production/);
  });

  it('once the next key has been published for 660 s: promotes it, retires the active key for 390 s, publishes a new next key sealed under the server’s KEK', async () => {
    const [active] = await inState('active');
    const [next] = await inState('next');
    // Published 661 s ago, as if the server had made it then.
    await dataSource
      .getRepository(OAuthSigningKeyEntity)
      .update({ kid: next!.kid }, { createdAt: new Date(next!.createdAt.getTime() - 661_000) });
    const started = Date.now();
    const run = await cli(['keys', 'rotate', '--config', serverConfig, '--json']);
    assert.equal(run.code, 0, run.stderr);
    const [step] = JSON.parse(run.stdout) as {
      alg: string;
      rotated: boolean;
      activated: string;
      retired: { kid: string; expires_at: string }[];
      published: string;
      can_sign_from: null;
    }[];
    assert.equal(step!.rotated, true);
    assert.equal(step!.activated, next!.kid);
    assert.deepEqual(
      step!.retired.map((r) => r.kid),
      [active!.kid],
    );

    const [retired] = await inState('retired');
    assert.equal(retired!.kid, active!.kid);
    assert.equal(retired!.expiresAt!.getTime() - retired!.retiredAt!.getTime(), 390_000);
    assert.ok(retired!.retiredAt!.getTime() >= started - 1000);
    assert.equal((await inState('active'))[0]!.kid, next!.kid);
    const [published] = await inState('next');
    assert.equal(published!.kid, step!.published);
    // The server opens and signs with the key the CLI made.
    assert.equal(new LocalKeySigner(Buffer.from(KEK, 'base64')).sign(published!, Buffer.from('x')).length, 64);
  });

  it('keys list shows every key with its state and times, never the sealed private key', async () => {
    const keys = await store.list();
    const table = await cli(['keys', 'list']);
    assert.equal(table.code, 0, table.stderr);
    const [header, ...lines] = table.stdout.trimEnd().split('\n');
    assert.match(header!, /^KID +ALG +STATE +CREATED +ACTIVATED +RETIRED +EXPIRES$/);
    assert.deepEqual(
      lines.map((l) => l.split(/ +/)[2]),
      ['next', 'active', 'retired'],
    );
    const json = await cli(['keys', 'list', '--json']);
    const listed = JSON.parse(json.stdout) as Record<string, unknown>[];
    assert.equal(listed.length, 3);
    for (const entry of listed) {
      assert.deepEqual(Object.keys(entry), ['kid', 'alg', 'state', 'created_at', 'activated_at', 'retired_at', 'expires_at']);
    }
    const retired = listed.find((k) => k.state === 'retired')!;
    assert.equal(
      retired.expires_at,
      keys
        .find((k) => k.kid === retired.kid)!
        .expiresAt!.toISOString()
        .replace(/\.\d{3}Z$/, 'Z'),
    );
    for (const key of keys) {
      assert.ok(!table.stdout.includes(key.privateKey) && !json.stdout.includes(key.privateKey), 'no sealed private key printed');
    }
  });

  it('in the sample, npm run oauth -- keys list reads the sample database', async () => {
    const run = await runCli(['keys', 'list', '--json'], db.url);
    assert.equal(run.code, 0, run.stderr);
    assert.equal((JSON.parse(run.stdout) as unknown[]).length, 3);
  });
});

describe('admin CLI: keys rotate on a SQLite file without a configured key-encryption key', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'oauth-cli-kek-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('uses the key file the server generated beside the database (<file>.kek), and never generates one itself', async () => {
    const database = join(dir, 'app.sqlite');
    const settings = join(dir, 'settings.json');
    writeFileSync(settings, JSON.stringify(serverOptions(undefined)));
    const env = { DATABASE_URL: `sqlite:${database}`, NODE_ENV: 'development' };
    const missing = await runBareCli(['keys', 'rotate', '--config', settings, '--migrate'], env);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, new RegExp(`there is no key file at ${database.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.kek`));

    writeFileSync(`${database}.kek`, `${KEK}\n`);
    const run = await runBareCli(['keys', 'rotate', '--config', settings], env);
    assert.equal(run.code, 3, run.stderr); // an empty store: the CLI publishes a next key and says so
    assert.match(run.stdout, /^ES256: no key signs yet: published /);
  });
});

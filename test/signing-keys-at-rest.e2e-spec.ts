import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { Module, type INestApplication } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import request from 'supertest';
import { ClientRegistry, Clock, OAuthModule, type OAuthModuleOptions } from 'nest-oauth2-provider';
import { ManualClock } from 'nest-oauth2-provider/testing';
import { OAUTH_ENTITIES, OAUTH_MIGRATIONS } from 'nest-oauth2-provider/typeorm';
import { DataSource } from 'typeorm';
import { TEST_SCOPES, httpAdapterKind } from './fixtures/oauth-app.fixture';
import { TOKEN_PATH } from './fixtures/oauth-flow';
import { ProfileApiController } from './fixtures/protected-api';
import { openPrivateKey } from './support/library-internals';
import { LogCapture } from './support/log-capture';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/**
 * The private halves of the JWT signing keys (RFC 9068) at rest, on the database in DATABASE_URL:
 * sealed under the key-encryption key in `oauth_signing_keys`, refused without one in production, and
 * usable again by the next process on the same database.
 */

const API = 'https://api.shift.example/v1/';
const JWT_RESOURCES = {
  issuer: 'https://shift.example',
  requireHttps: false,
  resources: { [API]: { scopes: ['profile'], name: 'SHIFT API', accessTokenFormat: 'jwt' } },
  defaultResource: API,
} satisfies Partial<OAuthModuleOptions>;

interface RunningApp {
  app: INestApplication;
  server: any;
  logs: LogCapture;
  close(): Promise<void>;
}

/** One process of the host app on `db`: TypeORM (migrations on start), the OAuth module with a JWT resource. */
async function startApp(db: TestDatabase, clock: ManualClock, jwt: OAuthModuleOptions['jwt'] = {}): Promise<RunningApp> {
  let dataSource: DataSource | undefined;
  @Module({
    imports: [
      TypeOrmModule.forRootAsync({
        useFactory: () => ({ ...db.options, entities: [...OAUTH_ENTITIES], migrations: [...OAUTH_MIGRATIONS], migrationsRun: true }),
        // Kept, so an app that refuses to start does not leave its connections open.
        dataSourceFactory: async (options) => (dataSource = await new DataSource(options!).initialize()),
      }),
      OAuthModule.forRoot({ scopes: TEST_SCOPES, purgeInterval: false, ...JWT_RESOURCES, jwt, prefix: 'oauth2' }),
    ],
    controllers: [ProfileApiController],
  })
  class KeysAtRestAppModule {}

  const logs = new LogCapture();
  const moduleRef = await Test.createTestingModule({ imports: [KeysAtRestAppModule] })
    .setLogger(logs)
    .overrideProvider(Clock)
    .useValue(clock)
    .compile()
    .catch(async (error: unknown) => {
      await dataSource?.destroy();
      throw error;
    });
  try {
    const app =
      httpAdapterKind() === 'fastify'
        ? moduleRef.createNestApplication(new FastifyAdapter(), { logger: logs })
        : moduleRef.createNestApplication({ logger: logs });
    await app.init();
    if (httpAdapterKind() === 'fastify') await app.getHttpAdapter().getInstance().ready();
    return { app, server: app.getHttpServer(), logs, close: () => app.close() };
  } catch (error) {
    await moduleRef.close();
    throw error;
  }
}

async function registerWorker(app: INestApplication): Promise<{ id: string; secret: string }> {
  const { client, clientSecret } = await app
    .get(ClientRegistry)
    .register({ name: 'Worker', redirectUris: [], grantTypes: ['client_credentials'] });
  return { id: client.id, secret: clientSecret! };
}

async function jwtFor(server: any, client: { id: string; secret: string }): Promise<string> {
  const res = await request(server)
    .post(TOKEN_PATH)
    .auth(client.id, client.secret)
    .type('form')
    .send({ grant_type: 'client_credentials', resource: API, scope: 'profile' })
    .expect(200);
  assert.equal(res.body.access_token.split('.').length, 3, 'a JWT');
  return res.body.access_token as string;
}

const kidOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString()).kid as string;

interface KeyRow {
  kid: string;
  state: string;
  private_key: string;
}

async function keyRows(app: INestApplication): Promise<KeyRow[]> {
  return app.get(DataSource).query('SELECT kid, state, private_key FROM oauth_signing_keys');
}

describe('JWT signing keys at rest (on the database in DATABASE_URL)', () => {
  const clock = new ManualClock(new Date('2030-01-01T00:00:00Z'));
  const kek = randomBytes(32);
  let db: TestDatabase;
  before(async () => (db = await createTestDatabase()));
  after(async () => db.drop());

  it('stores each private key sealed: no PKCS#8 DER or PEM of it in the row, in any encoding', async () => {
    const running = await startApp(db, clock, { keyEncryptionKey: kek.toString('base64') });
    try {
      await jwtFor(running.server, await registerWorker(running.app));
      const rows = await keyRows(running.app);
      assert.ok(rows.length >= 2, 'the active key and the next one');
      for (const row of rows) {
        const der = openPrivateKey(row.private_key, row.kid, kek).export({ format: 'der', type: 'pkcs8' });
        const pem = openPrivateKey(row.private_key, row.kid, kek).export({ format: 'pem', type: 'pkcs8' }).toString();
        const stored = JSON.stringify(row);
        assert.doesNotMatch(stored, /PRIVATE KEY/);
        for (const clear of [der.toString('base64'), der.toString('base64url'), der.toString('hex'), pem.split('\n')[1]!]) {
          // Any 24 characters of an encoding of the DER would be a leak, not only the whole of it.
          assert.equal(stored.includes(clear.slice(0, 24)), false);
          assert.equal(stored.includes(clear.slice(-24)), false);
        }
        assert.equal(Buffer.from(stored, 'latin1').includes(der.subarray(der.length - 32)), false, 'no raw key bytes');
      }
    } finally {
      await running.close();
    }
  });

  it('with the same key-encryption key, a restarted app on the same database keeps signing with the old key, and old tokens verify', async () => {
    const first = await startApp(db, clock, { keyEncryptionKey: kek.toString('hex') });
    const client = await registerWorker(first.app);
    const before = await jwtFor(first.server, client);
    await first.close();

    clock.advance(30);
    const second = await startApp(db, clock, { keyEncryptionKey: kek.toString('base64') });
    try {
      await request(second.server).get('/api/me').auth(before, { type: 'bearer' }).expect(200);
      const afterRestart = await jwtFor(second.server, client);
      assert.equal(kidOf(afterRestart), kidOf(before), 'the active key still signs');
      await request(second.server).get('/api/me').auth(afterRestart, { type: 'bearer' }).expect(200);
      assert.equal(second.logs.output.filter((line) => /cannot sign in this process/.test(line)).length, 0);
    } finally {
      await second.close();
    }
  });

  it('refuses to start under NODE_ENV=production without jwt.keyEncryptionKey, saying so', async () => {
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await assert.rejects(startApp(db, clock), /jwt\.keyEncryptionKey is required when NODE_ENV=production/);
    } finally {
      process.env.NODE_ENV = previous;
    }
  });
});

describe('JWT signing keys with no key-encryption key configured, outside production (on the database in DATABASE_URL)', () => {
  const clock = new ManualClock(new Date('2030-01-01T00:00:00Z'));
  let db: TestDatabase;
  before(async () => (db = await createTestDatabase()));
  after(async () => db.drop());

  it('never fails a token request after a restart: on an SQLite file the key beside it opens the old key; elsewhere a fresh key replaces it', async () => {
    const first = await startApp(db, clock);
    const client = await registerWorker(first.app);
    const before = await jwtFor(first.server, client);
    await first.close();

    clock.advance(30);
    const second = await startApp(db, clock);
    try {
      await request(second.server).get('/api/me').auth(before, { type: 'bearer' }).expect(200);
      const afterRestart = await jwtFor(second.server, client);
      await request(second.server).get('/api/me').auth(afterRestart, { type: 'bearer' }).expect(200);
      const replaced = second.logs.output.filter((line) => /cannot sign in this process/.test(line));
      if (db.kind === 'sqlite') {
        const file = `${(db.options as { database: string }).database}.kek`;
        assert.equal(existsSync(file), true, 'the generated key sits beside the SQLite file');
        assert.equal(statSync(file).mode & 0o777, 0o600);
        assert.equal(kidOf(afterRestart), kidOf(before));
        assert.deepEqual(replaced, []);
      } else {
        assert.notEqual(kidOf(afterRestart), kidOf(before));
        assert.equal(replaced.length, 1, replaced.join('\n'));
        assert.match(replaced[0]!, new RegExp(kidOf(before)));
        const states = Object.fromEntries((await keyRows(second.app)).map((row) => [row.kid, row.state]));
        assert.equal(states[kidOf(before)], 'retired');
        assert.equal(states[kidOf(afterRestart)], 'active');
      }
    } finally {
      await second.close();
    }
  });
});

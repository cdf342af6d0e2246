// Ours: a small host app using nest-oauth2-provider exactly as the README shows, on Express or
// Fastify, with memory, SQLite or PostgreSQL stores and the bearer cache on or off.
//   node dist/bench/servers/ours/main.js --adapter express|fastify --store memory|sqlite|postgres --cache on|off
//                                        [--resource opaque|jwt]
// `--resource` configures the API as a resource (RFC 8707, the default one) with that access-token
// format; `jwt` issues RFC 9068 access tokens signed with ES256, and the GET's bearer pool is then JWTs.
// On memory stores it is the host the library promises to run without TypeORM: nothing here loads
// `typeorm` or `@nestjs/typeorm` then, and the process refuses to start if anything did.
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { OAuthModule } from 'nest-oauth2-provider';
import { announceReady, argValue, closeOnSignal } from '../lifecycle';
import { ApiController } from './api.controller';
import type { BenchDatabase } from './database';
import { MintCodesController, PurgeController, seedFixtures } from './setup';

const PREFIX = 'oauth2';
const ISSUER = 'http://127.0.0.1';
/** The API's resource identifier when `--resource` is given. */
const RESOURCE = 'http://127.0.0.1/api/';
const root = join(__dirname, '..', '..', '..', '..');

async function main(): Promise<void> {
  const adapter = argValue('adapter', 'express');
  const store = argValue('store', 'sqlite') as 'memory' | 'sqlite' | 'postgres';
  const cache = argValue('cache', 'off') === 'on';
  const format = argValue('resource', 'none') as 'none' | 'opaque' | 'jwt';
  const typeOrm = store === 'memory' ? undefined : loadTypeOrm();
  const db: BenchDatabase | undefined = typeOrm && (await typeOrm.createBenchDatabase(store as 'sqlite' | 'postgres', root));

  @Module({
    imports: [
      ...(typeOrm && db ? [typeOrm.root(db)] : []),
      OAuthModule.forRoot({
        issuer: ISSUER,
        prefix: PREFIX,
        scopes: { profile: 'Read your profile' },
        authorizationCodeTtl: 600,
        bearer: { cache: cache ? { maxEntries: 10_000, ttl: 30 } : false },
        storage: db ? 'typeorm' : 'memory',
        // The counting stays on the measured path, but the bench's single address is never refused. A
        // 1 s window keeps each key's list of hits (the throttler's sliding window) near the size a
        // production limit of a few hundred a minute gives it.
        rateLimit: { token: { perIp: { limit: 1e9, ttl: 1 }, perClient: { limit: 1e9, ttl: 1 } } },
        ...(format === 'none'
          ? {}
          : {
              resources: { [RESOURCE]: { scopes: ['profile'], accessTokenFormat: format } },
              defaultResource: RESOURCE,
              // Required under NODE_ENV=production, which the harness sets; a fresh one per process.
              ...(format === 'jwt' ? { jwt: { keyEncryptionKey: randomBytes(32).toString('base64') } } : {}),
            }),
      }),
    ],
    controllers: [ApiController, MintCodesController, PurgeController, ...(typeOrm ? [typeOrm.TokenRowsController] : [])],
  })
  class BenchAppModule {}

  const app =
    adapter === 'fastify'
      ? await NestFactory.create(BenchAppModule, new FastifyAdapter(), { logger: ['error'] })
      : await NestFactory.create(BenchAppModule, { logger: ['error'] });
  await app.listen(0, '127.0.0.1');
  closeOnSignal(async () => {
    await app.close();
    await db?.drop();
  });
  const fixtures = await seedFixtures(app, PREFIX, { audience: format === 'none' ? undefined : RESOURCE, jwt: format === 'jwt' });
  if (!db) assertNoTypeOrm();
  if (db) {
    fixtures.database = { kind: db.kind, location: db.location };
    fixtures.tokenRowsPath = '/bench/token-rows';
  }
  if (format === 'jwt') fixtures.jwt = { issuer: ISSUER, audience: RESOURCE, jwks: `/${PREFIX}/jwks` };
  fixtures.purgePath = '/bench/purge';
  fixtures.notes =
    `${adapter}, ${store}${store === 'sqlite' ? ' (WAL)' : ''}, bearer cache ${cache ? 'on (maxEntries 10000, ttl 30 s)' : 'off'}` +
    (format === 'none'
      ? ''
      : `, resource ${RESOURCE} with ${format === 'jwt' ? 'JWT access tokens (RFC 9068, ES256)' : 'opaque access tokens'}`);
  announceReady(app.getHttpServer().address(), fixtures);
}

/**
 * The TypeORM side of the app, required only for a database store, as a host on its own stores
 * would never import it.
 */
function loadTypeOrm() {
  /* eslint-disable @typescript-eslint/no-require-imports -- deliberately lazy, see above */
  const { createBenchDatabase, TokenRowsController } = require('./database') as typeof import('./database');
  const { TypeOrmModule } = require('@nestjs/typeorm') as typeof import('@nestjs/typeorm');
  const { OAUTH_ENTITIES, OAUTH_MIGRATIONS } = require('nest-oauth2-provider/typeorm') as typeof import('nest-oauth2-provider/typeorm');
  /* eslint-enable @typescript-eslint/no-require-imports */
  return {
    createBenchDatabase,
    TokenRowsController,
    root: (db: BenchDatabase): DynamicModule =>
      TypeOrmModule.forRoot({ ...db.options, entities: [...OAUTH_ENTITIES], migrations: [...OAUTH_MIGRATIONS], migrationsRun: true }),
  };
}

/** Fails the start when booting on memory stores loaded any of TypeORM: the memory figures would not be a TypeORM-free host's. */
function assertNoTypeOrm(): void {
  const loaded = Object.keys(require.cache).filter((file) => /[\\/]node_modules[\\/](typeorm|@nestjs[\\/]typeorm)[\\/]/.test(file));
  if (loaded.length) {
    throw new Error(`storage 'memory' loaded TypeORM (${loaded.length} modules, e.g. ${loaded.slice(0, 3).join(', ')})`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

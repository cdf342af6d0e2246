// Ours: a small host app using nest-oauth2-provider exactly as the README shows, on Express or
// Fastify, with memory, SQLite or PostgreSQL stores and the bearer cache on or off.
//   node dist/bench/servers/ours/main.js --adapter express|fastify --store memory|sqlite|postgres --cache on|off
import 'reflect-metadata';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OAuthModule } from 'nest-oauth2-provider';
import { OAUTH_ENTITIES, OAUTH_MIGRATIONS } from 'nest-oauth2-provider/typeorm';
import { announceReady, argValue, closeOnSignal } from '../lifecycle';
import { ApiController } from './api.controller';
import { createBenchDatabase, type BenchDatabase } from './database';
import { MintCodesController, PurgeController, seedFixtures } from './setup';

const PREFIX = 'oauth2';
const root = join(__dirname, '..', '..', '..', '..');

async function main(): Promise<void> {
  const adapter = argValue('adapter', 'express');
  const store = argValue('store', 'sqlite') as 'memory' | 'sqlite' | 'postgres';
  const cache = argValue('cache', 'off') === 'on';
  const db: BenchDatabase | undefined = store === 'memory' ? undefined : await createBenchDatabase(store, root);

  @Module({
    imports: [
      ...(db
        ? [TypeOrmModule.forRoot({ ...db.options, entities: [...OAUTH_ENTITIES], migrations: [...OAUTH_MIGRATIONS], migrationsRun: true })]
        : []),
      OAuthModule.forRoot({
        issuer: 'http://127.0.0.1',
        prefix: PREFIX,
        scopes: { profile: 'Read your profile' },
        authorizationCodeTtl: 600,
        bearer: { cache: cache ? { maxEntries: 10_000, ttl: 30 } : false },
        storage: db ? 'typeorm' : 'memory',
        // The counting stays on the measured path, but the bench's single address is never refused. A
        // 1 s window keeps each key's list of hits (the throttler's sliding window) near the size a
        // production limit of a few hundred a minute gives it.
        rateLimit: { token: { perIp: { limit: 1e9, ttl: 1 }, perClient: { limit: 1e9, ttl: 1 } } },
      }),
    ],
    controllers: [ApiController, MintCodesController, PurgeController],
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
  const fixtures = await seedFixtures(app, PREFIX);
  if (db) fixtures.database = { kind: db.kind, location: db.location };
  fixtures.purgePath = '/bench/purge';
  fixtures.notes = `${adapter}, ${store}${store === 'sqlite' ? ' (WAL)' : ''}, bearer cache ${cache ? 'on (maxEntries 10000, ttl 30 s)' : 'off'}`;
  announceReady(app.getHttpServer().address(), fixtures);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

import { after, before } from 'node:test';
import { Module, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClientRegistry, Clock, OAuthModule } from 'nest-oauth2-provider';
import { OAUTH_ENTITIES, OAUTH_MIGRATIONS } from 'nest-oauth2-provider/typeorm';
import { ManualClock } from 'nest-oauth2-provider/testing';
import { TEST_SCOPES } from '../fixtures/oauth-app.fixture';
import { ProfileApiController } from '../fixtures/protected-api';
import { TestInteraction } from '../fixtures/test-interaction';
import type { LogCapture } from './log-capture';
import { createTestDatabase, type TestDatabase } from './test-database';

/** A host app like the fixture's, but logging everything: Nest at every level into `logger`, and every SQL query with its parameters. */
export interface LoggedApp {
  app: INestApplication;
  server: any;
  clock: ManualClock;
  registry: ClientRegistry;
  db: TestDatabase;
  close(): Promise<void>;
}

export async function createLoggedApp(logger: LogCapture): Promise<LoggedApp> {
  const db = await createTestDatabase();
  const clock = new ManualClock(new Date('2030-01-01T00:00:00Z'));

  @Module({
    imports: [
      TypeOrmModule.forRoot({
        ...db.options,
        entities: [...OAUTH_ENTITIES],
        migrations: [...OAUTH_MIGRATIONS],
        migrationsRun: true,
        // Every query and its parameters go to the console: only hashes may ever appear there.
        logging: 'all',
        logger: 'simple-console',
      }),
      OAuthModule.forRoot({
        issuer: 'http://127.0.0.1',
        scopes: TEST_SCOPES,
        purgeInterval: false,
        prefix: 'oauth2',
        interaction: TestInteraction,
      }),
    ],
    controllers: [ProfileApiController],
  })
  class LoggedAppModule {}

  const moduleRef = await Test.createTestingModule({ imports: [LoggedAppModule] })
    .setLogger(logger)
    .overrideProvider(Clock)
    .useValue(clock)
    .compile();
  const app = moduleRef.createNestApplication({ logger, bufferLogs: false });
  app.useLogger(logger);
  await app.init();
  return {
    app,
    server: app.getHttpServer(),
    clock,
    registry: app.get(ClientRegistry),
    db,
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}

/**
 * For a suite: start capturing and boot a logged app before it, stop both after it. Resolves the
 * app through the getter, once `before` has run.
 */
export function withLoggedApp(logs: LogCapture): () => LoggedApp {
  let app: LoggedApp;
  before(async () => {
    logs.start();
    app = await createLoggedApp(logs);
  });
  after(async () => {
    logs.stop();
    await app.close();
  });
  return () => app;
}

// A host app as a deployment runs it, one per OS process: OAuthModule on TypeORM from DATABASE_URL,
// a bearer-guarded API, the test interaction, a CSRF secret shared by every instance. It prints
// `listening <port>` once it serves. Settings come from the environment:
//   DATABASE_URL, PORT (0 = any), OAUTH_CSRF_SECRET, OAUTH_REFRESH_GRACE (seconds), OAUTH_RATE_LIMIT ('off').
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OAUTH_ENTITIES, OAUTH_MIGRATIONS, OAuthModule } from 'nest-oauth2-provider';
import type { DataSourceOptions } from 'typeorm';
import { TEST_SCOPES } from '../fixtures/oauth-app.fixture';
import { ProfileApiController } from '../fixtures/protected-api';
import { TestInteraction } from '../fixtures/test-interaction';

const env = process.env;

function dataSource(url = env.DATABASE_URL ?? ''): DataSourceOptions {
  const common = { entities: [...OAUTH_ENTITIES], migrations: [...OAUTH_MIGRATIONS], migrationsRun: true };
  if (/^postgres(ql)?:/.test(url)) return { type: 'postgres', url, ...common, extra: { connectionTimeoutMillis: 10_000 } };
  if (/^(mysql|mariadb):/.test(url)) return { type: 'mysql', url: url.replace(/^mariadb:/, 'mysql:'), ...common };
  return { type: 'better-sqlite3', database: url.replace(/^sqlite:/, ''), ...common };
}

@Module({
  imports: [
    // No retries at start-up beyond one: a test starts the host against a database that answers.
    TypeOrmModule.forRoot({ ...dataSource(), retryAttempts: 1 }),
    OAuthModule.forRoot({
      issuer: 'http://127.0.0.1',
      scopes: TEST_SCOPES,
      purgeInterval: false,
      csrfSecret: env.OAUTH_CSRF_SECRET,
      refreshTokenGracePeriod: env.OAUTH_REFRESH_GRACE === undefined ? undefined : Number(env.OAUTH_REFRESH_GRACE),
      rateLimit: env.OAUTH_RATE_LIMIT === 'off' ? false : undefined,
      prefix: 'oauth2',
      interaction: TestInteraction,
    }),
  ],
  controllers: [ProfileApiController],
})
class HostAppModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create(HostAppModule, { logger: ['error', 'warn'] });
  await app.listen(Number(env.PORT ?? 0), '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  process.stdout.write(`listening ${address.port}\n`);
}

void main();

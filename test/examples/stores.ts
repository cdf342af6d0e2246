// The snippets of docs/guide/stores.md, compiled with the rest of the project (strict) and checked
// against the page by test/docs-snippets.e2e-spec.ts.
import type { INestApplicationContext, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OAuthModule, OAuthPurgeService, TokenStore } from 'nest-oauth2-provider';
import { Column, Entity, PrimaryColumn, type MigrationInterface } from 'typeorm';
import { AppModule } from './getting-started-app/src/app.module';
import { RedisTokenStore } from './redis-token.store';

declare const options: { issuer: string; scopes: Record<string, string> };
declare const yourMigrations: (new () => MigrationInterface)[];
declare const FakeTokenStore: Type<TokenStore>;

@Entity('users')
class User {
  @PrimaryColumn() id!: string;
  @Column() displayName!: string;
}

// #region hot-path-sql
OAuthModule.forRoot({ ...options, typeorm: { hotPathSql: false } });
// #endregion hot-path-sql

// #region swap
OAuthModule.forRoot({ ...options, stores: { tokens: RedisTokenStore } });
// or, in a test:
Test.createTestingModule({ imports: [AppModule] })
  .overrideProvider(TokenStore)
  .useClass(FakeTokenStore);
// #endregion swap

// #region typeorm
import { OAUTH_ENTITIES, OAUTH_MIGRATIONS } from 'nest-oauth2-provider/typeorm';

TypeOrmModule.forRoot({
  type: 'postgres',
  url: process.env.DATABASE_URL,
  entities: [...OAUTH_ENTITIES, User],
  migrations: [...OAUTH_MIGRATIONS, ...yourMigrations],
  migrationsRun: true,
});
// #endregion typeorm

export async function purge(app: INestApplicationContext) {
  // #region purge
  const { codes, tokens } = await app.get(OAuthPurgeService).run();
  // #endregion purge
  return codes + tokens;
}

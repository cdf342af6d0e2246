import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Module } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OAuthModule, SigningKeyStore, type OAuthModuleExtras, type OAuthModuleOptions } from 'nest-oauth2-provider';
import {
  InMemoryClientStore,
  InMemoryCodeStore,
  InMemoryConsentStore,
  InMemorySigningKeyStore,
  InMemoryTokenStore,
} from 'nest-oauth2-provider/testing';
import { OAUTH_ENTITIES, OAUTH_MIGRATIONS, TypeOrmSigningKeyStore } from 'nest-oauth2-provider/typeorm';
import { OAUTH_DEFAULT_KEY_ENCRYPTION_KEY_FILE } from './support/library-internals';
import { LogCapture } from './support/log-capture';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/** Which `SigningKeyStore` the module picks, and the key-encryption key file it derives, per storage setup. */

const API = 'https://api.shift.example/v1/';
const JWT = {
  issuer: 'https://shift.example',
  resources: { [API]: { scopes: ['profile'], accessTokenFormat: 'jwt' } },
  defaultResource: API,
} satisfies Partial<OAuthModuleOptions>;
const OPAQUE = {
  issuer: 'https://shift.example',
  resources: { [API]: { scopes: ['profile'] } },
  defaultResource: API,
} satisfies Partial<OAuthModuleOptions>;
const OWN_DATA_STORES = {
  clients: InMemoryClientStore,
  codes: InMemoryCodeStore,
  tokens: InMemoryTokenStore,
  consents: InMemoryConsentStore,
};
const KEYS_WARNING = /signing keys live only in this process.*stores\.signingKeys/;

async function compile(options: Partial<OAuthModuleOptions> & { issuer: string }, extras: Partial<OAuthModuleExtras>, db?: TestDatabase) {
  @Module({
    imports: [
      ...(db
        ? [TypeOrmModule.forRoot({ ...db.options, entities: [...OAUTH_ENTITIES], migrations: [...OAUTH_MIGRATIONS], migrationsRun: true })]
        : []),
      OAuthModule.forRoot({ scopes: { profile: 'Read your profile' }, purgeInterval: false, ...options, ...extras }),
    ],
  })
  class WiringAppModule {}
  const logs = new LogCapture();
  const moduleRef: TestingModule = await Test.createTestingModule({ imports: [WiringAppModule] })
    .setLogger(logs)
    .compile();
  await moduleRef.init();
  const warnings = () => logs.output.filter((line) => KEYS_WARNING.test(line));
  return { moduleRef, warnings };
}

describe('the signing-key store the module chooses', () => {
  it('is TypeOrmSigningKeyStore with the default TypeORM storage, the generated key-encryption key beside an SQLite file', async () => {
    const db = await createTestDatabase();
    const { moduleRef, warnings } = await compile(JWT, {}, db);
    try {
      assert.ok(moduleRef.get(SigningKeyStore) instanceof TypeOrmSigningKeyStore);
      const file = moduleRef.get(OAUTH_DEFAULT_KEY_ENCRYPTION_KEY_FILE);
      assert.equal(file, db.kind === 'sqlite' ? `${(db.options as { database: string }).database}.kek` : undefined);
      assert.deepEqual(warnings(), []);
    } finally {
      await moduleRef.close();
      await db.drop();
    }
  });

  it('writes no key-encryption key file and warns of nothing when no resource issues JWTs', async () => {
    const db = await createTestDatabase();
    const { moduleRef, warnings } = await compile(OPAQUE, {}, db);
    try {
      const file = moduleRef.get(OAUTH_DEFAULT_KEY_ENCRYPTION_KEY_FILE) as string | undefined;
      if (file) assert.equal(existsSync(file), false, `${file} was created`);
      assert.deepEqual(warnings(), []);
    } finally {
      await moduleRef.close();
      await db.drop();
    }
  });

  it('stays in memory when the host replaces all four data stores, with one warning when a resource issues JWTs', async () => {
    // No TypeOrmModule at all: loading the TypeORM storage for the key slot would fail to resolve a DataSource.
    const { moduleRef, warnings } = await compile(JWT, { stores: OWN_DATA_STORES });
    try {
      assert.ok(moduleRef.get(SigningKeyStore) instanceof InMemorySigningKeyStore);
      assert.equal(warnings().length, 1);
    } finally {
      await moduleRef.close();
    }
  });

  it('warns about nothing when no resource issues JWTs', async () => {
    const { moduleRef, warnings } = await compile(OPAQUE, { stores: OWN_DATA_STORES });
    try {
      assert.ok(moduleRef.get(SigningKeyStore) instanceof InMemorySigningKeyStore);
      assert.deepEqual(warnings(), []);
    } finally {
      await moduleRef.close();
    }
  });

  it('is the host’s own `stores.signingKeys` next to its own data stores, without a warning', async () => {
    const db = await createTestDatabase();
    const { moduleRef, warnings } = await compile(JWT, { stores: { ...OWN_DATA_STORES, signingKeys: TypeOrmSigningKeyStore } }, db);
    try {
      assert.ok(moduleRef.get(SigningKeyStore) instanceof TypeOrmSigningKeyStore);
      assert.deepEqual(warnings(), []);
    } finally {
      await moduleRef.close();
      await db.drop();
    }
  });
});

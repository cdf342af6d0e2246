import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Inject, Injectable, Module, type INestApplication, type ModuleMetadata } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import {
  ClientRegistry,
  ClientStore,
  CodeStore,
  ConsentStore,
  OAuthInteraction,
  OAuthModule,
  OAuthPurgeService,
  TokenStore,
} from 'nest-oauth2-provider';
import { TypeOrmClientStore, TypeOrmCodeStore, TypeOrmConsentStore, TypeOrmTokenStore } from 'nest-oauth2-provider/typeorm';
import { InMemoryClientStore, InMemoryCodeStore, InMemoryConsentStore, InMemoryTokenStore } from 'nest-oauth2-provider/testing';
import { hashSecret, OAUTH_MODULE_OPTIONS, RESOLVED_OAUTH_OPTIONS, type ResolvedOAuthOptions } from './support/library-internals';
import { DataSource } from 'typeorm';
import { createOAuthTestApp, TEST_SCOPES, type OAuthTestApp } from './fixtures/oauth-app.fixture';
import { TestInteraction } from './fixtures/test-interaction';

const OPTIONS = { issuer: 'http://127.0.0.1', scopes: TEST_SCOPES, purgeInterval: false as const };

/** A host's own token store: the built-in memory one under another name. */
@Injectable()
class HostTokenStore extends InMemoryTokenStore {}

/** A host provider that needs the stores by their abstract classes (as a seeder or admin page would). */
@Injectable()
class HostSeeder {
  constructor(
    readonly clients: ClientStore,
    readonly codes: CodeStore,
    readonly tokens: TokenStore,
    readonly consents: ConsentStore,
  ) {}
}

async function start(metadata: ModuleMetadata, tokens?: new () => TokenStore): Promise<INestApplication> {
  @Module(metadata)
  class HostModule {}
  let builder = Test.createTestingModule({ imports: [HostModule] });
  if (tokens) builder = builder.overrideProvider(TokenStore).useClass(tokens);
  const app = (await builder.compile()).createNestApplication({ logger: false });
  return app.init();
}

describe('OAuthModule', () => {
  describe("storage: 'typeorm' (the default) on the database in DATABASE_URL", () => {
    let t: OAuthTestApp;
    before(async () => (t = await createOAuthTestApp()));
    after(async () => t.close());

    it('provides the TypeORM store behind every abstract store class', () => {
      assert.ok(t.app.get(ClientStore) instanceof TypeOrmClientStore);
      assert.ok(t.app.get(CodeStore) instanceof TypeOrmCodeStore);
      assert.ok(t.app.get(TokenStore) instanceof TypeOrmTokenStore);
      assert.ok(t.app.get(ConsentStore) instanceof TypeOrmConsentStore);
    });

    it('persists registered clients in oauth_clients with the secret hashed', async () => {
      const { client, clientSecret } = await t.register({ name: 'CustomApp', redirectUris: ['https://customapp.example/cb'] });
      const rows = await t.app.get(DataSource).query('SELECT * FROM oauth_clients');
      assert.equal(rows.length, 1);
      assert.equal(rows[0].id, client.id);
      assert.equal(rows[0].secret_hash, hashSecret(clientSecret!));
      assert.ok(!JSON.stringify(rows).includes(clientSecret!));
    });

    it('exposes the purge service, which purges through the stores', async () => {
      assert.deepEqual(await t.app.get(OAuthPurgeService).run(), { codes: 0, tokens: 0, clients: 0 });
    });
  });

  describe("storage: 'memory'", () => {
    let app: INestApplication;
    before(
      async () => (app = await start({ imports: [OAuthModule.forRoot({ ...OPTIONS, storage: 'memory', interaction: TestInteraction })] })),
    );
    after(async () => app.close());

    it('provides the in-memory stores, with no database at all', async () => {
      assert.ok(app.get(ClientStore) instanceof InMemoryClientStore);
      assert.ok(app.get(CodeStore) instanceof InMemoryCodeStore);
      assert.ok(app.get(TokenStore) instanceof InMemoryTokenStore);
      assert.ok(app.get(ConsentStore) instanceof InMemoryConsentStore);
      const { client } = await app.get(ClientRegistry).register({ name: 'CustomApp', redirectUris: ['https://customapp.example/cb'] });
      assert.equal((await app.get(ClientStore).findById(client.id))?.name, 'CustomApp');
    });
  });

  it('warns once outside tests that several instances need a shared secret, and stays quiet when one is set', async () => {
    const warnings = async (options: Partial<typeof OPTIONS & { secret: string }>) => {
      const seen: string[] = [];
      const logger = { log() {}, error() {}, warn: (message: unknown) => void seen.push(String(message)), debug() {}, verbose() {} };
      @Module({ imports: [OAuthModule.forRoot({ ...OPTIONS, ...options, storage: 'memory', interaction: TestInteraction })] })
      class HostModule {}
      const environment = process.env.NODE_ENV;
      process.env.NODE_ENV = 'production';
      try {
        const moduleRef = await Test.createTestingModule({ imports: [HostModule] })
          .setLogger(logger)
          .compile();
        await moduleRef.close();
      } finally {
        process.env.NODE_ENV = environment;
      }
      return seen.filter((w) => /shared|same `secret`/.test(w));
    };
    const unset = await warnings({});
    assert.equal(unset.length, 1, unset.join('\n'));
    assert.match(unset[0], /several instances/);
    assert.deepEqual(await warnings({ secret: 's'.repeat(32) }), []);
  });

  it('forRootAsync takes its options from a factory with injected dependencies, validated the same way', async () => {
    @Module({ providers: [{ provide: 'ISSUER', useValue: 'https://shift.example' }], exports: ['ISSUER'] })
    class ConfigModule {}
    const app = await start({
      imports: [
        OAuthModule.forRootAsync({
          imports: [ConfigModule],
          inject: ['ISSUER'],
          useFactory: (issuer: string) => ({ ...OPTIONS, issuer, accessTokenTtl: 600 }),
          storage: 'memory',
          prefix: 'v1/oauth2',
          interaction: TestInteraction,
        }),
      ],
    });
    try {
      const resolved = app.get<ResolvedOAuthOptions>(RESOLVED_OAUTH_OPTIONS);
      assert.equal(resolved.issuer, 'https://shift.example');
      assert.equal(resolved.accessTokenTtl, 600);
      assert.equal(resolved.prefix, 'v1/oauth2');
    } finally {
      await app.close();
    }
  });

  it('swaps one store through forRoot({ stores }) and keeps the built-in others', async () => {
    const app = await start({
      imports: [OAuthModule.forRoot({ ...OPTIONS, storage: 'memory', stores: { tokens: HostTokenStore }, interaction: TestInteraction })],
    });
    try {
      assert.ok(app.get(TokenStore) instanceof HostTokenStore);
      assert.ok(app.get(ClientStore) instanceof InMemoryClientStore);
    } finally {
      await app.close();
    }
  });

  it('swaps a TypeORM store for a host one through forRoot({ stores }) without a database for it', async () => {
    const app = await start({
      imports: [
        OAuthModule.forRoot({
          ...OPTIONS,
          storage: 'typeorm',
          stores: { clients: InMemoryClientStore, codes: InMemoryCodeStore, tokens: HostTokenStore, consents: InMemoryConsentStore },
          interaction: TestInteraction,
        }),
      ],
    });
    try {
      assert.ok(app.get(TokenStore) instanceof HostTokenStore);
    } finally {
      await app.close();
    }
  });

  it('swaps a store with Test.createTestingModule().overrideProvider(TokenStore).useClass()', async () => {
    const app = await start(
      { imports: [OAuthModule.forRoot({ ...OPTIONS, storage: 'memory', interaction: TestInteraction })] },
      HostTokenStore,
    );
    try {
      assert.ok(app.get(TokenStore) instanceof HostTokenStore);
    } finally {
      await app.close();
    }
  });

  it('lets a host module inject the abstract store classes, even when the module is not global', async () => {
    const app = await start({
      imports: [OAuthModule.forRoot({ ...OPTIONS, storage: 'memory', isGlobal: false, interaction: TestInteraction })],
      providers: [HostSeeder],
    });
    try {
      const seeder = app.get(HostSeeder);
      assert.equal(seeder.clients, app.get(ClientStore));
      assert.ok(seeder.codes instanceof InMemoryCodeStore);
      assert.ok(seeder.tokens instanceof InMemoryTokenStore);
      assert.ok(seeder.consents instanceof InMemoryConsentStore);
    } finally {
      await app.close();
    }
  });

  it('lets a host provider inject the resolved options by token', async () => {
    @Injectable()
    class NeedsOptions {
      constructor(@Inject(RESOLVED_OAUTH_OPTIONS) readonly options: ResolvedOAuthOptions) {}
    }
    const app = await start({
      imports: [OAuthModule.forRoot({ ...OPTIONS, storage: 'memory', interaction: TestInteraction })],
      providers: [NeedsOptions],
    });
    try {
      assert.ok(Object.isFrozen(app.get(NeedsOptions).options));
    } finally {
      await app.close();
    }
  });

  it('keeps every extra out of the options it provides, and wires them alike from forRoot and forRootAsync', async () => {
    const extras = {
      storage: 'memory' as const,
      prefix: 'v1/auth',
      interaction: TestInteraction,
      stores: { tokens: HostTokenStore },
      isGlobal: true,
    };
    for (const imports of [
      [OAuthModule.forRoot({ ...OPTIONS, ...extras })],
      [OAuthModule.forRootAsync({ ...extras, useFactory: () => OPTIONS })],
    ]) {
      const app = await start({ imports });
      try {
        const provided = app.get<Record<string, unknown>>(OAUTH_MODULE_OPTIONS);
        assert.deepEqual(
          Object.keys(provided).filter((key) =>
            ['storage', 'prefix', 'interaction', 'stores', 'rateLimitStorage', 'isGlobal'].includes(key),
          ),
          [],
        );
        assert.equal(provided.issuer, OPTIONS.issuer);
        assert.ok(app.get(TokenStore) instanceof HostTokenStore);
        assert.ok(app.get(ClientStore) instanceof InMemoryClientStore);
        assert.notEqual((await request(app.getHttpServer()).post('/v1/auth/token').type('form').send({})).status, 404);
        assert.equal((await request(app.getHttpServer()).post('/oauth2/token').type('form').send({})).status, 404);
      } finally {
        await app.close();
      }
    }
  });

  it("uses the interaction class a host module provides, with that module's own providers, under plain forRoot", async () => {
    @Injectable()
    class LoginPages {
      readonly path = '/accounts/login';
    }
    @Injectable()
    class AccountsInteraction extends OAuthInteraction {
      constructor(private readonly pages: LoginPages) {
        super();
      }
      currentUser(): undefined {
        return undefined;
      }
      loginUrl(returnTo: string): string {
        return `${this.pages.path}?return_to=${encodeURIComponent(returnTo)}`;
      }
    }
    // LoginPages is neither global nor exported: only the host's own module can inject it.
    @Module({ providers: [LoginPages, AccountsInteraction] })
    class AccountsModule {}
    const app = await start({
      imports: [AccountsModule, OAuthModule.forRoot({ ...OPTIONS, storage: 'memory', interaction: AccountsInteraction })],
    });
    try {
      const { client } = await app.get(ClientRegistry).register({ name: 'App', redirectUris: ['https://app.example/cb'] });
      const response = await request(app.getHttpServer()).get('/oauth2/auth').query({
        response_type: 'code',
        client_id: client.id,
        redirect_uri: 'https://app.example/cb',
        scope: 'profile',
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        code_challenge_method: 'S256',
      });
      assert.equal(response.status, 302);
      assert.match(response.headers.location, /^\/accounts\/login\?return_to=/);
    } finally {
      await app.close();
    }
  });
});

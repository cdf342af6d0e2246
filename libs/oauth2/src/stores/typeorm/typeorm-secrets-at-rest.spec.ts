import { DataSource, type DataSourceOptions } from 'typeorm';
import { createTestDatabase } from '../../../../../test/support/test-database';
import { describeSecretsAtRest } from '../../core/secrets-at-rest.spec-helper';
import type { TypeOrmStoreOptions } from './typeorm-store-options';
import { OAuthAuthorizationCodeEntity } from './oauth-authorization-code.entity';
import { OAuthClientEntity } from './oauth-client.entity';
import { OAuthConsentEntity } from './oauth-consent.entity';
import { OAuthTokenEntity } from './oauth-token.entity';
import { TypeOrmClientStore } from './typeorm-client.store';
import { TypeOrmCodeStore } from './typeorm-code.store';
import { TypeOrmConsentStore } from './typeorm-consent.store';
import { OAUTH_ENTITIES, OAUTH_MIGRATIONS } from './oauth-entities';
import { TypeOrmTokenStore } from './typeorm-token.store';

const TABLES = ['oauth_clients', 'oauth_authorization_codes', 'oauth_tokens', 'oauth_consents'];

for (const [mode, options] of [
  ['', {}],
  [' (hotPathSql: false)', { hotPathSql: false }],
] as [string, TypeOrmStoreOptions][]) {
  describeSecretsAtRest(`TypeORM stores${mode}`, async () => {
    const db = await createTestDatabase();
    const ds = await new DataSource({
      ...db.options,
      entities: [...OAUTH_ENTITIES],
      migrations: [...OAUTH_MIGRATIONS],
    } as DataSourceOptions).initialize();
    await ds.runMigrations();
    return {
      stores: {
        clients: new TypeOrmClientStore(ds.getRepository(OAuthClientEntity), options),
        codes: new TypeOrmCodeStore(ds.getRepository(OAuthAuthorizationCodeEntity)),
        tokens: new TypeOrmTokenStore(ds.getRepository(OAuthTokenEntity), options),
        consents: new TypeOrmConsentStore(ds.getRepository(OAuthConsentEntity)),
      },
      dump: async () => JSON.stringify(await Promise.all(TABLES.map((table) => ds.query(`SELECT * FROM ${table}`)))),
      close: async () => {
        await ds.destroy();
        await db.drop();
      },
    };
  });
}

import { describeTokenStoreContract } from '../store-contract.spec-helper';
import type { TypeOrmStoreOptions } from './typeorm-store-options';
import { OAuthTokenEntity } from './oauth-token.entity';
import { TypeOrmTokenStore } from './typeorm-token.store';
import { typeOrmHarness } from './typeorm-harness.spec-helper';

// Both modes keep the same contract: the hand-written hot-path SQL, and plain TypeORM as its fallback.
for (const [mode, options] of [
  ['', {}],
  [' (hotPathSql: false)', { hotPathSql: false }],
] as [string, TypeOrmStoreOptions][]) {
  describeTokenStoreContract(
    `TypeOrmTokenStore${mode}`,
    typeOrmHarness('oauth_tokens', (ds) => new TypeOrmTokenStore(ds.getRepository(OAuthTokenEntity), options)),
  );
}

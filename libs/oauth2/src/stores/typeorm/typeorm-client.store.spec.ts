import { describeClientStoreContract } from '../store-contract.spec-helper';
import type { TypeOrmStoreOptions } from './typeorm-store-options';
import { OAuthClientEntity } from './oauth-client.entity';
import { TypeOrmClientStore } from './typeorm-client.store';
import { typeOrmHarness } from './typeorm-harness.spec-helper';

// Both modes keep the same contract: the hand-written hot-path SQL, and plain TypeORM as its fallback.
for (const [mode, options] of [
  ['', {}],
  [' (hotPathSql: false)', { hotPathSql: false }],
] as [string, TypeOrmStoreOptions][]) {
  describeClientStoreContract(
    `TypeOrmClientStore${mode}`,
    typeOrmHarness('oauth_clients', (ds) => new TypeOrmClientStore(ds.getRepository(OAuthClientEntity), options)),
  );
}

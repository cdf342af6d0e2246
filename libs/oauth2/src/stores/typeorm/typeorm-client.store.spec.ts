import { describeClientStoreContract } from '../store-contract.spec-helper';
import { OAuthClientEntity } from './oauth-client.entity';
import { TypeOrmClientStore } from './typeorm-client.store';
import { typeOrmHarness } from './typeorm-harness.spec-helper';

describeClientStoreContract(
  'TypeOrmClientStore',
  typeOrmHarness('oauth_clients', (ds) => new TypeOrmClientStore(ds.getRepository(OAuthClientEntity))),
);

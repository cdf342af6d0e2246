import { describeTokenStoreContract } from '../store-contract.spec-helper';
import { OAuthTokenEntity } from './oauth-token.entity';
import { TypeOrmTokenStore } from './typeorm-token.store';
import { typeOrmHarness } from './typeorm-harness.spec-helper';

describeTokenStoreContract(
  'TypeOrmTokenStore',
  typeOrmHarness('oauth_tokens', (ds) => new TypeOrmTokenStore(ds.getRepository(OAuthTokenEntity))),
);

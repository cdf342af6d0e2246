import { describeCodeStoreContract } from '../store-contract.spec-helper';
import { OAuthAuthorizationCodeEntity } from './oauth-authorization-code.entity';
import { TypeOrmCodeStore } from './typeorm-code.store';
import { typeOrmHarness } from './typeorm-harness.spec-helper';

describeCodeStoreContract(
  'TypeOrmCodeStore',
  typeOrmHarness('oauth_authorization_codes', (ds) => new TypeOrmCodeStore(ds.getRepository(OAuthAuthorizationCodeEntity))),
);

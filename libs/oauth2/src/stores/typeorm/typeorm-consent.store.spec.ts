import { describeConsentStoreContract } from '../store-contract.spec-helper';
import { OAuthConsentEntity } from './oauth-consent.entity';
import { TypeOrmConsentStore } from './typeorm-consent.store';
import { typeOrmHarness } from './typeorm-harness.spec-helper';

describeConsentStoreContract(
  'TypeOrmConsentStore',
  typeOrmHarness('oauth_consents', (ds) => new TypeOrmConsentStore(ds.getRepository(OAuthConsentEntity))),
);

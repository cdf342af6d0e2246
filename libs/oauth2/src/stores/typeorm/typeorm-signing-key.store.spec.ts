import { describeSigningKeyStoreContract } from '../signing-key-store-contract.spec-helper';
import { OAuthSigningKeyEntity } from './oauth-signing-key.entity';
import { TypeOrmSigningKeyStore } from './typeorm-signing-key.store';
import { typeOrmHarness } from './typeorm-harness.spec-helper';

describeSigningKeyStoreContract(
  'TypeOrmSigningKeyStore',
  typeOrmHarness('oauth_signing_keys', (ds) => new TypeOrmSigningKeyStore(ds.getRepository(OAuthSigningKeyEntity))),
);

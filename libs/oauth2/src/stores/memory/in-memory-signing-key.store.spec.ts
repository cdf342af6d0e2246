import { describeSigningKeyStoreContract } from '../signing-key-store-contract.spec-helper';
import { inMemoryHarness } from './in-memory-harness.spec-helper';
import { InMemorySigningKeyStore } from './in-memory-signing-key.store';

describeSigningKeyStoreContract(
  'InMemorySigningKeyStore',
  inMemoryHarness(() => new InMemorySigningKeyStore()),
);

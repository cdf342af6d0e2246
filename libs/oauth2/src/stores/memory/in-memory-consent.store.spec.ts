import { describeConsentStoreContract } from '../store-contract.spec-helper';
import { inMemoryHarness } from './in-memory-harness.spec-helper';
import { InMemoryConsentStore } from './in-memory-consent.store';

describeConsentStoreContract(
  'InMemoryConsentStore',
  inMemoryHarness(() => new InMemoryConsentStore()),
);

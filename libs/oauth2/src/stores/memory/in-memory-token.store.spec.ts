import { describeTokenStoreContract } from '../store-contract.spec-helper';
import { inMemoryHarness } from './in-memory-harness.spec-helper';
import { InMemoryTokenStore } from './in-memory-token.store';

describeTokenStoreContract(
  'InMemoryTokenStore',
  inMemoryHarness(() => new InMemoryTokenStore()),
);

import { describeClientStoreContract } from '../store-contract.spec-helper';
import { inMemoryHarness } from './in-memory-harness.spec-helper';
import { InMemoryClientStore } from './in-memory-client.store';

describeClientStoreContract(
  'InMemoryClientStore',
  inMemoryHarness(() => new InMemoryClientStore()),
);

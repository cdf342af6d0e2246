import { describeCodeStoreContract } from '../store-contract.spec-helper';
import { inMemoryHarness } from './in-memory-harness.spec-helper';
import { InMemoryCodeStore } from './in-memory-code.store';

describeCodeStoreContract(
  'InMemoryCodeStore',
  inMemoryHarness(() => new InMemoryCodeStore()),
);

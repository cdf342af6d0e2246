import { inspect } from 'node:util';
import type { StoreHarness } from '../store-contract.spec-helper';

/** A contract harness over a fresh in-memory store per test; the dump is the store's whole inner state. */
export function inMemoryHarness<S extends object>(create: () => S): () => Promise<StoreHarness<S>> {
  return async () => {
    const harness: StoreHarness<S> = {
      stores: [create()],
      dump: async () => inspect(harness.stores[0], { depth: 10, maxArrayLength: null, maxStringLength: null }),
      clear: async () => {
        harness.stores = [create()];
      },
      close: async () => undefined,
    };
    return harness;
  };
}

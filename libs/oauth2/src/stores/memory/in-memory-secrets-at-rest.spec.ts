import { inspect } from 'node:util';
import { describeSecretsAtRest } from '../../core/secrets-at-rest.spec-helper';
import { InMemoryClientStore } from './in-memory-client.store';
import { InMemoryCodeStore } from './in-memory-code.store';
import { InMemoryConsentStore } from './in-memory-consent.store';
import { InMemoryTokenStore } from './in-memory-token.store';

describeSecretsAtRest('in-memory stores', async () => {
  const stores = {
    clients: new InMemoryClientStore(),
    codes: new InMemoryCodeStore(),
    tokens: new InMemoryTokenStore(),
    consents: new InMemoryConsentStore(),
  };
  return {
    stores,
    dump: async () => inspect(stores, { depth: 10, maxArrayLength: null, maxStringLength: null }),
    close: async () => undefined,
  };
});

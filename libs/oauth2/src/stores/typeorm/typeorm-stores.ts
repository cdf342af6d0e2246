import type { Type } from '@nestjs/common';
import { InMemoryClientStore } from '../memory/in-memory-client.store';
import { InMemoryCodeStore } from '../memory/in-memory-code.store';
import { InMemoryConsentStore } from '../memory/in-memory-consent.store';
import { InMemoryTokenStore } from '../memory/in-memory-token.store';

// Scaffolding: replaced by the TypeORM entities and stores in the next commit.
export const OAUTH_ENTITIES: readonly Type[] = [];
export const TYPEORM_STORES: Record<'clients' | 'codes' | 'tokens' | 'consents', Type> = {
  clients: InMemoryClientStore,
  codes: InMemoryCodeStore,
  tokens: InMemoryTokenStore,
  consents: InMemoryConsentStore,
};

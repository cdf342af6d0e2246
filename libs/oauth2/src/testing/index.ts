// nest-oauth2-provider/testing: what a host's tests use. Loads neither `typeorm` nor `@nestjs/typeorm`.
export { ManualClock } from '../core/clock';
export { InMemoryClientStore } from '../stores/memory/in-memory-client.store';
export { InMemoryCodeStore } from '../stores/memory/in-memory-code.store';
export { InMemoryTokenStore } from '../stores/memory/in-memory-token.store';
export { InMemoryConsentStore } from '../stores/memory/in-memory-consent.store';
export { InMemorySigningKeyStore } from '../stores/memory/in-memory-signing-key.store';

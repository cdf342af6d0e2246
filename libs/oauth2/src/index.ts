// The public API of nest-oauth2-provider: nothing else is exported.
export { OAuthModule } from './oauth.module';
export type {
  OAuthModuleOptions,
  OAuthModuleExtras,
  OAuthBearerOptions,
  OAuthStorage,
  OAuthStoreClasses,
} from './oauth-module-options.interface';
export { OAUTH_DEFAULTS, OAuthConfigurationError, resolveOAuthOptions, type ResolvedOAuthOptions } from './oauth-options';
export { RESOLVED_OAUTH_OPTIONS } from './oauth.constants';
export { OAuthPurgeService, OAUTH_PURGE_BATCH_SIZE, type OAuthPurgeResult } from './oauth-purge.service';
export * from './core/oauth.errors';
export { Clock, SystemClock, ManualClock } from './core/clock';
export { OAuthInteraction, type OAuthUser, type ConsentView } from './core/oauth-interaction';
export type { OAuthRequest } from './core/oauth-request';
export { ClientRegistry, ClientRegistrationError, type ClientRegistration, type RegisteredClient } from './core/client-registry';
export { hashSecret } from './core/protocol/random-token';
export * from './stores/models';
export { ClientStore } from './stores/client.store';
export { CodeStore, type CodeConsumption } from './stores/code.store';
export { TokenStore, type RotationOutcome } from './stores/token.store';
export { ConsentStore } from './stores/consent.store';
export { InMemoryClientStore } from './stores/memory/in-memory-client.store';
export { InMemoryCodeStore } from './stores/memory/in-memory-code.store';
export { InMemoryTokenStore } from './stores/memory/in-memory-token.store';
export { InMemoryConsentStore } from './stores/memory/in-memory-consent.store';
export { OAUTH_ENTITIES, OAUTH_MIGRATIONS } from './stores/typeorm/typeorm-stores';
export { OAuthClientEntity } from './stores/typeorm/oauth-client.entity';
export { OAuthAuthorizationCodeEntity } from './stores/typeorm/oauth-authorization-code.entity';
export { OAuthTokenEntity } from './stores/typeorm/oauth-token.entity';
export { OAuthConsentEntity } from './stores/typeorm/oauth-consent.entity';
export { TypeOrmClientStore } from './stores/typeorm/typeorm-client.store';
export { TypeOrmCodeStore } from './stores/typeorm/typeorm-code.store';
export { TypeOrmTokenStore } from './stores/typeorm/typeorm-token.store';
export { TypeOrmConsentStore } from './stores/typeorm/typeorm-consent.store';

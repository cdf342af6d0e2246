// The public API of nest-oauth2-provider: nothing else is exported.
export { OAuthModule } from './oauth.module';
export type {
  OAuthModuleOptions,
  OAuthModuleExtras,
  OAuthBearerOptions,
  OAuthStorage,
  OAuthStoreClasses,
  OAuthRateLimit,
  OAuthEndpointRateLimit,
  OAuthRateLimitOptions,
} from './oauth-module-options.interface';
export {
  OAUTH_DEFAULTS,
  OAuthConfigurationError,
  resolveOAuthOptions,
  type ResolvedOAuthOptions,
  type ResolvedEndpointRateLimit,
} from './oauth-options';
export { RESOLVED_OAUTH_OPTIONS, OAUTH_RATE_LIMIT_STORAGE } from './oauth.constants';
export { OAuthRateLimiter } from './http/oauth-rate-limiter';
export { FixedWindowRateLimitStorage } from './http/fixed-window-rate-limit.storage';
export { OAuthPurgeService, OAUTH_PURGE_BATCH_SIZE, type OAuthPurgeResult } from './oauth-purge.service';
export * from './core/oauth.errors';
export { Clock, SystemClock, ManualClock } from './core/clock';
export { OAuthInteraction, type OAuthUser, type ConsentView } from './core/oauth-interaction';
export type { OAuthRequest } from './core/oauth-request';
export type { ServerSettings } from './core/server-settings';
export {
  ClientRegistry,
  ClientRegistrationError,
  type ClientRegistration,
  type ClientUpdate,
  type RegisteredClient,
} from './core/client-registry';
export { hashSecret } from './core/protocol/credentials';
export * from './stores/models';
export { ClientStore } from './stores/client.store';
export { CodeStore, type CodeConsumption } from './stores/code.store';
export { TokenStore, type RotationOutcome } from './stores/token.store';
export { ConsentStore } from './stores/consent.store';
export { InMemoryClientStore } from './stores/memory/in-memory-client.store';
export { InMemoryCodeStore } from './stores/memory/in-memory-code.store';
export { InMemoryTokenStore } from './stores/memory/in-memory-token.store';
export { InMemoryConsentStore } from './stores/memory/in-memory-consent.store';
export { OAUTH_ENTITIES, OAUTH_MIGRATIONS } from './stores/typeorm/oauth-entities';
export { OAuthClientEntity } from './stores/typeorm/oauth-client.entity';
export { OAuthAuthorizationCodeEntity } from './stores/typeorm/oauth-authorization-code.entity';
export { OAuthTokenEntity } from './stores/typeorm/oauth-token.entity';
export { OAuthConsentEntity } from './stores/typeorm/oauth-consent.entity';
export { TypeOrmClientStore } from './stores/typeorm/typeorm-client.store';
export { TypeOrmCodeStore } from './stores/typeorm/typeorm-code.store';
export { TypeOrmTokenStore } from './stores/typeorm/typeorm-token.store';
export { TypeOrmConsentStore } from './stores/typeorm/typeorm-consent.store';
// Resource server (RFC 6750, 7009, 7662) and connected apps.
export { ResourceServer, type ResourceServerSettings } from './core/resource-server';
export type { ResourceAuthorization } from './core/resource-authorization';
export { TokenCache, type TokenCacheLookup, type TokenCacheSettings } from './core/token-cache';
export { TokenRevocation } from './core/revocation';
export { TokenIntrospection, IntrospectionNotAllowedError } from './core/introspection';
export { ConnectedApps, type ConnectedApp } from './core/connected-apps';
export { MissingBearerTokenError, BearerRequestError, BearerTokenError, BearerScopeError } from './core/bearer-challenge';
export type { BearerRequest } from './core/bearer-credentials';
export { BearerGuard } from './http/bearer.guard';
export { Scopes } from './http/scopes.decorator';
export { Public, SkipBearer } from './http/skip-bearer.decorator';
export { OAuthAuthorization } from './http/oauth-authorization.decorator';
export { AuthorizationServer, type AuthorizationServerDeps } from './core/authorization-server';
export { AuthorizationServerMetadata, buildMetadata, endpointUrl, type MetadataExtension } from './core/metadata';
export type { TokenResponseBody } from './core/grants/grant';

// The public API of nest-oauth2-provider: what a host writes or catches, nothing else. The TypeORM
// storage is in `nest-oauth2-provider/typeorm`, the in-memory stores and `ManualClock` in
// `nest-oauth2-provider/testing`. `api/*.api.md` records each entry point (`npm run api:check`).
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
  OAuthRateLimitStorage,
  OAuthResourceOptions,
  OAuthPagesOptions,
  OAuthJwtOptions,
  OAuthClientIdMetadataDocumentsOptions,
  OAuthRegistrationOptions,
  OAuthOpenIdOptions,
} from './oauth-module-options.interface';
export type { ClientIdUrlDecision, ClientIdUrlGrant } from './core/client-metadata/client-id-metadata-settings';
export type { HostLookup } from './core/client-metadata/document-fetcher';
export { OAUTH_DEFAULTS, OAuthConfigurationError } from './oauth-options';
export { OAuthRateLimiter } from './http/oauth-rate-limiter';
export { OAuthPurgeService, type OAuthPurgeResult } from './oauth-purge.service';
export * from './core/oauth.errors';
export { Clock, SystemClock } from './core/clock';
export { OAuthInteraction, type OAuthUser, type ConsentView, type ErrorView, type LoginHints } from './core/oauth-interaction';
// OpenID Connect Core 1.0.
export { ClaimsProvider } from './core/openid/claims-provider';
export { STANDARD_SCOPE_CLAIMS, type OpenIdSettings } from './core/openid/openid-settings';
export type { OAuthPageTheme, PageSettings } from './core/pages/page-theme';
export type { OAuthRequest } from './core/oauth-request';
export {
  ClientRegistry,
  ClientRegistrationError,
  MAX_SECRET_OVERLAP,
  type ClientOwnership,
  type ClientRegistration,
  type ClientUpdate,
  type RegisteredClient,
  type SecretRotation,
  type UrlClientRegistration,
} from './core/client-registry';
// Dynamic client registration (RFC 7591, RFC 7592).
export type { RegistrationSettings, RegistrationRateLimit, TokenEndpointAuthMethod } from './core/registration/registration-settings';
export {
  createInitialAccessToken,
  INITIAL_ACCESS_TOKEN_TTL,
  MAX_INITIAL_ACCESS_TOKEN_TTL,
  type CreatedInitialAccessToken,
} from './core/registration/initial-access-tokens';
// Store contracts and their models, for a host that brings its own stores.
export * from './stores/models';
export { ClientStore, type IdleClientCutoffs } from './stores/client.store';
export { CodeStore, type CodeConsumption } from './stores/code.store';
export { TokenStore, type RotationOutcome } from './stores/token.store';
export { ConsentStore } from './stores/consent.store';
export { SigningKeyStore } from './stores/signing-key.store';
// JWT access tokens (RFC 9068) and their signing keys.
export { SigningKeys, type SigningKeySettings, type KeyRotationStep } from './core/keys/signing-keys';
export { KeySigner, LocalKeySigner, UnusableSigningKeyError, type CreatedKey } from './core/keys/key-signer';
// Resource server (RFC 6750) and connected apps.
export type { ResourceAuthorization } from './core/resource-authorization';
export { ConnectedApps, type ConnectedApp } from './core/connected-apps';
export { BearerGuard } from './http/bearer.guard';
export { Scopes } from './http/scopes.decorator';
export { Public, SkipBearer } from './http/skip-bearer.decorator';
export { OAuthAuthorization } from './http/oauth-authorization.decorator';
export { Resource } from './http/resource.decorator';
export { AccessTokenVerifier } from './core/access-token-verifier';
// A resource server on another host, validating by introspection (RFC 7662).
export { OAuthResourceModule } from './resource/oauth-resource.module';
export type { OAuthResourceModuleOptions, OAuthResourceModuleExtras } from './resource/oauth-resource-options.interface';
export { OAUTH_RESOURCE_DEFAULTS } from './resource/oauth-resource-options';

import { randomBytes } from 'node:crypto';
import { Logger, type Provider } from '@nestjs/common';
import { AuthorizationServer } from './core/authorization-server';
import { Clock } from './core/clock';
import { ClientRegistry } from './core/client-registry';
import { ConnectedApps } from './core/connected-apps';
import { TokenIntrospection } from './core/introspection';
import { AuthorizationServerMetadata, endpointUrl, type MetadataExtension } from './core/metadata';
import { OAuthInteraction } from './core/oauth-interaction';
import { ClaimsProvider } from './core/openid/claims-provider';
import { OpenIdProviderConfiguration, openIdMetadata } from './core/openid/discovery';
import { UserInfoEndpoint } from './core/openid/userinfo';
import { AccessTokenVerifier } from './core/access-token-verifier';
import { ProtectedResourceMetadata } from './core/protected-resource-metadata';
import { ResourceServer } from './core/resource-server';
import { StoreAccessTokenVerifier } from './core/store-access-token-verifier';
import { TokenRevocation } from './core/revocation';
import { TokenCache } from './core/token-cache';
import { DynamicRegistration } from './core/registration/dynamic-registration';
import { EndSessionEndpoint } from './core/openid/end-session';
import { ConsentCsrf } from './core/protocol/csrf';
import { OAuthRateLimiter } from './http/oauth-rate-limiter';
import type { ResolvedOAuthOptions } from './oauth-options';
import { RESOLVED_OAUTH_OPTIONS } from './oauth.constants';
import { ClientStore } from './stores/client.store';
import { CodeStore } from './stores/code.store';
import { ConsentStore } from './stores/consent.store';
import { TokenStore } from './stores/token.store';
import { SigningKeyStore } from './stores/signing-key.store';
import { JwksEndpoint } from './core/jwks-endpoint';
import { JwtAccessTokenVerifier } from './core/jwt/jwt-access-token-verifier';
import { resolveKeyEncryptionKey } from './core/keys/key-encryption-key';
import { KeySigner, LocalKeySigner } from './core/keys/key-signer';
import { NO_JWT_KEYS, SigningKeys } from './core/keys/signing-keys';
import { hashSecret } from './core/protocol/credentials';
import type { IssuedJwtSettings } from './core/jwt/issued-jwt';
import { OAUTH_DEFAULT_KEY_ENCRYPTION_KEY_FILE } from './oauth.constants';

/** Extra metadata fields (RFC 8414) contributed by other endpoints, e.g. revocation and introspection. */
const METADATA_EXTENSIONS: MetadataExtension[] = [
  // RFC 7591 §3, RFC 8414 §2: advertised only while registration is on.
  (options) => (options.registration?.enabled ? { registration_endpoint: endpointUrl(options, 'register') } : {}),
  (options) => ({
    revocation_endpoint: endpointUrl(options, 'revoke'),
    revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    introspection_endpoint: endpointUrl(options, 'introspect'),
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    ...(options.jwt ? { jwks_uri: endpointUrl(options, 'jwks') } : {}),
  }),
  // OpenID Connect Discovery §3: the same document serves both well-known names.
  openIdMetadata,
];

/** How introspection and revocation recognise this server's JWT access tokens; undefined without a JWT resource. */
function issuedJwtSettings(options: ResolvedOAuthOptions, keys: SigningKeys): IssuedJwtSettings | undefined {
  const jwt = options.jwt;
  if (!jwt?.accessTokenAlgorithms.length) return undefined;
  return {
    issuer: options.issuer,
    keys,
    algorithms: jwt.accessTokenAlgorithms,
    clockTolerance: jwt.keys.clockTolerance,
    recordTokens: jwt.recordTokens,
  };
}

const logger = new Logger('OAuth');
/** Unexpected errors: name and message only (a stack may quote request data). */
function reportError(error: unknown): void {
  logger.error(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
}

/** Refused cross-client presentations: client ids and hash prefixes only, never a token. */
function reportSecurityEvent(message: string): void {
  logger.warn(`Security event: ${message}`);
}

/**
 * The core's plain classes, built by factories so the core stays free of Nest decorators. Every
 * token listed here is exported by the module.
 */
export const OAUTH_CORE_PROVIDERS: Provider[] = [
  {
    provide: ClientRegistry,
    useFactory: (options: ResolvedOAuthOptions, clients: ClientStore, clock: Clock) =>
      new ClientRegistry({ clients, clock, knownScopes: Object.keys(options.scopes), knownResources: Object.keys(options.resources) }),
    inject: [RESOLVED_OAUTH_OPTIONS, ClientStore, Clock],
  },
  {
    provide: AuthorizationServer,
    useFactory: (
      options: ResolvedOAuthOptions,
      clients: ClientStore,
      codes: CodeStore,
      tokens: TokenStore,
      consents: ConsentStore,
      clock: Clock,
      cache: TokenCache,
      signingKeys: SigningKeys,
      interaction?: OAuthInteraction,
      claims?: ClaimsProvider,
    ) =>
      new AuthorizationServer({
        options,
        clients,
        codes,
        tokens,
        consents,
        clock,
        cache,
        signingKeys,
        interaction,
        claims,
        reportError,
        reportSecurityEvent,
      }),
    inject: [
      RESOLVED_OAUTH_OPTIONS,
      ClientStore,
      CodeStore,
      TokenStore,
      ConsentStore,
      Clock,
      TokenCache,
      SigningKeys,
      { token: OAuthInteraction, optional: true },
      { token: ClaimsProvider, optional: true },
    ],
  },
  {
    provide: AuthorizationServerMetadata,
    useFactory: (options: ResolvedOAuthOptions) => new AuthorizationServerMetadata({ options, extensions: METADATA_EXTENSIONS }),
    inject: [RESOLVED_OAUTH_OPTIONS],
  },
  {
    provide: OpenIdProviderConfiguration,
    useFactory: (options: ResolvedOAuthOptions, metadata: AuthorizationServerMetadata) =>
      new OpenIdProviderConfiguration(options, metadata),
    inject: [RESOLVED_OAUTH_OPTIONS, AuthorizationServerMetadata],
  },
  // OpenID Connect Core §5.3: checks bearer tokens with the verifier BearerGuard uses.
  {
    provide: UserInfoEndpoint,
    useFactory: (options: ResolvedOAuthOptions, verifier: AccessTokenVerifier, clients: ClientStore, claims?: ClaimsProvider) =>
      new UserInfoEndpoint({ options, allowQueryToken: options.bearer.allowQueryToken, verifier, clients, claims, reportError }),
    inject: [RESOLVED_OAUTH_OPTIONS, AccessTokenVerifier, ClientStore, { token: ClaimsProvider, optional: true }],
  },
  // Resource server (RFC 6750, 7009, 7662). One TokenCache per module instance, shared by everything
  // that revokes, so a revocation on this instance evicts at once.
  {
    provide: TokenCache,
    useFactory: (options: ResolvedOAuthOptions) => new TokenCache(options.bearer.cache),
    inject: [RESOLVED_OAUTH_OPTIONS],
  },
  // JWT access tokens (RFC 9068): the private keys sealed under the key-encryption key, the keys'
  // life in the store, and the JWKS.
  {
    provide: KeySigner,
    useFactory: (options: ResolvedOAuthOptions, defaultFile: string | undefined) =>
      new LocalKeySigner(
        // No JWT resource: no key is ever made, so no key file is written and nothing is announced.
        options.jwt === undefined
          ? randomBytes(32)
          : resolveKeyEncryptionKey({
              configured: options.jwt.keyEncryptionKey,
              file: options.jwt.keyEncryptionKeyFile ?? defaultFile,
              production: process.env.NODE_ENV === 'production',
              warn: (message) => logger.warn(message),
            }),
      ),
    inject: [RESOLVED_OAUTH_OPTIONS, { token: OAUTH_DEFAULT_KEY_ENCRYPTION_KEY_FILE, optional: true }],
  },
  {
    provide: SigningKeys,
    useFactory: (options: ResolvedOAuthOptions, store: SigningKeyStore, signer: KeySigner, clock: Clock) =>
      new SigningKeys({ store, signer, clock, settings: options.jwt?.keys ?? NO_JWT_KEYS, warn: (message) => logger.warn(message) }),
    inject: [RESOLVED_OAUTH_OPTIONS, SigningKeyStore, KeySigner, Clock],
  },
  {
    provide: JwksEndpoint,
    useFactory: (options: ResolvedOAuthOptions, keys: SigningKeys) =>
      new JwksEndpoint(keys, { maxAge: options.jwt?.keys.jwksMaxAge ?? 0, realm: options.realm, reportError }),
    inject: [RESOLVED_OAUTH_OPTIONS, SigningKeys],
  },
  {
    provide: AccessTokenVerifier,
    useFactory: (
      options: ResolvedOAuthOptions,
      tokens: TokenStore,
      clients: ClientStore,
      clock: Clock,
      cache: TokenCache,
      keys: SigningKeys,
    ) => {
      const opaque = new StoreAccessTokenVerifier({ tokens, clients, clock, cache });
      const jwt = options.jwt;
      if (!jwt?.accessTokenAlgorithms.length) return opaque;
      return new JwtAccessTokenVerifier({
        issuer: options.issuer,
        keys,
        algorithms: jwt.accessTokenAlgorithms,
        clock,
        clockTolerance: jwt.keys.clockTolerance,
        cache,
        opaque,
        isRevoked: jwt.recordTokens ? async (jti) => (await tokens.findByHash(hashSecret(jti)))?.revokedAt != null : undefined,
      });
    },
    inject: [RESOLVED_OAUTH_OPTIONS, TokenStore, ClientStore, Clock, TokenCache, SigningKeys],
  },
  {
    provide: ResourceServer,
    useFactory: (options: ResolvedOAuthOptions, verifier: AccessTokenVerifier) =>
      new ResourceServer({
        settings: {
          realm: options.realm,
          allowQueryToken: options.bearer.allowQueryToken,
          // Without resources tokens carry no audience, and every route accepts them as in 0.1.
          resource: Object.keys(options.resources).length > 0 ? options.resource : undefined,
          refreshScope: options.offlineAccessScope,
        },
        verifier,
      }),
    inject: [RESOLVED_OAUTH_OPTIONS, AccessTokenVerifier],
  },
  // RFC 9728 documents of the configured resources served from this origin (the issuer's); a
  // resource on another host serves its own.
  {
    provide: ProtectedResourceMetadata,
    useFactory: (options: ResolvedOAuthOptions) => {
      const origin = new URL(options.issuer).origin;
      return new ProtectedResourceMetadata({
        requireHttps: options.requireHttps,
        realm: options.realm,
        resources: Object.entries(options.resources)
          .filter(([resource]) => new URL(resource).origin === origin)
          .map(([resource, settings]) => ({
            resource,
            authorizationServers: [options.issuer],
            scopes: settings.scopes,
            allowQueryToken: options.bearer.allowQueryToken,
            name: settings.name,
            refreshScope: options.offlineAccessScope,
          })),
      });
    },
    inject: [RESOLVED_OAUTH_OPTIONS],
  },
  {
    provide: TokenRevocation,
    useFactory: (
      options: ResolvedOAuthOptions,
      clients: ClientStore,
      tokens: TokenStore,
      cache: TokenCache,
      clock: Clock,
      consents: ConsentStore,
      keys: SigningKeys,
    ) =>
      new TokenRevocation({
        options,
        clients,
        tokens,
        consents,
        cache,
        clock,
        jwt: issuedJwtSettings(options, keys),
        reportError,
        reportSecurityEvent,
      }),
    inject: [RESOLVED_OAUTH_OPTIONS, ClientStore, TokenStore, TokenCache, Clock, ConsentStore, SigningKeys],
  },
  {
    provide: TokenIntrospection,
    useFactory: (options: ResolvedOAuthOptions, clients: ClientStore, tokens: TokenStore, clock: Clock, keys: SigningKeys) =>
      new TokenIntrospection({ options, clients, tokens, clock, jwt: issuedJwtSettings(options, keys), reportError }),
    inject: [RESOLVED_OAUTH_OPTIONS, ClientStore, TokenStore, Clock, SigningKeys],
  },
  // OpenID Connect RP-Initiated Logout 1.0. Without a configured secret its confirmation forms, like
  // consent forms, work only on the instance that showed them.
  {
    provide: EndSessionEndpoint,
    useFactory: (options: ResolvedOAuthOptions, clients: ClientStore, keys: SigningKeys, clock: Clock, interaction?: OAuthInteraction) =>
      new EndSessionEndpoint({
        options,
        clients,
        keys,
        clock,
        csrf: new ConsentCsrf(options.secret ?? randomBytes(32)),
        interaction,
        reportError,
      }),
    inject: [RESOLVED_OAUTH_OPTIONS, ClientStore, SigningKeys, Clock, { token: OAuthInteraction, optional: true }],
  },
  {
    provide: DynamicRegistration,
    useFactory: (
      options: ResolvedOAuthOptions,
      registry: ClientRegistry,
      clients: ClientStore,
      tokens: TokenStore,
      clock: Clock,
      limiter: OAuthRateLimiter,
    ) =>
      new DynamicRegistration({
        options,
        settings: options.registration,
        registry,
        clients,
        tokens,
        clock,
        countCreation: async (ip) => {
          const { perIp, global } = options.registration.rateLimit;
          if (perIp) await limiter.consume('register:ip', ip, perIp);
          if (global) await limiter.consume('register:all', '', global);
        },
        reportError,
      }),
    inject: [RESOLVED_OAUTH_OPTIONS, ClientRegistry, ClientStore, TokenStore, Clock, OAuthRateLimiter],
  },
  {
    provide: ConnectedApps,
    useFactory: (consents: ConsentStore, clients: ClientStore, tokens: TokenStore, cache: TokenCache, clock: Clock) =>
      new ConnectedApps({ consents, clients, tokens, cache, clock }),
    inject: [ConsentStore, ClientStore, TokenStore, TokenCache, Clock],
  },
];

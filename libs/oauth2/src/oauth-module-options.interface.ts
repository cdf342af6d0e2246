import type { TokenEndpointAuthMethod } from './core/registration/registration-settings';
import type { Type } from '@nestjs/common';
import type { TypeOrmStoreOptions } from './stores/typeorm/typeorm-store-options';
import type { OAuthInteraction } from './core/oauth-interaction';
import type { OAuthPageTheme } from './core/pages/page-theme';
import type { ClientStore } from './stores/client.store';
import type { CodeStore } from './stores/code.store';
import type { ConsentStore } from './stores/consent.store';
import type { TokenStore } from './stores/token.store';
import type { GrantType, SigningAlgorithm } from './stores/models';
import type { SigningKeyStore } from './stores/signing-key.store';
import type { KeySigner } from './core/keys/key-signer';
import type { ClaimsProvider } from './core/openid/claims-provider';
import type { ClientIdUrlDecision } from './core/client-metadata/client-id-metadata-settings';
import type { HostLookup } from './core/client-metadata/document-fetcher';

/** Store classes to use instead of the built-in ones; each is optional. @publicApi */
export interface OAuthStoreClasses {
  clients?: Type<ClientStore>;
  codes?: Type<CodeStore>;
  tokens?: Type<TokenStore>;
  consents?: Type<ConsentStore>;
  /** The signing keys of JWT access tokens. */
  signingKeys?: Type<SigningKeyStore>;
}

/** 'typeorm' (default, needs `TypeOrmModule.forRoot` with `OAUTH_ENTITIES`) or 'memory' (tests and demos). @publicApi */
export type OAuthStorage = 'typeorm' | 'memory';

/** Bearer-token validation settings (RFC 6750). @publicApi */
export interface OAuthBearerOptions {
  /** Accept `?access_token=` (RFC 6750 §2.3). Off: URLs end up in logs and Referer headers. */
  allowQueryToken?: boolean;
  /**
   * In-process cache of validated tokens, off by default. A revocation on the same instance evicts at once;
   * another instance may accept a revoked token for up to `ttl` seconds.
   */
  cache?: { maxEntries?: number; ttl?: number } | false;
}

/** At most `limit` requests per `ttl` seconds; beyond it, 429 with `Retry-After` until the window frees. @publicApi */
export interface OAuthRateLimit {
  limit: number;
  ttl: number;
}

/** Limits of one endpoint, counted separately per client and per IP address. @publicApi */
export interface OAuthEndpointRateLimit {
  /** Per `client_id` (HTTP Basic or body), authenticated or not. Default 600 per 60 s. */
  perClient?: OAuthRateLimit | false;
  /** Per client IP (`req.ip`: set Express `trust proxy` behind a proxy). Default 300 per 60 s. */
  perIp?: OAuthRateLimit | false;
}

/**
 * Rate limits, on by default. Counters live in the `rateLimitStorage` extra: in-process by default,
 * so with N instances the effective limit is N × limit unless a shared storage is plugged in.
 * @publicApi
 */
export interface OAuthRateLimitOptions {
  /** The token endpoint (RFC 6749 §3.2); false turns it off. */
  token?: OAuthEndpointRateLimit | false;
  /**
   * Failed client authentications at the revocation and introspection endpoints (RFC 7009 §2.1,
   * RFC 7662 §2.1), per claimed client and per IP. Only failures count; over the limit, every request
   * of that client or address gets 429, a correct secret too, until the window ends. Default: the
   * limits of `token`; false turns it off.
   */
  clientAuthentication?: OAuthEndpointRateLimit | false;
}

/**
 * One protected resource (an API) that tokens can be issued for (RFC 8707), keyed in `resources` by
 * its identifier: an absolute https URI (http on loopback only) in canonical form — lowercase scheme
 * and host, no default port, no query or fragment. `https://api.example/v1` and
 * `https://api.example/v1/` are two different resources; the identifier is also the `resource` of
 * its RFC 9728 metadata document, byte for byte.
 * @publicApi
 */
export interface OAuthResourceOptions {
  /** The scopes of this API (each one of the server's `scopes`); a token for it carries only these and the server-level ones. */
  scopes: string[];
  /** Lifetime in seconds of access tokens for this resource. Default: the server's `accessTokenTtl`. */
  accessTokenTtl?: number;
  /** What the consent page and the metadata (`resource_name`, RFC 9728 §2) call it. Default: the identifier. */
  name?: string;
  /**
   * `'opaque'` (default): random tokens stored hashed, checked against the store or by introspection.
   * `'jwt'`: RFC 9068 JWTs signed with the server's rotating keys and verified by the API with no call
   * home; not stored unless `jwt.recordTokens`, so such a token lives until it expires (keep
   * `accessTokenTtl` short: it defaults to 300 seconds for a JWT resource).
   */
  accessTokenFormat?: 'opaque' | 'jwt';
  /** The JWS algorithm of this resource's JWT access tokens. Default: `jwt.algorithm` (ES256). */
  signingAlgorithm?: SigningAlgorithm;
}

/**
 * JWT access tokens (RFC 9068): how they are signed and how the signing keys rotate.
 * @publicApi
 */
export interface OAuthJwtOptions {
  /** The default JWS algorithm: `'ES256'` (default), `'EdDSA'` or `'RS256'`. */
  algorithm?: SigningAlgorithm;
  /**
   * Record each JWT access token's `jti`, so introspection answers for it and revocation (of the token
   * or its grant) stops it at every `BearerGuard` of this server. Default false: JWTs are not stored.
   */
  recordTokens?: boolean;
  /**
   * 32 random bytes, base64 or hex (`openssl rand -base64 32`), that seal the private signing keys at
   * rest with AES-256-GCM. Required when `NODE_ENV=production`; elsewhere one is generated into
   * `keyEncryptionKeyFile` (beside the SQLite file by default) with a warning.
   */
  keyEncryptionKey?: string;
  /** Where a generated key-encryption key is kept outside production. */
  keyEncryptionKeyFile?: string;
  /** `Cache-Control: max-age` of the JWKS in seconds. Default 600. A new key waits this long, plus one `keyRefreshInterval`, before it signs. */
  jwksMaxAge?: number;
  /** Seconds between re-reads of the key store by each instance. Default 60. */
  keyRefreshInterval?: number;
  /** Seconds an active key signs before it is rotated automatically; 0 = only by `nest-oauth2 keys rotate`. Default 30 days. */
  rotationInterval?: number;
  /** Seconds of clock difference tolerated on `exp`, `nbf` and `iat`. Default 30. */
  clockTolerance?: number;
}

/**
 * Options of `OAuthModule.forRoot()` / `forRootAsync()`. Validated at start-up: a misconfigured app
 * refuses to start, with one line per problem.
 * @publicApi
 */
export interface OAuthModuleOptions {
  /** The issuer identifier (RFC 8414 §2): an absolute https URL (http only on loopback), no query or fragment. */
  issuer: string;
  /** Scope name → description shown on the consent page (RFC 6749 §3.3). */
  scopes: Record<string, string>;
  /** Scopes granted when an authorization request has no `scope` (RFC 6749 §3.3). Default: none (the request must name scopes). */
  defaultScopes?: string[];
  /** Authorization-request parameters copied to the redirect (e.g. `shift_team_id`). */
  passthroughParams?: string[];
  /** Access-token lifetime in seconds. Default 3600. */
  accessTokenTtl?: number;
  /** Refresh-token lifetime in seconds, renewed at each rotation up to `refreshTokenAbsoluteTtl`. Default 30 days. */
  refreshTokenTtl?: number;
  /**
   * Absolute lifetime of a grant's refresh tokens, in seconds from the grant's first issuance (the
   * code exchange): no rotation renews a refresh token past it, and a refresh after it is
   * `invalid_grant`, so the user must authorize again. 0 = unbounded. Default 90 days.
   */
  refreshTokenAbsoluteTtl?: number;
  /** Authorization-code lifetime in seconds, at most 600 (RFC 6749 §4.1.2). Default 60. */
  authorizationCodeTtl?: number;
  /**
   * Seconds after a refresh-token rotation during which presenting the old token again, while its
   * successor is still unused, is a retry of a lost response: it is answered with the same successor
   * pair (derived from the old token under `secret`), never a second one. After the successor was
   * used, or after this period, it is reuse and revokes the grant. 0 turns it off. Default 10.
   */
  refreshTokenGracePeriod?: number;
  /** PKCE (RFC 7636): 'all' clients (default, as OAuth 2.1) or 'public' clients only. */
  requirePkce?: 'all' | 'public';
  /** Accept `code_challenge_method=plain`. Default false: S256 only (RFC 9700 §2.1.1). */
  allowPlainPkce?: boolean;
  /** Issue refresh tokens only when this scope was granted (e.g. 'offline_access'); false issues them to any client allowed the grant. Default false. */
  offlineAccessScope?: string | false;
  /**
   * Skip the consent screen for a public client whose user already approved the scopes it asks for,
   * as for confidential clients. Default false: a public client cannot prove who it is, so any local
   * process that binds its loopback redirect port (or claims its custom scheme) would get a code with
   * its own PKCE challenge and no screen (RFC 8252 §8.6, RFC 6749 §10.2). Turn it on only when every
   * public client's redirect URI is one no other program can receive.
   */
  rememberPublicClientConsent?: boolean;
  /** Refuse plain-http requests except from loopback. Default: true when NODE_ENV=production. */
  requireHttps?: boolean;
  /** Seconds between purges of expired codes and tokens; false turns the purge off. Default 3600. */
  purgeInterval?: number | false;
  /**
   * Seconds the purge keeps a consumed authorization code after its use, so a replay that comes long
   * after the code expired is still recognised and revokes the tokens it issued (RFC 6749 §4.1.2).
   * Default 86400 (24 h); 0 deletes consumed codes as soon as they expire.
   */
  consumedCodeRetention?: number;
  bearer?: OAuthBearerOptions;
  /**
   * The server key (at least 32 characters): it signs the consent form's CSRF token and derives the
   * successor pair a refresh retry gets again. Default: random per process, which is fine for one
   * instance; when several instances serve one issuer, give them all the same secret, or a consent page
   * shown by one instance is refused by another and a refresh retry on another instance than the one
   * that rotated the token is refused (`invalid_grant`, without revoking anything).
   */
  secret?: string;
  /** The older name of `secret`, still accepted; `secret` wins when both are set. */
  csrfSecret?: string;
  /**
   * The protected resources tokens are issued for (RFC 8707), identifier → settings. With none (the
   * default) tokens carry no audience and are good at every API of the server, as in 0.1. With some,
   * every access token has exactly one audience, and `BearerGuard` accepts a token only for its own
   * resource (`resource`, or `@Resource()` per controller).
   */
  resources?: Record<string, OAuthResourceOptions>;
  /**
   * The resource a request gets when it names none (many clients never send `resource`); a client's
   * own `defaultResource`, set at registration, wins over it. Without either, such a request is
   * refused with `invalid_target`.
   */
  defaultResource?: string;
  /**
   * The resource this application's own `BearerGuard` protects (one of `resources`): tokens for any
   * other audience are refused with 401 `invalid_token`. Default: `defaultResource`. A controller
   * serving another resource says so with `@Resource('…')`.
   */
  resource?: string;
  /** JWT access tokens and their signing keys (used by resources with `accessTokenFormat: 'jwt'`). */
  jwt?: OAuthJwtOptions;
  /** `realm` of `WWW-Authenticate` challenges. Default: the issuer. */
  realm?: string;
  /** Rate limits (429 + `Retry-After`); false turns them all off. Default: on, see `OAuthRateLimitOptions`. */
  rateLimit?: OAuthRateLimitOptions | false;
  /** The look of the built-in consent and error pages. Default: the built-in light and dark themes. */
  pages?: OAuthPagesOptions;
  /**
   * Clients identified by the https URL of their Client ID Metadata Document, fetched when first
   * seen (draft-ietf-oauth-client-id-metadata-document, as MCP uses it). Default: off.
   */
  clientIdMetadataDocuments?: OAuthClientIdMetadataDocumentsOptions;
  /**
   * Dynamic client registration (RFC 7591) and its management (RFC 7592) at `{prefix}/register`,
   * advertised as `registration_endpoint`. Default: off (the endpoint answers 404).
   */
  registration?: OAuthRegistrationOptions;
  /**
   * OpenID Connect Core 1.0 for the authorization-code flow: the `openid` scope, ID tokens, UserInfo
   * at `{prefix}/userinfo`, discovery at `/.well-known/openid-configuration` and RP-initiated logout
   * at `{prefix}/logout`. Claims come from the `claims` extra (a `ClaimsProvider`). Default: off.
   */
  openid?: OAuthOpenIdOptions | false;
}

/** OpenID Connect settings. Every field is optional: `openid: {}` turns it on with the defaults. @publicApi */
export interface OAuthOpenIdOptions {
  /** ID token lifetime in seconds. Default 3600. */
  idTokenTtl?: number;
  /**
   * The algorithms ID tokens may be signed with; a client picks one by registering
   * `id_token_signed_response_alg`, RS256 otherwise. Default `['RS256', 'ES256', 'EdDSA']`.
   */
  idTokenSigningAlgorithms?: SigningAlgorithm[];
  /** Put the claims of the granted scopes in the ID token as well as in UserInfo. Default true. */
  claimsInIdToken?: boolean;
  /**
   * The secret salt of pairwise subjects (at least 16 characters); keep it forever, since changing it
   * changes every pairwise `sub`. Default: derived from `secret`; without either, only public subjects.
   */
  pairwiseSalt?: string;
  /** Extra scopes that release claims, or changes to the standard sets, e.g. `{ teams: ['shift_teams'] }`. */
  scopeClaims?: Record<string, string[]>;
}

/**
 * Client ID Metadata Documents: a `client_id` that is an https URL with a path is the client's
 * registration, fetched from that URL. Every document is checked by the same rules as any client,
 * and the fetch refuses private, loopback, link-local and metadata-service addresses.
 * @publicApi
 */
export interface OAuthClientIdMetadataDocumentsOptions {
  /** Accept URL client ids. Default false. */
  enabled: boolean;
  /**
   * The trust policy: which client id URLs are accepted (true), refused (false), or accepted with
   * their own scopes and resources (an object). Called before the document is fetched. Default:
   * every https URL (the address rules still apply).
   */
  allowClientIdUrl?: (url: URL) => ClientIdUrlDecision | Promise<ClientIdUrlDecision>;
  /**
   * CIDR ranges the fetch may connect to although they are private or reserved (an intranet's
   * `10.20.0.0/16`, a test's `127.0.0.1/32`). Default: none.
   */
  allowedAddresses?: string[];
  /** Least seconds a fetched document is used, whatever its `Cache-Control` says. Default 300. */
  minCacheTtl?: number;
  /** Most seconds a fetched document is used before it is fetched again. Default 86400. */
  maxCacheTtl?: number;
  /** Milliseconds the whole fetch may take. Default 5000. */
  timeout?: number;
  /** The largest document accepted, in bytes. Default 5120. */
  maxBytes?: number;
  /** The scopes a URL client may ask for (its document's `scope` may narrow them). Default: every configured scope. */
  scopes?: string[];
  /** The resources (RFC 8707) a URL client may get tokens for. Default: every configured resource. */
  resources?: string[];
  /** The resource a URL client's requests get when they name none. Default: the server's `defaultResource`. */
  defaultResource?: string;
  /** Resolves a host name to its addresses. Default: the system resolver (`dns.lookup`). */
  lookup?: HostLookup;
  /** CA certificates (PEM) trusted instead of the system's, for an intranet CA or tests. Default: the system's. */
  ca?: string | string[];
}

/**
 * Dynamic client registration (RFC 7591, RFC 7592): who may register, what a client may ask for, and
 * how long unused clients are kept. See the dynamic registration guide.
 * @publicApi
 */
export interface OAuthRegistrationOptions {
  /** Serve `{prefix}/register`. Default false. */
  enabled?: boolean;
  /**
   * `required` (default): every registration carries an initial access token (RFC 7591 §3) made with
   * `nest-oauth2 registration-tokens create`; `optional`: a request may carry one (it must then be
   * valid, and the request skips the rate limits); `none`: open registration, anyone may register.
   */
  initialAccessToken?: 'required' | 'optional' | 'none';
  /** The grant types a client may register. Default `['authorization_code', 'refresh_token']`. */
  grantTypes?: GrantType[];
  /**
   * The `token_endpoint_auth_method`s a client may register: `none` (a public client) and the secret
   * methods. Default all three: `['none', 'client_secret_basic', 'client_secret_post']`.
   */
  tokenEndpointAuthMethods?: TokenEndpointAuthMethod[];
  /** The scopes a client may register. Default: every configured scope. */
  scopes?: string[];
  /** The scopes a client gets when its request names none (`scope` omitted). Default: `scopes`. */
  defaultScope?: string[];
  /** The resource (RFC 8707) a registered client's requests get when they name none. Default: the server's `defaultResource`. */
  defaultResource?: string;
  /**
   * Answer a registration identical to an earlier one of a public client (same name, software_id,
   * redirect URIs and other metadata) with that client instead of a new one, without a registration
   * access token. Never for confidential clients, whose secret is shown once. Default false.
   */
  reusePublicClients?: boolean;
  /**
   * What limits the scopes a registered client may later ask for: `registered` (default), the
   * `scope` it registered (or `defaultScope`); `policy`, every scope of `scopes`, whatever it
   * registered, as the server may replace requested metadata (RFC 7591 §3.2.1). Agents such as MCP
   * clients register with the first scope a resource challenged them for and step up later
   * (MCP 2025-11-25 Authorization, Step-Up Authorization Flow): they need `policy`.
   */
  scopeLimit?: 'registered' | 'policy';
  /**
   * Creation limits (429 with `Retry-After`), per IP and over all addresses; a request with a valid
   * initial access token is not counted. Default `{ perIp: { limit: 20, ttl: 3600 }, global: { limit: 1000, ttl: 3600 } }`;
   * false turns them off.
   */
  rateLimit?: { perIp?: OAuthRateLimit | false; global?: OAuthRateLimit | false } | false;
  /** Seconds after registration at which a client that never got a code or token is deleted. Default 86400 (24 h); false keeps it. */
  unusedClientTtl?: number | false;
  /**
   * Seconds after its last code or token at which a client is deleted. Default 7776000 (90 days),
   * which should exceed `refreshTokenTtl` so a client holding a live refresh token is kept; false keeps it.
   */
  idleClientTtl?: number | false;
}

/**
 * The look of the built-in consent and error pages, checked at start-up: colours must be CSS colour
 * strings (`#4f46e5`, `rgb(79 70 229)`, `indigo`), so nothing else reaches the style sheet.
 * @publicApi
 */
export interface OAuthPagesOptions {
  /** CSS custom properties for the light scheme, and the radius and font of both. */
  theme?: OAuthPageTheme;
  /** CSS custom properties for `prefers-color-scheme: dark`; unset colours take the built-in dark ones. */
  darkTheme?: OAuthPageTheme;
  /** The product shown at the top of each page and in its title, e.g. "SHIFT". */
  productName?: string;
  /** An https URL of the product's logo, shown beside the product name (the page's CSP admits its origin). */
  logoUrl?: string;
}

/**
 * Options that decide which providers and routes the module has, so they are read when the module is
 * defined — give them beside `useFactory` in `forRootAsync()`, not from the factory.
 * @publicApi
 */
export interface OAuthModuleExtras {
  /** Path prefix of the endpoints: `{prefix}/auth`, `/token`, `/revoke`, `/introspect`. Default `oauth2`. */
  prefix?: string;
  /** The host's class that says who is logged in and where to log in (required for the authorization endpoint). List it in the `providers` of one of your modules to give it that module's dependencies; otherwise the module creates it, and its dependencies must be global or come through `imports`. */
  interaction?: Type<OAuthInteraction>;
  /** Built-in stores to use. Default 'typeorm'. */
  storage?: OAuthStorage;
  /** Replace individual stores (each also swappable with a plain `{ provide: TokenStore, useClass }`). */
  stores?: OAuthStoreClasses;
  /** Settings of the built-in TypeORM stores, e.g. `{ hotPathSql: false }` to run every query through TypeORM's repositories. */
  typeorm?: TypeOrmStoreOptions;
  /**
   * Where rate-limit counters live: any `@nestjs/throttler` storage class (e.g. a Redis one, so every
   * instance shares one count). Default: `FixedWindowRateLimitStorage`, in this process only.
   */
  rateLimitStorage?: Type<OAuthRateLimitStorage>;
  /**
   * Where the private signing keys of JWT access tokens live and sign: a `KeySigner` class (a KMS or
   * HSM, say) that creates keys there and signs with them. Default: keys generated in this process and
   * stored sealed under `jwt.keyEncryptionKey`, which is then not needed.
   */
  keySigner?: Type<KeySigner>;
  /**
   * With `openid` on: the host's `ClaimsProvider` class, which says what the ID token and UserInfo may
   * tell about a user. Without it they carry only `sub`. Resolved like `interaction`.
   */
  claims?: Type<ClaimsProvider>;
  /** Register the module globally so `BearerGuard` works in every host module. Default true. */
  isGlobal?: boolean;
}

/**
 * Where rate-limit counters live: the shape of `@nestjs/throttler`'s `ThrottlerStorage`, so any
 * throttler storage fits without the module loading that package.
 * @publicApi
 */
export interface OAuthRateLimitStorage {
  increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<{ totalHits: number; timeToExpire: number; isBlocked: boolean; timeToBlockExpire: number }>;
}

import { createHash } from 'node:crypto';
import type { JwtSettings, ResourceSettings, ServerSettings } from './core/server-settings';
import { OPENID_SCOPE, STANDARD_SCOPE_CLAIMS, type OpenIdSettings } from './core/openid/openid-settings';
import type { GrantType, SigningAlgorithm } from './stores/models';
import type { OAuthModuleExtras, OAuthModuleOptions, OAuthRateLimit, OAuthResourceOptions } from './oauth-module-options.interface';
import { THEME_KEYS, type OAuthPageTheme, type PageSettings } from './core/pages/page-theme';
import type { OAuthJwtOptions, OAuthPagesOptions } from './oauth-module-options.interface';
import {
  BearerCacheSchema,
  BearerSchema,
  JwtSchema,
  OAuthOptionsSchema,
  OpenIdSchema,
  PageThemeSchema,
  PagesSchema,
  optionProblems,
  rateLimitSchema,
  registrationSchema,
} from './oauth-options.schema';
import { resolveClientIdMetadataDocuments } from './oauth-options.client-id-metadata';
import type { RegistrationSettings, TokenEndpointAuthMethod } from './core/registration/registration-settings';
import { TOKEN_ENDPOINT_AUTH_METHODS } from './core/registration/registration-settings';

/** The options after defaults and validation; frozen. The core sees them as its `ServerSettings`. @publicApi */
export interface ResolvedOAuthOptions extends ServerSettings {
  pages: PageSettings;
  purgeInterval: number | false;
  consumedCodeRetention: number;
  rateLimit: { token: ResolvedEndpointRateLimit | false; clientAuthentication: ResolvedEndpointRateLimit | false };
  registration: RegistrationSettings;
}

/** The limits of one endpoint after defaults. @publicApi */
export interface ResolvedEndpointRateLimit {
  perClient: OAuthRateLimit | false;
  perIp: OAuthRateLimit | false;
}

/** Documented defaults of every optional setting. @publicApi */
export const OAUTH_DEFAULTS = Object.freeze({
  prefix: 'oauth2',
  defaultScopes: [] as string[],
  passthroughParams: [] as string[],
  accessTokenTtl: 3600,
  refreshTokenTtl: 30 * 24 * 3600,
  refreshTokenAbsoluteTtl: 90 * 24 * 3600,
  authorizationCodeTtl: 60,
  refreshTokenGracePeriod: 10,
  requirePkce: 'all' as const,
  allowPlainPkce: false,
  offlineAccessScope: false as const,
  rememberPublicClientConsent: false,
  purgeInterval: 3600,
  consumedCodeRetention: 24 * 3600,
  bearerCache: { maxEntries: 10_000, ttl: 30 },
  /** A JWT resource's access tokens live 5 minutes unless it says otherwise: they cannot be revoked. */
  jwtAccessTokenTtl: 300,
  openid: {
    idTokenTtl: 3600,
    idTokenSigningAlgorithms: ['RS256', 'ES256', 'EdDSA'] as readonly SigningAlgorithm[],
    claimsInIdToken: true,
    scopeDescription: 'Sign you in with your account',
  },
  jwt: {
    algorithm: 'ES256' as const,
    recordTokens: false,
    jwksMaxAge: 600,
    keyRefreshInterval: 60,
    rotationInterval: 30 * 24 * 3600,
    clockTolerance: 30,
  },
  // Generous: secrets, codes and tokens carry 256 bits, so these bound load, not guessing.
  tokenRateLimit: { perClient: { limit: 600, ttl: 60 }, perIp: { limit: 300, ttl: 60 } },
  registration: {
    enabled: false,
    initialAccessToken: 'required' as const,
    grantTypes: ['authorization_code', 'refresh_token'] as GrantType[],
    tokenEndpointAuthMethods: [...TOKEN_ENDPOINT_AUTH_METHODS] as TokenEndpointAuthMethod[],
    reusePublicClients: false,
    scopeLimit: 'registered' as const,
    rateLimit: { perIp: { limit: 20, ttl: 3600 }, global: { limit: 1000, ttl: 3600 } },
    unusedClientTtl: 24 * 3600,
    idleClientTtl: 90 * 24 * 3600,
  },
});

/** Thrown at start-up when the options are invalid; lists every problem, one per line. @publicApi */
export class OAuthConfigurationError extends Error {
  constructor(
    readonly problems: string[],
    moduleName = 'OAuthModule',
  ) {
    super(`Invalid ${moduleName} options:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'OAuthConfigurationError';
  }
}

/**
 * Merge the options with the defaults, check them all with the decorators of `OAuthOptionsSchema`,
 * and throw one `OAuthConfigurationError` listing every problem as `path: message` lines. The module
 * runs it in a factory provider, so `forRoot` and `forRootAsync` fail at bootstrap alike.
 */
export function resolveOAuthOptions(input: OAuthModuleOptions, extras: OAuthModuleExtras = {}): ResolvedOAuthOptions {
  const raw = (input ?? {}) as Partial<OAuthModuleOptions>;
  const cache = raw.bearer?.cache ? { ...OAUTH_DEFAULTS.bearerCache, ...raw.bearer.cache } : false;
  const prefix = extras.prefix ?? OAUTH_DEFAULTS.prefix;
  const resolved: ResolvedOAuthOptions = {
    issuer: raw.issuer as string,
    prefix: typeof prefix === 'string' ? prefix.replace(/^\/+|\/+$/g, '') : prefix,
    scopes: raw.scopes && typeof raw.scopes === 'object' ? { ...raw.scopes } : (raw.scopes as never),
    defaultScopes: copy(raw.defaultScopes ?? OAUTH_DEFAULTS.defaultScopes),
    passthroughParams: copy(raw.passthroughParams ?? OAUTH_DEFAULTS.passthroughParams),
    accessTokenTtl: raw.accessTokenTtl ?? OAUTH_DEFAULTS.accessTokenTtl,
    refreshTokenTtl: raw.refreshTokenTtl ?? OAUTH_DEFAULTS.refreshTokenTtl,
    refreshTokenAbsoluteTtl: raw.refreshTokenAbsoluteTtl ?? OAUTH_DEFAULTS.refreshTokenAbsoluteTtl,
    authorizationCodeTtl: raw.authorizationCodeTtl ?? OAUTH_DEFAULTS.authorizationCodeTtl,
    refreshTokenGracePeriod: raw.refreshTokenGracePeriod ?? OAUTH_DEFAULTS.refreshTokenGracePeriod,
    requirePkce: raw.requirePkce ?? OAUTH_DEFAULTS.requirePkce,
    allowPlainPkce: raw.allowPlainPkce ?? OAUTH_DEFAULTS.allowPlainPkce,
    offlineAccessScope: raw.offlineAccessScope ?? OAUTH_DEFAULTS.offlineAccessScope,
    rememberPublicClientConsent: raw.rememberPublicClientConsent ?? OAUTH_DEFAULTS.rememberPublicClientConsent,
    requireHttps: raw.requireHttps ?? process.env.NODE_ENV === 'production',
    purgeInterval: raw.purgeInterval ?? OAUTH_DEFAULTS.purgeInterval,
    consumedCodeRetention: raw.consumedCodeRetention ?? OAUTH_DEFAULTS.consumedCodeRetention,
    bearer: { allowQueryToken: raw.bearer?.allowQueryToken ?? false, cache },
    resources: resolveResources(
      raw.resources,
      raw.accessTokenTtl ?? OAUTH_DEFAULTS.accessTokenTtl,
      raw.jwt?.algorithm ?? OAUTH_DEFAULTS.jwt.algorithm,
    ),
    defaultResource: raw.defaultResource,
    resource: raw.resource ?? raw.defaultResource,
    realm: raw.realm ?? raw.issuer,
    secret: raw.secret ?? raw.csrfSecret,
    rateLimit: resolveRateLimits(raw.rateLimit),
    pages: resolvePages(raw.pages),
  } as Omit<ResolvedOAuthOptions, 'registration'> as ResolvedOAuthOptions;
  resolved.registration = resolveRegistration(raw.registration, resolved);
  resolved.openid = resolveOpenId(raw.openid, resolved);
  resolved.jwt = resolveJwt(raw.jwt, resolved.resources, resolved.openid);

  const schema = Object.assign(new OAuthOptionsSchema(), resolved, {
    // Each given key is checked under its own name, not only the one that won.
    secret: raw.secret,
    csrfSecret: raw.csrfSecret,
    bearer: Object.assign(new BearerSchema(), resolved.bearer, { cache: cache && Object.assign(new BearerCacheSchema(), cache) }),
    rateLimit: rateLimitSchema(resolved.rateLimit),
    registration: registrationSchema(raw.registration, resolved.registration, {
      scopes: typeof resolved.scopes === 'object' && resolved.scopes ? Object.keys(resolved.scopes) : [],
      resources: typeof resolved.resources === 'object' && resolved.resources ? Object.keys(resolved.resources) : [],
    }),
    jwt:
      raw.jwt !== undefined && (typeof raw.jwt !== 'object' || raw.jwt === null) ? raw.jwt : Object.assign(new JwtSchema(), raw.jwt ?? {}),
    openid:
      raw.openid === undefined || raw.openid === false
        ? undefined
        : typeof raw.openid !== 'object' || raw.openid === null
          ? raw.openid
          : Object.assign(new OpenIdSchema(), raw.openid),
    pages: Object.assign(new PagesSchema(), {
      ...resolved.pages,
      theme: themeSchema(raw.pages?.theme),
      darkTheme: themeSchema(raw.pages?.darkTheme),
    }),
  });
  const problems = optionProblems(schema);
  const documents = resolveClientIdMetadataDocuments(raw.clientIdMetadataDocuments, {
    scopes: resolved.scopes && typeof resolved.scopes === 'object' ? Object.keys(resolved.scopes) : [],
    resources: resolved.resources && typeof resolved.resources === 'object' ? Object.keys(resolved.resources) : [],
  });
  problems.push(...documents.problems);
  if (documents.settings) resolved.clientIdMetadataDocuments = documents.settings;
  if (problems.length) throw new OAuthConfigurationError(problems);
  return Object.freeze(resolved);
}

/** `registration` with its defaults; the schema checks the values (a non-object is passed on for it to report). */
function resolveRegistration(input: OAuthModuleOptions['registration'], resolved: ResolvedOAuthOptions): RegistrationSettings {
  const d = OAUTH_DEFAULTS.registration;
  const given = (typeof input === 'object' && input !== null ? input : {}) as Partial<NonNullable<OAuthModuleOptions['registration']>>;
  const scopes = given.scopes ?? (typeof resolved.scopes === 'object' && resolved.scopes ? Object.keys(resolved.scopes) : []);
  const limits = given.rateLimit;
  const limit = (value: OAuthRateLimit | false | undefined, fallback: OAuthRateLimit) =>
    value === false ? false : value === undefined ? { ...fallback } : { ...fallback, ...value };
  return Object.freeze({
    enabled: given.enabled ?? d.enabled,
    initialAccessToken: given.initialAccessToken ?? d.initialAccessToken,
    grantTypes: copy(given.grantTypes ?? d.grantTypes),
    tokenEndpointAuthMethods: copy(given.tokenEndpointAuthMethods ?? d.tokenEndpointAuthMethods),
    scopes: copy(scopes),
    defaultScope: copy(given.defaultScope ?? scopes),
    defaultResource: given.defaultResource ?? resolved.defaultResource,
    reusePublicClients: given.reusePublicClients ?? d.reusePublicClients,
    scopeLimit: given.scopeLimit ?? d.scopeLimit,
    rateLimit:
      limits === false
        ? { perIp: false, global: false }
        : { perIp: limit(limits?.perIp, d.rateLimit.perIp), global: limit(limits?.global, d.rateLimit.global) },
    unusedClientTtl: given.unusedClientTtl ?? d.unusedClientTtl,
    idleClientTtl: given.idleClientTtl ?? d.idleClientTtl,
  }) as RegistrationSettings;
}

/** `pages` with its defaults; only the known theme keys are kept (the schema reports the others). */
function resolvePages(input: OAuthPagesOptions | undefined): PageSettings {
  const given = (input ?? {}) as Partial<OAuthPagesOptions>;
  const pick = (theme: unknown): OAuthPageTheme => {
    const picked: Record<string, unknown> = {};
    if (typeof theme === 'object' && theme !== null) {
      for (const [key, value] of Object.entries(theme)) if (THEME_KEYS.includes(key) && value !== undefined) picked[key] = value;
    }
    return Object.freeze(picked) as OAuthPageTheme;
  };
  return Object.freeze({
    theme: pick(given.theme),
    darkTheme: pick(given.darkTheme),
    productName: given.productName,
    logoUrl: given.logoUrl,
  });
}

/** A theme as given, for the schema to check every key and value. */
function themeSchema(theme: OAuthPageTheme | undefined): PageThemeSchema {
  if (theme !== undefined && (typeof theme !== 'object' || theme === null)) return theme as never;
  return Object.assign(new PageThemeSchema(), theme ?? {});
}

/** `resources` with each one's defaults filled in; the schema checks identifiers, scopes and TTLs. */
function resolveResources(
  input: OAuthModuleOptions['resources'],
  accessTokenTtl: number,
  algorithm: SigningAlgorithm,
): ServerSettings['resources'] {
  if (input === undefined) return Object.freeze({});
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input as never;
  const resources: Record<string, ResourceSettings> = {};
  for (const [uri, resource] of Object.entries(input)) {
    const given = (resource ?? {}) as Partial<OAuthResourceOptions>;
    resources[uri] = Object.freeze({
      scopes: Object.freeze(Array.isArray(given.scopes) ? [...given.scopes] : (given.scopes as never)),
      accessTokenTtl: given.accessTokenTtl ?? (given.accessTokenFormat === 'jwt' ? OAUTH_DEFAULTS.jwtAccessTokenTtl : accessTokenTtl),
      name: given.name ?? uri,
      accessTokenFormat: given.accessTokenFormat ?? 'opaque',
      signingAlgorithm: given.signingAlgorithm ?? algorithm,
    });
  }
  return Object.freeze(resources);
}

/**
 * JWT settings when some resource issues JWT access tokens, with the algorithms those resources use;
 * undefined otherwise (no key is made, no JWKS is served).
 */
function resolveJwt(
  input: OAuthJwtOptions | undefined,
  resources: ServerSettings['resources'],
  openid: OpenIdSettings | undefined,
): JwtSettings | undefined {
  const given = (input ?? {}) as Partial<OAuthJwtOptions>;
  if (typeof resources !== 'object' || resources === null) return undefined;
  const jwtResources = Object.values(resources).filter((r) => r?.accessTokenFormat === 'jwt');
  if (!jwtResources.length && !openid) return undefined;
  const d = OAUTH_DEFAULTS.jwt;
  const accessTokenAlgorithms = [...new Set(jwtResources.map((r) => r.signingAlgorithm))];
  const idTokenAlgorithms = Array.isArray(openid?.idTokenSigningAlgorithms) ? openid.idTokenSigningAlgorithms : [];
  const lifetimes = jwtResources.map((r) => (Number.isInteger(r.accessTokenTtl) ? r.accessTokenTtl : 0));
  if (openid && Number.isInteger(openid.idTokenTtl)) lifetimes.push(openid.idTokenTtl);
  return Object.freeze({
    keys: Object.freeze({
      // One key set signs both kinds of JWT; each algorithm has its own active key.
      algorithms: Object.freeze([...new Set([...accessTokenAlgorithms, ...idTokenAlgorithms])]),
      jwksMaxAge: given.jwksMaxAge ?? d.jwksMaxAge,
      keyRefreshInterval: given.keyRefreshInterval ?? d.keyRefreshInterval,
      rotationInterval: given.rotationInterval ?? d.rotationInterval,
      maxTokenLifetime: Math.max(...lifetimes),
      clockTolerance: given.clockTolerance ?? d.clockTolerance,
    }),
    accessTokenAlgorithms: Object.freeze(accessTokenAlgorithms),
    recordTokens: given.recordTokens ?? d.recordTokens,
    keyEncryptionKey: given.keyEncryptionKey,
    keyEncryptionKeyFile: given.keyEncryptionKeyFile,
  });
}

/**
 * OpenID Connect settings, or undefined when off. The `openid` scope is added to the server's scopes
 * when the host did not describe it, and pairwise subjects are offered when there is a salt (given,
 * or derived from the server secret).
 */
function resolveOpenId(input: OAuthModuleOptions['openid'], resolved: ResolvedOAuthOptions): OpenIdSettings | undefined {
  if (input === undefined || input === false || typeof input !== 'object' || input === null) return undefined;
  const d = OAUTH_DEFAULTS.openid;
  const salt =
    input.pairwiseSalt ??
    (typeof resolved.secret === 'string'
      ? createHash('sha256').update(`pairwise-subject|${resolved.secret}`).digest('base64url')
      : undefined);
  if (resolved.scopes && typeof resolved.scopes === 'object' && !(OPENID_SCOPE in resolved.scopes)) {
    (resolved.scopes as Record<string, string>)[OPENID_SCOPE] = d.scopeDescription;
  }
  const scopeClaims: Record<string, readonly string[]> = { ...STANDARD_SCOPE_CLAIMS };
  if (input.scopeClaims && typeof input.scopeClaims === 'object') {
    for (const [scope, claims] of Object.entries(input.scopeClaims))
      if (Array.isArray(claims)) scopeClaims[scope] = Object.freeze([...claims]);
  }
  return Object.freeze({
    idTokenTtl: input.idTokenTtl ?? d.idTokenTtl,
    idTokenSigningAlgorithms: Object.freeze(copy(input.idTokenSigningAlgorithms ?? [...d.idTokenSigningAlgorithms])),
    claimsInIdToken: input.claimsInIdToken ?? d.claimsInIdToken,
    subjectTypes: Object.freeze(salt === undefined ? ['public' as const] : ['public' as const, 'pairwise' as const]),
    pairwiseSalt: salt,
    scopeClaims: Object.freeze(scopeClaims),
  });
}

/** A copy of a list option, or the value itself when it is not a list (the schema reports it). */
function copy<T>(value: readonly T[]): T[] {
  return Array.isArray(value) ? [...value] : (value as T[]);
}

/**
 * `rateLimit`: the token endpoint's limits, and those of failed client authentications at the
 * revocation and introspection endpoints, which take the token endpoint's unless set.
 */
function resolveRateLimits(input: OAuthModuleOptions['rateLimit']): ResolvedOAuthOptions['rateLimit'] {
  if (input === false) return { token: false, clientAuthentication: false };
  const token = resolveEndpointLimit(input?.token, OAUTH_DEFAULTS.tokenRateLimit);
  const clientAuthentication =
    input?.clientAuthentication === undefined
      ? token
      : resolveEndpointLimit(input.clientAuthentication, token || OAUTH_DEFAULTS.tokenRateLimit);
  return { token, clientAuthentication };
}

/** One endpoint's limits: false stays off, each missing half takes its default. */
function resolveEndpointLimit(
  input: { perClient?: OAuthRateLimit | false; perIp?: OAuthRateLimit | false } | false | undefined,
  defaults: ResolvedEndpointRateLimit,
): ResolvedEndpointRateLimit | false {
  if (input === false) return false;
  const half = (given: OAuthRateLimit | false | undefined, fallback: OAuthRateLimit | false) =>
    given === false ? false : given === undefined ? fallback : { ...fallback, ...given };
  return { perClient: half(input?.perClient, defaults.perClient), perIp: half(input?.perIp, defaults.perIp) };
}

import type { OAuthBearerOptions, OAuthModuleExtras, OAuthModuleOptions } from './oauth-module-options.interface';

/** The options after defaults and validation; frozen. @publicApi */
export interface ResolvedOAuthOptions {
  issuer: string;
  prefix: string;
  scopes: Readonly<Record<string, string>>;
  defaultScopes: readonly string[];
  passthroughParams: readonly string[];
  accessTokenTtl: number;
  refreshTokenTtl: number;
  authorizationCodeTtl: number;
  refreshTokenGracePeriod: number;
  requirePkce: 'all' | 'public';
  allowPlainPkce: boolean;
  offlineAccessScope: string | false;
  requireHttps: boolean;
  purgeInterval: number | false;
  bearer: Required<Pick<OAuthBearerOptions, 'allowQueryToken'>> & { cache: { maxEntries: number; ttl: number } | false };
  realm: string;
  /** Undefined: a random key per process. */
  csrfSecret: string | undefined;
}

/** Documented defaults of every optional setting. @publicApi */
export const OAUTH_DEFAULTS = Object.freeze({
  prefix: 'oauth2',
  defaultScopes: [] as string[],
  passthroughParams: [] as string[],
  accessTokenTtl: 3600,
  refreshTokenTtl: 30 * 24 * 3600,
  authorizationCodeTtl: 60,
  refreshTokenGracePeriod: 10,
  requirePkce: 'all' as const,
  allowPlainPkce: false,
  offlineAccessScope: false as const,
  purgeInterval: 3600,
  bearerCache: { maxEntries: 10_000, ttl: 30 },
});

/** Thrown at start-up when the options are invalid; lists every problem, one per line. @publicApi */
export class OAuthConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid OAuthModule options:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'OAuthConfigurationError';
  }
}

/** Merge the options with the defaults, check them all, and throw one error listing every problem. */
export function resolveOAuthOptions(input: OAuthModuleOptions, extras: OAuthModuleExtras = {}): ResolvedOAuthOptions {
  const problems: string[] = [];
  const cache = input.bearer?.cache ? { ...OAUTH_DEFAULTS.bearerCache, ...input.bearer.cache } : false;
  const resolved: ResolvedOAuthOptions = {
    issuer: input.issuer,
    prefix: (extras.prefix ?? OAUTH_DEFAULTS.prefix).replace(/^\/+|\/+$/g, ''),
    scopes: { ...input.scopes },
    defaultScopes: [...(input.defaultScopes ?? OAUTH_DEFAULTS.defaultScopes)],
    passthroughParams: [...(input.passthroughParams ?? OAUTH_DEFAULTS.passthroughParams)],
    accessTokenTtl: input.accessTokenTtl ?? OAUTH_DEFAULTS.accessTokenTtl,
    refreshTokenTtl: input.refreshTokenTtl ?? OAUTH_DEFAULTS.refreshTokenTtl,
    authorizationCodeTtl: input.authorizationCodeTtl ?? OAUTH_DEFAULTS.authorizationCodeTtl,
    refreshTokenGracePeriod: input.refreshTokenGracePeriod ?? OAUTH_DEFAULTS.refreshTokenGracePeriod,
    requirePkce: input.requirePkce ?? OAUTH_DEFAULTS.requirePkce,
    allowPlainPkce: input.allowPlainPkce ?? OAUTH_DEFAULTS.allowPlainPkce,
    offlineAccessScope: input.offlineAccessScope ?? OAUTH_DEFAULTS.offlineAccessScope,
    requireHttps: input.requireHttps ?? process.env.NODE_ENV === 'production',
    purgeInterval: input.purgeInterval ?? OAUTH_DEFAULTS.purgeInterval,
    bearer: { allowQueryToken: input.bearer?.allowQueryToken ?? false, cache },
    realm: input.realm ?? input.issuer,
    csrfSecret: input.csrfSecret,
  };

  let issuerUrl: URL | undefined;
  try {
    issuerUrl = new URL(input.issuer);
  } catch {
    problems.push(`issuer: must be an absolute URL (got ${JSON.stringify(input.issuer)})`);
  }
  if (issuerUrl) {
    const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(issuerUrl.hostname);
    if (issuerUrl.protocol !== 'https:' && !(issuerUrl.protocol === 'http:' && loopback)) {
      problems.push(`issuer: must use https (http is allowed only on loopback hosts) (got ${input.issuer})`);
    }
    if (issuerUrl.search || issuerUrl.hash || input.issuer.includes('#') || input.issuer.includes('?')) {
      problems.push('issuer: must not contain a query or fragment (RFC 8414 §2)');
    }
  }
  const scopeNames = Object.keys(resolved.scopes);
  for (const name of scopeNames) {
    if (!/^[\x21\x23-\x5B\x5D-\x7E]+$/.test(name)) problems.push(`scopes.${name}: is not a valid scope-token (RFC 6749 §3.3)`);
  }
  for (const name of resolved.defaultScopes) {
    if (!scopeNames.includes(name)) problems.push(`defaultScopes: "${name}" is not one of the configured scopes`);
  }
  if (resolved.offlineAccessScope !== false && !scopeNames.includes(resolved.offlineAccessScope)) {
    problems.push(`offlineAccessScope: "${resolved.offlineAccessScope}" is not one of the configured scopes`);
  }
  for (const key of ['accessTokenTtl', 'refreshTokenTtl', 'authorizationCodeTtl'] as const) {
    if (!Number.isInteger(resolved[key]) || resolved[key] <= 0)
      problems.push(`${key}: must be a positive integer of seconds (got ${resolved[key]})`);
  }
  if (resolved.authorizationCodeTtl > 600) problems.push('authorizationCodeTtl: must not exceed 600 seconds (RFC 6749 §4.1.2)');
  if (!Number.isInteger(resolved.refreshTokenGracePeriod) || resolved.refreshTokenGracePeriod < 0) {
    problems.push(`refreshTokenGracePeriod: must be a non-negative integer of seconds (got ${resolved.refreshTokenGracePeriod})`);
  }
  if (!['all', 'public'].includes(resolved.requirePkce)) problems.push(`requirePkce: must be 'all' or 'public'`);
  if (resolved.purgeInterval !== false && (!Number.isInteger(resolved.purgeInterval) || resolved.purgeInterval <= 0)) {
    problems.push(`purgeInterval: must be a positive integer of seconds or false (got ${resolved.purgeInterval})`);
  }
  if (!/^[A-Za-z0-9._~\-/]*$/.test(resolved.prefix)) problems.push(`prefix: must be a URL path (got ${JSON.stringify(extras.prefix)})`);
  for (const name of resolved.passthroughParams) {
    if (!/^[A-Za-z0-9_.-]+$/.test(name)) problems.push(`passthroughParams: "${name}" is not a valid parameter name`);
  }
  if (resolved.csrfSecret !== undefined && (typeof resolved.csrfSecret !== 'string' || resolved.csrfSecret.length < 32)) {
    problems.push('csrfSecret: must be a string of at least 32 characters');
  }
  if (problems.length) throw new OAuthConfigurationError(problems);
  return Object.freeze(resolved);
}

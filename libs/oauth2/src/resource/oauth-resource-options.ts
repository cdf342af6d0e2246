import { SIGNING_ALGORITHMS } from '../core/keys/key-material';
import { configuredResourceProblem } from '../core/protocol/resource-indicator';
import { isLoopbackHost } from '../core/protocol/redirect-uri';
import { OAuthConfigurationError } from '../oauth-options';
import type { SigningAlgorithm } from '../stores/models';
import type { OAuthResourceModuleOptions } from './oauth-resource-options.interface';

/** Defaults of `OAuthResourceModule`. @publicApi */
export const OAUTH_RESOURCE_DEFAULTS = Object.freeze({
  cache: Object.freeze({ maxEntries: 10_000, ttl: 30 }),
  timeout: 5,
  allowQueryToken: false,
  jwks: Object.freeze({ cooldown: 30, maxAge: Object.freeze({ min: 30, max: 86_400, fallback: 300 }) }),
  algorithms: Object.freeze(['ES256', 'EdDSA', 'RS256'] as SigningAlgorithm[]),
  clockTolerance: 30,
});

/** The resolved `jwks` option: where the keys are (undefined = the metadata's `jwks_uri`) and how long they are kept. */
export interface ResolvedRemoteJwksOptions {
  uri: string | undefined;
  cooldown: number;
  maxAge: { min: number; max: number; fallback: number };
}

/** The options after defaults and validation; frozen. */
export interface ResolvedOAuthResourceOptions {
  issuer: string;
  resource: string;
  introspection: { clientId: string; clientSecret: string } | undefined;
  jwks: ResolvedRemoteJwksOptions | false;
  algorithms: readonly SigningAlgorithm[];
  clockTolerance: number;
  scopes: readonly string[] | undefined;
  resourceName: string | undefined;
  cache: { maxEntries: number; ttl: number } | false;
  realm: string;
  allowQueryToken: boolean;
  timeout: number;
}

/** Merges the defaults and checks everything, throwing one `OAuthConfigurationError` listing every problem. */
export function resolveOAuthResourceOptions(input: OAuthResourceModuleOptions): ResolvedOAuthResourceOptions {
  const problems: string[] = [];
  const raw = (input ?? {}) as Partial<OAuthResourceModuleOptions>;
  const issuerProblem = issuerProblemOf(raw.issuer);
  if (issuerProblem) problems.push(`issuer: ${issuerProblem}`);
  const resourceProblem = typeof raw.resource === 'string' ? configuredResourceProblem(raw.resource) : 'must be a string';
  if (resourceProblem) problems.push(`resource: ${resourceProblem}`);
  const credentials = raw.introspection as Partial<NonNullable<OAuthResourceModuleOptions['introspection']>> | undefined;
  if (credentials !== undefined) {
    if (typeof credentials?.clientId !== 'string' || credentials.clientId === '')
      problems.push('introspection.clientId: must be a non-empty string');
    if (typeof credentials?.clientSecret !== 'string' || credentials.clientSecret === '') {
      problems.push('introspection.clientSecret: must be a non-empty string');
    }
  }
  const jwks = resolveJwks(raw.jwks, problems);
  if (jwks === false && credentials === undefined) {
    problems.push('introspection: required when jwks is false, or no token could be checked');
  }
  const algorithms = raw.algorithms ?? OAUTH_RESOURCE_DEFAULTS.algorithms;
  if (!Array.isArray(algorithms) || algorithms.length === 0 || !algorithms.every((a) => SIGNING_ALGORITHMS.includes(a))) {
    problems.push(`algorithms: must be a non-empty list of ${SIGNING_ALGORITHMS.join(', ')} (RFC 8725 section 3.1)`);
  }
  const clockTolerance = raw.clockTolerance ?? OAUTH_RESOURCE_DEFAULTS.clockTolerance;
  if (!Number.isInteger(clockTolerance) || clockTolerance < 0 || clockTolerance > 300) {
    problems.push('clockTolerance: must be an integer of seconds from 0 to 300');
  }
  if (
    raw.scopes !== undefined &&
    (!Array.isArray(raw.scopes) || !raw.scopes.every((s) => typeof s === 'string' && /^[\x21\x23-\x5B\x5D-\x7E]+$/.test(s)))
  ) {
    problems.push('scopes: must be a list of scope tokens (RFC 6749 section 3.3)');
  }
  if (raw.resourceName !== undefined && typeof raw.resourceName !== 'string') problems.push('resourceName: must be a string');
  if (raw.realm !== undefined && typeof raw.realm !== 'string') problems.push('realm: must be a string');
  if (raw.allowQueryToken !== undefined && typeof raw.allowQueryToken !== 'boolean')
    problems.push('allowQueryToken: must be true or false');
  const timeout = raw.timeout ?? OAUTH_RESOURCE_DEFAULTS.timeout;
  if (typeof timeout !== 'number' || !(timeout > 0) || timeout > 120)
    problems.push('timeout: must be a number of seconds above 0, at most 120');
  let cache: ResolvedOAuthResourceOptions['cache'] = false;
  if (raw.cache !== false) {
    const given = raw.cache ?? {};
    cache = {
      maxEntries: given.maxEntries ?? OAUTH_RESOURCE_DEFAULTS.cache.maxEntries,
      ttl: given.ttl ?? OAUTH_RESOURCE_DEFAULTS.cache.ttl,
    };
    if (!Number.isInteger(cache.maxEntries) || cache.maxEntries < 1) problems.push('cache.maxEntries: must be a positive integer');
    if (!Number.isInteger(cache.ttl) || cache.ttl < 1) problems.push('cache.ttl: must be a positive integer of seconds');
  }
  if (problems.length) throw new OAuthConfigurationError(problems, 'OAuthResourceModule');
  return Object.freeze({
    issuer: raw.issuer as string,
    resource: raw.resource as string,
    introspection: credentials && Object.freeze({ clientId: credentials.clientId!, clientSecret: credentials.clientSecret! }),
    jwks,
    algorithms: Object.freeze([...algorithms]),
    clockTolerance,
    scopes: raw.scopes ? Object.freeze([...raw.scopes]) : undefined,
    resourceName: raw.resourceName,
    cache: cache && Object.freeze(cache),
    realm: raw.realm ?? (raw.resource as string),
    allowQueryToken: raw.allowQueryToken ?? OAUTH_RESOURCE_DEFAULTS.allowQueryToken,
    timeout,
  });
}

function resolveJwks(input: OAuthResourceModuleOptions['jwks'], problems: string[]): ResolvedRemoteJwksOptions | false {
  if (input === false) return false;
  if (input !== undefined && (typeof input !== 'object' || input === null)) {
    problems.push('jwks: must be false or an object');
    return false;
  }
  const defaults = OAUTH_RESOURCE_DEFAULTS.jwks;
  const given = input ?? {};
  const maxAge = { ...defaults.maxAge, ...given.maxAge };
  const resolved = { uri: given.uri, cooldown: given.cooldown ?? defaults.cooldown, maxAge };
  if (resolved.uri !== undefined) {
    const problem = httpsUrlProblemOf(resolved.uri);
    if (problem) problems.push(`jwks.uri: ${problem}`);
  }
  if (!Number.isInteger(resolved.cooldown) || resolved.cooldown < 1 || resolved.cooldown > 86_400) {
    problems.push('jwks.cooldown: must be an integer of seconds from 1 to 86400');
  }
  const seconds = [maxAge.min, maxAge.max, maxAge.fallback];
  if (!seconds.every((n) => Number.isInteger(n) && n >= 0) || maxAge.min > maxAge.max) {
    problems.push('jwks.maxAge: min, max and fallback must be integers of seconds, with min <= max');
  } else if (maxAge.fallback < maxAge.min || maxAge.fallback > maxAge.max) {
    problems.push('jwks.maxAge.fallback: must lie between min and max');
  }
  return Object.freeze({ ...resolved, maxAge: Object.freeze(maxAge) });
}

function httpsUrlProblemOf(value: unknown): string | undefined {
  if (typeof value !== 'string' || !URL.canParse(value)) return 'must be an absolute URL';
  const url = new URL(value);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    return 'must use https; http is allowed only on loopback hosts';
  }
  return undefined;
}

function issuerProblemOf(issuer: unknown): string | undefined {
  if (typeof issuer !== 'string' || !URL.canParse(issuer)) return 'must be an absolute URL';
  const url = new URL(issuer);
  if (url.search || url.hash) return 'must have no query or fragment (RFC 8414 section 2)';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    return 'must use https; http is allowed only on loopback hosts';
  }
  return undefined;
}

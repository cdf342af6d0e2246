import {
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsString,
  Matches,
  Max,
  Min,
  MaxLength,
  MinLength,
  ValidateBy,
  ValidateIf,
  ValidateNested,
  validateSync,
  type ValidationArguments,
  type ValidationError,
  type ValidationOptions,
} from 'class-validator';
import { isLoopbackHost } from './core/protocol/redirect-uri';
import { configuredResourceProblem } from './core/protocol/resource-indicator';
import { CSS_COLOR, CSS_FONT, CSS_LENGTH, THEME_KEYS, type OAuthPageTheme } from './core/pages/page-theme';
import { isHttpsUrl } from './core/protocol/https-url';
import { SIGNING_ALGORITHMS } from './core/keys/key-material';
import { TOKEN_ENDPOINT_AUTH_METHODS, type RegistrationSettings } from './core/registration/registration-settings';
import { GRANT_TYPES } from './stores/models';

/** A class-validator message that shows the offending value: `must be … (got 0)`. */
const got = (text: string) => (args: ValidationArguments) => `${text} (got ${JSON.stringify(args.value) ?? String(args.value)})`;
const positiveSeconds = { message: got('must be a positive integer of seconds') };

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/; // RFC 6749 §3.3 scope-token

/** Why `value` is not a valid issuer identifier (RFC 8414 §2), or undefined when it is. */
export function issuerProblem(value: unknown): string | undefined {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    return `must be an absolute URL (got ${JSON.stringify(value)})`;
  }
  const problems: string[] = [];
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    problems.push(`must use https; http is allowed only on loopback hosts (got ${JSON.stringify(value)})`);
  }
  if (url.search || url.hash || /[?#]/.test(String(value))) problems.push('must not contain a query or fragment (RFC 8414 §2)');
  return problems.length ? problems.join('; ') : undefined;
}

/** The issuer is an absolute https URL (http on loopback only) without query or fragment. */
function IsIssuer(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    { name: 'isIssuer', validator: { validate: (v) => !issuerProblem(v), defaultMessage: (a) => issuerProblem(a?.value) ?? '' } },
    options,
  );
}

/** Scope names → descriptions: every name a scope-token, every description a string. */
function IsScopeMap(options?: ValidationOptions): PropertyDecorator {
  const problem = (value: unknown): string | undefined => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'must be an object of scope name → description';
    const bad = Object.keys(value).filter((name) => !SCOPE_TOKEN.test(name));
    if (bad.length) return `${bad.map((n) => JSON.stringify(n)).join(', ')} is not a valid scope-token (RFC 6749 §3.3)`;
    const undescribed = Object.entries(value).filter(([, d]) => typeof d !== 'string');
    if (undescribed.length) return `the description of ${undescribed.map(([n]) => JSON.stringify(n)).join(', ')} must be a string`;
    return undefined;
  };
  return ValidateBy(
    { name: 'isScopeMap', validator: { validate: (v) => !problem(v), defaultMessage: (a) => problem(a?.value) ?? '' } },
    options,
  );
}

/** Every value is one of the configured `scopes` (a scope nobody can consent to is a typo). */
function IsConfiguredScope(options?: ValidationOptions): PropertyDecorator {
  const unknown = (value: unknown, args?: ValidationArguments): unknown[] => {
    const known = Object.keys((args?.object as OAuthOptionsSchema | undefined)?.scopes ?? {});
    return (Array.isArray(value) ? value : [value]).filter((v) => typeof v !== 'string' || !known.includes(v));
  };
  return ValidateBy(
    {
      name: 'isConfiguredScope',
      validator: {
        validate: (v, a) => !unknown(v, a).length,
        defaultMessage: (a) =>
          `${unknown(a?.value, a)
            .map((v) => JSON.stringify(v))
            .join(', ')} is not one of the configured scopes`,
      },
    },
    options,
  );
}

/** Why the resolved `resources` map is wrong, or undefined: identifiers, scopes, TTLs and names. */
function resourceMapProblem(value: unknown, scopes: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'must be an object of resource identifier → settings';
  const known = typeof scopes === 'object' && scopes !== null ? Object.keys(scopes) : [];
  const problems: string[] = [];
  for (const [uri, resource] of Object.entries(
    value as Record<string, Record<'scopes' | 'accessTokenTtl' | 'name' | 'accessTokenFormat' | 'signingAlgorithm', unknown>>,
  )) {
    const identifier = configuredResourceProblem(uri);
    if (identifier) problems.push(identifier);
    if (!Array.isArray(resource.scopes)) {
      problems.push(`${JSON.stringify(uri)}.scopes must be an array of configured scopes`);
    } else {
      const unknown = resource.scopes.filter((scope) => typeof scope !== 'string' || !known.includes(scope));
      if (unknown.length)
        problems.push(
          `${JSON.stringify(uri)}.scopes: ${unknown.map((s) => JSON.stringify(s)).join(', ')} is not one of the configured scopes`,
        );
    }
    if (!Number.isInteger(resource.accessTokenTtl) || (resource.accessTokenTtl as number) < 1) {
      problems.push(
        `${JSON.stringify(uri)}.accessTokenTtl must be a positive integer of seconds (got ${JSON.stringify(resource.accessTokenTtl)})`,
      );
    }
    if (typeof resource.name !== 'string' || !resource.name.trim()) problems.push(`${JSON.stringify(uri)}.name must be a non-empty string`);
    if (!['opaque', 'jwt'].includes(resource.accessTokenFormat as string)) {
      problems.push(
        `${JSON.stringify(uri)}.accessTokenFormat must be 'opaque' or 'jwt' (got ${JSON.stringify(resource.accessTokenFormat)})`,
      );
    }
    if (!SIGNING_ALGORITHMS.includes(resource.signingAlgorithm as never)) {
      problems.push(
        `${JSON.stringify(uri)}.signingAlgorithm must be one of ${SIGNING_ALGORITHMS.join(', ')} (got ${JSON.stringify(resource.signingAlgorithm)})`,
      );
    }
  }
  return problems.length ? problems.join('; ') : undefined;
}

/** `resources`: every identifier canonical (RFC 8707 §2), every scope configured. */
function IsResourceMap(options?: ValidationOptions): PropertyDecorator {
  const problem = (args?: ValidationArguments) => resourceMapProblem(args?.value, (args?.object as OAuthOptionsSchema | undefined)?.scopes);
  return ValidateBy(
    { name: 'isResourceMap', validator: { validate: (_v, a) => !problem(a), defaultMessage: (a) => problem(a) ?? '' } },
    options,
  );
}

/** The value is one of the configured `resources`. */
function IsConfiguredResource(options?: ValidationOptions): PropertyDecorator {
  const known = (args?: ValidationArguments) => Object.keys((args?.object as OAuthOptionsSchema | undefined)?.resources ?? {});
  return ValidateBy(
    {
      name: 'isConfiguredResource',
      validator: {
        validate: (v, a) => typeof v === 'string' && known(a).includes(v),
        defaultMessage: (a) =>
          `${JSON.stringify(a?.value)} is not one of the configured resources (${
            known(a)
              .map((k) => JSON.stringify(k))
              .join(', ') || 'none'
          })`,
      },
    },
    options,
  );
}

const colour = { message: got('must be a CSS colour such as #4f46e5, rgb(79 70 229) or indigo') };
const optional = (key: keyof OAuthPageTheme) => ValidateIf((o: PageThemeSchema) => o[key] !== undefined);

/** One theme of the built-in pages (`pages.theme`, `pages.darkTheme`): values that cannot leave their declaration. */
export class PageThemeSchema implements OAuthPageTheme {
  @optional('accent') @Matches(CSS_COLOR, colour) accent?: string;
  @optional('accentText') @Matches(CSS_COLOR, colour) accentText?: string;
  @optional('bg') @Matches(CSS_COLOR, colour) bg?: string;
  @optional('surface') @Matches(CSS_COLOR, colour) surface?: string;
  @optional('text') @Matches(CSS_COLOR, colour) text?: string;
  @optional('muted') @Matches(CSS_COLOR, colour) muted?: string;
  @optional('border') @Matches(CSS_COLOR, colour) border?: string;
  @optional('radius') @Matches(CSS_LENGTH, { message: got('must be a CSS length such as 8px, 0.5rem or 0') }) radius?: string;
  @optional('font') @Matches(CSS_FONT, { message: got('must be a font stack of names, quotes and commas') }) font?: string;
}

/** `pages`: the built-in pages' look. Unknown theme keys are refused so a typo does not pass silently. */
/** `jwt`: each given value checked, whether or not a resource uses JWTs yet. */
export class JwtSchema {
  @ValidateIf((o: JwtSchema) => o.algorithm !== undefined)
  @IsIn(SIGNING_ALGORITHMS, { message: got(`must be one of ${SIGNING_ALGORITHMS.join(', ')} (never none or HS*)`) })
  algorithm?: string;

  @ValidateIf((o: JwtSchema) => o.recordTokens !== undefined)
  @IsBoolean({ message: got('must be a boolean') })
  recordTokens?: boolean;

  @ValidateIf((o: JwtSchema) => o.keyEncryptionKey !== undefined)
  @Matches(/^(?:[0-9a-fA-F]{64}|[A-Za-z0-9+/_-]{43}=?)$/, { message: 'must be 32 random bytes as base64 or hex (openssl rand -base64 32)' })
  @IsString({ message: 'must be 32 random bytes as base64 or hex (openssl rand -base64 32)' })
  keyEncryptionKey?: string;

  @ValidateIf((o: JwtSchema) => o.keyEncryptionKeyFile !== undefined)
  @IsNotEmpty({ message: 'must not be empty' })
  @IsString({ message: got('must be a file path') })
  keyEncryptionKeyFile?: string;

  @ValidateIf((o: JwtSchema) => o.jwksMaxAge !== undefined)
  @Min(1, positiveSeconds)
  @IsInt(positiveSeconds)
  jwksMaxAge?: number;

  @ValidateIf((o: JwtSchema) => o.keyRefreshInterval !== undefined)
  @Min(1, positiveSeconds)
  @IsInt(positiveSeconds)
  keyRefreshInterval?: number;

  @ValidateIf((o: JwtSchema) => o.rotationInterval !== undefined)
  @Min(0, { message: got('must be a non-negative integer of seconds') })
  @IsInt({ message: got('must be a non-negative integer of seconds') })
  rotationInterval?: number;

  @ValidateIf((o: JwtSchema) => o.clockTolerance !== undefined)
  @Max(300, { message: got('must not exceed 300 seconds') })
  @Min(0, { message: got('must be a non-negative integer of seconds') })
  @IsInt({ message: got('must be a non-negative integer of seconds') })
  clockTolerance?: number;
}

export class PagesSchema {
  @ValidateNested()
  @ValidateBy({ name: 'themeKeys', validator: { validate: knownThemeKeys, defaultMessage: unknownThemeKeys } })
  theme!: PageThemeSchema;

  @ValidateNested()
  @ValidateBy({ name: 'themeKeys', validator: { validate: knownThemeKeys, defaultMessage: unknownThemeKeys } })
  darkTheme!: PageThemeSchema;

  @ValidateIf((o: PagesSchema) => o.productName !== undefined)
  @MaxLength(80, { message: got('must be at most 80 characters') })
  @IsNotEmpty({ message: 'must not be empty' })
  @IsString({ message: got('must be a string') })
  productName?: string;

  @ValidateIf((o: PagesSchema) => o.logoUrl !== undefined)
  @ValidateBy({ name: 'httpsUrl', validator: { validate: isHttpsUrl, defaultMessage: got('must be an https URL') } })
  logoUrl?: string;
}

function knownThemeKeys(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).every((key) => THEME_KEYS.includes(key));
}

function unknownThemeKeys(args?: ValidationArguments): string {
  const value = args?.value as unknown;
  if (typeof value !== 'object' || value === null) return got('must be an object')(args!);
  const unknown = Object.keys(value).filter((key) => !THEME_KEYS.includes(key));
  return `has unknown keys ${unknown.join(', ')} (known: ${THEME_KEYS.join(', ')})`;
}

/** The in-process bearer cache (`bearer.cache`). */
export class BearerCacheSchema {
  @Min(1, { message: got('must be a positive integer') })
  @IsInt({ message: got('must be a positive integer') })
  maxEntries!: number;

  @Min(1, positiveSeconds)
  @IsInt(positiveSeconds)
  ttl!: number;
}

/** Bearer-token validation settings (`bearer`). */
export class BearerSchema {
  @IsBoolean({ message: got('must be a boolean') })
  allowQueryToken!: boolean;

  @ValidateIf((o: BearerSchema) => o.cache !== false)
  @ValidateNested()
  cache!: BearerCacheSchema | false;
}

/** One rate limit (`rateLimit.token.perClient` …). */
export class RateLimitSchema {
  @Min(1, { message: got('must be a positive integer') })
  @IsInt({ message: got('must be a positive integer') })
  limit!: number;

  @Min(1, positiveSeconds)
  @IsInt(positiveSeconds)
  ttl!: number;
}

/** The limits of one endpoint. */
export class EndpointRateLimitSchema {
  @ValidateIf((o: EndpointRateLimitSchema) => o.perClient !== false)
  @ValidateNested()
  perClient!: RateLimitSchema | false;

  @ValidateIf((o: EndpointRateLimitSchema) => o.perIp !== false)
  @ValidateNested()
  perIp!: RateLimitSchema | false;
}

/** `rateLimit`, per endpoint. */
export class RateLimitOptionsSchema {
  @ValidateIf((o: RateLimitOptionsSchema) => o.token !== false)
  @ValidateNested()
  token!: EndpointRateLimitSchema | false;

  @ValidateIf((o: RateLimitOptionsSchema) => o.clientAuthentication !== false)
  @ValidateNested()
  clientAuthentication!: EndpointRateLimitSchema | false;
}

/** The resolved `rateLimit` as schema instances, so nested decorators run. */
export function rateLimitSchema(resolved: Record<'token' | 'clientAuthentication', EndpointLimits | false>): RateLimitOptionsSchema {
  const limit = (value: object | false) => value && Object.assign(new RateLimitSchema(), value);
  const endpoint = (limits: EndpointLimits | false) =>
    limits && Object.assign(new EndpointRateLimitSchema(), { perClient: limit(limits.perClient), perIp: limit(limits.perIp) });
  return Object.assign(new RateLimitOptionsSchema(), {
    token: endpoint(resolved.token),
    clientAuthentication: endpoint(resolved.clientAuthentication),
  });
}

type EndpointLimits = { perClient: object | false; perIp: object | false };

/** Every value of a list is among those of `known(schema)`. */
function IsAmong(known: (schema: RegistrationSchema) => readonly string[], what: string): PropertyDecorator {
  const unknown = (value: unknown, args?: ValidationArguments): unknown[] => {
    const list = known(args?.object as RegistrationSchema);
    return Array.isArray(value) ? value.filter((v) => typeof v !== 'string' || !list.includes(v)) : [value];
  };
  return ValidateBy({
    name: 'isAmong',
    validator: {
      validate: (v, a) => Array.isArray(v) && !unknown(v, a).length,
      defaultMessage: (a) =>
        Array.isArray(a?.value)
          ? `${unknown(a.value, a)
              .map((v) => JSON.stringify(v))
              .join(', ')} is not one of ${what}`
          : got(`must be an array of ${what}`)(a!),
    },
  });
}

/** `registration.rateLimit`. */
export class RegistrationRateLimitSchema {
  @ValidateIf((o: RegistrationRateLimitSchema) => o.perIp !== false)
  @ValidateNested()
  perIp!: RateLimitSchema | false;

  @ValidateIf((o: RegistrationRateLimitSchema) => o.global !== false)
  @ValidateNested()
  global!: RateLimitSchema | false;
}

const secondsOrFalse = { message: got('must be a positive integer of seconds or false') };

/** `registration`: dynamic client registration (RFC 7591). The policy's lists must name what the server has. */
export class RegistrationSchema {
  /** The configured scopes and resources, for the checks (not an option). */
  knownScopes: string[] = [];
  knownResources: string[] = [];

  @IsBoolean({ message: got('must be a boolean') })
  enabled!: boolean;

  @IsIn(['required', 'optional', 'none'], { message: got(`must be 'required', 'optional' or 'none'`) })
  initialAccessToken!: string;

  @IsAmong(() => GRANT_TYPES, `the grant types ${GRANT_TYPES.join(', ')}`)
  grantTypes!: string[];

  @ArrayNotEmpty({ message: 'must allow at least one method' })
  @IsAmong(() => TOKEN_ENDPOINT_AUTH_METHODS, `the methods ${TOKEN_ENDPOINT_AUTH_METHODS.join(', ')}`)
  tokenEndpointAuthMethods!: string[];

  @IsAmong((o) => o.knownScopes, 'the configured scopes')
  scopes!: string[];

  @IsAmong((o) => (Array.isArray(o.scopes) ? o.scopes : []), 'the scopes of registration.scopes')
  defaultScope!: string[];

  @ValidateIf((o: RegistrationSchema) => o.defaultResource !== undefined)
  @ValidateBy({
    name: 'isConfiguredResource',
    validator: {
      validate: (v, a) => typeof v === 'string' && (a?.object as RegistrationSchema).knownResources.includes(v),
      defaultMessage: got('must be one of the configured resources'),
    },
  })
  defaultResource?: string;

  @IsBoolean({ message: got('must be a boolean') })
  reusePublicClients!: boolean;

  @IsIn(['registered', 'policy'], { message: got(`must be 'registered' or 'policy'`) })
  scopeLimit!: 'registered' | 'policy';

  @ValidateNested()
  rateLimit!: RegistrationRateLimitSchema;

  @ValidateIf((o: RegistrationSchema) => o.unusedClientTtl !== false)
  @Min(1, secondsOrFalse)
  @IsInt(secondsOrFalse)
  unusedClientTtl!: number | false;

  @ValidateIf((o: RegistrationSchema) => o.idleClientTtl !== false)
  @Min(1, secondsOrFalse)
  @IsInt(secondsOrFalse)
  idleClientTtl!: number | false;
}

/** The resolved `registration` as schema instances, or the raw value when it is not an object (reported as such). */
export function registrationSchema(
  raw: unknown,
  resolved: RegistrationSettings,
  known: { scopes: string[]; resources: string[] },
): RegistrationSchema {
  if (raw !== undefined && (typeof raw !== 'object' || raw === null || Array.isArray(raw))) return raw as never;
  const limit = (value: object | false) => value && Object.assign(new RateLimitSchema(), value);
  return Object.assign(new RegistrationSchema(), resolved, {
    knownScopes: known.scopes,
    knownResources: known.resources,
    rateLimit: Object.assign(new RegistrationRateLimitSchema(), {
      perIp: limit(resolved.rateLimit.perIp),
      global: limit(resolved.rateLimit.global),
    }),
  });
}

/** `openid`: OpenID Connect (Core 1.0). */
export class OpenIdSchema {
  @ValidateIf((o: OpenIdSchema) => o.idTokenTtl !== undefined)
  @Min(1, positiveSeconds)
  @IsInt(positiveSeconds)
  idTokenTtl?: number;

  @ValidateIf((o: OpenIdSchema) => o.idTokenSigningAlgorithms !== undefined)
  @IsIn(SIGNING_ALGORITHMS, { each: true, message: got(`must list only ${SIGNING_ALGORITHMS.join(', ')} (never none or HS*)`) })
  @ArrayNotEmpty({ message: got('must list at least one algorithm') })
  @IsArray({ message: got('must be a list of algorithms') })
  idTokenSigningAlgorithms?: string[];

  @ValidateIf((o: OpenIdSchema) => o.claimsInIdToken !== undefined)
  @IsBoolean({ message: got('must be a boolean') })
  claimsInIdToken?: boolean;

  @ValidateIf((o: OpenIdSchema) => o.pairwiseSalt !== undefined)
  @MinLength(16, { message: 'must be a secret string of at least 16 characters' })
  @IsString({ message: 'must be a secret string of at least 16 characters' })
  pairwiseSalt?: string;

  @ValidateIf((o: OpenIdSchema) => o.scopeClaims !== undefined)
  @ValidateBy({
    name: 'isScopeClaims',
    validator: {
      validate: (v) =>
        typeof v === 'object' &&
        v !== null &&
        !Array.isArray(v) &&
        Object.values(v as object).every((list) => Array.isArray(list) && list.every((c) => typeof c === 'string' && c !== '')),
      defaultMessage: got('must map each scope to a list of claim names'),
    },
  })
  scopeClaims?: Record<string, string[]>;
}

/**
 * The checks on the resolved options, as class-validator decorators (STYLE §3.5). Messages follow
 * the `path: message` form of the aggregated start-up error.
 */
export class OAuthOptionsSchema {
  @IsIssuer()
  @IsString({ message: 'is required: the issuer identifier, an absolute https URL (RFC 8414 §2)' })
  issuer!: string;

  @Matches(/^[A-Za-z0-9._~\-/]*$/, { message: got('must be a URL path') })
  @IsString({ message: got('must be a URL path') })
  prefix!: string;

  @IsScopeMap()
  scopes!: Record<string, string>;

  @IsConfiguredScope()
  @IsArray({ message: got('must be an array of configured scopes') })
  defaultScopes!: string[];

  @Matches(/^[A-Za-z0-9_.-]+$/, { each: true, message: got('must be parameter names') })
  @IsArray({ message: got('must be an array of parameter names') })
  passthroughParams!: string[];

  @Min(1, positiveSeconds)
  @IsInt(positiveSeconds)
  accessTokenTtl!: number;

  @Min(1, positiveSeconds)
  @IsInt(positiveSeconds)
  refreshTokenTtl!: number;

  @Min(0, { message: got('must be a non-negative integer of seconds (0 = unbounded)') })
  @IsInt({ message: got('must be a non-negative integer of seconds (0 = unbounded)') })
  refreshTokenAbsoluteTtl!: number;

  @Max(600, { message: got('must not exceed 600 seconds (RFC 6749 §4.1.2)') })
  @Min(1, positiveSeconds)
  @IsInt(positiveSeconds)
  authorizationCodeTtl!: number;

  @Min(0, { message: got('must be a non-negative integer of seconds') })
  @IsInt({ message: got('must be a non-negative integer of seconds') })
  refreshTokenGracePeriod!: number;

  @IsIn(['all', 'public'], { message: got(`must be 'all' or 'public'`) })
  requirePkce!: 'all' | 'public';

  @IsBoolean({ message: got('must be a boolean') })
  allowPlainPkce!: boolean;

  @ValidateIf((o: OAuthOptionsSchema) => o.offlineAccessScope !== false)
  @IsConfiguredScope()
  offlineAccessScope!: string | false;

  @IsBoolean({ message: got('must be a boolean') })
  rememberPublicClientConsent!: boolean;

  @IsBoolean({ message: got('must be a boolean') })
  requireHttps!: boolean;

  @ValidateIf((o: OAuthOptionsSchema) => o.purgeInterval !== false)
  @Min(1, { message: got('must be a positive integer of seconds or false') })
  @IsInt({ message: got('must be a positive integer of seconds or false') })
  purgeInterval!: number | false;

  @Min(0, { message: got('must be a non-negative integer of seconds') })
  @IsInt({ message: got('must be a non-negative integer of seconds') })
  consumedCodeRetention!: number;

  @ValidateNested()
  bearer!: BearerSchema;

  @IsResourceMap()
  resources!: Record<string, { scopes: string[]; accessTokenTtl: number; name: string }>;

  @ValidateIf((o: OAuthOptionsSchema) => o.defaultResource !== undefined)
  @IsConfiguredResource()
  defaultResource?: string;

  // The guard must know its audience once tokens have one, or it would accept every resource's tokens.
  @ValidateIf((o: OAuthOptionsSchema) => o.resource !== undefined || Object.keys(o.resources ?? {}).length > 0)
  @IsConfiguredResource({
    message: (a) =>
      a.value === undefined
        ? "is required when `resources` are configured and there is no `defaultResource`: name the resource this application's BearerGuard protects"
        : `${JSON.stringify(a.value)} is not one of the configured resources`,
  })
  resource?: string;

  // Defaults to the issuer: when that is missing, the issuer line already says so.
  @ValidateIf((o: OAuthOptionsSchema) => o.realm !== undefined)
  @IsNotEmpty({ message: 'must not be empty' })
  @IsString({ message: got('must be a string') })
  realm!: string;

  // One shared key lets every instance accept the consent form another instance rendered, and
  // answer a refresh retry with the successor pair another instance derived.
  @ValidateIf((o: OAuthOptionsSchema) => o.secret !== undefined)
  @MinLength(32, { message: 'must be a string of at least 32 characters' })
  @IsString({ message: 'must be a string of at least 32 characters' })
  secret?: string;

  @ValidateIf((o: OAuthOptionsSchema) => o.csrfSecret !== undefined)
  @MinLength(32, { message: 'must be a string of at least 32 characters' })
  @IsString({ message: 'must be a string of at least 32 characters' })
  csrfSecret?: string;

  @ValidateNested()
  rateLimit!: RateLimitOptionsSchema;

  @ValidateNested()
  pages!: PagesSchema;

  @ValidateNested()
  jwt!: JwtSchema;

  @ValidateNested()
  registration!: RegistrationSchema;

  @ValidateIf((o: OAuthOptionsSchema) => o.openid !== undefined)
  @ValidateNested()
  openid?: OpenIdSchema;
}

/** Every problem of `schema`, one `path: message` line each (the first failed check per property). */
export function optionProblems(schema: OAuthOptionsSchema): string[] {
  const lines: string[] = [];
  const walk = (errors: ValidationError[], parent: string) => {
    for (const error of errors) {
      const path = parent ? `${parent}.${error.property}` : error.property;
      for (const message of Object.values(error.constraints ?? {})) lines.push(`${path}: ${message}`);
      walk(error.children ?? [], path);
    }
  };
  walk(validateSync(schema, { stopAtFirstError: true, forbidUnknownValues: false }), '');
  return lines;
}

import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { ConfigModule, type ConfigService } from '@nestjs/config';
import type { DynamicModule } from '@nestjs/common';

/**
 * Which peers may set the client's address through `X-Forwarded-For` (and the protocol through
 * `X-Forwarded-Proto`), in Express's `trust proxy` terms: false (none), a number of hops, or a list
 * of addresses, CIDR subnets and the names `loopback`, `linklocal`, `uniquelocal`.
 */
export type TrustProxy = false | number | string[];

/** The HTTP platform the apps run on: `@nestjs/platform-express` or `@nestjs/platform-fastify`. */
export type HttpPlatform = 'express' | 'fastify';

/**
 * The sample's settings, read once from the environment by `ConfigModule` and validated by
 * `validateSampleEnv` (see the README's "Running the sample").
 */
export interface SampleConfig {
  /** SHIFT's port (`PORT`, default 3000). */
  shiftPort: number;
  /** SHIFT's issuer identifier and public base URL (`OAUTH_ISSUER`, default http://localhost:3000). */
  issuer: string;
  /** CustomApp's port (`CUSTOMAPP_PORT`, default 3001). */
  customAppPort: number;
  /** CustomApp's public base URL (`CUSTOMAPP_URL`, default http://localhost:<CUSTOMAPP_PORT>). */
  customAppUrl: string;
  /** SHIFT Files' port (`FILES_PORT`, default 3002): the second API, a resource server on its own host. */
  filesPort: number;
  /** SHIFT Files' public base URL (`FILES_URL`, default http://localhost:<FILES_PORT>); its resource identifier is this URL with a trailing slash. */
  filesUrl: string;
  /** Access-token lifetime in seconds (`ACCESS_TOKEN_TTL`, default 3600); a few seconds shows refresh at work. */
  accessTokenTtl: number;
  /**
   * Lifetime in seconds of SHIFT Files' JWT access tokens (`FILES_TOKEN_TTL`, 1 to 3600; unset =
   * `ACCESS_TOKEN_TTL`, at most 300): a JWT cannot be recalled, so it is kept short.
   */
  filesTokenTtl?: number;
  /**
   * Lifetime in seconds of SHIFT's ID tokens (`ID_TOKEN_TTL`, 1 to 86400; unset = the library's 3600).
   * A retired signing key stays published as long as the longest-lived JWT it may have signed.
   */
  idTokenTtl?: number;
  /**
   * `Cache-Control: max-age` of SHIFT's JWK Set (`JWKS_MAX_AGE`, the library's `jwt.jwksMaxAge`; unset =
   * its 600). SHIFT Files keeps the set no longer than this (its floor is otherwise 30 s), so a few
   * seconds here, with `KEY_REFRESH_INTERVAL`, shows a key rotation within seconds.
   */
  jwksMaxAge?: number;
  /** Seconds between SHIFT's re-reads of its signing keys and its key maintenance runs (`KEY_REFRESH_INTERVAL`, the library's `jwt.keyRefreshInterval`; unset = its 60). */
  keyRefreshInterval?: number;
  /** Seconds of clock skew SHIFT and SHIFT Files tolerate on a JWT's `exp`, `nbf` and `iat` (`CLOCK_TOLERANCE`, 0 to 300; unset = the library's 30). */
  clockTolerance?: number;
  /** The HTTP platform of the three apps (`HTTP_ADAPTER`: `express`, the default, or `fastify`). */
  httpAdapter: HttpPlatform;
  /** Where the two apps listen (`HOST`); unset means every interface, as Node does by default. */
  host?: string;
  /**
   * Login attempts allowed per 5 minutes, per username and per IP (`LOGIN_RATE_LIMIT` = "10,50" by
   * default; "off" turns it off): password guessing is slowed, a 429 with Retry-After answers the excess.
   */
  loginRateLimit: { perUser: number; perIp: number } | false;
  /**
   * Apps a SHIFT user may try to register in the developer portal per hour (`APP_REGISTRATION_RATE_LIMIT`,
   * default 10; "off" turns it off): a 429 page with Retry-After answers the excess.
   */
  appRegistrationRateLimit: number | false;
  /**
   * SHIFT's server key, the library's `secret` (`OAUTH_SECRET`, at least 32 characters; the older
   * `OAUTH_CSRF_SECRET` is read when it is unset): it signs the consent form's CSRF tokens and derives
   * the pair a refresh retry gets again. Unset means a random key per process, so every SHIFT instance
   * behind one load balancer needs the same value.
   */
  secret?: string;
  /** Seconds a just-rotated refresh token is still honoured as a retry (`REFRESH_TOKEN_GRACE_PERIOD`; unset = the library's 10, 0 = strict). */
  refreshTokenGracePeriod?: number;
  /**
   * The reverse proxies in front of the apps (`TRUST_PROXY`; unset = none). Only their
   * `X-Forwarded-For` sets the address the per-IP login and token limits count: trusting any other
   * peer would let a client pick a fresh address, and so a fresh budget, for every attempt.
   */
  trustProxy?: TrustProxy;
  /**
   * Signs the session cookies of both apps (`SESSION_SECRET`; unset = a random key per process, so
   * sessions end with a restart and do not cross instances).
   */
  sessionSecret?: string;
  /** CustomApp's client credentials at SHIFT (`CUSTOMAPP_CLIENT_ID` and `CUSTOMAPP_CLIENT_SECRET`, used only when both are set). */
  customAppCredentials?: { clientId: string; clientSecret: string };
  /**
   * The key-encryption key SHIFT seals its token-signing keys with (`OAUTH_KEY_ENCRYPTION_KEY`; unset =
   * the library's default for development, which production refuses).
   */
  keyEncryptionKey?: string;
  /**
   * Address ranges SHIFT may fetch Client ID Metadata Documents from although they are private or
   * loopback (`CLIENT_ID_METADATA_ALLOWED_ADDRESSES`, comma-separated CIDRs such as `10.20.0.0/16`;
   * unset = none, so only public hosts): for agents served on an intranet, or on this machine in tests.
   */
  clientIdMetadataAllowedAddresses?: string[];
  /**
   * The CA certificates (PEM) SHIFT trusts for those fetches instead of the system's
   * (`CLIENT_ID_METADATA_CA_FILE`, a file path; unset = the system's), for an intranet's own CA.
   */
  clientIdMetadataCa?: string;
  /** The key CustomApp encrypts tokens and its client secret with (`CUSTOMAPP_ENCRYPTION_KEY`; unset = one kept in its database). */
  customAppEncryptionKey?: string;
}

/** What `ConfigService` holds: one namespace, so no validated value is copied back into `process.env`. */
export interface SampleSettings {
  sample: SampleConfig;
}

/** The typed `ConfigService` the sample injects: `config.get('sample', { infer: true })`. */
export type SampleConfigService = ConfigService<SampleSettings, true>;

/**
 * The sample's `ConfigModule`, global in the app that imports it: the environment (no `.env` file),
 * validated by `validateSampleEnv`, with `overrides` on top (tests set ports and URLs this way).
 * Awaited before the app is built, so a bad value fails with one clear error instead of a failed
 * module scan. `ConfigService` answers from the validated settings only, never from raw `process.env`.
 */
export function sampleConfigModule(overrides: Partial<SampleConfig> = {}): Promise<DynamicModule> {
  return ConfigModule.forRoot({
    isGlobal: true,
    ignoreEnvFile: true,
    skipProcessEnv: true,
    validate: (env): SampleSettings => ({ sample: { ...validateSampleEnv(env).sample, ...overrides } }),
  });
}

/** `ConfigModule`'s `validate`: the sample's settings from `env`; throws one message listing every bad value. */
export function validateSampleEnv(input: Record<string, unknown>): SampleSettings {
  const env: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(input)) if (typeof value === 'string') env[name] = value;
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const shiftPort = int('PORT', 3000, 0, 65535);
  const customAppPort = int('CUSTOMAPP_PORT', 3001, 0, 65535);
  const filesPort = int('FILES_PORT', 3002, 0, 65535);
  const accessTokenTtl = int('ACCESS_TOKEN_TTL', 3600, 1, 86400);
  const optionalInt = (name: string, min: number, max: number) => (env[name] ? int(name, 0, min, max) : undefined);
  const filesTokenTtl = optionalInt('FILES_TOKEN_TTL', 1, 3600);
  const idTokenTtl = optionalInt('ID_TOKEN_TTL', 1, 86400);
  const jwksMaxAge = optionalInt('JWKS_MAX_AGE', 1, 86400);
  const keyRefreshInterval = optionalInt('KEY_REFRESH_INTERVAL', 1, 3600);
  const clockTolerance = optionalInt('CLOCK_TOLERANCE', 0, 300);
  const issuer = trimSlash(env.OAUTH_ISSUER || `http://localhost:${shiftPort}`);
  const customAppUrl = trimSlash(env.CUSTOMAPP_URL || `http://localhost:${customAppPort}`);
  const filesUrl = trimSlash(env.FILES_URL || `http://localhost:${filesPort}`);
  if (!URL.canParse(filesUrl) || !/^https?:$/.test(new URL(filesUrl).protocol) || /[?#]/.test(filesUrl)) {
    problems.push(`FILES_URL must be an absolute http(s) URL without query or fragment (got "${env.FILES_URL}")`);
  }
  const loginRateLimit = parseLoginRateLimit(env.LOGIN_RATE_LIMIT, problems);
  const appRegistrationRateLimit = env.APP_REGISTRATION_RATE_LIMIT === 'off' ? false : int('APP_REGISTRATION_RATE_LIMIT', 10, 1, 10000);
  const grace = env.REFRESH_TOKEN_GRACE_PERIOD ? int('REFRESH_TOKEN_GRACE_PERIOD', 10, 0, 3600) : undefined;
  const secretName = env.OAUTH_SECRET ? 'OAUTH_SECRET' : 'OAUTH_CSRF_SECRET';
  const secret = env[secretName] || undefined;
  const trustProxy = parseTrustProxy(env.TRUST_PROXY, problems);
  const httpAdapter = parseHttpAdapter(env.HTTP_ADAPTER, problems);
  if (secret && secret.length < 32) problems.push(`${secretName} must be at least 32 characters`);
  const allowedAddresses = env.CLIENT_ID_METADATA_ALLOWED_ADDRESSES?.split(',')
    .map((range) => range.trim())
    .filter(Boolean);
  const clientIdMetadataCa = readPem('CLIENT_ID_METADATA_CA_FILE', env.CLIENT_ID_METADATA_CA_FILE, problems);
  if (problems.length) throw new Error(`Invalid sample settings: ${problems.join('; ')}`);
  const { CUSTOMAPP_CLIENT_ID: clientId, CUSTOMAPP_CLIENT_SECRET: clientSecret } = env;
  return {
    sample: {
      shiftPort,
      issuer,
      customAppPort,
      customAppUrl,
      filesPort,
      filesUrl,
      accessTokenTtl,
      filesTokenTtl,
      idTokenTtl,
      jwksMaxAge,
      keyRefreshInterval,
      clockTolerance,
      httpAdapter,
      host: env.HOST || undefined,
      loginRateLimit,
      appRegistrationRateLimit,
      secret,
      refreshTokenGracePeriod: grace,
      trustProxy,
      sessionSecret: env.SESSION_SECRET || undefined,
      customAppCredentials: clientId && clientSecret ? { clientId, clientSecret } : undefined,
      customAppEncryptionKey: env.CUSTOMAPP_ENCRYPTION_KEY || undefined,
      keyEncryptionKey: env.OAUTH_KEY_ENCRYPTION_KEY || undefined,
      clientIdMetadataAllowedAddresses: allowedAddresses?.length ? allowedAddresses : undefined,
      clientIdMetadataCa,
    },
  };
}

/** The PEM text of the file `name` points to; a problem when it cannot be read or holds no certificate. */
function readPem(name: string, path: string | undefined, problems: string[]): string | undefined {
  if (!path) return undefined;
  try {
    const pem = readFileSync(path, 'utf8');
    if (pem.includes('-----BEGIN CERTIFICATE-----')) return pem;
    problems.push(`${name} must name a PEM file of CA certificates (no certificate in "${path}")`);
  } catch (error) {
    problems.push(`${name} must name a readable PEM file (${(error as NodeJS.ErrnoException).code ?? 'unreadable'}: "${path}")`);
  }
  return undefined;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function parseLoginRateLimit(raw: string | undefined, problems: string[]): SampleConfig['loginRateLimit'] {
  if (raw === 'off') return false;
  const [perUser, perIp] = (raw || '10,50').split(',').map((n) => Number(n.trim()));
  if (!Number.isInteger(perUser) || !Number.isInteger(perIp) || perUser < 1 || perIp < 1) {
    problems.push(`LOGIN_RATE_LIMIT must be "off" or two positive integers "perUser,perIp" (got "${raw}")`);
    return false;
  }
  return { perUser, perIp };
}

function parseHttpAdapter(raw: string | undefined, problems: string[]): HttpPlatform {
  const value = (raw ?? '').trim();
  if (value === '' || value === 'express') return 'express';
  if (value === 'fastify') return 'fastify';
  problems.push(`HTTP_ADAPTER must be "express" or "fastify" (got "${raw}")`);
  return 'express';
}

const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * `TRUST_PROXY`: unset, "off" or "0" trusts nobody; a number is that many hops; otherwise a
 * comma-separated list of addresses, CIDR subnets and named ranges. `true` (trust every peer) is
 * refused: with it any client chooses its own address.
 */
function parseTrustProxy(raw: string | undefined, problems: string[]): TrustProxy {
  const value = (raw ?? '').trim();
  if (value === '' || value === 'off' || value === '0') return false;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops <= 100) return hops;
  } else {
    const entries = value.split(',').map((entry) => entry.trim());
    if (entries.every(isTrustedProxyEntry)) return entries;
  }
  problems.push(
    `TRUST_PROXY must be "off", a number of proxy hops (1 to 100), or a comma-separated list of addresses, ` +
      `CIDR subnets, loopback, linklocal or uniquelocal (got "${raw}")`,
  );
  return false;
}

function isTrustedProxyEntry(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [address, bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

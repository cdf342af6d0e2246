/** The sample's settings, read once from the environment (see the README's "Running the sample"). */
export interface SampleConfig {
  /** SHIFT's port (`PORT`, default 3000). */
  shiftPort: number;
  /** SHIFT's issuer identifier and public base URL (`OAUTH_ISSUER`, default http://localhost:3000). */
  issuer: string;
  /** CustomApp's port (`CUSTOMAPP_PORT`, default 3001). */
  customAppPort: number;
  /** CustomApp's public base URL (`CUSTOMAPP_URL`, default http://localhost:<CUSTOMAPP_PORT>). */
  customAppUrl: string;
  /** Access-token lifetime in seconds (`ACCESS_TOKEN_TTL`, default 3600); a few seconds shows refresh at work. */
  accessTokenTtl: number;
  /** Where the two apps listen (`HOST`); unset means every interface, as Node does by default. */
  host?: string;
  /**
   * Login attempts allowed per 5 minutes, per username and per IP (`LOGIN_RATE_LIMIT` = "10,50" by
   * default; "off" turns it off): password guessing is slowed, a 429 with Retry-After answers the excess.
   */
  loginRateLimit: { perUser: number; perIp: number } | false;
  /**
   * Key of the consent form's CSRF tokens (`OAUTH_CSRF_SECRET`, at least 32 characters); unset means a
   * random key per process, so every SHIFT instance behind one load balancer needs the same value.
   */
  csrfSecret?: string;
  /** Seconds a just-rotated refresh token is still honoured as a retry (`REFRESH_TOKEN_GRACE_PERIOD`; unset = the library's 10, 0 = strict). */
  refreshTokenGracePeriod?: number;
}

/** Reads the sample's settings; throws one message listing every bad value. */
export function loadSampleConfig(env: NodeJS.ProcessEnv = process.env): SampleConfig {
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
  const accessTokenTtl = int('ACCESS_TOKEN_TTL', 3600, 1, 86400);
  const issuer = trimSlash(env.OAUTH_ISSUER || `http://localhost:${shiftPort}`);
  const customAppUrl = trimSlash(env.CUSTOMAPP_URL || `http://localhost:${customAppPort}`);
  const loginRateLimit = parseLoginRateLimit(env.LOGIN_RATE_LIMIT, problems);
  const grace = env.REFRESH_TOKEN_GRACE_PERIOD ? int('REFRESH_TOKEN_GRACE_PERIOD', 10, 0, 3600) : undefined;
  const csrfSecret = env.OAUTH_CSRF_SECRET || undefined;
  if (csrfSecret && csrfSecret.length < 32) problems.push('OAUTH_CSRF_SECRET must be at least 32 characters');
  if (problems.length) throw new Error(`Invalid sample settings: ${problems.join('; ')}`);
  return {
    shiftPort,
    issuer,
    customAppPort,
    customAppUrl,
    accessTokenTtl,
    host: env.HOST || undefined,
    loginRateLimit,
    csrfSecret,
    refreshTokenGracePeriod: grace,
  };
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

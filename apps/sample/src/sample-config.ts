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
  if (problems.length) throw new Error(`Invalid sample settings: ${problems.join('; ')}`);
  return { shiftPort, issuer, customAppPort, customAppUrl, accessTokenTtl, host: env.HOST || undefined };
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

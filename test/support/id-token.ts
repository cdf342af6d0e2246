import { generateKeyPairSync, sign } from 'node:crypto';
import { SigningKeys } from 'nest-oauth2-provider';
import type { OAuthTestApp } from '../fixtures/oauth-app.fixture';

export interface IdTokenClaims {
  sub: string;
  aud: string | string[];
  /** Default the test app's issuer. */
  iss?: string;
  /** Seconds from the app clock's now until expiry; negative for an expired token. Default 3600. */
  expiresIn?: number;
  [claim: string]: unknown;
}

/** An ID token signed by the app's own RS256 key, as the token endpoint would sign one. */
export async function mintIdToken(
  t: OAuthTestApp,
  { expiresIn = 3600, iss = 'http://127.0.0.1', ...claims }: IdTokenClaims,
): Promise<string> {
  const now = Math.floor(t.clock.now().getTime() / 1000);
  return t.app.get(SigningKeys).sign('RS256', { typ: 'JWT' }, { iss, iat: now - 60, exp: now + expiresIn, ...claims });
}

/** The same token with its payload replaced after signing: the signature no longer covers it. */
export function tamper(token: string, claims: Record<string, unknown>): string {
  const [header, payload, signature] = token.split('.');
  const changed = { ...JSON.parse(Buffer.from(payload, 'base64url').toString()), ...claims };
  return `${header}.${Buffer.from(JSON.stringify(changed)).toString('base64url')}.${signature}`;
}

/** An ID token with the header of the app's key (same kid) but signed by a key the app never had. */
export async function forge(t: OAuthTestApp, claims: IdTokenClaims): Promise<string> {
  const genuine = await mintIdToken(t, claims);
  const [header, payload] = genuine.split('.');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), privateKey).toString('base64url');
  return `${header}.${payload}.${signature}`;
}

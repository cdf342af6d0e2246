import { randomBytes, randomUUID } from 'node:crypto';
import { TokenStore, type OAuthToken, type TokenKind } from 'nest-oauth2-provider';
import { hashSecret } from './library-internals';
import type { OAuthTestApp } from '../fixtures/oauth-app.fixture';

export interface MintOptions {
  clientId: string;
  /** Default 'user-1'; null for a client_credentials token. */
  userId?: string | null;
  kind?: TokenKind;
  scopes?: string[];
  /** Resource indicators (RFC 8707): an access token's audience. Default none. */
  resources?: string[];
  /** Lifetime in seconds from the app clock's now. Default 3600. */
  ttl?: number;
  /** The grant (refresh family); default a new one. */
  grantId?: string;
}

export interface MintedToken {
  /** The token as a client holds it. */
  value: string;
  /** The row as stored (by hash). */
  token: OAuthToken;
}

/**
 * Issues a token straight through the app's TokenStore, as the token endpoint would store it (only
 * the hash), so resource-server tests do not depend on the token endpoint.
 */
export async function mintToken(t: OAuthTestApp, options: MintOptions): Promise<MintedToken> {
  const minted = buildToken(t, options);
  await t.app.get(TokenStore).save([minted.token]);
  return minted;
}

/** A new token and its row, not yet stored (for `TokenStore.rotate`). */
export function buildToken(t: OAuthTestApp, options: MintOptions): MintedToken {
  const value = randomBytes(32).toString('base64url');
  const now = t.clock.now();
  const token: OAuthToken = {
    id: randomUUID(),
    tokenHash: hashSecret(value),
    kind: options.kind ?? 'access',
    clientId: options.clientId,
    userId: options.userId === undefined ? 'user-1' : options.userId,
    scopes: options.scopes ?? ['profile'],
    resources: options.resources ?? [],
    grantId: options.grantId ?? randomUUID(),
    parentId: null,
    createdAt: now,
    grantCreatedAt: now,
    expiresAt: new Date(now.getTime() + (options.ttl ?? 3600) * 1000),
    revokedAt: null,
    rotatedAt: null,
  };
  return { value, token };
}

/** An access token and a refresh token of one grant, as one issuance stores them. */
export async function mintPair(t: OAuthTestApp, options: MintOptions): Promise<{ access: MintedToken; refresh: MintedToken }> {
  const grantId = options.grantId ?? randomUUID();
  const access = await mintToken(t, { ...options, grantId, kind: 'access' });
  const refresh = await mintToken(t, { ...options, grantId, kind: 'refresh', ttl: 30 * 24 * 3600 });
  return { access, refresh };
}

/**
 * Initial access tokens (RFC 7591 §3, §1.2): bearer tokens an operator hands to a developer so their
 * software may register clients when registration is not open.
 * - Kept in the token store as `kind: 'initial_access'`, hashed like every token (RFC 6819
 *   §5.1.4.1.3), belonging to no client; the bearer check, introspection and revocation ignore them.
 * - Multi-use until they expire or are revoked: one token serves a team's deployments; revoke it
 *   (`registration-tokens revoke`) when it leaks.
 * - Always expire (at most a year): a forgotten token does not stay valid for ever.
 */
import type { OAuthToken } from '../../stores/models';
import type { TokenStore } from '../../stores/token.store';
import type { Clock } from '../clock';
import { constantTimeEqual, hashSecret, randomId, randomToken } from '../protocol/credentials';

/** The default lifetime of an initial access token: 7 days. */
export const INITIAL_ACCESS_TOKEN_TTL = 7 * 24 * 3600;
/** The longest lifetime an initial access token may have: 365 days. */
export const MAX_INITIAL_ACCESS_TOKEN_TTL = 365 * 24 * 3600;

/** A freshly created initial access token: `token` is shown this once. @publicApi */
export interface CreatedInitialAccessToken {
  id: string;
  token: string;
  expiresAt: Date;
}

/**
 * Create an initial access token valid for `expiresIn` seconds (1 to `MAX_INITIAL_ACCESS_TOKEN_TTL`).
 * Only its SHA-256 is stored.
 */
export async function createInitialAccessToken(
  tokens: TokenStore,
  clock: Clock,
  expiresIn = INITIAL_ACCESS_TOKEN_TTL,
): Promise<CreatedInitialAccessToken> {
  if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_INITIAL_ACCESS_TOKEN_TTL) {
    throw new RangeError(`expires-in must be a whole number of seconds from 1 to ${MAX_INITIAL_ACCESS_TOKEN_TTL} (365 days)`);
  }
  const now = clock.now();
  const id = randomId(now.getTime());
  const token = randomToken();
  const expiresAt = new Date(now.getTime() + expiresIn * 1000);
  const row: OAuthToken = {
    id,
    tokenHash: hashSecret(token),
    kind: 'initial_access',
    clientId: '',
    userId: null,
    scopes: [],
    resources: [],
    grantId: id,
    parentId: null,
    createdAt: now,
    grantCreatedAt: now,
    expiresAt,
    revokedAt: null,
    rotatedAt: null,
  };
  await tokens.save([row]);
  return { id, token, expiresAt };
}

/** Whether `token` is a live initial access token: known, of that kind, unexpired and unrevoked. */
export async function isValidInitialAccessToken(tokens: TokenStore, clock: Clock, token: string): Promise<boolean> {
  const hash = hashSecret(token);
  const found = await tokens.findByHash(hash);
  return Boolean(
    found &&
    found.kind === 'initial_access' &&
    constantTimeEqual(found.tokenHash, hash) &&
    found.revokedAt === null &&
    found.expiresAt > clock.now(),
  );
}

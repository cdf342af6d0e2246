import type { OAuthClient } from '../../stores/models';
import type { ClaimsProvider } from './claims-provider';
import type { OpenIdSettings } from './openid-settings';

/**
 * Which of the host's claims a grant releases (OpenID Connect Core §5.4): only those named by the
 * granted scopes in `scopeClaims`. The claims the server itself vouches for (`iss`, `sub`, `aud`,
 * the times, `nonce`, the hashes…) are never taken from the host, whatever `scopeClaims` says: a
 * provider that returned `sub` would otherwise let one user be presented as another.
 */

/** Claims only the server sets, in an ID token (Core §2, §3.1.3.6) or a UserInfo response (§5.3.2). */
export const PROTECTED_CLAIMS: ReadonlySet<string> = new Set([
  'iss',
  'sub',
  'aud',
  'exp',
  'iat',
  'nbf',
  'jti',
  'nonce',
  'auth_time',
  'at_hash',
  'c_hash',
  'azp',
  'acr',
  'amr',
  'sid',
]);

/** The claim names the granted `scopes` release, per `scopeClaims`. */
export function claimNamesFor(scopes: readonly string[], settings: Pick<OpenIdSettings, 'scopeClaims'>): Set<string> {
  const names = new Set<string>();
  for (const scope of scopes) for (const name of settings.scopeClaims[scope] ?? []) if (!PROTECTED_CLAIMS.has(name)) names.add(name);
  return names;
}

/**
 * The host's claims of `userId` that the grant releases, or undefined when the host says the user no
 * longer exists. Without a `ClaimsProvider` nothing beyond `sub` is known: an empty set.
 */
export async function releasedClaims(
  provider: ClaimsProvider | undefined,
  userId: string,
  scopes: readonly string[],
  client: Pick<OAuthClient, 'id' | 'name'>,
  settings: Pick<OpenIdSettings, 'scopeClaims'>,
): Promise<Record<string, unknown> | undefined> {
  if (!provider) return {};
  const names = claimNamesFor(scopes, settings);
  // Asked even when no claim would be released: the answer also says whether the user still exists.
  const all = await provider.claims(userId, scopes, { id: client.id, name: client.name });
  if (all === undefined || all === null) return undefined;
  const released: Record<string, unknown> = {};
  for (const name of names) if (Object.hasOwn(all, name) && all[name] !== undefined) released[name] = all[name];
  return released;
}

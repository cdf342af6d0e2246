/**
 * The `sub` a client sees (OpenID Connect Core §8): the user id itself for `public` clients, or for
 * `pairwise` clients a value that differs per sector, so two clients of different sectors cannot tell
 * they serve the same user (§8.1: `sub = SHA-256(sector_identifier || local_id || salt)`, here as
 * base64url). The sector is the host of the client's `sector_identifier_uri` when it registered one,
 * else the host of its redirect URIs (a pairwise client with several redirect hosts must register a
 * `sector_identifier_uri`; registration enforces it). Access tokens and the resource servers keep the
 * local user id: only ID tokens and UserInfo, which go to the client, carry the pairwise value.
 */
import { createHash } from 'node:crypto';
import type { OAuthClient } from '../../stores/models';

/** The client's pairwise sector identifier (OpenID Connect Core §8.1), or undefined for a public-subject client. */
export function sectorIdentifier(client: Pick<OAuthClient, 'subjectType' | 'sectorIdentifierUri' | 'redirectUris'>): string | undefined {
  if (client.subjectType !== 'pairwise') return undefined;
  const source = client.sectorIdentifierUri ?? client.redirectUris[0];
  if (source === undefined) return undefined;
  try {
    const url = new URL(source);
    // A private-use scheme (RFC 8252 §7.1) has no host: the scheme itself names the app.
    return url.host !== '' ? url.host : url.protocol.replace(/:$/, '');
  } catch {
    return undefined;
  }
}

/** The `sub` of `userId` as `client` sees it. */
export function subjectFor(
  client: Pick<OAuthClient, 'subjectType' | 'sectorIdentifierUri' | 'redirectUris'>,
  userId: string,
  salt: string | undefined,
): string {
  if (client.subjectType !== 'pairwise') return userId;
  const sector = sectorIdentifier(client);
  // Registration gives every pairwise client a sector; without one, never fall back to the local id.
  if (sector === undefined) throw new Error('A pairwise client has no sector: no sector_identifier_uri and no redirect URI');
  if (salt === undefined) throw new Error('Pairwise subjects need openid.pairwiseSalt or the server secret');
  // Length-prefixed parts: no two (sector, user) pairs hash the same input.
  return createHash('sha256').update(`${sector.length}:${sector}|${userId.length}:${userId}|${salt}`).digest('base64url');
}

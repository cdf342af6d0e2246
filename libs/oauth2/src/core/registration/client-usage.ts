import type { ClientStore } from '../../stores/client.store';
import type { OAuthClient } from '../../stores/models';

/** How stale `lastUsedAt` may get: one write per client per hour at most, never one per token request. */
export const CLIENT_USE_RESOLUTION_MS = 3600 * 1000;

/**
 * Record that a dynamically registered client got a code or a token, so the purge keeps clients in use
 * (RFC 7591 leaves their lifetime to the server). `client` is the copy the request already looked up:
 * a client marked within the last hour costs nothing. A failed write is reported, never fails the
 * request that issued the code or token. Undefined when there is nothing to write, so the token and
 * authorization endpoints await no promise for the clients that need none (all but dynamic ones).
 */
export function noteClientUse(
  clients: Pick<ClientStore, 'markUsed'>,
  client: OAuthClient,
  now: Date,
  reportError?: (error: unknown) => void,
): Promise<void> | undefined {
  if (client.registration !== 'dynamic') return undefined;
  if (client.lastUsedAt && now.getTime() - client.lastUsedAt.getTime() < CLIENT_USE_RESOLUTION_MS) return undefined;
  return clients.markUsed(client.id, now).catch((error: unknown) => reportError?.(error));
}

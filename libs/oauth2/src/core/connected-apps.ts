import type { ClientStore } from '../stores/client.store';
import type { ConsentStore } from '../stores/consent.store';
import type { TokenStore } from '../stores/token.store';
import type { Clock } from './clock';
import type { TokenCache } from './token-cache';
import { disconnectClient } from './tokens/disconnect-client';

/** A client a user has approved, as the "connected apps" page shows it. @publicApi */
export interface ConnectedApp {
  clientId: string;
  /** The client's registered name: show it HTML-escaped, it is chosen by the client's owner. */
  clientName: string;
  /** Every scope the user approved for it. */
  scopes: string[];
  /** When the user first approved it. */
  firstUsedAt: Date;
  /** When a token was last issued to it for this user. */
  lastUsedAt: Date;
}

/** What the connected-apps page's service needs. @publicApi */
export interface ConnectedAppsDeps {
  consents: ConsentStore;
  clients: ClientStore;
  tokens: TokenStore;
  /** This instance's bearer cache: revoked tokens are evicted from it at once. */
  cache: TokenCache;
  clock: Clock;
}

/**
 * Lets users see and disconnect the applications they approved (RFC 6749 §10.2, RFC 9700 §4.14:
 * the user must be able to withdraw a grant). The host puts a page on it for its logged-in user.
 * @publicApi
 * @example
 * const apps = await connectedApps.listForUser(session.userId);
 * await connectedApps.revoke(session.userId, apps[0].clientId);
 */
export class ConnectedApps {
  constructor(private readonly deps: ConnectedAppsDeps) {}

  /** The user's approved clients, most recently used first; consents of deleted clients are left out. */
  async listForUser(userId: string): Promise<ConnectedApp[]> {
    const consents = await this.deps.consents.listForUser(userId);
    const clients = await Promise.all(consents.map((consent) => this.deps.clients.findById(consent.clientId)));
    return consents.flatMap((consent, i) => {
      const client = clients[i];
      if (!client) return [];
      return [
        {
          clientId: client.id,
          clientName: client.name,
          scopes: [...consent.scopes],
          firstUsedAt: consent.createdAt,
          lastUsedAt: consent.lastUsedAt,
        },
      ];
    });
  }

  /**
   * Disconnects a client from the user: revokes every token it holds for them (refresh families and
   * access tokens, evicted from this instance's cache) and forgets the consent, so the next
   * authorization asks again. Tokens go first: should the second step fail, the app is already cut off
   * and the user can retry. Resolves false when there was nothing to revoke.
   */
  async revoke(userId: string, clientId: string): Promise<boolean> {
    return disconnectClient(this.deps, userId, clientId, this.deps.clock.now());
  }
}

import type { OAuthClient } from './models';

/**
 * Keeps registered clients (RFC 6749 §2). It is also the DI token: swap it with
 * `{ provide: ClientStore, useClass: MyClientStore }` or `OAuthModule.forRoot({ stores: { clients: MyClientStore } })`.
 * @publicApi
 * @example
 * const client = await clients.findById(req.client_id);
 */
export abstract class ClientStore {
  /** The client with this `client_id`, or undefined. Called on every authorize and token request (indexed by id). */
  abstract findById(id: string): Promise<OAuthClient | undefined>;
  /** Insert the client, or replace the one with the same id. */
  abstract save(client: OAuthClient): Promise<void>;
  /** Remove the client; resolve false when it did not exist. Its tokens stop working because lookups check the client. */
  abstract delete(id: string): Promise<boolean>;
  /** Every client, oldest first. */
  abstract list(): Promise<OAuthClient[]>;
  /**
   * The clients `ownerId` registered in a developer portal, oldest first. This default filters
   * `list()`, so a store written before owners existed keeps working; a store with many clients
   * overrides it with an indexed query, as the TypeORM store does.
   */
  async listByOwner(ownerId: string): Promise<OAuthClient[]> {
    return (await this.list()).filter((client) => client.ownerId === ownerId);
  }
}

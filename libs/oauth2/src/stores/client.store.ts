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

  /**
   * Record that the client got a code or a token at `at` (`OAuthClient.lastUsedAt`), without touching
   * anything else of it: a concurrent update of its registration must not be undone. The server calls
   * it for dynamically registered clients, at most once an hour each. This default reads and saves
   * the client; a store with concurrent writers overrides it with a one-column update.
   */
  async markUsed(id: string, at: Date): Promise<void> {
    const client = await this.findById(id);
    if (client) await this.save({ ...client, lastUsedAt: at });
  }

  /**
   * Delete up to `batchSize` dynamically registered clients (`registration: 'dynamic'`) that nobody
   * uses: never used and created before `unusedBefore`, or last used before `idleBefore` (either may be
   * left out to keep those). Resolves how many were deleted. This default filters `list()`; a store
   * with many clients overrides it with a bounded query, as the TypeORM store does.
   */
  async purgeIdleDynamic(idle: IdleClientCutoffs, batchSize = 1000): Promise<number> {
    const stale = (await this.list()).filter((client) => isIdleDynamic(client, idle)).slice(0, batchSize);
    let deleted = 0;
    for (const client of stale) if (await this.delete(client.id)) deleted++;
    return deleted;
  }

  /**
   * The dynamically registered public clients named `name` that `softwareId` registered (none: those
   * registered without one), oldest first: the candidates an identical re-registration may get back.
   * This default filters `list()`; the TypeORM store queries.
   */
  async findDynamicPublic(name: string, softwareId: string | undefined): Promise<OAuthClient[]> {
    return (await this.list()).filter(
      (client) =>
        client.registration === 'dynamic' && client.secretHash === null && client.name === name && client.softwareId === softwareId,
    );
  }
}

/** When a dynamically registered client counts as idle (see `ClientStore.purgeIdleDynamic`). @publicApi */
export interface IdleClientCutoffs {
  /** Delete clients never used and created before this. */
  unusedBefore?: Date;
  /** Delete clients last used before this. */
  idleBefore?: Date;
}

/** Whether `client` is a dynamically registered client past the cutoffs. */
export function isIdleDynamic(client: OAuthClient, { unusedBefore, idleBefore }: IdleClientCutoffs): boolean {
  if (client.registration !== 'dynamic') return false;
  if (!client.lastUsedAt) return unusedBefore !== undefined && client.createdAt < unusedBefore;
  return idleBefore !== undefined && client.lastUsedAt < idleBefore;
}

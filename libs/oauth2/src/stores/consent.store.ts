import type { Consent } from './models';

/**
 * Remembers which scopes a user approved for a client, so consent is asked once (RFC 6749 §10.2)
 * and the user can list and revoke the apps they approved.
 * @publicApi
 */
export abstract class ConsentStore {
  /** The user's consent for this client, or undefined. */
  abstract find(userId: string, clientId: string): Promise<Consent | undefined>;
  /**
   * Record approval of `scopes` at `resources` (RFC 8707), each merged with any already approved; sets
   * `createdAt` on first approval. A store that ignores `resources` only makes the consent page show
   * again when a request names resources.
   */
  abstract grant(userId: string, clientId: string, scopes: string[], now: Date, resources?: string[]): Promise<Consent>;
  /** Note that a token was issued to the client for this user. */
  abstract touch(userId: string, clientId: string, now: Date): Promise<void>;
  /** Forget the consent; resolves false when there was none. */
  abstract revoke(userId: string, clientId: string): Promise<boolean>;
  /** Every consent of the user, most recently used first. */
  abstract listForUser(userId: string): Promise<Consent[]>;
}

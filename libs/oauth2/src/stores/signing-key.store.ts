import type { SigningKey, SigningKeyState } from './models';

/**
 * Persistence of the keys that sign JWT access tokens (RFC 9068). Every instance of the server reads
 * the same store, so they agree on which key signs and which keys the JWKS publishes. A key moves
 * only forward, `next → active → retired`, and each move is conditional on the state it leaves, so
 * when two instances rotate at once exactly one move wins.
 *
 * Contract (checked on every implementation by the shared contract suite):
 * - `list` returns every stored key in any state, copies the caller may change freely;
 * - `insert` fails (rejects) when the `kid` already exists;
 * - `transition` changes `state` to `to` only when it is `from`, sets `activatedAt` (to `active`) or
 *   `retiredAt` and `expiresAt` (to `retired`), and resolves whether it did;
 * - `deleteRetiredBefore` removes retired keys whose `expiresAt` is at or before `now` and resolves
 *   their kids.
 * @publicApi
 */
export abstract class SigningKeyStore {
  abstract list(): Promise<SigningKey[]>;
  abstract insert(key: SigningKey): Promise<void>;
  abstract transition(kid: string, from: SigningKeyState, to: SigningKeyState, at: Date, expiresAt?: Date): Promise<boolean>;
  abstract deleteRetiredBefore(now: Date): Promise<string[]>;
}

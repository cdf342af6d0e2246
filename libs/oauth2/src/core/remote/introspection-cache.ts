import type { ResourceAuthorization } from '../resource-authorization';

/** Size and lifetime (seconds) of the introspection cache; `false` turns it off. */
export type IntrospectionCacheSettings = { maxEntries: number; ttl: number } | false;

/**
 * An in-process LRU of introspection answers found active, keyed by the SHA-256 of the token.
 * - An entry lives `ttl` seconds at most and never past the token's `exp`: a token revoked at the
 *   authorization server is still accepted here for up to `ttl` seconds (the revocation delay).
 * - Only accepted tokens are cached; a refusal or a failure asks again next time.
 * - Bounded by `maxEntries`: the least recently used entry goes first.
 */
export class IntrospectionCache {
  private readonly entries = new Map<string, { authorization: ResourceAuthorization; until: number }>();

  constructor(private readonly settings: IntrospectionCacheSettings) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: string, now: number): ResourceAuthorization | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.until <= now) return undefined;
    this.entries.set(key, entry); // most recently used goes last
    return entry.authorization;
  }

  set(key: string, authorization: ResourceAuthorization, now: number): void {
    if (this.settings === false) return;
    const until = Math.min(now + this.settings.ttl * 1000, authorization.expiresAt.getTime());
    if (until <= now) return;
    this.entries.delete(key);
    this.entries.set(key, { authorization, until });
    while (this.entries.size > this.settings.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }
}

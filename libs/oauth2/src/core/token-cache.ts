import type { ResourceAuthorization } from './resource-authorization';

/** Size and lifetime of the bearer cache; `false` turns it off. */
export type TokenCacheSettings = { maxEntries: number; ttl: number } | false;

/**
 * A store lookup in flight, from `beginLookup` to `endLookup`: `set` refuses its result when an
 * eviction of that token or grant happened after it began.
 */
export interface TokenCacheLookup {
  /** The eviction generation when the lookup began. */
  readonly startedAt: number;
}

interface OpenLookup extends TokenCacheLookup {
  ended: boolean;
}

/** Evictions remembered for lookups in flight, at most; past it, the oldest lookups cache nothing. */
const MAX_EVICTION_RECORDS = 10_000;
/** The lookup of a cache that is off: nothing to track. */
const UNTRACKED: TokenCacheLookup = Object.freeze({ startedAt: -1 });

interface Entry {
  authorization: ResourceAuthorization;
  grantId: string;
  /** Epoch ms after which the entry is not served: min(cached at + ttl, token expiry). */
  until: number;
}

/**
 * An in-process LRU of validated access tokens, keyed by token hash, off by default.
 *
 * - It lets repeated requests with the same token skip the store. Only tokens found valid are
 *   cached; an entry lives at most `ttl` seconds and never past the token's own expiry.
 * - Revocation through this instance (the revocation and connected-apps services, and any caller
 *   of `evictTokens` / `evictGrant`) evicts at once. Another instance sharing the database does not
 *   hear of it: it may keep accepting a revoked token for up to `ttl` seconds. That bound is the
 *   price of the cache; keep `ttl` short, or leave the cache off where revocation must be instant.
 * - Eviction wins over a lookup in flight. A validation reads the token, awaits its client, then
 *   caches; a revocation that finishes in between would otherwise be undone by that later `set`,
 *   and the revoked token accepted for `ttl` seconds. So every eviction takes a generation number,
 *   recorded per token id and per grant id while lookups are open, and `set` drops a result whose
 *   lookup began before an eviction of its token or grant (`clear` drops every open lookup's).
 * - Bounded by `maxEntries`: the least recently used entry goes first.
 * @publicApi
 */
export class TokenCache {
  private readonly entries = new Map<string, Entry>();
  private readonly byTokenId = new Map<string, string>();
  private readonly byGrant = new Map<string, Set<string>>();
  /** Bumped by every eviction. */
  private generation = 0;
  /** Open lookups per starting generation; keys ascend, as the generation never goes back. */
  private readonly open = new Map<number, number>();
  /** `t:<token id>` / `g:<grant id>` → generation of its last eviction, ascending; kept while lookups are open. */
  private readonly evictedAt = new Map<string, number>();
  /** Lookups that began before this generation cache nothing (a `clear`, or records dropped past the bound). */
  private floor = 0;

  constructor(private readonly settings: TokenCacheSettings) {}

  /** True when the cache is on. */
  get enabled(): boolean {
    return this.settings !== false && this.settings.maxEntries > 0 && this.settings.ttl > 0;
  }

  /** Number of entries held (expired ones included until they are touched or pushed out). */
  get size(): number {
    return this.entries.size;
  }

  /** The cached authorization of this token hash, if any and still within its lifetime. */
  get(tokenHash: string, now: Date): ResourceAuthorization | undefined {
    const entry = this.entries.get(tokenHash);
    if (!entry) return undefined;
    if (entry.until <= now.getTime()) {
      this.remove(tokenHash);
      return undefined;
    }
    // Re-insert to mark it most recently used (a Map iterates in insertion order).
    this.entries.delete(tokenHash);
    this.entries.set(tokenHash, entry);
    return entry.authorization;
  }

  /**
   * Call before reading a token from the store, and pass the result to `set`; call `endLookup`
   * when done, whatever happened (a `finally`), so the records it kept can go.
   */
  beginLookup(): TokenCacheLookup {
    if (!this.enabled) return UNTRACKED;
    const startedAt = this.generation;
    this.open.set(startedAt, (this.open.get(startedAt) ?? 0) + 1);
    return { startedAt, ended: false } as OpenLookup;
  }

  /** Closes a lookup begun with `beginLookup`; evictions no open lookup can be older than are forgotten. */
  endLookup(lookup: TokenCacheLookup): void {
    const count = this.open.get(lookup.startedAt);
    if (lookup === UNTRACKED || count === undefined || (lookup as OpenLookup).ended) return;
    (lookup as OpenLookup).ended = true;
    if (count > 1) this.open.set(lookup.startedAt, count - 1);
    else this.open.delete(lookup.startedAt);
    const oldest = this.open.keys().next();
    if (oldest.done) {
      this.evictedAt.clear();
      return;
    }
    for (const [key, generation] of this.evictedAt) {
      if (generation > oldest.value) break;
      this.evictedAt.delete(key);
    }
  }

  /**
   * Remember a token just found valid in the store by `lookup`, unless the token or its grant was
   * evicted since the lookup began: the store may have answered from before that revocation.
   */
  set(tokenHash: string, authorization: ResourceAuthorization, grantId: string, now: Date, lookup: TokenCacheLookup): void {
    if (this.settings === false || !this.enabled) return;
    if (
      lookup.startedAt < this.floor ||
      this.evictedSince(lookup, `t:${authorization.tokenId}`) ||
      this.evictedSince(lookup, `g:${grantId}`)
    ) {
      return;
    }
    const until = Math.min(now.getTime() + this.settings.ttl * 1000, authorization.expiresAt.getTime());
    if (until <= now.getTime()) return;
    this.remove(tokenHash);
    this.entries.set(tokenHash, { authorization, grantId, until });
    this.byTokenId.set(authorization.tokenId, tokenHash);
    let family = this.byGrant.get(grantId);
    if (!family) this.byGrant.set(grantId, (family = new Set()));
    family.add(tokenHash);
    while (this.entries.size > this.settings.maxEntries) this.remove(this.entries.keys().next().value as string);
  }

  /** Forget these tokens (by token id) at once: called after revoking them. */
  evictTokens(tokenIds: Iterable<string>): void {
    for (const id of tokenIds) {
      this.recordEviction(`t:${id}`);
      const hash = this.byTokenId.get(id);
      if (hash !== undefined) this.remove(hash);
    }
  }

  /** Forget every token of a grant (a refresh-token family) at once: called after `TokenStore.revokeGrant`. */
  evictGrant(grantId: string): void {
    this.recordEviction(`g:${grantId}`);
    for (const hash of [...(this.byGrant.get(grantId) ?? [])]) this.remove(hash);
  }

  /** Forget everything. */
  clear(): void {
    this.floor = ++this.generation;
    this.evictedAt.clear();
    this.entries.clear();
    this.byTokenId.clear();
    this.byGrant.clear();
  }

  private recordEviction(key: string): void {
    this.generation++;
    if (this.open.size === 0) return; // no lookup in flight can hold an older answer
    this.evictedAt.delete(key); // re-inserted at the end, so the map stays in generation order
    this.evictedAt.set(key, this.generation);
    if (this.evictedAt.size > MAX_EVICTION_RECORDS) {
      const [oldestKey, generation] = this.evictedAt.entries().next().value as [string, number];
      this.evictedAt.delete(oldestKey);
      // Its record is gone: a lookup that began before it can no longer be told apart, so none caches.
      this.floor = Math.max(this.floor, generation);
    }
  }

  private evictedSince(lookup: TokenCacheLookup, key: string): boolean {
    return (this.evictedAt.get(key) ?? -1) > lookup.startedAt;
  }

  private remove(tokenHash: string): void {
    const entry = this.entries.get(tokenHash);
    if (!entry) return;
    this.entries.delete(tokenHash);
    this.byTokenId.delete(entry.authorization.tokenId);
    const family = this.byGrant.get(entry.grantId);
    family?.delete(tokenHash);
    if (family?.size === 0) this.byGrant.delete(entry.grantId);
  }
}

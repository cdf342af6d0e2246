import type { ResourceAuthorization } from './resource-authorization';

/** Size and lifetime of the bearer cache; `false` turns it off. */
export type TokenCacheSettings = { maxEntries: number; ttl: number } | false;

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
 * - Bounded by `maxEntries`: the least recently used entry goes first.
 * @publicApi
 */
export class TokenCache {
  private readonly entries = new Map<string, Entry>();
  private readonly byTokenId = new Map<string, string>();
  private readonly byGrant = new Map<string, Set<string>>();

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

  /** Remember a token just found valid in the store. */
  set(tokenHash: string, authorization: ResourceAuthorization, grantId: string, now: Date): void {
    if (this.settings === false || !this.enabled) return;
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
      const hash = this.byTokenId.get(id);
      if (hash !== undefined) this.remove(hash);
    }
  }

  /** Forget every token of a grant (a refresh-token family) at once: called after `TokenStore.revokeGrant`. */
  evictGrant(grantId: string): void {
    for (const hash of [...(this.byGrant.get(grantId) ?? [])]) this.remove(hash);
  }

  /** Forget everything. */
  clear(): void {
    this.entries.clear();
    this.byTokenId.clear();
    this.byGrant.clear();
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

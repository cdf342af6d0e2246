import type { OAuthToken } from '../models';
import { TokenStore, type RotationOutcome } from '../token.store';

/** Tokens in Maps. Each method runs without an await between its reads and writes, so it is atomic in one process. @publicApi */
export class InMemoryTokenStore extends TokenStore {
  private readonly byHash = new Map<string, OAuthToken>();
  private readonly byId = new Map<string, OAuthToken>();

  async save(tokens: OAuthToken[]): Promise<void> {
    this.insert(tokens);
  }
  async findByHash(tokenHash: string): Promise<OAuthToken | undefined> {
    const token = this.byHash.get(tokenHash);
    return token && copyOf(token);
  }
  async rotate(refreshId: string, issued: OAuthToken[], now: Date): Promise<RotationOutcome> {
    const old = this.byId.get(refreshId);
    if (!old || old.kind !== 'refresh' || old.rotatedAt || old.revokedAt) return 'lost';
    this.assertNew(issued);
    old.rotatedAt = now;
    this.insert(issued);
    return 'rotated';
  }
  async revoke(id: string, now: Date): Promise<void> {
    const token = this.byId.get(id);
    if (token && !token.revokedAt) token.revokedAt = now;
  }
  async revokeGrant(grantId: string, now: Date): Promise<string[]> {
    return this.revokeWhere((t) => t.grantId === grantId, now);
  }
  async revokeForUserAndClient(userId: string, clientId: string, now: Date): Promise<string[]> {
    return this.revokeWhere((t) => t.userId === userId && t.clientId === clientId, now);
  }
  async purgeExpired(now: Date, batchSize = 1000): Promise<number> {
    let deleted = 0;
    for (const token of this.byId.values()) {
      if (deleted >= batchSize) break;
      if (token.expiresAt < now) {
        this.byId.delete(token.id);
        this.byHash.delete(token.tokenHash);
        deleted++;
      }
    }
    return deleted;
  }

  /** A duplicate id or hash rejects the whole issuance before anything changes, as a unique index would. */
  private assertNew(tokens: OAuthToken[]): void {
    const ids = new Set(tokens.map((t) => t.id));
    const hashes = new Set(tokens.map((t) => t.tokenHash));
    if (
      ids.size < tokens.length ||
      hashes.size < tokens.length ||
      tokens.some((t) => this.byId.has(t.id) || this.byHash.has(t.tokenHash))
    ) {
      throw new Error('A token with this id or hash already exists');
    }
  }

  private insert(tokens: OAuthToken[]): void {
    this.assertNew(tokens);
    for (const token of tokens) {
      const copy = copyOf(token);
      this.byId.set(copy.id, copy);
      this.byHash.set(copy.tokenHash, copy);
    }
  }
  private revokeWhere(match: (token: OAuthToken) => boolean, now: Date): string[] {
    const revoked: string[] = [];
    for (const token of this.byId.values()) {
      if (match(token) && !token.revokedAt) {
        token.revokedAt = now;
        revoked.push(token.id);
      }
    }
    return revoked;
  }
}

/** A copy, so callers cannot change what is stored; an absent `openid` reads back as null, as from a database column. */
function copyOf(token: OAuthToken): OAuthToken {
  return {
    ...token,
    scopes: [...token.scopes],
    resources: [...token.resources],
    openid: token.openid ? structuredClone(token.openid) : null,
  };
}

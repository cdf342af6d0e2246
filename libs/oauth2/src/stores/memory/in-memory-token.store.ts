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
    return token && { ...token, scopes: [...token.scopes] };
  }
  async rotate(refreshId: string, issued: OAuthToken[], now: Date): Promise<RotationOutcome> {
    const old = this.byId.get(refreshId);
    if (!old || old.rotatedAt || old.revokedAt) return 'lost';
    old.rotatedAt = now;
    this.insert(issued);
    return 'rotated';
  }
  async replaceRotation(refreshId: string, issued: OAuthToken[], now: Date): Promise<boolean> {
    const old = this.byId.get(refreshId);
    if (!old || old.revokedAt) return false;
    for (const token of this.byId.values()) {
      if (token.parentId === refreshId && !token.revokedAt && !token.rotatedAt) token.revokedAt = now;
    }
    this.insert(issued);
    return true;
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

  private insert(tokens: OAuthToken[]): void {
    for (const token of tokens) {
      const copy = { ...token, scopes: [...token.scopes] };
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

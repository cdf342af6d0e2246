import { CodeStore, type CodeConsumption } from '../code.store';
import type { AuthorizationCode } from '../models';

/** Codes in a Map. Single-threaded JavaScript makes `consume` atomic within one process. @publicApi */
export class InMemoryCodeStore extends CodeStore {
  private readonly codes = new Map<string, AuthorizationCode>();

  async save(code: AuthorizationCode): Promise<void> {
    const copy = structuredClone(code);
    copy.openid ??= null; // absent reads back as null, as from a database column
    this.codes.set(code.codeHash, copy);
  }
  async consume(codeHash: string, now: Date, clientId?: string): Promise<CodeConsumption> {
    const code = this.codes.get(codeHash);
    if (code && clientId !== undefined && code.clientId !== clientId) return { outcome: 'foreign', code: structuredClone(code) };
    if (code?.consumedAt) {
      code.replayedAt ??= now;
      return { outcome: 'replayed', code: structuredClone(code) };
    }
    if (!code || code.expiresAt <= now) return { outcome: 'invalid' };
    code.consumedAt = now;
    return { outcome: 'consumed', code: structuredClone(code) };
  }
  async isReplayed(codeHash: string): Promise<boolean> {
    return this.codes.get(codeHash)?.replayedAt != null;
  }
  async purgeExpired(now: Date, batchSize = 1000, keepConsumedSince?: Date): Promise<number> {
    let deleted = 0;
    for (const [hash, code] of this.codes) {
      if (deleted >= batchSize) break;
      const retained = keepConsumedSince && code.consumedAt && code.consumedAt >= keepConsumedSince;
      if (code.expiresAt < now && !retained) {
        this.codes.delete(hash);
        deleted++;
      }
    }
    return deleted;
  }
}

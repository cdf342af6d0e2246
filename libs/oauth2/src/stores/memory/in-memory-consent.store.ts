import { ConsentStore } from '../consent.store';
import type { Consent } from '../models';

/** Consents in a Map keyed by user and client. @publicApi */
export class InMemoryConsentStore extends ConsentStore {
  private readonly consents = new Map<string, Consent>();

  async find(userId: string, clientId: string): Promise<Consent | undefined> {
    const consent = this.consents.get(key(userId, clientId));
    return consent && structuredClone(consent);
  }
  async grant(userId: string, clientId: string, scopes: string[], now: Date, resources: string[] = []): Promise<Consent> {
    const existing = this.consents.get(key(userId, clientId));
    const consent: Consent = existing
      ? {
          ...existing,
          scopes: [...new Set([...existing.scopes, ...scopes])],
          resources: [...new Set([...existing.resources, ...resources])],
          lastUsedAt: now,
        }
      : { userId, clientId, scopes: [...new Set(scopes)], resources: [...new Set(resources)], createdAt: now, lastUsedAt: now };
    this.consents.set(key(userId, clientId), consent);
    return structuredClone(consent);
  }
  async touch(userId: string, clientId: string, now: Date): Promise<void> {
    const consent = this.consents.get(key(userId, clientId));
    if (consent) consent.lastUsedAt = now;
  }
  async revoke(userId: string, clientId: string): Promise<boolean> {
    return this.consents.delete(key(userId, clientId));
  }
  async listForUser(userId: string): Promise<Consent[]> {
    return [...this.consents.values()]
      .filter((c) => c.userId === userId)
      .sort((a, b) => b.lastUsedAt.getTime() - a.lastUsedAt.getTime())
      .map((c) => structuredClone(c));
  }
}

function key(userId: string, clientId: string): string {
  return JSON.stringify([userId, clientId]);
}

import type { SigningKey, SigningKeyState } from '../models';
import { SigningKeyStore } from '../signing-key.store';

/** Signing keys in a Map; they vanish with the process, so tokens they signed stop verifying. @publicApi */
export class InMemorySigningKeyStore extends SigningKeyStore {
  private readonly keys = new Map<string, SigningKey>();

  async list(): Promise<SigningKey[]> {
    return [...this.keys.values()].map((key) => structuredClone(key));
  }

  async insert(key: SigningKey): Promise<void> {
    if (this.keys.has(key.kid)) throw new Error(`A signing key with kid ${key.kid} already exists`);
    this.keys.set(key.kid, structuredClone(key));
  }

  async transition(kid: string, from: SigningKeyState, to: SigningKeyState, at: Date, expiresAt?: Date): Promise<boolean> {
    const key = this.keys.get(kid);
    if (!key || key.state !== from) return false;
    key.state = to;
    if (to === 'active') key.activatedAt = new Date(at.getTime());
    if (to === 'retired') {
      key.retiredAt = new Date(at.getTime());
      key.expiresAt = expiresAt ? new Date(expiresAt.getTime()) : new Date(at.getTime());
    }
    return true;
  }

  async deleteRetiredBefore(now: Date): Promise<string[]> {
    const gone = [...this.keys.values()].filter((k) => k.state === 'retired' && k.expiresAt !== null && k.expiresAt <= now);
    for (const key of gone) this.keys.delete(key.kid);
    return gone.map((k) => k.kid);
  }
}

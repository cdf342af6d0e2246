/**
 * An unbounded in-memory adapter for oidc-provider. Its built-in development adapter is an LRU of
 * 1,000 entries, so tokens issued by a load would evict the seeded ones mid-run; this one keeps
 * everything in Maps until it expires, like our memory stores.
 */
interface Entry {
  payload: Record<string, any>;
  expiresAt?: number;
}

const stores = new Map<string, Map<string, Entry>>();
const grants = new Map<string, Set<string>>();

export class MapAdapter {
  private readonly entries: Map<string, Entry>;

  constructor(private readonly name: string) {
    this.entries = stores.get(name) ?? new Map();
    stores.set(name, this.entries);
  }

  async upsert(id: string, payload: Record<string, any>, expiresIn?: number): Promise<void> {
    this.entries.set(id, { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : undefined });
    if (payload.grantId) {
      const ids = grants.get(payload.grantId) ?? new Set<string>();
      ids.add(`${this.name}:${id}`);
      grants.set(payload.grantId, ids);
    }
  }

  async find(id: string): Promise<Record<string, any> | undefined> {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      this.entries.delete(id);
      return undefined;
    }
    return entry.payload;
  }

  async findByUid(uid: string): Promise<Record<string, any> | undefined> {
    for (const [id, entry] of this.entries) if (entry.payload.uid === uid) return this.find(id);
    return undefined;
  }

  async findByUserCode(userCode: string): Promise<Record<string, any> | undefined> {
    for (const [id, entry] of this.entries) if (entry.payload.userCode === userCode) return this.find(id);
    return undefined;
  }

  async consume(id: string): Promise<void> {
    const entry = this.entries.get(id);
    if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id: string): Promise<void> {
    this.entries.delete(id);
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    for (const key of grants.get(grantId) ?? []) {
      const [name, id] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
      stores.get(name)?.delete(id);
    }
    grants.delete(grantId);
  }
}

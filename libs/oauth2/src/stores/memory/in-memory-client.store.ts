import { ClientStore } from '../client.store';
import type { OAuthClient } from '../models';

/** Clients in a Map: for tests and demos; lost on restart. @publicApi */
export class InMemoryClientStore extends ClientStore {
  private readonly clients = new Map<string, OAuthClient>();

  async findById(id: string): Promise<OAuthClient | undefined> {
    const client = this.clients.get(id);
    return client && structuredClone(client);
  }
  async save(client: OAuthClient): Promise<void> {
    this.clients.set(client.id, structuredClone(client));
  }
  async delete(id: string): Promise<boolean> {
    return this.clients.delete(id);
  }
  async list(): Promise<OAuthClient[]> {
    return [...this.clients.values()].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).map((c) => structuredClone(c));
  }
}

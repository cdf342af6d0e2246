import { ClientStore } from '../client.store';
import type { OAuthClient } from '../models';

/** Clients in a Map: for tests and demos; lost on restart. @publicApi */
export class InMemoryClientStore extends ClientStore {
  private readonly clients = new Map<string, OAuthClient>();

  async findById(id: string): Promise<OAuthClient | undefined> {
    const client = this.clients.get(id);
    return client && copyOf(client);
  }
  async save(client: OAuthClient): Promise<void> {
    this.clients.set(client.id, copyOf(client));
  }
  async delete(id: string): Promise<boolean> {
    return this.clients.delete(id);
  }
  async list(): Promise<OAuthClient[]> {
    return [...this.clients.values()].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).map(copyOf);
  }
  override async markUsed(id: string, at: Date): Promise<void> {
    const client = this.clients.get(id);
    if (client) client.lastUsedAt = new Date(at.getTime());
  }
}

// A copy, so callers cannot change what is stored; by hand, since `structuredClone` showed in
// profiles of the token endpoint, which looks a client up on every request.
function copyOf(client: OAuthClient): OAuthClient {
  return {
    ...client,
    redirectUris: [...client.redirectUris],
    grantTypes: [...client.grantTypes],
    scopes: [...client.scopes],
    resources: client.resources && [...client.resources],
    ...(client.postLogoutRedirectUris ? { postLogoutRedirectUris: [...client.postLogoutRedirectUris] } : {}),
    ...(client.previousSecretExpiresAt ? { previousSecretExpiresAt: new Date(client.previousSecretExpiresAt.getTime()) } : {}),
    ...(client.lastUsedAt ? { lastUsedAt: new Date(client.lastUsedAt.getTime()) } : {}),
    ...(client.metadataExpiresAt ? { metadataExpiresAt: new Date(client.metadataExpiresAt.getTime()) } : {}),
    createdAt: new Date(client.createdAt.getTime()),
  };
}

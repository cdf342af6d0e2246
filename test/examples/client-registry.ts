// The "Clients in code" guide's snippets, compiled with the rest of the project (strict) and checked
// against docs/guide/clients.md by test/docs-snippets.e2e-spec.ts.
import { Injectable } from '@nestjs/common';
import { ClientRegistry, type OAuthClient } from 'nest-oauth2-provider';

// #region developer-apps
/** What a developer portal's "Your apps" page does, for the signed-in user `userId`. */
@Injectable()
export class DeveloperApps {
  constructor(private readonly registry: ClientRegistry) {}

  list(userId: string): Promise<OAuthClient[]> {
    return this.registry.listByOwner(userId); // only this user's apps, oldest first
  }

  async create(userId: string, form: { name: string; redirectUri: string; description?: string }) {
    const { client, clientSecret } = await this.registry.register({
      name: form.name,
      redirectUris: [form.redirectUri],
      description: form.description,
      ownerId: userId, // only calls with { owner: userId } may change it from now on
    });
    return { clientId: client.id, clientSecret }; // show the secret this once: only its hash is kept
  }

  rename(userId: string, clientId: string, name: string) {
    // Another user's client id is answered like an unknown one: ClientRegistrationError.
    return this.registry.update(clientId, { name }, { owner: userId });
  }

  rotateSecret(userId: string, clientId: string, overlapSeconds = 0) {
    // The old secret keeps working for overlapSeconds (0: it stops at once; at most 30 days).
    return this.registry.rotateSecret(clientId, { owner: userId, overlap: overlapSeconds });
  }

  remove(userId: string, clientId: string) {
    return this.registry.delete(clientId, { owner: userId }); // its tokens stop working
  }
}
// #endregion developer-apps

import { createHash } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { ClientRegistry, ClientStore, type ClientUpdate } from 'nest-oauth2-provider';
import type { CustomAppConfig } from './customapp/customapp.config';
import type { CustomAppSettings } from './customapp/storage/customapp-settings.service';

/** What `provisionCustomApp` did. */
export type ProvisionOutcome = 'registered' | 'reused' | 'updated' | 'environment' | 'settings';

/**
 * The operator's step, done for you on first start: register CustomApp at SHIFT as a confidential
 * client and hand the credentials to CustomApp (as an operator would paste the CLI's output into its
 * configuration). Later starts reuse them; a changed CUSTOMAPP_URL updates the redirect URIs, and a
 * registration from before CustomApp signed in with OpenID Connect gets the scopes and post-logout URI it now needs.
 * Credentials pasted into CustomApp's settings page (an app a developer registered in SHIFT's
 * portal) are theirs to manage: the start-up leaves them and their client alone.
 */
export async function provisionCustomApp(
  shift: INestApplicationContext,
  settings: CustomAppSettings,
  config: CustomAppConfig,
): Promise<ProvisionOutcome> {
  if (settings.credentialsFromEnvironment()) return 'environment';
  if ((await settings.credentialsSource()) === 'settings') return 'settings';
  const registry = shift.get(ClientRegistry);
  const clients = shift.get(ClientStore);
  const stored = await settings.credentials();
  const client = stored ? await clients.findById(stored.clientId) : undefined;
  if (!stored || !client) {
    const registered = await registry.register({
      name: 'CustomApp',
      redirectUris: [config.redirectUri],
      postLogoutRedirectUris: [config.postLogoutRedirectUri],
      grantTypes: ['authorization_code', 'refresh_token'],
      scopes: config.scope.split(' '),
    });
    await settings.saveCredentials({ clientId: registered.client.id, clientSecret: registered.clientSecret! });
    return 'registered';
  }
  let outcome: ProvisionOutcome = 'reused';
  if (client.secretHash !== sha256Hex(stored.clientSecret)) {
    // The secret was rotated behind CustomApp's back (e.g. `npm run oauth -- clients rotate-secret`).
    const rotated = await registry.rotateSecret(client.id);
    await settings.saveCredentials({ clientId: client.id, clientSecret: rotated.clientSecret! });
    outcome = 'updated';
  }
  // Through the registry, so a bad CUSTOMAPP_URL is refused as `clients register` would refuse it.
  const changes: ClientUpdate = {};
  if (!client.redirectUris.includes(config.redirectUri)) changes.redirectUris = [config.redirectUri];
  if (!client.postLogoutRedirectUris?.includes(config.postLogoutRedirectUri))
    changes.postLogoutRedirectUris = [config.postLogoutRedirectUri];
  const scopes = config.scope.split(' ');
  if (!scopes.every((scope) => client.scopes.includes(scope))) changes.scopes = scopes;
  if (Object.keys(changes).length) {
    await registry.update(client.id, changes);
    outcome = 'updated';
  }
  return outcome;
}

/** How the store keeps a client secret (`OAuthClient.secretHash`): SHA-256, hex. */
function sha256Hex(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

import type { INestApplicationContext } from '@nestjs/common';
import { ClientRegistry, ClientStore } from 'nest-oauth2-provider';

/** SHIFT Files' client at SHIFT when `npm start` registers it. */
export const FILES_CLIENT_ID = 'shift-files';

/**
 * The operator's step for SHIFT Files, done for you by `npm start`: a SHIFT client that may introspect
 * tokens (RFC 7662 §2.1) and use no grant. The secret exists only in this process: each start issues a
 * new one (an existing client's secret is rotated), which the in-process SHIFT Files receives directly.
 */
export async function provisionFiles(shift: INestApplicationContext): Promise<{ clientId: string; clientSecret: string }> {
  const registry = shift.get(ClientRegistry);
  const existing = await shift.get(ClientStore).findById(FILES_CLIENT_ID);
  const { clientSecret } = existing
    ? await registry.rotateSecret(FILES_CLIENT_ID)
    : await registry.register({ id: FILES_CLIENT_ID, name: 'SHIFT Files', grantTypes: [], scopes: [], canIntrospect: true });
  return { clientId: FILES_CLIENT_ID, clientSecret: clientSecret! };
}

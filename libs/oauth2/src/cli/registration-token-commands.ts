import { SystemClock } from '../core/clock';
import { createInitialAccessToken } from '../core/registration/initial-access-tokens';
import type { TokenStore } from '../stores/token.store';
import { UsageError } from './cli-args';
import type { InitialAccessTokenRow } from './cli-database';
import type { CommandResult } from './client-commands';

/** What the registration-token commands use. */
export interface RegistrationTokenServices {
  tokens: TokenStore;
  list(): Promise<InitialAccessTokenRow[]>;
}

/** `registration-tokens create [--expires-in SECONDS]`: the token is printed this once; only its hash is stored. */
export async function createRegistrationToken(
  services: RegistrationTokenServices,
  expiresIn: number | undefined,
  json: boolean,
): Promise<CommandResult> {
  const { id, token, expiresAt } = await createInitialAccessToken(services.tokens, new SystemClock(), expiresIn);
  if (json) return { output: JSON.stringify({ id, initial_access_token: token, expires_at: Math.floor(expiresAt.getTime() / 1000) }) };
  return {
    output: [
      `Initial access token ${id}, valid until ${expiresAt.toISOString()}:`,
      `  ${token}`,
      '',
      'Send it as "Authorization: Bearer <token>" to the registration endpoint. It is shown only once:',
      'the server keeps only a hash of it. Revoke it with: registration-tokens revoke ' + id,
    ].join('\n'),
  };
}

/** `registration-tokens list` */
export async function listRegistrationTokens(services: RegistrationTokenServices, json: boolean): Promise<CommandResult> {
  const now = new Date();
  const rows = (await services.list()).map((row) => ({
    id: row.id,
    created_at: row.createdAt.toISOString(),
    expires_at: row.expiresAt.toISOString(),
    state: row.revokedAt ? 'revoked' : row.expiresAt <= now ? 'expired' : 'active',
  }));
  if (json) return { output: JSON.stringify(rows) };
  if (!rows.length) return { output: 'No initial access tokens.' };
  return {
    output: ['ID  STATE  CREATED  EXPIRES', ...rows.map((r) => `${r.id}  ${r.state}  ${r.created_at}  ${r.expires_at}`)].join('\n'),
  };
}

/** `registration-tokens revoke ID`: the token stops registering clients at once; clients it registered stay. */
export async function revokeRegistrationToken(services: RegistrationTokenServices, id: string, json: boolean): Promise<CommandResult> {
  const found = (await services.list()).find((row) => row.id === id);
  if (!found) throw new UsageError(`initial access token "${id}" does not exist`);
  await services.tokens.revoke(id, new Date());
  return { output: json ? JSON.stringify({ revoked: id }) : `Revoked initial access token ${id}; clients it registered stay registered.` };
}

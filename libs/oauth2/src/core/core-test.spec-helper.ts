import { resolveOAuthOptions, type ResolvedOAuthOptions } from '../oauth-options';
import type { OAuthModuleOptions } from '../oauth-module-options.interface';
import type { ClientStore } from '../stores/client.store';
import type { CodeStore } from '../stores/code.store';
import type { ConsentStore } from '../stores/consent.store';
import type { TokenStore } from '../stores/token.store';
import { InMemoryClientStore } from '../stores/memory/in-memory-client.store';
import { InMemoryCodeStore } from '../stores/memory/in-memory-code.store';
import { InMemoryConsentStore } from '../stores/memory/in-memory-consent.store';
import { InMemoryTokenStore } from '../stores/memory/in-memory-token.store';
import { AuthorizationServer } from './authorization-server';
import { ClientRegistry } from './client-registry';
import { ManualClock } from './clock';
import { OAuthInteraction, type OAuthUser } from './oauth-interaction';
import type { OAuthRequest } from './oauth-request';

/** Unit-test wiring of the core: memory stores, a manual clock, no Nest. */
export const SCOPES = { profile: 'Read your profile', email: 'Read your email', offline_access: 'Stay connected' };

/** The user is named by the `x-user` header. */
export class HeaderInteraction extends OAuthInteraction {
  currentUser(req: OAuthRequest): OAuthUser | undefined {
    const id = req.headers['x-user'];
    return typeof id === 'string' ? { id } : undefined;
  }
  loginUrl(returnTo: string, _req: OAuthRequest, force: boolean): string {
    return `/login?return_to=${encodeURIComponent(returnTo)}&force=${force}`;
  }
}

/** The four stores the core runs on. */
export interface CoreStores {
  clients: ClientStore;
  codes: CodeStore;
  tokens: TokenStore;
  consents: ConsentStore;
}

/** The core over `stores` (fresh memory stores by default). */
export function makeCore(
  overrides: Partial<OAuthModuleOptions> = {},
  interaction: OAuthInteraction | null = new HeaderInteraction(),
  stores: CoreStores = {
    clients: new InMemoryClientStore(),
    codes: new InMemoryCodeStore(),
    tokens: new InMemoryTokenStore(),
    consents: new InMemoryConsentStore(),
  },
) {
  const options: ResolvedOAuthOptions = resolveOAuthOptions(
    { issuer: 'https://as.example', scopes: SCOPES, ...overrides },
    { prefix: 'oauth2' },
  );
  const clock = new ManualClock(new Date('2030-01-01T00:00:00Z'));
  const server = new AuthorizationServer({ options, ...stores, clock, interaction: interaction ?? undefined });
  const registry = new ClientRegistry({ clients: stores.clients, clock, knownScopes: Object.keys(SCOPES) });
  return { options, clock, stores, server, registry };
}

/** An `OAuthRequest` as the HTTP bridge would build it. */
export function oauthRequest(init: Partial<OAuthRequest> & { query?: Record<string, unknown> } = {}): OAuthRequest {
  const query = init.query ?? {};
  const search = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)])).toString();
  return {
    method: 'GET',
    url: init.url ?? `/oauth2/auth?${search}`,
    headers: {},
    query,
    body: {},
    cookies: {},
    secure: false,
    ip: '127.0.0.1',
    raw: undefined,
    ...init,
  };
}

/** A token-endpoint POST with HTTP Basic credentials. */
export function tokenPost(body: Record<string, string>, client?: { id: string; secret?: string }): OAuthRequest {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (client?.secret) headers.authorization = `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`;
  const form = client && !client.secret ? { ...body, client_id: client.id } : body;
  return oauthRequest({ method: 'POST', url: '/oauth2/token', headers, body: form });
}

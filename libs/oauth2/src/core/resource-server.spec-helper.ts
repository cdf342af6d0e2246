import { randomUUID } from 'node:crypto';
import { InMemoryClientStore } from '../stores/memory/in-memory-client.store';
import { InMemoryConsentStore } from '../stores/memory/in-memory-consent.store';
import { InMemoryTokenStore } from '../stores/memory/in-memory-token.store';
import type { OAuthClient, OAuthToken } from '../stores/models';
import { ManualClock } from './clock';
import { hashSecret, randomToken } from './protocol/credentials';
import type { OAuthRequest } from './oauth-request';

/** In-memory stores, a manual clock and helpers shared by the resource-server unit specs. */
export function resourceFixture() {
  const clock = new ManualClock(new Date('2030-01-01T00:00:00Z'));
  const clients = new InMemoryClientStore();
  const tokens = new InMemoryTokenStore();
  const consents = new InMemoryConsentStore();

  async function client(overrides: Partial<OAuthClient> & { secret?: string } = {}): Promise<OAuthClient> {
    const { secret, ...rest } = overrides;
    const saved: OAuthClient = {
      id: randomUUID(),
      name: 'App',
      secretHash: secret === undefined ? null : hashSecret(secret),
      redirectUris: ['https://app.example/cb'],
      grantTypes: ['authorization_code', 'refresh_token'],
      scopes: ['profile', 'email'],
      canIntrospect: false,
      applicationType: 'web',
      resources: null,
      defaultResource: null,
      createdAt: clock.now(),
      ...rest,
    };
    await clients.save(saved);
    return saved;
  }

  async function token(overrides: Partial<OAuthToken> & { clientId: string; ttl?: number }): Promise<{ value: string; token: OAuthToken }> {
    const { ttl, ...rest } = overrides;
    const value = randomToken();
    const saved: OAuthToken = {
      id: randomUUID(),
      tokenHash: hashSecret(value),
      kind: 'access',
      userId: 'user-1',
      scopes: ['profile'],
      resources: [],
      grantId: randomUUID(),
      parentId: null,
      createdAt: clock.now(),
      grantCreatedAt: clock.now(),
      expiresAt: new Date(clock.now().getTime() + (ttl ?? 3600) * 1000),
      revokedAt: null,
      rotatedAt: null,
      ...rest,
    };
    await tokens.save([saved]);
    return { value, token: saved };
  }

  return { clock, clients, tokens, consents, client, token };
}

/** A form POST as the HTTP bridge would build it. */
export function formPost(body: Record<string, unknown>, headers: Record<string, string> = {}): OAuthRequest {
  return {
    method: 'POST',
    url: '/oauth2/x',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    query: {},
    body,
    cookies: {},
    secure: true,
    ip: '127.0.0.1',
    raw: undefined,
  };
}

/** `Authorization: Basic` for a client id and secret (RFC 6749 §2.3.1). */
export function basic(id: string, secret: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}` };
}

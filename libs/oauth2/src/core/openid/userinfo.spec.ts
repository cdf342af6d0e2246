import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InMemoryClientStore } from '../../stores/memory/in-memory-client.store';
import type { OAuthClient } from '../../stores/models';
import { AccessTokenVerifier } from '../access-token-verifier';
import { oauthRequest } from '../core-test.spec-helper';
import { InvalidTokenError } from '../oauth.errors';
import type { ResourceAuthorization } from '../resource-authorization';
import { ClaimsProvider } from './claims-provider';
import { STANDARD_SCOPE_CLAIMS, type OpenIdSettings } from './openid-settings';
import { subjectFor } from './subject';
import { UserInfoEndpoint } from './userinfo';

const NOW = new Date('2030-01-01T00:00:00Z');
const OWN = 'https://api.example/';
const DEFAULT = 'https://default.example/';
const OTHER = 'https://files.example/';

const SETTINGS: OpenIdSettings = {
  idTokenTtl: 600,
  idTokenSigningAlgorithms: ['RS256'],
  claimsInIdToken: true,
  subjectTypes: ['public', 'pairwise'],
  pairwiseSalt: 'salt',
  scopeClaims: STANDARD_SCOPE_CLAIMS,
};

/** Tokens by value: what the verifier would find. */
class TableVerifier extends AccessTokenVerifier {
  constructor(private readonly table: Record<string, Partial<ResourceAuthorization>>) {
    super();
  }
  async verify(token: string): Promise<ResourceAuthorization> {
    const found = this.table[token];
    if (!found) throw new InvalidTokenError('The access token is not recognized');
    return { clientId: 'rp', userId: 'alice', scopes: ['openid'], expiresAt: NOW, tokenId: token, audience: null, ...found };
  }
}

class Directory extends ClaimsProvider {
  claims(userId: string) {
    return userId === 'alice' ? { email: 'alice@example.com', name: 'Alice' } : undefined;
  }
}

async function setup(table: Record<string, Partial<ResourceAuthorization>>, openid: OpenIdSettings | null = SETTINGS) {
  const clients = new InMemoryClientStore();
  const client = (id: string, extra: Partial<OAuthClient> = {}) =>
    ({
      id,
      name: id,
      secretHash: 'x',
      redirectUris: [`https://${id}.example/cb`],
      grantTypes: ['authorization_code'],
      scopes: ['openid', 'profile', 'email'],
      canIntrospect: false,
      resources: null,
      defaultResource: null,
      applicationType: 'web',
      createdAt: NOW,
      ...extra,
    }) as OAuthClient;
  await clients.save(client('rp'));
  await clients.save(client('pw', { subjectType: 'pairwise' }));
  const endpoint = new UserInfoEndpoint({
    options: {
      issuer: 'https://as.example',
      realm: 'as',
      requireHttps: false,
      resource: OWN,
      defaultResource: DEFAULT,
      openid: openid ?? undefined,
    },
    allowQueryToken: false,
    verifier: new TableVerifier(table),
    clients,
    claims: new Directory(),
  });
  return (token?: string) =>
    endpoint.handle(oauthRequest({ url: '/oauth2/userinfo', headers: token ? { authorization: `Bearer ${token}` } : {} }));
}

describe('UserInfo endpoint (OpenID Connect Core §5.3)', () => {
  it('OpenID Connect Core §5.3.2: answers sub and the claims the scopes release, with no-store', async () => {
    const call = await setup({ t: { scopes: ['openid', 'email'] } });
    const res = await call('t');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { email: 'alice@example.com', sub: 'alice' });
    assert.equal(res.headers['Cache-Control'], 'no-store');
  });

  it('OpenID Connect Core §8.1: a pairwise client gets its pairwise sub', async () => {
    const call = await setup({ t: { clientId: 'pw' } });
    const sub = ((await call('t')).body as { sub: string }).sub;
    assert.equal(sub, subjectFor({ subjectType: 'pairwise', redirectUris: ['https://pw.example/cb'] }, 'alice', 'salt'));
    assert.notEqual(sub, 'alice');
  });

  it('RFC 8707 §2: tokens with no audience, the own resource or the default resource are accepted; another resource is invalid_token', async () => {
    const call = await setup({ none: { audience: null }, own: { audience: OWN }, def: { audience: DEFAULT }, other: { audience: OTHER } });
    for (const token of ['none', 'own', 'def']) assert.equal((await call(token)).status, 200, token);
    const refused = await call('other');
    assert.equal(refused.status, 401);
    assert.match(
      String(refused.headers['WWW-Authenticate']),
      /error="invalid_token", error_description="This access token is not for UserInfo/,
    );
  });

  it('OpenID Connect Core §5.3.3: a client_credentials token (no user) and a token of a deleted client are invalid_token', async () => {
    const call = await setup({ machine: { userId: null }, orphan: { clientId: 'deleted' } });
    const machine = await call('machine');
    assert.equal(machine.status, 401);
    assert.match((machine.body as { error_description: string }).error_description, /not issued for a user/);
    const orphan = await call('orphan');
    assert.equal(orphan.status, 401);
    assert.match((orphan.body as { error_description: string }).error_description, /client of this access token no longer exists/);
  });

  it('RFC 6750 §3.1: an unknown token gets a Bearer challenge with invalid_token and the verifier’s description', async () => {
    const call = await setup({});
    const res = await call('nope');
    assert.equal(res.status, 401);
    assert.equal(
      res.headers['WWW-Authenticate'],
      'Bearer realm="as", error="invalid_token", error_description="The access token is not recognized"',
    );
  });

  it('OpenID Connect Core §5.3: with OpenID Connect off the endpoint is 404', async () => {
    const call = await setup({ t: {} }, null);
    assert.equal((await call('t')).status, 404);
  });
});

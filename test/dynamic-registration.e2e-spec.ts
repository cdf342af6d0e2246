import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  ClientStore,
  OAuthConfigurationError,
  createInitialAccessToken,
  OAuthPurgeService,
  TokenStore,
  type OAuthRegistrationOptions,
} from 'nest-oauth2-provider';
import * as oauth from 'oauth4webapi';
import request from 'supertest';
import type { Response } from 'supertest';
import { createOAuthTestApp, type OAuthTestApp } from './fixtures/oauth-app.fixture';
import { authorize, obtainCode, pkcePair, tokenRequest } from './fixtures/oauth-flow';
import { TEST_USER_HEADER } from './fixtures/test-interaction';
import { resolveOAuthOptions } from './support/library-internals';

const REGISTER = '/oauth2/register';
const LOOPBACK = 'http://127.0.0.1/callback';
const WEB = 'https://app.example/cb';

/** Open registration, no limits: each test names what it needs on top. */
const OPEN: OAuthRegistrationOptions = {
  enabled: true,
  initialAccessToken: 'none',
  grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
  scopes: ['profile', 'email', 'offline_access'],
  defaultScope: ['profile'],
  rateLimit: false,
};

function registrationApp(registration: OAuthRegistrationOptions = OPEN, trustProxy = false): Promise<OAuthTestApp> {
  return createOAuthTestApp({ options: { registration }, trustProxy });
}

function register(t: OAuthTestApp, metadata: unknown, token?: string): Promise<Response> {
  const req = request(t.server).post(REGISTER).set('Content-Type', 'application/json');
  if (token) req.set('Authorization', `Bearer ${token}`);
  return req.send(JSON.stringify(metadata));
}

/** The path of an absolute registration_client_uri. */
function pathOf(uri: string): string {
  return new URL(uri).pathname;
}

async function clientCount(t: OAuthTestApp): Promise<number> {
  return (await t.app.get(ClientStore).list()).length;
}

function assertError(res: Response, status: number, code: string): void {
  assert.equal(res.status, status, res.text);
  assert.equal(res.body.error, code, res.text);
  assert.equal(typeof res.body.error_description, 'string');
  assert.equal(res.headers['cache-control'], 'no-store');
}

/** A code + PKCE flow and its token exchange for a public client. */
async function codeFlow(t: OAuthTestApp, clientId: string, redirectUri: string, scope = 'profile'): Promise<Response> {
  const { verifier, challenge } = pkcePair();
  const { code } = await obtainCode(t, {
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    scope,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  return tokenRequest(t, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri,
    client_id: clientId,
    code_verifier: verifier,
  });
}

describe('dynamic client registration (RFC 7591) with oauth4webapi', () => {
  let t: OAuthTestApp;
  let as: oauth.AuthorizationServer;
  const insecure = { [oauth.allowInsecureRequests]: true };

  before(async () => {
    t = await registrationApp();
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    as = { issuer: 'http://127.0.0.1', registration_endpoint: `http://127.0.0.1:${port}${REGISTER}` };
  });
  after(() => t.close());

  it('RFC 8414 §2: the metadata advertises registration_endpoint when registration is on', async () => {
    const res = await request(t.server).get('/.well-known/oauth-authorization-server');
    assert.equal(res.body.registration_endpoint, 'http://127.0.0.1/oauth2/register');
  });

  it('RFC 7591 §3.2.1: a public native client registers, then completes a code flow with PKCE and a refresh', async () => {
    const response = await oauth.dynamicClientRegistrationRequest(
      as,
      { client_name: 'Terminal agent', redirect_uris: [LOOPBACK], token_endpoint_auth_method: 'none', scope: 'profile offline_access' },
      insecure,
    );
    const client = await oauth.processDynamicClientRegistrationResponse(response);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(typeof client.client_id, 'string');
    assert.equal(client.client_secret, undefined);
    assert.equal(client.token_endpoint_auth_method, 'none');
    assert.equal(client.application_type, 'native');
    assert.deepEqual(client.grant_types, ['authorization_code', 'refresh_token']);
    assert.deepEqual(client.response_types, ['code']);
    assert.equal(client.scope, 'profile offline_access');
    assert.equal(client.client_id_issued_at, Math.floor(t.clock.now().getTime() / 1000));
    assert.equal(typeof client.registration_access_token, 'string');
    assert.equal(client.registration_client_uri, `http://127.0.0.1/oauth2/register/${client.client_id}`);

    // RFC 8252 §7.3: a native client's loopback redirect may use any port.
    const redirect = 'http://127.0.0.1:53124/callback';
    const page = await authorize(
      t,
      {
        response_type: 'code',
        client_id: client.client_id,
        redirect_uri: redirect,
        scope: 'profile',
        code_challenge: pkcePair().challenge,
        code_challenge_method: 'S256',
      },
      'alice',
    );
    assert.equal(page.status, 200);
    assert.match(page.text, /registered itself/);
    const tokens = await codeFlow(t, client.client_id, redirect, 'profile offline_access');
    assert.equal(tokens.status, 200, tokens.text);
    const refreshed = await tokenRequest(t, {
      grant_type: 'refresh_token',
      refresh_token: tokens.body.refresh_token,
      client_id: client.client_id,
    });
    assert.equal(refreshed.status, 200, refreshed.text);
    assert.ok(refreshed.body.access_token);
  });

  it('RFC 7591 §3.2.1: a confidential client gets its secret once, with client_secret_expires_at 0, and uses client_credentials', async () => {
    const response = await oauth.dynamicClientRegistrationRequest(
      as,
      {
        client_name: 'Reporting job',
        grant_types: ['client_credentials'],
        token_endpoint_auth_method: 'client_secret_basic',
        scope: 'profile',
      },
      insecure,
    );
    const client = await oauth.processDynamicClientRegistrationResponse(response);
    assert.equal(typeof client.client_secret, 'string');
    assert.equal(client.client_secret_expires_at, 0);
    assert.deepEqual(client.response_types, []);
    const res = await tokenRequest(
      t,
      { grant_type: 'client_credentials', scope: 'profile' },
      { id: client.client_id, secret: client.client_secret as string },
    );
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.scope, 'profile');
    const stored = await t.app.get(ClientStore).findById(client.client_id);
    assert.notEqual(stored?.secretHash, client.client_secret, 'only the hash is stored');
    assert.notEqual(stored?.registrationAccessTokenHash, client.registration_access_token, 'only the hash is stored');
  });

  it('RFC 7591 §3.2.1: a request naming no scope gets the policy default scope', async () => {
    const res = await register(t, { redirect_uris: [WEB], client_name: 'Defaults' });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.scope, 'profile');
    assert.equal(res.body.token_endpoint_auth_method, 'client_secret_basic', 'RFC 7591 §2: the default method');
    assert.equal(res.body.application_type, 'web');
  });
});

describe('what limits a dynamic client’s scope requests (policy scopeLimit)', () => {
  const stepUp = (t: OAuthTestApp, clientId: string) =>
    authorize(
      t,
      {
        response_type: 'code',
        client_id: clientId,
        redirect_uri: LOOPBACK,
        scope: 'profile email',
        code_challenge: pkcePair().challenge,
        code_challenge_method: 'S256',
      },
      'alice',
    );

  it('RFC 7591 §2 scope: by default a client may later ask only for the scope it registered', async () => {
    const t = await registrationApp();
    try {
      const res = await register(t, { redirect_uris: [LOOPBACK], token_endpoint_auth_method: 'none', scope: 'profile' });
      assert.equal(res.body.scope, 'profile');
      const page = await stepUp(t, res.body.client_id);
      assert.equal(new URL(page.headers.location).searchParams.get('error'), 'invalid_scope');
    } finally {
      await t.close();
    }
  });

  it('RFC 7591 §3.2.1 and MCP 2025-11-25 Authorization §Step-Up Authorization Flow: under "policy" it may step up to any scope the policy allows', async () => {
    const t = await registrationApp({ ...OPEN, scopeLimit: 'policy' });
    try {
      const res = await register(t, { redirect_uris: [LOOPBACK], token_endpoint_auth_method: 'none', scope: 'profile' });
      assert.equal(res.status, 201, res.text);
      assert.equal(res.body.scope, 'profile email offline_access', 'the server replaced the requested scope and says so');
      assert.equal((await stepUp(t, res.body.client_id)).status, 200, 'the consent page, not invalid_scope');
      assertError(
        await register(t, { redirect_uris: [LOOPBACK], token_endpoint_auth_method: 'none', scope: 'admin' }),
        400,
        'invalid_client_metadata',
      );
    } finally {
      await t.close();
    }
  });
});

describe('registration off (the default)', () => {
  let t: OAuthTestApp;
  before(async () => (t = await createOAuthTestApp()));
  after(() => t.close());

  it('answers 404 at /register and advertises no registration_endpoint', async () => {
    const res = await register(t, { redirect_uris: [WEB] });
    assert.equal(res.status, 404);
    assert.equal((await request(t.server).get(`${REGISTER}/x`).set('Authorization', 'Bearer x')).status, 404);
    const metadata = await request(t.server).get('/.well-known/oauth-authorization-server');
    assert.equal(metadata.body.registration_endpoint, undefined);
    assert.equal(await clientCount(t), 0);
  });
});

describe('client management (RFC 7592)', () => {
  let t: OAuthTestApp;
  before(async () => (t = await registrationApp()));
  after(() => t.close());

  async function registered(metadata: Record<string, unknown> = {}) {
    const res = await register(t, {
      client_name: 'Managed',
      redirect_uris: [LOOPBACK],
      token_endpoint_auth_method: 'none',
      logo_uri: 'https://app.example/logo.png',
      software_id: 'managed-app',
      software_version: '1.0',
      ...metadata,
    });
    assert.equal(res.status, 201, res.text);
    return {
      id: res.body.client_id as string,
      token: res.body.registration_access_token as string,
      path: pathOf(res.body.registration_client_uri),
    };
  }

  it('RFC 7592 §2.1: reads the registration with its registration access token, never a secret', async () => {
    const c = await registered({
      token_endpoint_auth_method: 'client_secret_post',
      grant_types: ['client_credentials'],
      redirect_uris: [],
    });
    const res = await request(t.server).get(c.path).set('Authorization', `Bearer ${c.token}`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.client_id, c.id);
    assert.equal(res.body.client_name, 'Managed');
    assert.equal(res.body.software_id, 'managed-app');
    assert.equal(res.body.client_secret, undefined);
    assert.equal(res.body.registration_access_token, undefined);
    assert.equal(res.body.registration_client_uri, `http://127.0.0.1${c.path}`);
    assert.equal(res.headers['cache-control'], 'no-store');
  });

  it("RFC 7592 §2.1, RFC 6750 §3.1: a missing or wrong token, or another client's, is 401 with a Bearer challenge", async () => {
    const a = await registered();
    const b = await registered();
    const missing = await request(t.server).get(a.path);
    assert.equal(missing.status, 401);
    assert.match(String(missing.headers['www-authenticate']), /^Bearer realm=/);
    for (const token of ['wrong', b.token]) {
      const res = await request(t.server).get(a.path).set('Authorization', `Bearer ${token}`);
      assertError(res, 401, 'invalid_token');
      assert.match(String(res.headers['www-authenticate']), /error="invalid_token"/);
    }
    const unknown = await request(t.server).get(`${REGISTER}/no-such-client`).set('Authorization', `Bearer ${a.token}`);
    assertError(unknown, 401, 'invalid_token');
  });

  it("RFC 7592 §2.1: an operator's client cannot be managed through the endpoint", async () => {
    const operator = await t.register({ name: 'Operator app', redirectUris: [WEB] });
    const res = await request(t.server).get(`${REGISTER}/${operator.client.id}`).set('Authorization', 'Bearer anything');
    assertError(res, 401, 'invalid_token');
  });

  it('RFC 7592 §2.2: an update replaces the metadata, and omitted fields are removed or defaulted', async () => {
    const c = await registered();
    const res = await request(t.server)
      .put(c.path)
      .set('Authorization', `Bearer ${c.token}`)
      .send({ client_id: c.id, client_name: 'Renamed', redirect_uris: ['http://127.0.0.1/other'], token_endpoint_auth_method: 'none' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.client_name, 'Renamed');
    assert.deepEqual(res.body.redirect_uris, ['http://127.0.0.1/other']);
    assert.equal(res.body.logo_uri, undefined, 'omitted: removed');
    assert.equal(res.body.software_id, undefined, 'omitted: removed');
    assert.equal(res.body.scope, 'profile', 'omitted: the default scope');
    const read = await request(t.server).get(c.path).set('Authorization', `Bearer ${c.token}`);
    assert.deepEqual(read.body, res.body);
  });

  it('RFC 7592 §2.2: an update must name the client, cannot change its kind, and bad metadata changes nothing', async () => {
    const c = await registered();
    const before = await t.app.get(ClientStore).findById(c.id);
    const put = (body: Record<string, unknown>) => request(t.server).put(c.path).set('Authorization', `Bearer ${c.token}`).send(body);
    assertError(await put({ client_name: 'No id', redirect_uris: [LOOPBACK], token_endpoint_auth_method: 'none' }), 400, 'invalid_request');
    assertError(await put({ client_id: 'other', redirect_uris: [LOOPBACK], token_endpoint_auth_method: 'none' }), 400, 'invalid_request');
    assertError(
      await put({ client_id: c.id, redirect_uris: [LOOPBACK], token_endpoint_auth_method: 'none', registration_access_token: c.token }),
      400,
      'invalid_request',
    );
    assertError(
      await put({ client_id: c.id, redirect_uris: [LOOPBACK], token_endpoint_auth_method: 'client_secret_basic' }),
      400,
      'invalid_client_metadata',
    );
    assertError(
      await put({ client_id: c.id, redirect_uris: ['http://evil.example/cb'], token_endpoint_auth_method: 'none' }),
      400,
      'invalid_redirect_uri',
    );
    assert.deepEqual(await t.app.get(ClientStore).findById(c.id), before);
  });

  it("RFC 7592 §2.3: delete answers 204, and the client's tokens and registration stop working (401 invalid_client)", async () => {
    const c = await registered({ scope: 'profile offline_access' });
    const tokens = await codeFlow(t, c.id, LOOPBACK, 'profile offline_access');
    assert.equal(tokens.status, 200, tokens.text);
    const res = await request(t.server).delete(c.path).set('Authorization', `Bearer ${c.token}`);
    assert.equal(res.status, 204);
    assert.equal(await t.app.get(ClientStore).findById(c.id), undefined);
    assertError(await request(t.server).get(c.path).set('Authorization', `Bearer ${c.token}`), 401, 'invalid_token');
    const refresh = await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token, client_id: c.id });
    assertError(refresh, 401, 'invalid_client');
  });
});

describe('registration errors (RFC 7591 §3.2.2): refused requests write nothing', () => {
  let t: OAuthTestApp;
  before(async () => (t = await registrationApp({ ...OPEN, grantTypes: ['authorization_code', 'refresh_token'] })));
  after(() => t.close());

  const cases: [string, unknown, number, string][] = [
    ['an http redirect URI that is not loopback', { redirect_uris: ['http://app.example/cb'] }, 400, 'invalid_redirect_uri'],
    ['a redirect URI with a fragment', { redirect_uris: ['https://app.example/cb#x'] }, 400, 'invalid_redirect_uri'],
    ['a relative redirect URI', { redirect_uris: ['/cb'] }, 400, 'invalid_redirect_uri'],
    [
      'a private-use scheme on a web client (RFC 8252 §7.1 is for native apps)',
      { redirect_uris: ['com.example.app:/cb'], application_type: 'web' },
      400,
      'invalid_redirect_uri',
    ],
    ['no redirect URI for the code grant', { redirect_uris: [], token_endpoint_auth_method: 'none' }, 400, 'invalid_redirect_uri'],
    ['redirect_uris not an array', { redirect_uris: WEB }, 400, 'invalid_client_metadata'],
    ['an unknown grant type', { redirect_uris: [WEB], grant_types: ['password'] }, 400, 'invalid_client_metadata'],
    ['a grant type outside the policy', { grant_types: ['client_credentials'] }, 400, 'invalid_client_metadata'],
    ['an unsupported auth method', { redirect_uris: [WEB], token_endpoint_auth_method: 'private_key_jwt' }, 400, 'invalid_client_metadata'],
    ['a scope outside the policy', { redirect_uris: [WEB], scope: 'teams:read' }, 400, 'invalid_client_metadata'],
    ['a response type other than code', { redirect_uris: [WEB], response_types: ['token'] }, 400, 'invalid_client_metadata'],
    ['an unknown application type', { redirect_uris: [WEB], application_type: 'desktop' }, 400, 'invalid_client_metadata'],
    ['an http logo', { redirect_uris: [WEB], logo_uri: 'http://app.example/logo.png' }, 400, 'invalid_client_metadata'],
    ['a client name of the wrong type', { redirect_uris: [WEB], client_name: 42 }, 400, 'invalid_client_metadata'],
    ['a client name too long to store', { redirect_uris: [WEB], client_name: 'x'.repeat(201) }, 400, 'invalid_client_metadata'],
    ['a JSON array', [WEB], 400, 'invalid_client_metadata'],
    [
      'a signed software statement (none is approved)',
      { redirect_uris: [WEB], software_statement: 'eyJhbGciOiJFUzI1NiJ9.eyJzb2Z0d2FyZV9pZCI6IngifQ.c2ln' },
      400,
      'unapproved_software_statement',
    ],
    [
      'a software statement that is not a JWT',
      { redirect_uris: [WEB], software_statement: 'not a jwt' },
      400,
      'invalid_software_statement',
    ],
  ];
  for (const [what, body, status, code] of cases) {
    it(`RFC 7591 §3.2.2: ${what} is ${code}`, async () => {
      assertError(await register(t, body), status, code);
      assert.equal(await clientCount(t), 0);
    });
  }

  it('RFC 8252 §7.1, §7.3: a native client may register a private-use scheme and an IPv6 loopback redirect', async () => {
    const native = await register(t, {
      redirect_uris: ['com.example.app:/cb', 'http://[::1]/cb'],
      application_type: 'native',
      token_endpoint_auth_method: 'none',
    });
    assert.equal(native.status, 201, native.text);
    assert.equal(await clientCount(t), 1);
    await request(t.server)
      .delete(pathOf(native.body.registration_client_uri))
      .set('Authorization', `Bearer ${native.body.registration_access_token}`);
  });

  it('RFC 7591 §3.1: a body that is not JSON is invalid_client_metadata', async () => {
    const form = await request(t.server).post(REGISTER).type('form').send({ redirect_uris: WEB });
    assertError(form, 400, 'invalid_client_metadata');
    const text = await request(t.server).post(REGISTER).set('Content-Type', 'text/plain').send('redirect_uris');
    assertError(text, 400, 'invalid_client_metadata');
    const broken = await request(t.server).post(REGISTER).set('Content-Type', 'application/json').send('{"redirect_uris": [');
    assertError(broken, 400, 'invalid_client_metadata');
    assert.equal(await clientCount(t), 0);
  });

  it('RFC 7591 §3.2.2: a body too large is refused with 413 invalid_client_metadata', async () => {
    const res = await register(t, { redirect_uris: [WEB], client_name: 'Big', padding: 'x'.repeat(40_000) });
    assertError(res, 413, 'invalid_client_metadata');
    const huge = await register(t, { redirect_uris: [WEB], padding: 'x'.repeat(2_000_000) });
    assertError(huge, 413, 'invalid_client_metadata');
    assert.equal(await clientCount(t), 0);
  });
});

describe('initial access tokens (RFC 7591 §3)', () => {
  let t: OAuthTestApp;
  before(
    async () =>
      (t = await registrationApp({
        ...OPEN,
        initialAccessToken: 'required',
        rateLimit: { perIp: { limit: 1, ttl: 3600 }, global: false },
      })),
  );
  after(() => t.close());

  it('RFC 7591 §3, RFC 6750 §3.1: without a token the request is 401 and nothing is written', async () => {
    const res = await register(t, { redirect_uris: [WEB] });
    assert.equal(res.status, 401);
    assert.match(String(res.headers['www-authenticate']), /^Bearer realm=/);
    assert.equal(await clientCount(t), 0);
  });

  it('RFC 6750 §3.1: an unknown token is 401 invalid_token', async () => {
    const res = await register(t, { redirect_uris: [WEB] }, 'not-a-token');
    assertError(res, 401, 'invalid_token');
    assert.match(String(res.headers['www-authenticate']), /error="invalid_token"/);
  });

  it('RFC 7591 §3: a valid token registers, more than once and past the rate limit, until it expires or is revoked', async () => {
    const tokens = t.app.get(TokenStore);
    const created = await createInitialAccessToken(tokens, t.clock, 600);
    for (let i = 0; i < 3; i++) assert.equal((await register(t, { redirect_uris: [WEB] }, created.token)).status, 201);
    const row = await tokens.findByHash((await import('node:crypto')).createHash('sha256').update(created.token).digest('hex'));
    assert.equal(row?.kind, 'initial_access', 'stored hashed');
    t.clock.advance(601);
    assertError(await register(t, { redirect_uris: [WEB] }, created.token), 401, 'invalid_token');
    const other = await createInitialAccessToken(tokens, t.clock, 600);
    await tokens.revoke(other.id, t.clock.now());
    assertError(await register(t, { redirect_uris: [WEB] }, other.token), 401, 'invalid_token');
    assert.equal(await clientCount(t), 3);
  });

  it('RFC 7662 §2.2: an initial access token is not an active access token, nor a registration access token', async () => {
    const created = await createInitialAccessToken(t.app.get(TokenStore), t.clock);
    const resourceServer = await t.register({ name: 'API', grantTypes: ['client_credentials'], canIntrospect: true });
    const introspected = await request(t.server)
      .post('/oauth2/introspect')
      .type('form')
      .auth(resourceServer.client.id, resourceServer.clientSecret!)
      .send({ token: created.token });
    assert.equal(introspected.status, 200, introspected.text);
    assert.deepEqual(introspected.body, { active: false });
    const registered = await register(t, { redirect_uris: [WEB] }, created.token);
    const read = await request(t.server)
      .get(pathOf(registered.body.registration_client_uri))
      .set('Authorization', `Bearer ${created.token}`);
    assertError(read, 401, 'invalid_token');
  });
});

describe('registration rate limits', () => {
  let t: OAuthTestApp;
  before(
    async () => (t = await registrationApp({ ...OPEN, rateLimit: { perIp: { limit: 2, ttl: 60 }, global: { limit: 3, ttl: 60 } } }, true)),
  );
  after(() => t.close());

  const from = (ip: string) =>
    request(t.server)
      .post(REGISTER)
      .set('X-Forwarded-For', ip)
      .set('Content-Type', 'application/json')
      .send({ redirect_uris: [WEB] });

  it('RFC 6585 §4: past the per-IP and then the global limit, 429 with Retry-After and an OAuth JSON body', async () => {
    assert.equal((await from('10.0.0.1')).status, 201);
    assert.equal((await from('10.0.0.1')).status, 201);
    const perIp = await from('10.0.0.1');
    assertError(perIp, 429, 'temporarily_unavailable');
    assert.ok(Number(perIp.headers['retry-after']) >= 1);
    assert.equal((await from('10.0.0.2')).status, 201);
    assertError(await from('10.0.0.3'), 429, 'temporarily_unavailable');
    assert.equal(await clientCount(t), 3);
  });
});

describe('identical re-registrations (policy reusePublicClients)', () => {
  let t: OAuthTestApp;
  before(async () => (t = await registrationApp({ ...OPEN, reusePublicClients: true })));
  after(() => t.close());

  const agent = { client_name: 'Agent', software_id: 'agent', redirect_uris: [LOOPBACK], token_endpoint_auth_method: 'none' };

  it('answers an identical public registration with the client registered before, without a registration access token', async () => {
    const first = await register(t, agent);
    const again = await register(t, agent);
    assert.equal(again.status, 201);
    assert.equal(again.body.client_id, first.body.client_id);
    assert.equal(again.body.registration_access_token, undefined);
    assert.equal(again.body.registration_client_uri, undefined);
    const different = await register(t, { ...agent, redirect_uris: ['http://127.0.0.1/elsewhere'] });
    assert.notEqual(different.body.client_id, first.body.client_id);
    const otherSoftware = await register(t, { ...agent, software_id: 'other' });
    assert.notEqual(otherSoftware.body.client_id, first.body.client_id);
  });

  it('never reuses a confidential client: its secret is shown once', async () => {
    const confidential = { ...agent, token_endpoint_auth_method: 'client_secret_basic', redirect_uris: [WEB] };
    const first = await register(t, confidential);
    const again = await register(t, confidential);
    assert.notEqual(again.body.client_id, first.body.client_id);
    assert.equal(typeof again.body.client_secret, 'string');
  });
});

describe('unused dynamic clients are deleted by the purge', () => {
  let t: OAuthTestApp;
  before(async () => (t = await registrationApp({ ...OPEN, unusedClientTtl: 24 * 3600, idleClientTtl: 90 * 24 * 3600 })));
  after(() => t.close());

  it('deletes a client never used after unusedClientTtl and a used one after idleClientTtl; the token endpoint then answers invalid_client', async () => {
    const clients = t.app.get(ClientStore);
    const purge = t.app.get(OAuthPurgeService);
    const metadata = { redirect_uris: [LOOPBACK], token_endpoint_auth_method: 'none', scope: 'profile offline_access' };
    const unused = (await register(t, metadata)).body.client_id as string;
    const used = (await register(t, metadata)).body.client_id as string;
    const operator = await t.register({ name: 'Operator app', redirectUris: [WEB] });
    const first = await codeFlow(t, used, LOOPBACK, 'profile offline_access');
    assert.equal(first.status, 200);
    const marked = (await clients.findById(used))?.lastUsedAt;
    assert.deepEqual(marked, t.clock.now());

    // Within the hour a second token writes nothing; after it, the mark moves.
    t.clock.advance(1800);
    const refreshed = await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: first.body.refresh_token, client_id: used });
    assert.equal(refreshed.status, 200);
    assert.deepEqual((await clients.findById(used))?.lastUsedAt, marked);
    t.clock.advance(3600);
    const again = await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: refreshed.body.refresh_token, client_id: used });
    assert.equal(again.status, 200);
    assert.deepEqual((await clients.findById(used))?.lastUsedAt, t.clock.now());

    t.clock.advance(24 * 3600);
    assert.equal((await purge.run()).clients, 1);
    assert.equal(await clients.findById(unused), undefined);
    assert.ok(await clients.findById(used));

    t.clock.advance(90 * 24 * 3600);
    assert.equal((await purge.run()).clients, 1);
    assert.equal(await clients.findById(used), undefined);
    assert.ok(await clients.findById(operator.client.id), "an operator's client is never purged");
    const late = await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: again.body.refresh_token, client_id: used });
    assertError(late, 401, 'invalid_client');
    const user = await request(t.server)
      .get('/oauth2/auth')
      .set(TEST_USER_HEADER, 'alice')
      .query({ client_id: used, response_type: 'code' });
    assert.equal(user.status, 400);
  });
});

describe('registration options', () => {
  const base = { issuer: 'https://auth.example', scopes: { profile: 'p', email: 'e' } };

  it('are off by default, and once on require an initial access token and keep public and secret methods', () => {
    const { registration } = resolveOAuthOptions(base);
    assert.equal(registration.enabled, false);
    const on = resolveOAuthOptions({ ...base, registration: { enabled: true } }).registration;
    assert.equal(on.initialAccessToken, 'required');
    assert.deepEqual(on.grantTypes, ['authorization_code', 'refresh_token']);
    assert.deepEqual(on.scopes, ['profile', 'email']);
    assert.deepEqual(on.defaultScope, ['profile', 'email']);
    assert.deepEqual(on.rateLimit, { perIp: { limit: 20, ttl: 3600 }, global: { limit: 1000, ttl: 3600 } });
    assert.equal(on.unusedClientTtl, 86400);
    assert.equal(on.idleClientTtl, 90 * 86400);
  });

  it('refuse a policy naming what the server does not have, listing every problem at start-up', () => {
    assert.throws(
      () =>
        resolveOAuthOptions({
          ...base,
          registration: {
            enabled: 'yes' as never,
            initialAccessToken: 'sometimes' as never,
            grantTypes: ['password' as never],
            tokenEndpointAuthMethods: [],
            scopes: ['admin'],
            defaultScope: ['email'],
            defaultResource: 'https://api.example/',
            rateLimit: { perIp: { limit: 0, ttl: 60 } },
            unusedClientTtl: -1,
          },
        }),
      (error: unknown) => {
        assert.ok(error instanceof OAuthConfigurationError);
        const text = error.problems.join('\n');
        for (const path of [
          'registration.enabled',
          'registration.initialAccessToken',
          'registration.grantTypes',
          'registration.tokenEndpointAuthMethods',
          'registration.scopes',
          'registration.defaultScope',
          'registration.defaultResource',
          'registration.rateLimit.perIp.limit',
          'registration.unusedClientTtl',
        ]) {
          assert.match(text, new RegExp(`^${path.replace(/\./g, '\\.')}: `, 'm'), `${path} in\n${text}`);
        }
        return true;
      },
    );
  });
});

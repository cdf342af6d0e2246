import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import * as oauth from 'oauth4webapi';
import request from 'supertest';
import type { Response } from 'supertest';
import { createOAuthTestApp, type OAuthTestApp } from './fixtures/oauth-app.fixture';
import { AUTH_PATH, decide, pkcePair, redirectParams, TOKEN_PATH } from './fixtures/oauth-flow';
import { TEST_USER_HEADER } from './fixtures/test-interaction';

/**
 * Resource indicators (RFC 8707) at the authorization server, over HTTP: which audience each token
 * gets, what it may carry, and how a client asks for a token per resource.
 */

const REDIRECT = 'https://customapp.example/oauth/redirect';
const API = 'https://api.shift.example/v1/';
const FILES = 'https://files.shift.example/';
type Creds = { id: string; secret: string };
type Params = [string, string][];

/** profile and teams:read → the API; email → files (5-minute tokens); offline_access → server-level. */
const RESOURCES = {
  resources: {
    [API]: { scopes: ['profile', 'teams:read'], name: 'SHIFT API' },
    [FILES]: { scopes: ['email'], name: 'SHIFT Files', accessTokenTtl: 300 },
  },
  defaultResource: API,
};

/** GET the authorization endpoint with `params` as given (repeated names kept), as alice. */
function authorize(t: OAuthTestApp, params: Params): Promise<Response> {
  return request(t.server)
    .get(`${AUTH_PATH}?${new URLSearchParams(params)}`)
    .set(TEST_USER_HEADER, 'alice');
}

/** POST the token endpoint with `params` as given (repeated names kept), with HTTP Basic. */
function token(t: OAuthTestApp, client: Creds, params: Params): Promise<Response> {
  return request(t.server).post(TOKEN_PATH).auth(client.id, client.secret).type('form').send(new URLSearchParams(params).toString());
}

/** The code flow up to the token response: authorize (consenting when asked) with `extra`, then exchange with `exchange`. */
async function connect(t: OAuthTestApp, client: Creds, extra: Params, exchange: Params = []): Promise<Response> {
  const { verifier, challenge } = pkcePair();
  const base: Params = [
    ['response_type', 'code'],
    ['client_id', client.id],
    ['state', 'st'],
    ['code_challenge', challenge],
    ['code_challenge_method', 'S256'],
  ];
  let res = await authorize(t, [...base, ...extra]);
  if (res.status === 200) res = await decide(t, res, 'alice', 'allow');
  const params = redirectParams(res);
  assert.equal(params.get('error'), null, params.get('error_description') ?? '');
  return token(t, client, [['grant_type', 'authorization_code'], ['code', params.get('code')!], ['code_verifier', verifier], ...exchange]);
}

async function confidential(t: OAuthTestApp, over: Record<string, unknown> = {}): Promise<Creds> {
  const { client, clientSecret } = await t.register({
    name: 'CustomApp',
    redirectUris: [REDIRECT],
    grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
    ...over,
  });
  return { id: client.id, secret: clientSecret! };
}

describe('resource indicators at the authorization server, over HTTP (RFC 8707)', () => {
  let t: OAuthTestApp;
  let app: Creds;
  let rs: Creds;
  const introspect = async (value: string) =>
    (await request(t.server).post('/oauth2/introspect').auth(rs.id, rs.secret).type('form').send({ token: value }).expect(200)).body;

  before(async () => {
    t = await createOAuthTestApp({ options: RESOURCES });
    app = await confidential(t);
    rs = await confidential(t, { name: 'Resource server', redirectUris: [], grantTypes: ['client_credentials'], canIntrospect: true });
  });
  after(() => t.close());

  it('RFC 8707 §2: one resource: the token is for it, and introspection says so in aud', async () => {
    const res = await connect(t, app, [
      ['scope', 'profile offline_access'],
      ['resource', API],
    ]);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.scope, 'profile offline_access');
    assert.equal(res.body.expires_in, 3600);
    const access = await introspect(res.body.access_token);
    assert.equal(access.aud, API);
    assert.equal(access.scope, 'profile offline_access');
    assert.equal((await introspect(res.body.refresh_token)).aud, API);
  });

  it("RFC 8707 §2: two resources: the first one's token by default, the other's by refreshing with resource", async () => {
    const first = await connect(t, app, [
      ['scope', 'profile email offline_access'],
      ['resource', FILES],
      ['resource', API],
    ]);
    assert.equal(first.status, 200, first.text);
    assert.equal(first.body.scope, 'email offline_access', 'the access token carries only what goes with its audience');
    assert.equal(first.body.expires_in, 300, "SHIFT Files' own lifetime");
    assert.equal((await introspect(first.body.access_token)).aud, FILES);
    assert.deepEqual((await introspect(first.body.refresh_token)).aud, [FILES, API]);
    assert.equal((await introspect(first.body.refresh_token)).scope, 'profile email offline_access');

    const api = await token(t, app, [
      ['grant_type', 'refresh_token'],
      ['refresh_token', first.body.refresh_token],
      ['resource', API],
    ]);
    assert.equal(api.status, 200, api.text);
    assert.equal(api.body.scope, 'profile offline_access');
    assert.equal(api.body.expires_in, 3600);
    assert.notEqual(api.body.refresh_token, first.body.refresh_token, 'the refresh token rotates as usual');
    assert.equal((await introspect(api.body.access_token)).aud, API);
    assert.deepEqual((await introspect(api.body.refresh_token)).aud, [FILES, API]);
    assert.deepEqual(await introspect(first.body.refresh_token), { active: false });
  });

  it('RFC 8707 §2: the consent page names the resources in words, with their identifiers', async () => {
    const fresh = await confidential(t, { name: 'Fresh app' });
    const { challenge } = pkcePair();
    const page = await authorize(t, [
      ['response_type', 'code'],
      ['client_id', fresh.id],
      ['scope', 'profile email'],
      ['resource', API],
      ['resource', FILES],
      ['code_challenge', challenge],
      ['code_challenge_method', 'S256'],
    ]);
    assert.equal(page.status, 200);
    assert.match(page.text, /<strong>SHIFT API<\/strong> <small>\(https:\/\/api.shift.example\/v1\/\)<\/small>/);
    assert.match(page.text, /<strong>SHIFT Files<\/strong>/);
  });

  it('RFC 8707 §2: a resource that is not configured is invalid_target, redirected with state and iss', async () => {
    const { challenge } = pkcePair();
    const res = await authorize(t, [
      ['response_type', 'code'],
      ['client_id', app.id],
      ['scope', 'profile'],
      ['state', 'xyz'],
      ['resource', 'https://api.shift.example/v1'],
      ['code_challenge', challenge],
      ['code_challenge_method', 'S256'],
    ]);
    const params = redirectParams(res);
    assert.ok(res.headers.location.startsWith(REDIRECT));
    assert.equal(params.get('error'), 'invalid_target');
    assert.match(params.get('error_description')!, /'https:\/\/api.shift.example\/v1' is not a resource of this server/);
    assert.equal(params.get('state'), 'xyz');
    assert.equal(params.get('iss'), 'http://127.0.0.1');
  });

  it('RFC 8707 §2, RFC 6749 §3.3: a scope of another resource than the ones requested is invalid_scope', async () => {
    const { challenge } = pkcePair();
    const res = await authorize(t, [
      ['response_type', 'code'],
      ['client_id', app.id],
      ['scope', 'email'],
      ['resource', API],
      ['code_challenge', challenge],
      ['code_challenge_method', 'S256'],
    ]);
    const params = redirectParams(res);
    assert.equal(params.get('error'), 'invalid_scope');
    assert.match(params.get('error_description')!, /email is not a scope of the requested resource/);
  });

  it('RFC 8707 §2.2: the token endpoint answers invalid_target as JSON for two resources, or one outside the grant', async () => {
    const res = await connect(
      t,
      app,
      [
        ['scope', 'profile offline_access'],
        ['resource', API],
      ],
      [
        ['resource', API],
        ['resource', FILES],
      ],
    );
    assert.equal(res.status, 400);
    assert.match(res.headers['content-type'], /application\/json/);
    assert.equal(res.body.error, 'invalid_target');
    assert.match(res.body.error_description, /exactly one audience; ask for one token per resource/);
    const outside = await connect(
      t,
      app,
      [
        ['scope', 'profile offline_access'],
        ['resource', API],
      ],
      [['resource', FILES]],
    );
    assert.equal(outside.status, 400);
    assert.equal(outside.body.error, 'invalid_target');
  });

  it("RFC 8707 §2: without resource a request gets the server's default, or the client's own, which wins", async () => {
    const byServer = await connect(t, app, [['scope', 'profile']]);
    assert.equal((await introspect(byServer.body.access_token)).aud, API);
    const filesFirst = await confidential(t, { name: 'Files app', defaultResource: FILES });
    const byClient = await connect(t, filesFirst, [['scope', 'email']]);
    assert.equal(byClient.status, 200, byClient.text);
    assert.equal((await introspect(byClient.body.access_token)).aud, FILES);
  });

  it('RFC 8707 §2: a client limited to resources without the default must name one', async () => {
    const limited = await confidential(t, { name: 'Files only', resources: [FILES] });
    const { challenge } = pkcePair();
    const res = await authorize(t, [
      ['response_type', 'code'],
      ['client_id', limited.id],
      ['scope', 'email'],
      ['code_challenge', challenge],
      ['code_challenge_method', 'S256'],
    ]);
    const params = redirectParams(res);
    assert.equal(params.get('error'), 'invalid_target');
    assert.match(params.get('error_description')!, /only for a named resource; send `resource`/);
  });

  it('RFC 8707 §2.2: client_credentials takes a resource the client may use, else its default', async () => {
    const named = await token(t, app, [
      ['grant_type', 'client_credentials'],
      ['scope', 'email'],
      ['resource', FILES],
    ]);
    assert.equal(named.status, 200, named.text);
    assert.equal(named.body.expires_in, 300);
    assert.equal((await introspect(named.body.access_token)).aud, FILES);
    const byDefault = await token(t, app, [
      ['grant_type', 'client_credentials'],
      ['scope', 'profile'],
    ]);
    assert.equal((await introspect(byDefault.body.access_token)).aud, API);
    const limited = await confidential(t, { name: 'API only', resources: [API] });
    const refused = await token(t, limited, [
      ['grant_type', 'client_credentials'],
      ['scope', 'email'],
      ['resource', FILES],
    ]);
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error, 'invalid_target');
  });

  it("RFC 8707 §2.2: oauth4webapi's own client functions obtain a token for a resource, and another by refresh", async () => {
    const server = t.app.getHttpServer();
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const as: oauth.AuthorizationServer = {
      issuer: 'http://127.0.0.1',
      token_endpoint: `${base}${TOKEN_PATH}`,
      authorization_response_iss_parameter_supported: true,
    };
    const client: oauth.Client = { client_id: app.id };
    const auth = oauth.ClientSecretBasic(app.secret);
    const insecure = { [oauth.allowInsecureRequests]: true };

    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    let res = await authorize(t, [
      ['response_type', 'code'],
      ['client_id', app.id],
      ['scope', 'profile email offline_access'],
      ['resource', API],
      ['resource', FILES],
      ['state', state],
      ['code_challenge', await oauth.calculatePKCECodeChallenge(verifier)],
      ['code_challenge_method', 'S256'],
    ]);
    if (res.status === 200) res = await decide(t, res, 'alice', 'allow');
    const callback = oauth.validateAuthResponse(as, client, new URL(res.headers.location), state);
    const codeResponse = await oauth.authorizationCodeGrantRequest(as, client, auth, callback, REDIRECT, verifier, {
      ...insecure,
      additionalParameters: { resource: FILES },
    });
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, codeResponse);
    assert.equal(tokens.scope, 'email offline_access');
    assert.equal((await introspect(tokens.access_token)).aud, FILES);

    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, auth, tokens.refresh_token!, {
        ...insecure,
        additionalParameters: { resource: API },
      }),
    );
    assert.equal(refreshed.scope, 'profile offline_access');
    assert.equal((await introspect(refreshed.access_token)).aud, API);

    const machine = await oauth.processClientCredentialsResponse(
      as,
      client,
      await oauth.clientCredentialsGrantRequest(as, client, auth, { scope: 'email', resource: FILES }, insecure),
    );
    assert.equal((await introspect(machine.access_token)).aud, FILES);

    const refused = await oauth.refreshTokenGrantRequest(as, client, auth, refreshed.refresh_token!, {
      ...insecure,
      additionalParameters: { resource: 'https://elsewhere.example/' },
    });
    await assert.rejects(oauth.processRefreshTokenResponse(as, client, refused), (error: unknown) => {
      assert.ok(error instanceof oauth.ResponseBodyError);
      assert.equal(error.error, 'invalid_target');
      return true;
    });
  });
});

describe('without resources configured, over HTTP (RFC 8707)', () => {
  let t: OAuthTestApp;
  let app: Creds;

  before(async () => {
    t = await createOAuthTestApp();
    app = await confidential(t);
  });
  after(() => t.close());

  it('RFC 8707: tokens carry no audience and the full granted scope, as before', async () => {
    const rs = await confidential(t, { name: 'RS', redirectUris: [], grantTypes: ['client_credentials'], canIntrospect: true });
    const res = await connect(t, app, [['scope', 'profile email offline_access']]);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.scope, 'profile email offline_access');
    const described = (
      await request(t.server).post('/oauth2/introspect').auth(rs.id, rs.secret).type('form').send({ token: res.body.access_token })
    ).body;
    assert.equal(described.active, true);
    assert.equal('aud' in described, false);
    const refreshed = await token(t, app, [
      ['grant_type', 'refresh_token'],
      ['refresh_token', res.body.refresh_token],
    ]);
    assert.equal(refreshed.status, 200);
  });

  it('RFC 8707 §2: a request naming a resource is refused with invalid_target, at the authorization and token endpoints', async () => {
    const { challenge } = pkcePair();
    const res = await authorize(t, [
      ['response_type', 'code'],
      ['client_id', app.id],
      ['scope', 'profile'],
      ['state', 'st'],
      ['resource', API],
      ['code_challenge', challenge],
      ['code_challenge_method', 'S256'],
    ]);
    const params = redirectParams(res);
    assert.equal(params.get('error'), 'invalid_target');
    assert.equal(params.get('state'), 'st');
    const machine = await token(t, app, [
      ['grant_type', 'client_credentials'],
      ['scope', 'profile'],
      ['resource', API],
    ]);
    assert.equal(machine.status, 400);
    assert.equal(machine.body.error, 'invalid_target');
  });
});

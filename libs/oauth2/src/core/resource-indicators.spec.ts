import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeCore, oauthRequest, SCOPES, tokenPost } from './core-test.spec-helper';
import { TokenIntrospection } from './introspection';
import { TokenRevocation } from './revocation';
import { TokenCache } from './token-cache';
import type { OAuthResponse } from './oauth-response';
import { hashSecret } from './protocol/credentials';
import { s256Challenge } from './protocol/pkce';
import type { ClientRegistration } from './client-registry';

type CoreOverrides = Parameters<typeof makeCore>[0];

const REDIRECT = 'https://app.example/cb';
const VERIFIER = 'v'.repeat(50);
const API = 'https://api.shift.example/v1/';
const FILES = 'https://files.shift.example/';
/** profile → the API, email → files, offline_access → server-level. */
const RESOURCES: CoreOverrides = {
  resources: {
    [API]: { scopes: ['profile'], name: 'SHIFT API', accessTokenTtl: 600 },
    [FILES]: { scopes: ['email'], name: 'SHIFT Files' },
  },
  resource: API,
};

type Body = Record<string, unknown> & { error?: string; error_description?: string };

function location(res: OAuthResponse): URL {
  assert.equal(res.status, 302, JSON.stringify(res.body));
  return new URL(res.headers.Location as string);
}

/** A core with RESOURCES (plus `overrides`), a confidential client, and helpers to authorize and exchange. */
async function setup(overrides: CoreOverrides = RESOURCES, registration: Partial<ClientRegistration> = {}) {
  const core = makeCore({ rememberPublicClientConsent: true, ...overrides });
  const { client, clientSecret } = await core.registry.register({
    name: 'App',
    redirectUris: [REDIRECT],
    grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
    ...registration,
  });
  const creds = { id: client.id, secret: clientSecret! };
  await core.stores.consents.grant('u', client.id, Object.keys(SCOPES), core.clock.now(), Object.keys(overrides?.resources ?? {}));
  const authorize = (query: Record<string, unknown>) =>
    core.server.handleAuthorizationRequest(
      oauthRequest({
        query: {
          response_type: 'code',
          client_id: client.id,
          state: 'st',
          code_challenge: s256Challenge(VERIFIER),
          code_challenge_method: 'S256',
          ...query,
        },
        headers: { 'x-user': 'u' },
      }),
    );
  const code = async (query: Record<string, unknown>) => {
    const params = location(await authorize(query)).searchParams;
    assert.equal(params.get('error'), null, params.get('error_description') ?? '');
    return params.get('code')!;
  };
  const token = async (body: Record<string, string | string[]>) =>
    (await core.server.handleTokenRequest({ ...tokenPost({}, creds), body })) as OAuthResponse & { body: Body };
  const exchange = (value: string, extra: Record<string, string | string[]> = {}) =>
    token({ grant_type: 'authorization_code', code: value, code_verifier: VERIFIER, ...extra });
  const stored = async (value: unknown) => core.stores.tokens.findByHash(hashSecret(value as string));
  return { ...core, client, creds, authorize, code, token, exchange, stored };
}

describe('resource indicators at the authorization endpoint (RFC 8707 §2)', () => {
  it('RFC 8707 §2: takes a repeated resource, canonicalises each value and records them on the code in request order', async () => {
    const { code, stores } = await setup();
    const value = await code({ scope: 'profile email', resource: ['HTTPS://FILES.shift.example:443/', API, FILES] });
    const consumed = await stores.codes.consume(hashSecret(value), new Date('2030-01-01T00:00:01Z'));
    assert.deepEqual(consumed.outcome === 'consumed' && consumed.code.resources, [FILES, API]);
  });

  for (const [title, resource, pattern] of [
    ['not an absolute URI', 'api.shift.example/v1/', /'api.shift.example\/v1\/' is not an absolute URI/],
    ['a URI with a fragment', `${API}#x`, /is not an absolute URI without a fragment/],
    ['not configured', 'https://api.shift.example/v1', /'https:\/\/api.shift.example\/v1' is not a resource of this server/],
  ] as const) {
    it(`RFC 8707 §2: redirects invalid_target with state and iss for a resource that is ${title}`, async () => {
      const { authorize } = await setup();
      const params = location(await authorize({ scope: 'profile', resource: [API, resource] })).searchParams;
      assert.equal(params.get('error'), 'invalid_target');
      assert.match(params.get('error_description')!, pattern);
      assert.equal(params.get('state'), 'st');
      assert.equal(params.get('iss'), 'https://as.example');
    });
  }

  it('RFC 8707 §2: refuses a resource the client may not use with invalid_target', async () => {
    const { authorize } = await setup(RESOURCES, { resources: [API] });
    const params = location(await authorize({ scope: 'email', resource: FILES })).searchParams;
    assert.equal(params.get('error'), 'invalid_target');
    assert.match(params.get('error_description')!, /may not request tokens for the resource 'https:\/\/files.shift.example\/'/);
  });

  it("RFC 8707 §2: gives a request without resource the client's default, which wins over the server's", async () => {
    const server = await setup({ ...RESOURCES, defaultResource: API });
    const serverDefault = await server.exchange(await server.code({ scope: 'profile' }));
    assert.deepEqual((await server.stored(serverDefault.body.access_token))?.resources, [API]);
    const own = await setup({ ...RESOURCES, defaultResource: API }, { defaultResource: FILES });
    const ownDefault = await own.exchange(await own.code({ scope: 'email' }));
    assert.deepEqual((await own.stored(ownDefault.body.access_token))?.resources, [FILES]);
  });

  it('RFC 8707 §2: refuses a request without resource when resources are configured and no default applies', async () => {
    const { authorize } = await setup();
    const params = location(await authorize({ scope: 'profile' })).searchParams;
    assert.equal(params.get('error'), 'invalid_target');
    assert.match(params.get('error_description')!, /only for a named resource; send `resource`/);
  });

  it('RFC 8707 §2: refuses resource when no resources are configured, rather than mint a token without audience', async () => {
    const { authorize } = await setup({});
    const params = location(await authorize({ scope: 'profile', resource: API })).searchParams;
    assert.equal(params.get('error'), 'invalid_target');
    assert.match(params.get('error_description')!, /no resources configured/);
  });

  it('RFC 8707 §2, RFC 6749 §3.3: a scope must be server-level or a scope of one of the requested resources', async () => {
    const { authorize, code } = await setup();
    const params = location(await authorize({ scope: 'profile email', resource: API })).searchParams;
    assert.equal(params.get('error'), 'invalid_scope');
    assert.match(params.get('error_description')!, /email is not a scope of the requested resource/);
    assert.ok(await code({ scope: 'profile offline_access', resource: API }), 'offline_access is server-level');
  });

  it('RFC 8707 §2, RFC 6749 §10.2: a remembered consent covers only the resources it was given for', async () => {
    const core = await setup();
    await core.stores.consents.revoke('u', core.client.id);
    await core.stores.consents.grant('u', core.client.id, ['profile', 'email', 'offline_access'], core.clock.now(), [API]);
    assert.equal((await core.authorize({ scope: 'profile offline_access', resource: API })).status, 302);
    const page = await core.authorize({ scope: 'offline_access', resource: FILES });
    assert.equal(page.status, 200, 'a new resource asks the user again');
    assert.doesNotMatch(page.body as string, /already allowed/, 'nothing is shown as approved for the new resource');
    const silent = location(await core.authorize({ scope: 'offline_access', resource: FILES, prompt: 'none' })).searchParams;
    assert.equal(silent.get('error'), 'consent_required');
  });

  it('RFC 8707 §2: the consent page names each resource in words, and the posted form keeps them all', async () => {
    const core = await setup(
      { ...RESOURCES, rememberPublicClientConsent: false },
      { public: true, applicationType: 'web', grantTypes: ['authorization_code'] },
    );
    const page = await core.authorize({ scope: 'profile email', resource: [API, FILES] });
    assert.equal(page.status, 200);
    const html = page.body as string;
    assert.match(html, /<strong>SHIFT API<\/strong> <small>\(https:\/\/api.shift.example\/v1\/\)<\/small>/);
    assert.match(html, /<strong>SHIFT Files<\/strong>/);
    const fields: Record<string, string> = {};
    for (const m of html.matchAll(/name="([^"]*)" value="([^"]*)"/g))
      fields[m[1]] = m[2].replace(/&#(\d+);/g, (_, n) => String.fromCharCode(n));
    assert.equal(fields.resource, `${API} ${FILES}`);
    const cookie = String(page.headers['Set-Cookie']).split(';')[0].split('=')[1];
    const decision = await core.server.handleConsentDecision(
      oauthRequest({
        method: 'POST',
        url: '/oauth2/auth',
        headers: { 'x-user': 'u' },
        cookies: { oauth_consent: cookie },
        body: { ...fields, decision: 'allow' },
      }),
    );
    const value = location(decision).searchParams.get('code')!;
    const consumed = await core.stores.codes.consume(hashSecret(value), core.clock.now());
    assert.deepEqual(consumed.outcome === 'consumed' && consumed.code.resources, [API, FILES]);
  });
});

describe('resource indicators at the token endpoint (RFC 8707 §2.2)', () => {
  it("RFC 8707 §2.2: without resource the token is for the grant's first resource, with its scopes and lifetime", async () => {
    const { code, exchange, stored } = await setup();
    const res = await exchange(await code({ scope: 'profile email offline_access', resource: [FILES, API] }));
    assert.equal(res.status, 200);
    assert.equal(res.body.scope, 'email offline_access');
    assert.equal(res.body.expires_in, 3600, 'SHIFT Files has the server lifetime');
    const access = await stored(res.body.access_token);
    assert.deepEqual([access?.resources, access?.scopes], [[FILES], ['email', 'offline_access']]);
    const refresh = await stored(res.body.refresh_token);
    assert.deepEqual(
      [refresh?.resources, refresh?.scopes],
      [
        [FILES, API],
        ['profile', 'email', 'offline_access'],
      ],
    );
  });

  it("RFC 8707 §2.2: a named resource of the grant is the audience, with that resource's lifetime", async () => {
    const { code, exchange, stored, clock } = await setup();
    const res = await exchange(await code({ scope: 'profile email offline_access', resource: [FILES, API] }), { resource: API });
    assert.equal(res.body.scope, 'profile offline_access');
    assert.equal(res.body.expires_in, 600);
    const access = await stored(res.body.access_token);
    assert.equal(access!.expiresAt.getTime() - clock.now().getTime(), 600_000);
  });

  it('RFC 8707 §2.2: more than one resource, or one that is no URI, is invalid_target at the token endpoint, and the code stays unused', async () => {
    const { code, exchange } = await setup();
    const value = await code({ scope: 'profile email', resource: [FILES, API] });
    const res = await exchange(value, { resource: [FILES, API] });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'invalid_target');
    assert.match(res.body.error_description!, /exactly one audience; ask for one token per resource/);
    assert.equal((await exchange(value, { resource: 'files.shift.example/' })).body.error, 'invalid_target');
    assert.equal((await exchange(value)).status, 200);
  });

  it('RFC 8707 §2.2: a resource the grant does not cover is invalid_target', async () => {
    const { code, exchange } = await setup();
    const res = await exchange(await code({ scope: 'profile', resource: API }), { resource: FILES });
    assert.equal(res.body.error, 'invalid_target');
    assert.match(res.body.error_description!, /not one this grant was authorized for/);
  });

  it('RFC 8707 §2.2: a refresh names another resource of the grant and gets a token for it, rotating the refresh token', async () => {
    const { code, exchange, token, stored } = await setup();
    const first = await exchange(await code({ scope: 'profile email offline_access', resource: [API, FILES] }));
    const second = await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token as string, resource: FILES });
    assert.equal(second.status, 200);
    assert.equal(second.body.scope, 'email offline_access');
    assert.deepEqual((await stored(second.body.access_token))?.resources, [FILES]);
    const rotated = await stored(second.body.refresh_token);
    assert.deepEqual(
      [rotated?.resources, rotated?.scopes],
      [
        [API, FILES],
        ['profile', 'email', 'offline_access'],
      ],
    );
    assert.ok((await stored(first.body.refresh_token))?.rotatedAt);
    const narrow = await token({ grant_type: 'refresh_token', refresh_token: second.body.refresh_token as string, scope: 'profile email' });
    assert.equal(narrow.body.scope, 'profile', 'a narrower scope keeps what goes with the audience');
  });

  it('RFC 8707 §2.2, RFC 9700 §4.14.2: a retry naming another resource than the rotation it repeats is refused, without revoking', async () => {
    const { code, exchange, token, stored } = await setup({ ...RESOURCES, refreshTokenGracePeriod: 30, secret: 'k'.repeat(32) });
    const first = await exchange(await code({ scope: 'profile email offline_access', resource: [API, FILES] }));
    const refresh = { grant_type: 'refresh_token', refresh_token: first.body.refresh_token as string };
    const rotated = await token({ ...refresh, resource: FILES });
    assert.equal(rotated.status, 200);
    const other = await token({ ...refresh, resource: API });
    assert.equal(other.body.error, 'invalid_grant');
    assert.match(other.body.error_description!, /already rotated for the resource 'https:\/\/files.shift.example\/'/);
    assert.equal((await stored(rotated.body.access_token))?.revokedAt, null, 'nothing revoked');
    const again = await token({ ...refresh, resource: FILES });
    assert.equal(again.body.access_token, rotated.body.access_token, 'the same retry still gets the same pair');
  });

  it('RFC 8707 §2.2: a refresh is refused with invalid_target once the client may no longer use the resource', async () => {
    const { code, exchange, token, registry, client } = await setup();
    const first = await exchange(await code({ scope: 'profile email offline_access', resource: [API, FILES] }));
    await registry.update(client.id, { resources: [API] });
    const refresh = { grant_type: 'refresh_token', refresh_token: first.body.refresh_token as string };
    const files = await token({ ...refresh, resource: FILES });
    assert.equal(files.body.error, 'invalid_target');
    assert.match(files.body.error_description!, /may no longer request tokens for the resource/);
    assert.equal((await token({ ...refresh, resource: API })).status, 200, 'the refused request rotated nothing');
  });

  it('RFC 8707 §2.2: client_credentials gets the named resource, else the defaults, else invalid_target', async () => {
    const { token, stored } = await setup({ ...RESOURCES }, { resources: [API, FILES], defaultResource: FILES });
    const named = await token({ grant_type: 'client_credentials', scope: 'profile', resource: API });
    assert.equal(named.status, 200);
    assert.deepEqual((await stored(named.body.access_token))?.resources, [API]);
    assert.equal(named.body.expires_in, 600);
    const byDefault = await token({ grant_type: 'client_credentials', scope: 'email' });
    assert.deepEqual((await stored(byDefault.body.access_token))?.resources, [FILES]);
    const wrong = await token({ grant_type: 'client_credentials', scope: 'profile' });
    assert.equal(wrong.body.error, 'invalid_scope', 'profile is not a scope of the default resource');
    const none = await setup(RESOURCES, { resources: [API] });
    const refused = await none.token({ grant_type: 'client_credentials', scope: 'email', resource: FILES });
    assert.equal(refused.body.error, 'invalid_target');
    const noDefault = await none.token({ grant_type: 'client_credentials', scope: 'profile' });
    assert.equal(noDefault.body.error, 'invalid_target');
    const two = await none.token({ grant_type: 'client_credentials', scope: 'profile', resource: [API, API] });
    assert.equal(two.body.error, 'invalid_target');
  });

  it('RFC 8707: with no resources configured tokens carry none, and a token request naming one is invalid_target', async () => {
    const { code, exchange, token, stored } = await setup({});
    const res = await exchange(await code({ scope: 'profile offline_access' }));
    assert.equal(res.status, 200);
    assert.deepEqual((await stored(res.body.access_token))?.resources, []);
    assert.deepEqual((await stored(res.body.refresh_token))?.resources, []);
    const refused = await token({ grant_type: 'refresh_token', refresh_token: res.body.refresh_token as string, resource: API });
    assert.equal(refused.body.error, 'invalid_target');
    const machine = await token({ grant_type: 'client_credentials', scope: 'profile', resource: API });
    assert.equal(machine.body.error, 'invalid_target');
  });
});

describe('introspection and revocation of resource-bound tokens (RFC 7662 §2.2, RFC 7009 §2.1)', () => {
  it('RFC 7662 §2.2: aud is the access token audience, and the refresh token grant resources', async () => {
    const core = await setup();
    const rs = await core.registry.register({ name: 'RS', grantTypes: ['client_credentials'], canIntrospect: true });
    const introspection = new TokenIntrospection({
      options: core.options,
      clients: core.stores.clients,
      tokens: core.stores.tokens,
      clock: core.clock,
    });
    const ask = async (value: unknown) =>
      (await introspection.handle(tokenPost({ token: value as string }, { id: rs.client.id, secret: rs.clientSecret }))).body as Body;
    const two = await core.exchange(await core.code({ scope: 'profile email offline_access', resource: [API, FILES] }));
    assert.equal((await ask(two.body.access_token)).aud, API);
    assert.deepEqual((await ask(two.body.refresh_token)).aud, [API, FILES]);
    const one = await core.exchange(await core.code({ scope: 'profile offline_access', resource: API }));
    assert.equal((await ask(one.body.refresh_token)).aud, API);
    const plain = await setup({});
    const bare = await plain.exchange(await plain.code({ scope: 'profile' }));
    const plainRs = await plain.registry.register({ name: 'RS', grantTypes: ['client_credentials'], canIntrospect: true });
    const plainIntrospection = new TokenIntrospection({
      options: plain.options,
      clients: plain.stores.clients,
      tokens: plain.stores.tokens,
      clock: plain.clock,
    });
    const described = (
      await plainIntrospection.handle(
        tokenPost({ token: bare.body.access_token as string }, { id: plainRs.client.id, secret: plainRs.clientSecret }),
      )
    ).body as Body;
    assert.equal(described.active, true);
    assert.equal('aud' in described, false);
  });

  it('RFC 7009 §2.1: revoking the refresh token of a multi-resource grant revokes the tokens of every resource', async () => {
    const { code, exchange, token, stored, stores, clock, creds } = await setup();
    const first = await exchange(await code({ scope: 'profile email offline_access', resource: [API, FILES] }));
    const files = await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token as string, resource: FILES });
    const revocation = new TokenRevocation({
      options: { realm: 'realm' },
      clients: stores.clients,
      tokens: stores.tokens,
      consents: stores.consents,
      cache: new TokenCache({ maxEntries: 10, ttl: 30 }),
      clock,
    });
    const revoked = await revocation.handle(tokenPost({ token: files.body.refresh_token as string }, creds));
    assert.equal(revoked.status, 200);
    for (const value of [first.body.access_token, files.body.access_token, files.body.refresh_token]) {
      assert.ok((await stored(value))?.revokedAt, 'every token of the grant is revoked');
    }
  });
});

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { ClientRegistrationError, ClientRegistry } from 'nest-oauth2-provider';
import { startSample, type RunningSample } from '../apps/sample/src/sample';
import { SHIFT_SCOPES } from '../apps/sample/src/shift/shift-oauth.options';
import { httpAdapterKind } from './fixtures/oauth-app.fixture';
import { CookieClient, filesAt, freePort, pkcePair, readForm } from './support/sample-harness';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/**
 * The sample's SHIFT over plain HTTP (no browser): the login form, an authorization with consent,
 * and the API a connected app calls with its bearer token.
 */
describe('sample SHIFT over HTTP', () => {
  let db: TestDatabase;
  let sample: RunningSample;
  let shift: string;
  let customApp: string;
  let files: string;
  const redirectUri = 'http://127.0.0.1:9/cb';
  let client: { id: string; secret: string };

  before(async () => {
    db = await createTestDatabase();
    const [shiftPort, customAppPort] = [await freePort(), await freePort()];
    shift = `http://localhost:${shiftPort}`;
    customApp = `http://localhost:${customAppPort}`;
    const filesEndpoint = await filesAt();
    files = filesEndpoint.filesUrl;
    sample = await startSample(
      {
        shiftPort,
        customAppPort,
        ...filesEndpoint,
        issuer: shift,
        customAppUrl: customApp,
        accessTokenTtl: 3600,
        host: 'localhost',
        // Every test logs in from 127.0.0.1, so the per-IP budget is wide; the per-user one is tested below.
        loginRateLimit: { perUser: 30, perIp: 1000 },
      },
      db.url,
      false,
    );
    const registered = await sample.shift.get(ClientRegistry).register({
      name: 'API test client',
      redirectUris: [redirectUri],
      scopes: ['profile', 'offline_access', 'teams:read', 'files:read'],
    });
    client = { id: registered.client.id, secret: registered.clientSecret! };
  });
  after(async () => {
    await sample?.close();
    await db?.drop();
  });

  async function loggedIn(username = 'nate', password = 'shift-demo'): Promise<CookieClient> {
    const browser = new CookieClient();
    const { fields } = readForm((await browser.request(`${shift}/login`)).text, /<form method="post" action="\/login"/);
    const res = await browser.request(`${shift}/login`, { form: { ...fields, username, password } });
    assert.equal(res.status, 303, 'login should redirect');
    return browser;
  }

  /** The authorization code flow as a client would run it: authorize, consent, code, token (RFC 6749 §4.1). */
  async function tokenFor(scope: string, username = 'nate'): Promise<string> {
    return (await tokensFor(scope, { username })).access_token;
  }

  /** The same flow, asking for `resources` (RFC 8707 §2) and the token for `resource`; the whole token response. */
  async function tokensFor(
    scope: string,
    { username = 'nate', resources = [] as string[], resource }: { username?: string; resources?: string[]; resource?: string } = {},
  ): Promise<{ access_token: string; refresh_token?: string; scope: string }> {
    const browser = await loggedIn(username);
    const { verifier, challenge } = pkcePair();
    const state = randomBytes(8).toString('hex');
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: client.id,
      redirect_uri: redirectUri,
      scope,
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    for (const value of resources) query.append('resource', value);
    let res = await browser.request(`${shift}/v1/oauth2/auth?${query}`);
    if (res.status === 200) {
      const form = readForm(res.text, /<form method="post"[^>]*class="actions"/);
      res = await browser.request(new URL(form.action, shift).toString(), { form: { ...form.fields, decision: 'allow' } });
    }
    const location = new URL(res.headers.get('location')!);
    assert.equal(location.searchParams.get('state'), state);
    const code = location.searchParams.get('code')!;
    const token = await fetch(`${shift}/v1/oauth2/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        code_verifier: verifier,
        ...(resource ? { resource } : {}),
      }),
    });
    assert.equal(token.status, 200);
    return (await token.json()) as { access_token: string; refresh_token?: string; scope: string };
  }

  /** A refresh (RFC 6749 §6) asking for a token for `resource` (RFC 8707 §2). */
  async function refreshFor(refreshToken: string, resource: string) {
    const res = await fetch(`${shift}/v1/oauth2/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, resource }),
    });
    assert.equal(res.status, 200);
    return (await res.json()) as { access_token: string; refresh_token: string; scope: string };
  }

  const api = (path: string, token?: string) => fetch(`${shift}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('GET /v1/users/me returns the profile of the user who approved a token with `profile`', async () => {
    const res = await api('/v1/users/me', await tokenFor('profile'));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const body = (await res.json()) as any;
    assert.deepEqual(
      { first_name: body.first_name, last_name: body.last_name, email: body.email },
      { first_name: 'Nate', last_name: 'Rivera', email: 'nate@shift.example' },
    );
    assert.match(body.id, /^[0-9a-f]{32}$/);
  });

  it('RFC 8707 §2: a token minted for SHIFT’s user API is refused by SHIFT Files, and a SHIFT Files token by the user API', async () => {
    const userApi = `${shift}/v1/`;
    const filesApi = `${files}/`;
    const first = await tokensFor('profile files:read offline_access', { resources: [userApi, filesApi], resource: userApi });
    assert.equal(first.scope.split(' ').includes('files:read'), false, 'the user-API token carries only that API’s scopes');
    const second = await refreshFor(first.refresh_token!, filesApi);
    assert.deepEqual(
      second.scope.split(' ').filter((s) => s !== 'offline_access'),
      ['files:read'],
    );
    const filesGet = (token: string) => fetch(`${files}/v1/files`, { headers: { authorization: `Bearer ${token}` } });

    const me = await api('/v1/users/me', first.access_token);
    assert.equal(me.status, 200);
    const list = await filesGet(second.access_token);
    assert.equal(list.status, 200);
    assert.deepEqual(
      ((await list.json()) as { files: { name: string }[] }).files.map((f) => f.name),
      ['Spring rota.xlsx', 'Design team offsite.pdf'],
    );

    const filesWithUserToken = await filesGet(first.access_token);
    assert.equal(filesWithUserToken.status, 401);
    assert.match(filesWithUserToken.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    assert.match(
      filesWithUserToken.headers.get('www-authenticate') ?? '',
      new RegExp(`resource_metadata="${files}/\\.well-known/oauth-protected-resource"`),
    );
    const userApiWithFilesToken = await api('/v1/users/me', second.access_token);
    assert.equal(userApiWithFilesToken.status, 401);
    assert.match(userApiWithFilesToken.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    assert.match(
      userApiWithFilesToken.headers.get('www-authenticate') ?? '',
      new RegExp(`resource_metadata="${shift}/\\.well-known/oauth-protected-resource/v1/"`),
    );
  });

  it('RFC 9068 §4: SHIFT Files verifies its JWT access tokens with SHIFT’s published keys, never calling SHIFT’s introspection endpoint', async () => {
    const seen: string[] = [];
    const record = (req: IncomingMessage) => seen.push((req.url ?? '').split('?')[0]!);
    const server = sample.shift.getHttpServer();
    server.on('request', record);
    try {
      const { access_token } = await tokensFor('files:read', { resources: [`${files}/`], resource: `${files}/` });
      assert.equal(access_token.split('.').length, 3, 'SHIFT mints a JWT for SHIFT Files');
      const filesGet = () => fetch(`${files}/v1/files`, { headers: { authorization: `Bearer ${access_token}` } });
      const before = seen.length;
      assert.equal((await filesGet()).status, 200);
      const firstCall = seen.slice(before);
      assert.ok(
        firstCall.every((path) => path === '/.well-known/oauth-authorization-server' || path === '/v1/oauth2/jwks'),
        `the first call may read SHIFT’s metadata and JWK Set, nothing else: ${firstCall.join(', ')}`,
      );
      const afterFirst = seen.length;
      for (let i = 0; i < 5; i++) assert.equal((await filesGet()).status, 200);
      assert.deepEqual(seen.slice(afterFirst), [], 'no request reaches SHIFT per call');
      assert.ok(!seen.some((path) => path.includes('introspect')));
    } finally {
      server.off('request', record);
    }
  });

  it('RFC 9728 §3: SHIFT and SHIFT Files each publish their protected-resource metadata, naming SHIFT as the authorization server', async () => {
    const userApiDoc = (await (await fetch(`${shift}/.well-known/oauth-protected-resource/v1/`)).json()) as Record<string, unknown>;
    assert.equal(userApiDoc.resource, `${shift}/v1/`);
    assert.deepEqual(userApiDoc.authorization_servers, [shift]);
    assert.deepEqual(userApiDoc.scopes_supported, ['profile', 'teams:read']);
    const filesDoc = (await (await fetch(`${files}/.well-known/oauth-protected-resource`)).json()) as Record<string, unknown>;
    assert.equal(filesDoc.resource, `${files}/`);
    assert.deepEqual(filesDoc.authorization_servers, [shift]);
    assert.deepEqual(filesDoc.scopes_supported, ['files:read']);
    assert.equal(filesDoc.resource_name, 'SHIFT Files');
    const mcpDoc = (await (await fetch(`${shift}/.well-known/oauth-protected-resource/mcp`)).json()) as Record<string, unknown>;
    assert.equal(mcpDoc.resource, `${shift}/mcp`);
    assert.deepEqual(mcpDoc.authorization_servers, [shift]);
    assert.deepEqual(
      mcpDoc.scopes_supported,
      ['profile', 'teams:read', 'files:read'],
      'offline_access is the client’s to ask, not the resource’s',
    );
  });

  it('MCP 2025-11-25 Transports §Streamable HTTP: /mcp wants a bearer token, and a stateless server answers GET with 405', async () => {
    const none = await fetch(`${shift}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(none.status, 401);
    assert.equal(
      none.headers.get('www-authenticate'),
      `Bearer realm="${shift}", resource_metadata="${shift}/.well-known/oauth-protected-resource/mcp", scope="profile"`,
    );
    const userApiToken = (await tokensFor('profile')).access_token;
    const wrongAudience = await fetch(`${shift}/mcp`, { method: 'POST', headers: { Authorization: `Bearer ${userApiToken}` } });
    assert.equal(wrongAudience.status, 401, 'RFC 8707: a token for the user API is not one for the MCP server');
    assert.match(wrongAudience.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    const mcpToken = (await tokensFor('profile', { resources: [`${shift}/mcp`], resource: `${shift}/mcp` })).access_token;
    const stream = await fetch(`${shift}/mcp`, { headers: { Authorization: `Bearer ${mcpToken}`, Accept: 'text/event-stream' } });
    assert.equal(stream.status, 405);
    assert.equal(stream.headers.get('allow'), 'POST');
  });

  it('GET /v1/users/me without a token is 401 with a Bearer challenge and no error code (RFC 6750 §3.1)', async () => {
    const res = await api('/v1/users/me');
    assert.equal(res.status, 401);
    const challenge = res.headers.get('www-authenticate') ?? '';
    assert.match(challenge, /^Bearer /);
    assert.doesNotMatch(challenge, /error=/);
  });

  it('GET /v1/users/me with an unknown token is 401 invalid_token (RFC 6750 §3.1)', async () => {
    const res = await api('/v1/users/me', 'not-a-token-shift-ever-issued');
    assert.equal(res.status, 401);
    assert.match(res.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
  });

  it('GET /v1/users/me with a token lacking `profile` is 403 insufficient_scope naming the scope (RFC 6750 §3.1)', async () => {
    const res = await api('/v1/users/me', await tokenFor('teams:read'));
    assert.equal(res.status, 403);
    const challenge = res.headers.get('www-authenticate') ?? '';
    assert.match(challenge, /error="insufficient_scope"/);
    assert.match(challenge, /scope="profile"/);
  });

  it('GET /v1/teams lists the user’s teams with `teams:read`, and needs that scope', async () => {
    const teamsToken = await tokenFor('teams:read');
    const res = await api('/v1/teams', teamsToken);
    assert.equal(res.status, 200);
    const { teams } = (await res.json()) as any;
    assert.deepEqual(
      teams.map((t: { name: string; role: string }) => [t.name, t.role]),
      [
        ['Design', 'owner'],
        ['Support', 'member'],
      ],
    );
    const one = await api(`/v1/teams/${teams[0].id}`, teamsToken);
    assert.equal(one.status, 200);
    assert.equal(((await one.json()) as any).name, 'Design');

    const profileOnly = await api('/v1/teams', await tokenFor('profile'));
    assert.equal(profileOnly.status, 403);
    assert.match(profileOnly.headers.get('www-authenticate') ?? '', /scope="teams:read"/);
  });

  it('GET /v1/teams/:id is 404 for a team the user is not in', async () => {
    const adaToken = await tokenFor('teams:read', 'ada');
    const { teams } = (await (await api('/v1/teams', adaToken)).json()) as any;
    assert.deepEqual(
      teams.map((t: { name: string }) => t.name),
      ['Design'],
    );
    const support = '0a4f9e2c7b1d4e8fa6c3b5d7e9f0a1b2';
    assert.equal((await api(`/v1/teams/${support}`, adaToken)).status, 404);
  });

  it('the login form says "Wrong username or password" for a wrong password and for an unknown user alike', async () => {
    for (const [username, password] of [
      ['nate', 'not-the-password'],
      ['nobody', 'shift-demo'],
    ]) {
      const browser = new CookieClient();
      const { fields } = readForm((await browser.request(`${shift}/login`)).text, /<form method="post" action="\/login"/);
      const res = await browser.request(`${shift}/login`, { form: { ...fields, username, password } });
      assert.equal(res.status, 401);
      assert.match(res.text, /Wrong username or password/);
      assert.equal(browser.cookies.has('shift_sid'), true);
      assert.equal((await browser.request(`${shift}/account/apps`)).status, 302, 'still logged out');
    }
  });

  it('slows password guessing: past 30 attempts per username in 5 minutes, 429 with Retry-After; other users unaffected', async () => {
    const attempt = async (username: string, password: string) => {
      const browser = new CookieClient();
      const { fields } = readForm((await browser.request(`${shift}/login`)).text, /<form method="post" action="\/login"/);
      return browser.request(`${shift}/login`, { form: { ...fields, username, password } });
    };
    for (let i = 0; i < 30; i++) assert.equal((await attempt('mallory', `guess-${i}`)).status, 401);
    const blocked = await attempt('Mallory', 'guess-30'); // the count is per username, whatever its case
    assert.equal(blocked.status, 429);
    assert.ok(Number(blocked.headers.get('retry-after')) > 0, 'Retry-After says when to try again');
    assert.match(blocked.text, /Too many attempts/);
    assert.equal((await attempt('ada', 'shift-demo')).status, 303, 'another user still logs in');
  });

  it('the session cookie is HttpOnly and SameSite=Lax, and changes at login (no session fixation)', async () => {
    const browser = new CookieClient();
    const page = await browser.request(`${shift}/login`);
    const before = browser.cookies.get('shift_sid');
    assert.match(page.setCookies.join('\n'), /shift_sid=.*; HttpOnly; SameSite=Lax/i);
    const { fields } = readForm(page.text, /<form method="post" action="\/login"/);
    await browser.request(`${shift}/login`, { form: { ...fields, username: 'nate', password: 'shift-demo' } });
    assert.notEqual(browser.cookies.get('shift_sid'), before);
  });

  it('refuses a login form posted without its CSRF token', async () => {
    const browser = new CookieClient();
    await browser.request(`${shift}/login`);
    const res = await browser.request(`${shift}/login`, { form: { username: 'nate', password: 'shift-demo' } });
    assert.equal(res.status, 403);
    assert.doesNotMatch(res.text, /at .*\.js:\d+/);
  });

  it('after login, returns only to a path on SHIFT (no open redirect)', async () => {
    const browser = new CookieClient();
    const { fields } = readForm((await browser.request(`${shift}/login`)).text, /<form method="post" action="\/login"/);
    const res = await browser.request(`${shift}/login`, {
      form: { ...fields, username: 'nate', password: 'shift-demo', return_to: '//evil.example/' },
    });
    assert.equal(res.headers.get('location'), '/');
  });

  it('the connected-apps page lists an approved app and revokes its tokens', async () => {
    const token = await tokenFor('profile');
    const browser = await loggedIn();
    const page = await browser.request(`${shift}/account/apps`);
    assert.equal(page.status, 200);
    assert.match(page.text, /API test client/);
    const form = readForm(page.text, /<form method="post" action="\/account\/apps\/revoke"/);
    assert.equal(form.fields.client_id, client.id);
    const revoked = await browser.request(`${shift}/account/apps/revoke`, { form: form.fields });
    assert.equal(revoked.status, 303);
    assert.equal((await api('/v1/users/me', token)).status, 401);
    const after = (await browser.request(`${shift}/account/apps`)).text;
    assert.match(after, /API test client can no longer access your SHIFT account/);
    assert.match(after, /No app is connected to your account/);
  });

  it('SHIFT’s consent page asks a public client again, marking earlier approvals and highlighting new scopes (RFC 8252 §8.6)', async () => {
    const loopback = 'http://127.0.0.1:7000/cb';
    const { client: app } = await sample.shift.get(ClientRegistry).register({
      name: 'Desktop client',
      redirectUris: [loopback],
      scopes: ['profile', 'teams:read'],
      public: true,
    });
    const browser = await loggedIn();
    const authorize = (scope: string) =>
      browser.request(
        `${shift}/v1/oauth2/auth?${new URLSearchParams({
          response_type: 'code',
          client_id: app.id,
          redirect_uri: loopback,
          scope,
          state: 'st',
          code_challenge: pkcePair().challenge,
          code_challenge_method: 'S256',
        })}`,
      );
    const first = await authorize('profile');
    assert.equal(first.status, 200);
    assert.doesNotMatch(first.text, /You already allowed/);
    const form = readForm(first.text, /<form method="post"[^>]*class="actions"/);
    const allowed = await browser.request(new URL(form.action, shift).toString(), { form: { ...form.fields, decision: 'allow' } });
    assert.ok(new URL(allowed.headers.get('location')!).searchParams.get('code'));

    const again = await authorize('profile');
    assert.equal(again.status, 200, 'the consent page again, not a code');
    assert.match(again.text, /You already allowed Desktop client to:/);
    assert.doesNotMatch(again.text, /class="scope-new"/);

    const more = await authorize('profile teams:read');
    assert.equal(more.status, 200);
    assert.match(
      more.text,
      /<li class="scope-new">[^<]*<span[^>]*>\+<\/span> See the teams you belong to <code>teams:read<\/code> <span class="tag">New<\/span>/,
    );
    assert.match(more.text, /You already allowed:[^]*See your name and email address <code>profile<\/code>/);
  });

  it('runs SHIFT, CustomApp and SHIFT Files on the HTTP platform HTTP_ADAPTER names', () => {
    for (const app of [sample.shift, sample.customApp, sample.files]) {
      assert.equal(app.getHttpAdapter().getType(), httpAdapterKind());
    }
    assert.equal(sample.config.httpAdapter, httpAdapterKind());
  });

  it('registered CustomApp as a confidential client on first start', async () => {
    assert.equal(sample.provisioned, 'registered');
    const metadata = (await (await fetch(`${shift}/.well-known/oauth-authorization-server`)).json()) as any;
    assert.equal(metadata.issuer, shift);
  });

  it("RFC 7591 §3: SHIFT advertises open dynamic registration; a registered agent may ask for every scope SHIFT allows, and gets SHIFT's MCP server as its resource", async () => {
    const metadata = (await (await fetch(`${shift}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    assert.equal(metadata.registration_endpoint, `${shift}/v1/oauth2/register`);
    const metadataDocument = {
      client_name: 'Terminal agent',
      redirect_uris: ['http://127.0.0.1/callback'],
      token_endpoint_auth_method: 'none',
    };
    const register = () =>
      fetch(`${shift}/v1/oauth2/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(metadataDocument),
      });
    const res = await register();
    assert.equal(res.status, 201);
    const registered = (await res.json()) as Record<string, unknown>;
    // scopeLimit 'policy': the server replaces the requested (here: default) scope with all it allows (RFC 7591 §3.2.1).
    assert.deepEqual(String(registered.scope).split(' ').sort(), Object.keys(SHIFT_SCOPES).sort());
    const stored = await sample.shift.get(ClientRegistry).get(registered.client_id as string);
    assert.equal(stored?.registration, 'dynamic');
    assert.equal(stored?.defaultResource, `${shift}/mcp`);
    const again = (await (await register()).json()) as Record<string, unknown>;
    assert.equal(again.client_id, registered.client_id, 'an identical public re-registration gets the same client');
  });

  it('CustomApp shows a friendly page, not a stack trace, for a callback it did not ask for', async () => {
    const res = await new CookieClient().request(`${customApp}/oauth/redirect?code=abc&state=forged&iss=${encodeURIComponent(shift)}`);
    assert.equal(res.status, 400);
    assert.match(res.text, /Please start again/);
    assert.doesNotMatch(res.text, /Error|at .*\.js/);
  });
});

describe('sample restart', () => {
  it('reuses CustomApp’s registration at SHIFT on the next start, and follows a changed CustomApp URL', async () => {
    const db = await createTestDatabase();
    try {
      const files = await filesAt();
      const start = (shiftPort: number, customAppPort: number) =>
        startSample(
          {
            shiftPort,
            customAppPort,
            ...files,
            issuer: `http://localhost:${shiftPort}`,
            customAppUrl: `http://localhost:${customAppPort}`,
            accessTokenTtl: 60,
            host: 'localhost',
            loginRateLimit: false,
          },
          db.url,
          false,
        );
      const [shiftPort, customAppPort] = [await freePort(), await freePort()];
      const first = await start(shiftPort, customAppPort);
      assert.equal(first.provisioned, 'registered');
      await first.close();
      const second = await start(shiftPort, customAppPort);
      assert.equal(second.provisioned, 'reused');
      await second.close();
      const third = await start(shiftPort, await freePort());
      assert.equal(third.provisioned, 'updated');
      await third.close();
    } finally {
      await db.drop();
    }
  });

  it('refuses a changed CustomApp URL that registration would refuse, with the registry’s error (RFC 9700 §4.1.3)', async () => {
    const db = await createTestDatabase();
    try {
      const files = await filesAt();
      const start = (shiftPort: number, customAppUrl: string, customAppPort: number) =>
        startSample(
          {
            shiftPort,
            customAppPort,
            ...files,
            issuer: `http://localhost:${shiftPort}`,
            customAppUrl,
            accessTokenTtl: 60,
            host: 'localhost',
            loginRateLimit: false,
          },
          db.url,
          false,
        );
      const [shiftPort, customAppPort] = [await freePort(), await freePort()];
      const first = await start(shiftPort, `http://localhost:${customAppPort}`, customAppPort);
      assert.equal(first.provisioned, 'registered');
      await first.close();
      const refused = await start(shiftPort, `http://LOCALHOST:${customAppPort}`, customAppPort).then(
        async (started) => void (await started.close()),
        (err: unknown) => err,
      );
      assert.ok(refused instanceof ClientRegistrationError, `the non-canonical redirect URI was accepted: ${String(refused)}`);
      assert.match(refused.message, /canonical form "http:\/\/localhost:\d+\/oauth\/redirect"/);
      const again = await start(shiftPort, `http://localhost:${customAppPort}`, customAppPort);
      assert.equal(again.provisioned, 'reused', 'the refused URL was not stored');
      await again.close();
    } finally {
      await db.drop();
    }
  });
});

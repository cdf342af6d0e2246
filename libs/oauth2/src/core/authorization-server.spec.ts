import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuthorizationServer } from './authorization-server';
import { HeaderInteraction, makeCore, oauthRequest, tokenPost } from './core-test.spec-helper';
import { s256Challenge } from './protocol/pkce';
import type { OAuthResponse } from './oauth-response';
import type { ConsentView } from './oauth-interaction';
import type { OAuthClient } from '../stores/models';

const REDIRECT = 'https://app.example/cb';
const VERIFIER = 'v'.repeat(50);

function location(res: OAuthResponse): URL {
  assert.equal(res.status, 302);
  return new URL(res.headers.Location as string, 'https://as.example');
}

function hidden(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/name="([^"]*)" value="([^"]*)"/g))
    out[m[1]] = m[2].replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)));
  return out;
}

async function setup() {
  const core = makeCore();
  const { client, clientSecret } = await core.registry.register({ name: 'App', redirectUris: [REDIRECT] });
  const query = {
    response_type: 'code',
    client_id: client.id,
    scope: 'profile',
    state: 's',
    code_challenge: s256Challenge(VERIFIER),
    code_challenge_method: 'S256',
  };
  return { ...core, client, secret: clientSecret!, query };
}

describe('AuthorizationServer (core, no Nest)', () => {
  it('sends an anonymous user to loginUrl with the authorization request as return path', async () => {
    const { server, query } = await setup();
    const res = await server.handleAuthorizationRequest(oauthRequest({ query }));
    const login = location(res);
    assert.equal(login.pathname, '/login');
    assert.match(login.searchParams.get('return_to')!, /^\/oauth2\/auth\?response_type=code/);
  });

  it('runs consent, issues a code stored only as a hash, and exchanges it (RFC 6749 §4.1)', async () => {
    const { server, query, client, secret, stores } = await setup();
    const page = await server.handleAuthorizationRequest(oauthRequest({ query, headers: { 'x-user': 'u1' } }));
    assert.equal(page.status, 200);
    const cookie = String(page.headers['Set-Cookie']).split(';')[0].split('=')[1];
    const decision = await server.handleConsentDecision(
      oauthRequest({
        method: 'POST',
        url: '/oauth2/auth',
        headers: { 'x-user': 'u1' },
        cookies: { oauth_consent: cookie },
        body: { ...hidden(page.body as string), decision: 'allow' },
      }),
    );
    const code = location(decision).searchParams.get('code')!;
    assert.equal((await stores.consents.find('u1', client.id))?.scopes.join(), 'profile');
    const tokens = await server.handleTokenRequest(
      tokenPost({ grant_type: 'authorization_code', code, code_verifier: VERIFIER }, { id: client.id, secret }),
    );
    assert.equal(tokens.status, 200);
    assert.equal((tokens.body as { scope: string }).scope, 'profile');
    const consumed = await stores.codes.consume(code, new Date('2030-01-01T00:00:00Z'));
    assert.equal(consumed.outcome, 'invalid', 'the raw code is not a key of the store: only its hash is');
  });

  it('turns an unexpected store failure into a server_error redirect and reports it', async () => {
    const core = makeCore();
    const { client } = await core.registry.register({ name: 'App', redirectUris: [REDIRECT] });
    const reported: unknown[] = [];
    const failing = { ...core.stores.consents, find: async () => Promise.reject(new Error('disk on fire')) } as never;
    const server = new AuthorizationServer({
      ...core,
      ...core.stores,
      consents: failing,
      interaction: new HeaderInteraction(),
      reportError: (e: unknown) => reported.push(e),
    });
    const res = await server.handleAuthorizationRequest(
      oauthRequest({
        query: {
          response_type: 'code',
          client_id: client.id,
          scope: 'profile',
          code_challenge: s256Challenge(VERIFIER),
          code_challenge_method: 'S256',
        },
        headers: { 'x-user': 'u' },
      }),
    );
    const params = location(res).searchParams;
    assert.equal(params.get('error'), 'server_error');
    assert.doesNotMatch(params.get('error_description')!, /disk/);
    assert.equal(reported.length, 1);
  });

  it('answers a configuration error page when the host gave no interaction', async () => {
    const { server } = makeCore({}, null);
    const res = await server.handleAuthorizationRequest(oauthRequest({ query: { client_id: 'x' } }));
    assert.equal(res.status, 500);
    assert.match(res.body as string, /OAuthInteraction/);
  });

  it('uses the host-rendered consent page when renderConsent returns HTML', async () => {
    class Custom extends HeaderInteraction {
      override renderConsent(): string {
        return '<p>custom</p>';
      }
    }
    const core = makeCore({}, new Custom());
    const { client } = await core.registry.register({ name: 'App', redirectUris: [REDIRECT] });
    const res = await core.server.handleAuthorizationRequest(
      oauthRequest({
        query: {
          response_type: 'code',
          client_id: client.id,
          scope: 'profile',
          code_challenge: s256Challenge(VERIFIER),
          code_challenge_method: 'S256',
        },
        headers: { 'x-user': 'u' },
      }),
    );
    assert.equal(res.body, '<p>custom</p>');
    assert.match(res.headers['Content-Security-Policy'] as string, /frame-ancestors 'none'/);
  });
});

describe('remembered consent and public clients (RFC 8252 §8.6, RFC 6749 §10.2)', () => {
  /** A core whose host page records the view it is asked to render. */
  async function recording(overrides: Parameters<typeof makeCore>[0] = {}) {
    const views: ConsentView[] = [];
    class Recording extends HeaderInteraction {
      override renderConsent(view: ConsentView): undefined {
        views.push(view);
        return undefined;
      }
    }
    const core = makeCore(overrides, new Recording());
    const pub = (await core.registry.register({ name: 'Native', redirectUris: ['http://127.0.0.1:7000/cb'], public: true })).client;
    const conf = (await core.registry.register({ name: 'Web', redirectUris: [REDIRECT] })).client;
    const query = (client: OAuthClient, scope: string, extra: Record<string, string> = {}) => ({
      response_type: 'code',
      client_id: client.id,
      redirect_uri: client.redirectUris[0],
      scope,
      state: 's',
      code_challenge: s256Challenge(VERIFIER),
      code_challenge_method: 'S256',
      ...extra,
    });
    const get = (q: Record<string, string>) =>
      core.server.handleAuthorizationRequest(oauthRequest({ query: q, headers: { 'x-user': 'u1' } }));
    return { ...core, views, pub, conf, query, get };
  }

  it('shows a public client the consent page again after an earlier approval, marking what was approved (RFC 8252 §8.6)', async () => {
    const { stores, pub, query, get, views, clock } = await recording();
    await stores.consents.grant('u1', pub.id, ['profile'], clock.now());
    const page = await get(query(pub, 'profile'));
    assert.equal(page.status, 200, 'no code without the screen: another local app may own the loopback port');
    assert.deepEqual(
      views[0].scopes.map((s) => [s.name, s.alreadyApproved]),
      [['profile', true]],
    );
    assert.match(page.body as string, /already allowed/i);
  });

  it('answers prompt=none from a public client with consent_required even after an approval (RFC 8252 §8.6)', async () => {
    const { stores, pub, query, get, clock } = await recording();
    await stores.consents.grant('u1', pub.id, ['profile'], clock.now());
    const res = await get(query(pub, 'profile', { prompt: 'none' }));
    assert.equal(location(res).searchParams.get('error'), 'consent_required');
  });

  it('tells the page which scopes are new when a client asks for more than it was allowed (step-up, RFC 6749 §10.2)', async () => {
    const { stores, pub, conf, query, get, views, clock } = await recording();
    for (const client of [pub, conf]) {
      await stores.consents.grant('u1', client.id, ['profile'], clock.now());
      views.length = 0;
      const page = await get(query(client, 'profile email'));
      assert.equal(page.status, 200);
      assert.deepEqual(
        views[0].scopes.map((s) => [s.name, s.alreadyApproved]),
        [
          ['profile', true],
          ['email', false],
        ],
      );
      assert.match(page.body as string, /class="scopes new"/);
    }
  });

  it('keeps remembered consent for a confidential client: a code without the screen (RFC 6749 §10.2)', async () => {
    const { stores, conf, query, get, clock } = await recording();
    await stores.consents.grant('u1', conf.id, ['profile', 'email'], clock.now());
    assert.ok(location(await get(query(conf, 'profile'))).searchParams.get('code'));
  });

  it('remembers a public client’s consent only when rememberPublicClientConsent is on (RFC 6749 §10.2, RFC 8252 §8.6)', async () => {
    const { stores, pub, query, get, clock } = await recording({ rememberPublicClientConsent: true });
    await stores.consents.grant('u1', pub.id, ['profile'], clock.now());
    assert.ok(location(await get(query(pub, 'profile'))).searchParams.get('code'));
  });

  it('marks nothing as approved on a first authorization', async () => {
    const { pub, query, get, views } = await recording();
    await get(query(pub, 'profile email'));
    assert.deepEqual(
      views[0].scopes.map((s) => s.alreadyApproved),
      [false, false],
    );
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuthorizationServer } from './authorization-server';
import { HeaderInteraction, makeCore, oauthRequest, tokenPost } from './core-test.spec-helper';
import { s256Challenge } from './protocol/pkce';
import type { OAuthResponse } from './oauth-response';

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

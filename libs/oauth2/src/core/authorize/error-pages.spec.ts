import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HeaderInteraction, makeCore, oauthRequest } from '../core-test.spec-helper';
import type { ErrorView, OAuthInteraction } from '../oauth-interaction';
import { s256Challenge } from '../protocol/pkce';

const REDIRECT = 'https://app.example/cb';

async function setup(interaction: OAuthInteraction = new HeaderInteraction()) {
  const core = makeCore({ pages: { productName: 'SHIFT', theme: { accent: '#0f766e' } } }, interaction);
  const { client } = await core.registry.register({ name: 'App', redirectUris: [REDIRECT] });
  const query = {
    response_type: 'code',
    client_id: client.id,
    scope: 'profile',
    state: 's',
    code_challenge: s256Challenge('v'.repeat(50)),
    code_challenge_method: 'S256',
  };
  return { ...core, query };
}

describe('authorization endpoint error pages', () => {
  it('RFC 6749 §4.1.2.1: an unknown client gets the built-in page in words, themed, with no way back to an untrusted URI', async () => {
    const { server } = await setup();
    const res = await server.handleAuthorizationRequest(
      oauthRequest({ query: { response_type: 'code', client_id: 'nope', redirect_uri: REDIRECT } }),
    );
    assert.equal(res.status, 400);
    const html = res.body as string;
    assert.match(html, /<h1>Invalid request<\/h1>/);
    assert.match(html, /--oauth-accent:#0f766e/);
    assert.doesNotMatch(html, /app\.example|<a /);
    assert.match(res.headers['Content-Security-Policy'] as string, /^default-src 'none'/);
  });

  it('RFC 6749 §10.12: a refused consent form offers Try again, the same request on this server, with every resource apart', async () => {
    const { server, query } = await setup();
    const res = await server.handleConsentDecision(
      oauthRequest({
        method: 'POST',
        url: '/oauth2/auth',
        headers: { 'x-user': 'u1' },
        body: { ...query, resource: 'https://a.example/ https://b.example/', csrf_token: 'forged', decision: 'allow' },
      }),
    );
    assert.equal(res.status, 403);
    const href = /<a class="button primary" href="([^"]*)">Try again<\/a>/.exec(res.body as string)?.[1];
    assert.ok(href);
    const retry = new URL(href.replace(/&#38;/g, '&'), 'https://as.example');
    assert.equal(retry.pathname, '/oauth2/auth');
    assert.equal(retry.searchParams.get('client_id'), query.client_id);
    assert.deepEqual(retry.searchParams.getAll('resource'), ['https://a.example/', 'https://b.example/']);
    assert.equal(retry.searchParams.get('csrf_token'), null);
    assert.equal(retry.searchParams.get('decision'), null);
  });

  it('uses the host page from renderError with the host CSP, and the built-in page when it returns undefined', async () => {
    const views: ErrorView[] = [];
    class Custom extends HeaderInteraction {
      override renderError(view: ErrorView): string | undefined {
        views.push(view);
        return view.status === 403 ? `<p>custom ${view.title}</p>` : undefined;
      }
    }
    const { server, query } = await setup(new Custom());
    const refused = await server.handleConsentDecision(
      oauthRequest({ method: 'POST', url: '/oauth2/auth', body: { ...query, decision: 'allow' } }),
    );
    assert.equal(refused.status, 403);
    assert.equal(refused.body, '<p>custom Signed out</p>');
    assert.match(refused.headers['Content-Security-Policy'] as string, /^default-src 'self'/);
    assert.ok(views[0].retryUrl?.startsWith('/oauth2/auth?'));
    const unknown = await server.handleAuthorizationRequest(oauthRequest({ query: { response_type: 'code', client_id: 'nope' } }));
    assert.match(unknown.body as string, /<h1>Invalid request<\/h1>/);
    assert.match(unknown.headers['Content-Security-Policy'] as string, /^default-src 'none'/);
  });

  it('shows the built-in page, never a 500 of its own and never the thrown message, when renderError throws', async () => {
    class Broken extends HeaderInteraction {
      override renderError(): string {
        throw new Error('template missing');
      }
    }
    const { server } = await setup(new Broken());
    const res = await server.handleAuthorizationRequest(oauthRequest({ query: { response_type: 'code', client_id: 'nope' } }));
    assert.equal(res.status, 400);
    assert.match(res.body as string, /<h1>Invalid request<\/h1>/);
    assert.doesNotMatch(res.body as string, /template missing/);
  });

  it('links "Not you?" on the consent page to switchAccountUrl with the authorization request to return to', async () => {
    class Switching extends HeaderInteraction {
      override switchAccountUrl(returnTo: string): string {
        return `/logout?return_to=${encodeURIComponent(returnTo)}`;
      }
    }
    const { server, query } = await setup(new Switching());
    const page = await server.handleAuthorizationRequest(oauthRequest({ query, headers: { 'x-user': 'u1' } }));
    const href = /<a href="([^"]*)">Not you\?<\/a>/.exec(page.body as string)?.[1];
    assert.ok(href);
    assert.match(decodeURIComponent(href.replace(/&#38;/g, '&')), /^\/logout\?return_to=\/oauth2\/auth\?response_type=code&client_id=/);
    assert.match(page.body as string, /You will be sent back to <strong>app\.example<\/strong>/);
  });
});

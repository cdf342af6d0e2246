import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HeaderInteraction, makeCore, oauthRequest } from '../core-test.spec-helper';
import type { OAuthRequest } from '../oauth-request';
import type { OAuthResponse } from '../oauth-response';
import {
  AccessDeniedError,
  InvalidClientError,
  InvalidRequestError,
  OAuthError,
  RedirectUriMismatchError,
  UnknownClientError,
} from '../oauth.errors';
import { s256Challenge } from '../protocol/pkce';
import { resolveRedirectTarget } from './authorization-request';

const REDIRECT = 'https://app.example/cb';

/** The interaction throws `error` once the request is past the client and redirect URI checks. */
class ThrowingInteraction extends HeaderInteraction {
  constructor(private readonly error: Error) {
    super();
  }
  override currentUser(_req: OAuthRequest): never {
    throw this.error;
  }
}

async function setup(interaction = new HeaderInteraction()) {
  const core = makeCore({}, interaction);
  const { client } = await core.registry.register({ name: 'App', redirectUris: [REDIRECT] });
  const query = {
    response_type: 'code',
    client_id: client.id,
    redirect_uri: REDIRECT,
    scope: 'profile',
    state: 's',
    code_challenge: s256Challenge('v'.repeat(50)),
    code_challenge_method: 'S256',
  };
  return { ...core, client, query };
}

/** An HTML page, not a redirect: nothing of the request went anywhere. */
function assertErrorPage(res: OAuthResponse, status: number, text: RegExp): void {
  assert.equal(res.status, status);
  assert.equal(res.headers.Location, undefined);
  assert.match(String(res.headers['Content-Type']), /text\/html/);
  assert.match(res.body as string, text);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => assert.fail('the request was accepted'),
    (error: unknown) => error,
  );
}

describe('AuthorizeEndpoint errors: the class decides where they go (RFC 6749 §4.1.2.1)', () => {
  it('reports an unknown client_id as its own invalid_request class that may not redirect (RFC 6749 §4.1.2.1)', async () => {
    const { stores, query } = await setup();
    const error = await rejection(resolveRedirectTarget({ ...query, client_id: 'no-such-client' }, stores.clients));
    assert.ok(error instanceof UnknownClientError, String(error));
    assert.ok(error instanceof InvalidRequestError);
    assert.equal(error.code, 'invalid_request');
    assert.equal(error.redirectable, false);
    assert.equal(error.status, 400);
  });

  it('reports a redirect_uri that matches none registered as a distinct invalid_request class that may not redirect (RFC 6749 §3.1.2.3)', async () => {
    const { stores, query } = await setup();
    const error = await rejection(resolveRedirectTarget({ ...query, redirect_uri: 'https://evil.example/cb' }, stores.clients));
    assert.ok(error instanceof RedirectUriMismatchError, String(error));
    assert.ok(!(error instanceof UnknownClientError));
    assert.equal(error.code, 'invalid_request');
    assert.equal(error.redirectable, false);
    assert.equal(error.status, 400);
  });

  it('shows an unknown client_id on a 400 error page, never at the given redirect_uri (RFC 6749 §4.1.2.1)', async () => {
    const { server, query } = await setup();
    const res = await server.handleAuthorizationRequest(oauthRequest({ query: { ...query, client_id: 'no-such-client' } }));
    assertErrorPage(res, 400, /client_id is not registered/);
  });

  it('shows a mismatched redirect_uri on a 400 error page, never redirecting to it (RFC 6749 §10.15)', async () => {
    const { server, query } = await setup();
    const res = await server.handleAuthorizationRequest(oauthRequest({ query: { ...query, redirect_uri: 'https://evil.example/cb' } }));
    assertErrorPage(res, 400, /redirect_uri is not registered/);
  });

  it('never redirects a non-redirectable error thrown after the redirect URI is trusted (RFC 6749 §4.1.2.1)', async () => {
    const { server, query } = await setup(new ThrowingInteraction(new InvalidClientError('The session belongs to another client')));
    const res = await server.handleAuthorizationRequest(oauthRequest({ query }));
    assertErrorPage(res, 401, /session belongs to another client/);
  });

  it('never redirects a non-redirectable error thrown while taking the consent decision (RFC 6749 §4.1.2.1)', async () => {
    const { server, query } = await setup(new ThrowingInteraction(new UnknownClientError('The client was deleted')));
    const res = await server.handleConsentDecision(
      oauthRequest({
        method: 'POST',
        body: { ...query, decision: 'allow' },
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
    );
    assertErrorPage(res, 400, /client was deleted/);
  });

  it('redirects a redirectable error thrown at the same point, with state and iss (RFC 6749 §4.1.2.1, RFC 9207 §2)', async () => {
    const { server, query, options } = await setup(new ThrowingInteraction(new AccessDeniedError('The user may not use this client')));
    const res = await server.handleAuthorizationRequest(oauthRequest({ query }));
    assert.equal(res.status, 302);
    const location = new URL(res.headers.Location as string);
    assert.equal(location.origin + location.pathname, REDIRECT);
    assert.equal(location.searchParams.get('error'), 'access_denied');
    assert.equal(location.searchParams.get('state'), 's');
    assert.equal(location.searchParams.get('iss'), options.issuer);
  });

  it('shows a repeated client_id on a page: before the redirect URI is trusted nothing redirects (RFC 6749 §3.1)', async () => {
    const { server, query, client } = await setup();
    const res = await server.handleAuthorizationRequest(oauthRequest({ query: { ...query, client_id: [client.id, client.id] } }));
    assertErrorPage(res, 400, /client_id/);
  });

  it('keeps every protocol error class an OAuthError that states whether it may redirect (RFC 6749 §4.1.2.1)', () => {
    for (const error of [new UnknownClientError(), new RedirectUriMismatchError(), new InvalidClientError()]) {
      assert.ok(error instanceof OAuthError);
      assert.equal(error.redirectable, false, error.name);
    }
    assert.equal(new AccessDeniedError().redirectable, true);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OAuthClient } from '../../stores/models';
import type { AuthorizationRequest, Prompt } from '../authorize/authorization-request';
import { returnPath } from '../authorize/login-redirect';
import { ManualClock } from '../clock';
import { HeaderInteraction, oauthRequest } from '../core-test.spec-helper';
import type { ServerSettings } from '../server-settings';
import type { OpenIdSettings } from './openid-settings';
import type { OAuthUser } from '../oauth-interaction';
import { LoginRequiredError } from '../oauth.errors';
import type { OpenIdRequest } from './openid-request';
import { authTimeOf, OpenIdSession } from './openid-session';

const NOW = new Date('2030-01-01T00:00:00Z');
// Only what the session steps read: the issuer and the OpenID settings.
const options = {
  issuer: 'https://as.example',
  openid: { idTokenSigningAlgorithms: ['RS256'], pairwiseSalt: undefined } as unknown as OpenIdSettings,
} as ServerSettings;
const session = new OpenIdSession({ options, clock: new ManualClock(NOW) });
const client = { id: 'c', redirectUris: ['https://rp.example/cb'] } as OAuthClient;

function authRequest(openid: Partial<OpenIdRequest>, prompt: Prompt[] = []): AuthorizationRequest {
  return { client, prompt: new Set(prompt), openid: { authentication: true, ...openid } } as AuthorizationRequest;
}

const signedIn = (secondsAgo: number): OAuthUser => ({ id: 'u', authTime: new Date(NOW.getTime() - secondsAgo * 1000) });
const detour = (request: AuthorizationRequest, user: OAuthUser | undefined) =>
  session.detour(request, user, oauthRequest({ url: '/oauth2/auth?max_age=60&prompt=login' }), new HeaderInteraction());

describe('OpenIdSession (OpenID Connect Core §3.1.2.1)', () => {
  it('OpenID Connect Core §3.1.2.1: LoginHints carry login_hint, ui_locales, max_age and select_account', () => {
    const hints = session.loginHints(authRequest({ loginHint: 'nate', uiLocales: ['fr', 'en'], maxAge: 30 }, ['select_account']));
    assert.deepEqual(hints, { loginHint: 'nate', uiLocales: ['fr', 'en'], selectAccount: true, maxAge: 30 });
    assert.deepEqual(session.loginHints(authRequest({})), {});
  });

  it('OpenID Connect Core §3.1.2.1: a sign-in exactly max_age seconds old passes; one second older logs in again', async () => {
    assert.equal(await detour(authRequest({ maxAge: 60 }), signedIn(60)), undefined);
    const res = await detour(authRequest({ maxAge: 60 }), signedIn(61));
    assert.equal(res?.status, 302);
    const login = new URL(String(res!.headers.Location), 'http://localhost');
    assert.equal(login.searchParams.get('force'), 'true');
    const back = new URL(login.searchParams.get('return_to')!, 'http://localhost');
    assert.equal(back.searchParams.get('prompt'), null, 'the way back drops prompt=login too, or it would loop');
    assert.equal(back.searchParams.get('max_age'), '60');
  });

  it('OpenID Connect Core §3.1.2.1: max_age with an authTime that is not a Date (a session string) is login_required, never a crash', async () => {
    const user = { id: 'u', authTime: '2029-12-31T23:59:00Z' } as unknown as OAuthUser;
    assert.equal(authTimeOf(user), undefined);
    await assert.rejects(detour(authRequest({ maxAge: 600 }), user), LoginRequiredError);
    assert.equal(authTimeOf({ id: 'u', authTime: new Date(Number.NaN) }), undefined);
  });

  it('max_age does not apply before anyone signs in: the login that follows is fresh', async () => {
    assert.equal(await detour(authRequest({ maxAge: 0 }), undefined), undefined);
  });

  it('returnPath drops the prompt values and parameters that sent the user away, and keeps the rest', () => {
    const url = '/oauth2/auth?client_id=c&prompt=login+select_account+consent&id_token_hint=x.y.z&state=s';
    const back = new URL(returnPath(url, ['login', 'select_account'], ['id_token_hint']), 'http://localhost');
    assert.equal(back.searchParams.get('prompt'), 'consent');
    assert.equal(back.searchParams.get('id_token_hint'), null);
    assert.equal(back.searchParams.get('state'), 's');
    assert.equal(returnPath('/oauth2/auth?a=1%202'), '/oauth2/auth?a=1%202', 'unchanged when nothing is dropped');
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createOAuthTestApp, type OAuthTestApp } from './fixtures/oauth-app.fixture';
import { authorize, obtainCode, pkcePair, redirectParams, tokenRequest } from './fixtures/oauth-flow';

const REDIRECT = 'https://customapp.example/oauth/redirect';
type Creds = { id: string; secret: string };

function base(clientId: string, extra: Record<string, string> = {}): Record<string, string> {
  return { response_type: 'code', client_id: clientId, scope: 'profile', state: 'st', ...extra };
}

describe('PKCE with the default settings (RFC 7636, OAuth 2.1: required for every client, S256 only)', () => {
  let t: OAuthTestApp;
  let client: Creds;
  let publicId: string;

  before(async () => {
    t = await createOAuthTestApp();
    const c = await t.register({ name: 'CustomApp', redirectUris: [REDIRECT] });
    client = { id: c.client.id, secret: c.clientSecret! };
    publicId = (await t.register({ name: 'Mobile', redirectUris: [REDIRECT], public: true })).client.id;
  });
  after(() => t.close());

  async function expectAuthorizeError(q: Record<string, string>, pattern: RegExp): Promise<void> {
    const params = redirectParams(await authorize(t, q, 'alice'));
    assert.equal(params.get('error'), 'invalid_request');
    assert.match(params.get('error_description')!, pattern);
  }

  it('requires a code_challenge from a confidential client', () => expectAuthorizeError(base(client.id), /PKCE is required/));
  it('requires a code_challenge from a public client', () => expectAuthorizeError(base(publicId), /PKCE is required/));
  it('refuses code_challenge_method=plain (RFC 9700 §2.1.1)', () =>
    expectAuthorizeError(base(client.id, { code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' }), /plain/));
  it('treats a missing code_challenge_method as plain, and refuses it (RFC 7636 §4.3)', () =>
    expectAuthorizeError(base(client.id, { code_challenge: 'a'.repeat(43) }), /plain/));
  it('refuses an unknown code_challenge_method', () =>
    expectAuthorizeError(base(client.id, { code_challenge: 'a'.repeat(43), code_challenge_method: 'S512' }), /S256/));
  it('refuses a code_challenge shorter than 43 characters (RFC 7636 §4.2)', () =>
    expectAuthorizeError(base(client.id, { code_challenge: 'a'.repeat(42), code_challenge_method: 'S256' }), /43 to 128/));
  it('refuses a code_challenge with characters outside the unreserved set (RFC 7636 §4.2)', () =>
    expectAuthorizeError(base(client.id, { code_challenge: `${'a'.repeat(42)}+`, code_challenge_method: 'S256' }), /43 to 128/));
  it('refuses code_challenge_method without code_challenge', () =>
    expectAuthorizeError(base(client.id, { code_challenge_method: 'S256' }), /without a code_challenge/));

  it('rejects a wrong code_verifier with invalid_grant (RFC 7636 §4.6)', async () => {
    const { challenge } = pkcePair();
    const { code } = await obtainCode(t, base(client.id, { code_challenge: challenge, code_challenge_method: 'S256' }));
    const res = await tokenRequest(t, { grant_type: 'authorization_code', code, code_verifier: pkcePair().verifier }, client);
    assert.equal(res.body.error, 'invalid_grant');
  });

  it('rejects a missing code_verifier with invalid_grant', async () => {
    const { challenge } = pkcePair();
    const { code } = await obtainCode(t, base(client.id, { code_challenge: challenge, code_challenge_method: 'S256' }));
    const res = await tokenRequest(t, { grant_type: 'authorization_code', code }, client);
    assert.equal(res.body.error, 'invalid_grant');
  });

  it('rejects a malformed code_verifier with invalid_request (RFC 7636 §4.1)', async () => {
    const { challenge } = pkcePair();
    const { code } = await obtainCode(t, base(client.id, { code_challenge: challenge, code_challenge_method: 'S256' }));
    const res = await tokenRequest(t, { grant_type: 'authorization_code', code, code_verifier: 'short' }, client);
    assert.equal(res.body.error, 'invalid_request');
  });
});

describe('PKCE waived for confidential clients (requirePkce: public) and plain allowed', () => {
  let t: OAuthTestApp;
  let client: Creds;
  let publicId: string;

  before(async () => {
    t = await createOAuthTestApp({ options: { requirePkce: 'public', allowPlainPkce: true } });
    const c = await t.register({ name: 'CustomApp', redirectUris: [REDIRECT] });
    client = { id: c.client.id, secret: c.clientSecret! };
    publicId = (await t.register({ name: 'Mobile', redirectUris: [REDIRECT], public: true })).client.id;
  });
  after(() => t.close());

  it('lets a confidential client omit PKCE', async () => {
    const { code } = await obtainCode(t, base(client.id));
    const res = await tokenRequest(t, { grant_type: 'authorization_code', code }, client);
    assert.equal(res.status, 200);
  });

  it('refuses a code_verifier for a code issued without a challenge (PKCE downgrade, RFC 9700 §2.1.1)', async () => {
    const { code } = await obtainCode(t, base(client.id));
    const res = await tokenRequest(t, { grant_type: 'authorization_code', code, code_verifier: pkcePair().verifier }, client);
    assert.equal(res.body.error, 'invalid_grant');
  });

  it('still requires PKCE from a public client', async () => {
    const params = redirectParams(await authorize(t, base(publicId), 'alice'));
    assert.equal(params.get('error'), 'invalid_request');
  });

  it('accepts code_challenge_method=plain when allowPlainPkce is on', async () => {
    const verifier = pkcePair().verifier;
    const { code } = await obtainCode(t, base(publicId, { code_challenge: verifier, code_challenge_method: 'plain' }));
    const res = await tokenRequest(t, { grant_type: 'authorization_code', code, code_verifier: verifier, client_id: publicId });
    assert.equal(res.status, 200);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeCore, tokenPost } from '../core-test.spec-helper';
import { s256Challenge } from '../protocol/pkce';
import { hashSecret } from '../protocol/random-token';
import type { AuthorizationCode } from '../../stores/models';

const VERIFIER = 'q'.repeat(43);

async function withCode(overrides: Partial<AuthorizationCode> = {}, register: { public?: boolean } = {}) {
  const core = makeCore({ requirePkce: 'public' });
  const { client, clientSecret } = await core.registry.register({ name: 'App', redirectUris: ['https://app.example/cb'], ...register });
  const now = core.clock.now();
  await core.stores.codes.save({
    codeHash: hashSecret('the-code'),
    clientId: client.id,
    userId: 'u',
    redirectUri: null,
    scopes: ['profile'],
    codeChallenge: s256Challenge(VERIFIER),
    codeChallengeMethod: 'S256',
    grantId: 'g1',
    createdAt: now,
    expiresAt: new Date(now.getTime() + 60_000),
    consumedAt: null,
    ...overrides,
  });
  const creds = { id: client.id, secret: clientSecret };
  const exchange = (body: Record<string, string>) =>
    core.server.handleTokenRequest(tokenPost({ grant_type: 'authorization_code', code: 'the-code', ...body }, creds));
  return { ...core, exchange };
}

describe('AuthorizationCodeGrant (RFC 6749 §4.1.3, RFC 7636 §4.6)', () => {
  it('revokes every token of the grant when the code is replayed (RFC 6749 §4.1.2)', async () => {
    const { exchange, stores } = await withCode();
    const first = await exchange({ code_verifier: VERIFIER });
    assert.equal(first.status, 200);
    const replay = await exchange({ code_verifier: VERIFIER });
    assert.equal((replay.body as { error: string }).error, 'invalid_grant');
    const access = await stores.tokens.findByHash(hashSecret((first.body as { access_token: string }).access_token));
    assert.ok(access?.revokedAt);
    assert.equal(access?.grantId, 'g1');
  });

  it('accepts an omitted redirect_uri when the authorization request omitted it too, or a registered one', async () => {
    assert.equal((await (await withCode()).exchange({ code_verifier: VERIFIER })).status, 200);
    assert.equal((await (await withCode()).exchange({ code_verifier: VERIFIER, redirect_uri: 'https://app.example/cb' })).status, 200);
    assert.equal((await (await withCode()).exchange({ code_verifier: VERIFIER, redirect_uri: 'https://evil.example/cb' })).status, 400);
  });

  it('refuses a code without a challenge for a public client, whatever the store says', async () => {
    const { exchange } = await withCode({ codeChallenge: null, codeChallengeMethod: null }, { public: true });
    const res = await exchange({});
    assert.equal((res.body as { error: string }).error, 'invalid_grant');
  });

  it('touches the consent when issuing tokens for a user', async () => {
    const { exchange, stores, clock } = await withCode();
    const c = await stores.consents.grant('u', (await stores.clients.list())[0].id, ['profile'], new Date(0));
    clock.advance(5);
    await exchange({ code_verifier: VERIFIER });
    const after = await stores.consents.find('u', c.clientId);
    assert.equal(after?.lastUsedAt.getTime(), clock.now().getTime());
  });
});

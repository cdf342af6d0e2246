import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeCore, tokenPost } from '../core-test.spec-helper';
import { s256Challenge } from '../protocol/pkce';
import { hashSecret } from '../protocol/credentials';
import type { AuthorizationCode, OAuthToken } from '../../stores/models';
import type { TokenStore } from '../../stores/token.store';

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
    resources: [],
    codeChallenge: s256Challenge(VERIFIER),
    codeChallengeMethod: 'S256',
    grantId: 'g1',
    createdAt: now,
    expiresAt: new Date(now.getTime() + 60_000),
    consumedAt: null,
    replayedAt: null,
    ...overrides,
  });
  const creds = { id: client.id, secret: clientSecret };
  const exchange = (body: Record<string, string>) =>
    core.server.handleTokenRequest(tokenPost({ grant_type: 'authorization_code', code: 'the-code', ...body }, creds));
  return { ...core, exchange };
}

/**
 * Holds the first `TokenStore.save` until released, as a slow database commit would: the winner of the
 * code has consumed it and minted its tokens, but they are not stored yet.
 */
function holdFirstSave(tokens: TokenStore) {
  const save = tokens.save.bind(tokens);
  let release!: () => void;
  let reached!: (batch: OAuthToken[]) => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const held = new Promise<OAuthToken[]>((resolve) => (reached = resolve));
  let first = true;
  tokens.save = async (batch) => {
    if (first) {
      first = false;
      reached(batch);
      await released;
    }
    return save(batch);
  };
  return { held, release };
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

  it("revokes the first exchange's tokens when a replay is handled before they are saved (RFC 6749 §4.1.2, RFC 9700 §4.2.4)", async () => {
    const { exchange, stores } = await withCode();
    const gate = holdFirstSave(stores.tokens);
    const winner = exchange({ code_verifier: VERIFIER });
    const minted = await gate.held;
    const replay = await exchange({ code_verifier: VERIFIER });
    assert.equal((replay.body as { error: string }).error, 'invalid_grant');
    // The replay's revokeGrant has run and found nothing: the winner's tokens are not stored yet.
    assert.equal(await stores.tokens.findByHash(minted[0].tokenHash), undefined);
    gate.release();
    const first = await winner;
    assert.equal(first.status, 400);
    assert.equal((first.body as { error: string }).error, 'invalid_grant');
    assert.equal((first.body as { access_token?: string }).access_token, undefined);
    assert.ok(minted.length >= 1);
    for (const token of minted) {
      const stored = await stores.tokens.findByHash(token.tokenHash);
      assert.ok(stored?.revokedAt, `${token.kind} token of the raced exchange is revoked`);
    }
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

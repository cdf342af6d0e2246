import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeCore, tokenPost } from '../core-test.spec-helper';
import { hashSecret } from '../protocol/random-token';
import type { TokenResponseBody } from './grant';

async function connected(grace: number) {
  const core = makeCore({ refreshTokenGracePeriod: grace, requirePkce: 'public' });
  const { client, clientSecret } = await core.registry.register({ name: 'App', redirectUris: ['https://app.example/cb'] });
  const creds = { id: client.id, secret: clientSecret! };
  // Seed a first issuance directly, as the authorization_code grant would.
  const now = core.clock.now();
  await core.stores.tokens.save([
    {
      id: 'r0',
      tokenHash: hashSecret('refresh-0'),
      kind: 'refresh',
      clientId: client.id,
      userId: 'u',
      scopes: ['profile'],
      grantId: 'g',
      parentId: null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + 3600_000),
      revokedAt: null,
      rotatedAt: null,
    },
  ]);
  const refresh = (token: string) =>
    core.server.handleTokenRequest(tokenPost({ grant_type: 'refresh_token', refresh_token: token }, creds));
  return { ...core, refresh };
}

describe('RefreshTokenGrant (RFC 6749 §6, RFC 9700 §4.14.2)', () => {
  it('answers two simultaneous refreshes within the grace period with two pairs, the first one revoked', async () => {
    const { refresh } = await connected(10);
    const [a, b] = await Promise.all([refresh('refresh-0'), refresh('refresh-0')]);
    assert.equal(a.status, 200);
    assert.equal(b.status, 200);
    const statuses = [
      (await refresh((a.body as TokenResponseBody).refresh_token!)).status,
      (await refresh((b.body as TokenResponseBody).refresh_token!)).status,
    ];
    assert.deepEqual(statuses.sort(), [200, 400], 'exactly one of the two new refresh tokens survives');
  });

  it('revokes the family when two refreshes race and the grace period is off', async () => {
    const { refresh, stores } = await connected(0);
    const results = await Promise.all([refresh('refresh-0'), refresh('refresh-0')]);
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 400]);
    const winner = results.find((r) => r.status === 200)!.body as TokenResponseBody;
    const access = await stores.tokens.findByHash(hashSecret(winner.access_token));
    assert.ok(access?.revokedAt, 'the winner’s tokens are revoked with the family');
  });

  it('keeps the family and parent links on rotation', async () => {
    const { refresh, stores } = await connected(10);
    const res = (await refresh('refresh-0')).body as TokenResponseBody;
    const next = await stores.tokens.findByHash(hashSecret(res.refresh_token!));
    assert.equal(next?.grantId, 'g');
    assert.equal(next?.parentId, 'r0');
    assert.ok((await stores.tokens.findByHash(hashSecret('refresh-0')))?.rotatedAt);
  });

  it('accepts a retry exactly at the end of the grace period and refuses one a second later', async () => {
    const first = await connected(10);
    await first.refresh('refresh-0');
    first.clock.advance(10);
    assert.equal((await first.refresh('refresh-0')).status, 200);
    const second = await connected(10);
    await second.refresh('refresh-0');
    second.clock.advance(11);
    assert.equal((await second.refresh('refresh-0')).status, 400);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuthorizationServer } from '../authorization-server';
import { makeCore, tokenPost } from '../core-test.spec-helper';
import { hashSecret } from '../protocol/credentials';
import type { TokenResponseBody } from './grant';

/** The module options a test may override, as `makeCore` takes them. */
type CoreOptions = NonNullable<Parameters<typeof makeCore>[0]>;

const DAY = 24 * 3600;

async function connected(grace: number, overrides: CoreOptions = {}) {
  const core = makeCore({ refreshTokenGracePeriod: grace, requirePkce: 'public', ...overrides });
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
      resources: [],
      grantId: 'g',
      parentId: null,
      createdAt: now,
      grantCreatedAt: now,
      expiresAt: new Date(now.getTime() + 30 * DAY * 1000),
      revokedAt: null,
      rotatedAt: null,
    },
  ]);
  const refresh = (token: string, server = core.server) =>
    server.handleTokenRequest(tokenPost({ grant_type: 'refresh_token', refresh_token: token }, creds));
  /** Another server process on the same stores, with its own options (its own key when `secret` is unset). */
  const instance = (options: CoreOptions = {}) =>
    new AuthorizationServer({
      ...core.stores,
      clock: core.clock,
      options: makeCore({ refreshTokenGracePeriod: grace, ...options }).options,
    });
  const family = async () => {
    const rows = [];
    for (const hash of [...(await allHashes(core))]) rows.push((await core.stores.tokens.findByHash(hash))!);
    return rows;
  };
  return { ...core, creds, refresh, instance, family };
}

/** Every hash the memory store holds (its Map is private; the test reads it the way a dump would). */
async function allHashes(core: ReturnType<typeof makeCore>): Promise<string[]> {
  return [...(core.stores.tokens as unknown as { byHash: Map<string, unknown> }).byHash.keys()];
}

const body = (res: { body?: unknown }) => res.body as TokenResponseBody;

describe('RefreshTokenGrant (RFC 6749 §6, RFC 9700 §4.14.2)', () => {
  it('answers a retry within the grace period with the same successor pair and stores nothing new (RFC 9700 §4.14.2)', async () => {
    const { refresh, family, clock } = await connected(10);
    const first = await refresh('refresh-0');
    assert.equal(first.status, 200);
    const rows = (await family()).length;
    clock.advance(5);
    const retry = await refresh('refresh-0');
    assert.equal(retry.status, 200);
    assert.equal(body(retry).access_token, body(first).access_token);
    assert.equal(body(retry).refresh_token, body(first).refresh_token);
    assert.equal(body(retry).scope, body(first).scope);
    assert.equal(body(retry).expires_in, body(first).expires_in - 5, 'expires_in counts down from the stored expiry');
    assert.equal((await family()).length, rows, 'a retry stores no second branch');
  });

  it('answers two simultaneous refreshes within the grace period with one and the same pair (RFC 9700 §4.14.2)', async () => {
    const { refresh, family } = await connected(10);
    const [a, b] = await Promise.all([refresh('refresh-0'), refresh('refresh-0')]);
    assert.equal(a.status, 200);
    assert.deepEqual(b.body, a.body);
    const live = (await family()).filter((t) => !t.revokedAt && !t.rotatedAt);
    assert.deepEqual(live.map((t) => t.kind).sort(), ['access', 'refresh'], 'exactly one live pair');
    assert.equal((await refresh(body(a).refresh_token!)).status, 200, 'the shared pair keeps working');
  });

  it('revokes the family when a rotated token comes back after its successor was used, even within the grace period (RFC 9700 §4.14.2)', async () => {
    const { refresh } = await connected(10);
    const r1 = body(await refresh('refresh-0')).refresh_token!;
    const r2 = body(await refresh(r1)).refresh_token!;
    const replay = await refresh('refresh-0');
    assert.equal(replay.status, 400);
    assert.equal((replay.body as { error: string }).error, 'invalid_grant');
    assert.equal((await refresh(r2)).status, 400, 'the live branch is revoked with the family');
  });

  it('lets a thief replaying within the grace period only share the pair, and the next collision revokes the family (RFC 9700 §4.14.2)', async () => {
    const { refresh, clock } = await connected(10);
    const client = body(await refresh('refresh-0'));
    const thief = body(await refresh('refresh-0'));
    assert.equal(thief.refresh_token, client.refresh_token, 'no second branch for the thief');
    const next = body(await refresh(client.refresh_token!));
    clock.advance(11);
    assert.equal((await refresh(thief.refresh_token!)).status, 400, 'the thief collides with the client');
    assert.equal((await refresh(next.refresh_token!)).status, 400, 'and every token of the grant is revoked');
  });

  it('revokes the family when two refreshes race and the grace period is off', async () => {
    const { refresh, stores } = await connected(0);
    const results = await Promise.all([refresh('refresh-0'), refresh('refresh-0')]);
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 400]);
    const winner = body(results.find((r) => r.status === 200)!);
    const access = await stores.tokens.findByHash(hashSecret(winner.access_token));
    assert.ok(access?.revokedAt, 'the winner’s tokens are revoked with the family');
  });

  it('keeps the family and parent links on rotation', async () => {
    const { refresh, stores } = await connected(10);
    const res = body(await refresh('refresh-0'));
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

  it('gives a retry on another instance sharing the secret the same pair (RFC 9700 §4.14.2)', async () => {
    const secret = 's'.repeat(32);
    const { refresh, instance, server } = await connected(10, { secret });
    const first = body(await refresh('refresh-0', server));
    const retry = await refresh('refresh-0', instance({ secret }));
    assert.equal(retry.status, 200);
    assert.deepEqual(retry.body, first);
  });

  it('refuses a retry on an instance with another per-process key without revoking anything', async () => {
    const { refresh, instance, family } = await connected(10);
    const first = body(await refresh('refresh-0'));
    const retry = await refresh('refresh-0', instance());
    assert.equal(retry.status, 400);
    assert.equal((retry.body as { error: string }).error, 'invalid_grant');
    assert.match((retry.body as { error_description: string }).error_description, /shared secret/);
    assert.equal((await family()).filter((t) => t.revokedAt).length, 0, 'nothing revoked');
    assert.equal((await refresh(first.refresh_token!)).status, 200, 'the first pair keeps working');
  });

  it('refuses a refresh token presented by another client and changes nothing in its grant (RFC 6749 §6)', async () => {
    const events: string[] = [];
    const core = await connected(10);
    const server = new AuthorizationServer({
      ...core.stores,
      clock: core.clock,
      options: core.options,
      reportSecurityEvent: (e) => events.push(e),
    });
    const other = await core.registry.register({ name: 'Other', redirectUris: ['https://other.example/cb'] });
    const stolen = await server.handleTokenRequest(
      tokenPost({ grant_type: 'refresh_token', refresh_token: 'refresh-0' }, { id: other.client.id, secret: other.clientSecret! }),
    );
    assert.equal(stolen.status, 400);
    assert.equal((stolen.body as { error: string }).error, 'invalid_grant');
    assert.deepEqual(await core.stores.tokens.findByHash(hashSecret('refresh-0')), (await core.family())[0]);
    assert.equal((await core.family()).filter((t) => t.revokedAt || t.rotatedAt).length, 0, 'the grant is unchanged');
    assert.equal(events.length, 1);
    assert.ok(events[0].includes(core.creds.id) && events[0].includes(other.client.id), events[0]);
    assert.ok(events[0].includes(hashSecret('refresh-0').slice(0, 8)), 'the hash prefix identifies the token');
    assert.ok(!events[0].includes('refresh-0') && !events[0].includes(hashSecret('refresh-0')), 'never the token or its full hash');
    assert.equal((await core.refresh('refresh-0')).status, 200, 'the owner still refreshes');
  });
});

describe('absolute refresh lifetime (refreshTokenAbsoluteTtl)', () => {
  it('caps a rotated refresh token at the grant’s absolute deadline and refuses a refresh past it (RFC 9700 §4.14.2)', async () => {
    const { refresh, clock, stores } = await connected(10, { refreshTokenTtl: 3600, refreshTokenAbsoluteTtl: 7200 });
    clock.advance(3000);
    const r1 = body(await refresh('refresh-0')).refresh_token!;
    assert.deepEqual((await stores.tokens.findByHash(hashSecret(r1)))?.expiresAt, new Date(clock.now().getTime() + 3600_000));
    clock.advance(3000);
    const r2 = body(await refresh(r1)).refresh_token!;
    const start = new Date('2030-01-01T00:00:00Z').getTime();
    assert.deepEqual((await stores.tokens.findByHash(hashSecret(r2)))?.expiresAt, new Date(start + 7200_000), 'capped, not renewed');
    clock.advance(1300);
    const late = await refresh(r2);
    assert.equal(late.status, 400);
    assert.equal((late.body as { error: string }).error, 'invalid_grant');
  });

  it('ends a grant that keeps refreshing after 90 days by default (RFC 9700 §4.14.2)', async () => {
    const { refresh, clock } = await connected(10);
    let current = 'refresh-0';
    for (let day = 20; day < 90; day += 20) {
      clock.advance(20 * DAY);
      const res = await refresh(current);
      assert.equal(res.status, 200, `day ${day}`);
      current = body(res).refresh_token!;
    }
    clock.advance(20 * DAY);
    assert.equal((await refresh(current)).status, 400, 'day 100: past the absolute lifetime');
  });

  it('never ends a grant when refreshTokenAbsoluteTtl is 0 (RFC 9700 §4.14.2)', async () => {
    const { refresh, clock } = await connected(10, { refreshTokenAbsoluteTtl: 0 });
    let current = 'refresh-0';
    for (let i = 0; i < 10; i++) {
      clock.advance(20 * DAY);
      const res = await refresh(current);
      assert.equal(res.status, 200, `day ${20 * (i + 1)}`);
      current = body(res).refresh_token!;
    }
  });
});

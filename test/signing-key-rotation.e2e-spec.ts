import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { LocalKeySigner, SigningKeys, SigningKeyStore, type SigningKey } from 'nest-oauth2-provider';
import { createOAuthTestApp, type OAuthTestApp } from './fixtures/oauth-app.fixture';
import { TOKEN_PATH } from './fixtures/oauth-flow';
import { ProfileApiController } from './fixtures/protected-api';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/**
 * Signing key rotation across two instances of one authorization server (RFC 9068 §4, RFC 7517):
 * two Nest apps on the same database (the DATABASE_URL one: SQLite file, PostgreSQL or MariaDB) and
 * the same key-encryption key, each with its own clock, moved together. Timings with these settings:
 * publishAhead = jwksMaxAge 600 + keyRefreshInterval 60 = 660 s; a retired key is held for
 * keyRefreshInterval 60 + token lifetime 300 + clockTolerance 30 = 390 s.
 */

const ISSUER = 'https://shift.example';
const API = 'https://shift.example/api/';
const KEK = randomBytes(32);
/** The test clocks' start (the fixture's), in seconds. */
const START = Date.parse('2030-01-01T00:00:00Z') / 1000;

describe('signing key rotation across two instances (RFC 9068, RFC 7517 §5)', () => {
  let db: TestDatabase;
  let a: OAuthTestApp;
  let b: OAuthTestApp;
  let client: { id: string; secret: string };
  /** Seconds since the start, on both clocks. */
  let now = 0;
  /** When each kid first appeared in each instance's JWKS, and when a token first carried it. */
  const publishedAt = { a: new Map<string, number>(), b: new Map<string, number>() };
  const firstSignedAt = new Map<string, number>();

  const advance = (seconds: number) => {
    now += seconds;
    a.clock.advance(seconds);
    b.clock.advance(seconds);
  };

  const instance = (name: 'a' | 'b') => (name === 'a' ? a : b);

  const jwks = async (name: 'a' | 'b'): Promise<string[]> => {
    const res = await request(instance(name).server).get('/oauth2/jwks').expect(200);
    const kids = (res.body.keys as { kid: string }[]).map((k) => k.kid);
    for (const kid of kids) if (!publishedAt[name].has(kid)) publishedAt[name].set(kid, now);
    return kids;
  };

  const mint = async (name: 'a' | 'b'): Promise<{ token: string; kid: string; exp: number }> => {
    const res = await request(instance(name).server)
      .post(TOKEN_PATH)
      .auth(client.id, client.secret)
      .type('form')
      .send({ grant_type: 'client_credentials', resource: API, scope: 'profile' })
      .expect(200);
    const token = res.body.access_token as string;
    const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { kid: string };
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { exp: number };
    if (!firstSignedAt.has(header.kid)) firstSignedAt.set(header.kid, now);
    return { token, kid: header.kid, exp: claims.exp };
  };

  const call = (name: 'a' | 'b', token: string) => request(instance(name).server).get('/api/me').auth(token, { type: 'bearer' });

  const keyRows = (): Promise<SigningKey[]> => a.app.get(SigningKeyStore).list();

  before(async () => {
    db = await createTestDatabase();
    const setup = {
      database: db,
      controllers: [ProfileApiController],
      options: {
        issuer: ISSUER,
        resources: { [API]: { scopes: ['profile'], name: 'SHIFT API', accessTokenFormat: 'jwt' as const, accessTokenTtl: 300 } },
        defaultResource: API,
        resource: API,
        jwt: { keyEncryptionKey: KEK.toString('base64'), jwksMaxAge: 600, keyRefreshInterval: 60, rotationInterval: 0, clockTolerance: 30 },
      },
    };
    a = await createOAuthTestApp(setup);
    b = await createOAuthTestApp(setup);
    const registered = await a.register({ name: 'Worker', redirectUris: [], grantTypes: ['client_credentials'] });
    client = { id: registered.client.id, secret: registered.clientSecret! };
  });

  after(async () => {
    await a?.close();
    await b?.close();
    await db?.drop();
  });

  let first: string;
  let next: string;
  let afterNext: string;
  let lastOfFirst: { token: string; kid: string; exp: number };

  it('both instances sign with the one active key in the shared store and publish it with the next key', async () => {
    const fromA = await mint('a');
    const fromB = await mint('b');
    first = fromA.kid;
    assert.equal(fromB.kid, first);
    const rows = await keyRows();
    assert.deepEqual(rows.map((k) => k.state).sort(), ['active', 'next']);
    next = rows.find((k) => k.state === 'next')!.kid;
    assert.deepEqual((await jwks('a')).sort(), [first, next].sort());
    assert.deepEqual((await jwks('b')).sort(), [first, next].sort());
  });

  it('(a) a key is published before it signs: after a rotation on A the new next key is in A’s JWKS at once and in B’s after keyRefreshInterval, and signs nothing', async () => {
    advance(660);
    await jwks('b'); // B re-reads the store now, before the rotation
    const [step] = await a.app.get(SigningKeys).rotate();
    assert.equal(step!.activated, next, 'the next key, published 660 s ago, signs now');
    assert.deepEqual(step!.retired, [first]);
    afterNext = step!.published!;

    assert.ok((await jwks('a')).includes(afterNext), 'A publishes the new next key at once');
    assert.ok(!(await jwks('b')).includes(afterNext), 'B has not re-read the store yet');
    assert.equal((await mint('a')).kid, next);
    assert.equal((await mint('b')).kid, first, 'B signs with the key it last read until it re-reads: the documented lag');

    advance(59);
    lastOfFirst = await mint('b');
    assert.equal(lastOfFirst.kid, first, 'the last token the retired key signs');
    assert.ok(!(await jwks('b')).includes(afterNext));

    advance(1);
    assert.ok((await jwks('b')).includes(afterNext), 'B publishes it one keyRefreshInterval after the rotation');
    assert.equal(firstSignedAt.has(afterNext), false, 'no token carries its kid yet');
  });

  it('(b) both instances sign with the same active key once each has re-read the store', async () => {
    assert.equal((await mint('a')).kid, next);
    assert.equal((await mint('b')).kid, next);
  });

  it('refuses to promote the new next key before it has been published for jwksMaxAge + keyRefreshInterval', async () => {
    const [step] = await a.app.get(SigningKeys).rotate();
    assert.equal(step!.activated, undefined);
    assert.equal(step!.waitUntil!.getTime(), a.clock.now().getTime() + 600_000, 'it may sign 660 s after it was published, 600 s from now');
    assert.equal((await mint('a')).kid, next);
  });

  it('(c) the retired key stays published until the last token it signed has expired (exp + clockTolerance)', async () => {
    // The last token of the retired key was signed at 719 s: it expires at 1019 s and is accepted until 1049 s.
    assert.equal(lastOfFirst.exp - START, 1019);
    advance(1048 - now);
    for (const name of ['a', 'b'] as const) {
      assert.ok((await jwks(name)).includes(first), `${name} still publishes the retired key`);
      await call(name, lastOfFirst.token).expect(200);
    }
    const row = (await keyRows()).find((k) => k.kid === first)!;
    assert.equal(row.state, 'retired');
    assert.equal(Math.round((row.expiresAt!.getTime() - row.retiredAt!.getTime()) / 1000), 390);
  });

  it('(d) after its hold the retired key leaves both JWKS and its tokens are refused on both instances, while the active key’s are accepted', async () => {
    advance(2); // 1050 s: the hold (660 + 390) is over
    const fresh = await mint('b');
    assert.equal(fresh.kid, next);
    // A token the retired key would sign now (a leaked key, say) is refused: the key is gone, not only the token expired.
    const retiredRow = (await keyRows()).find((k) => k.kid === first)!;
    const forged = signWith(retiredRow, { iss: ISSUER, aud: API, sub: client.id, client_id: client.id, scope: 'profile' }, a);
    for (const name of ['a', 'b'] as const) {
      assert.ok(!(await jwks(name)).includes(first), `${name} no longer publishes it`);
      const res = await call(name, lastOfFirst.token).expect(401);
      assert.match(res.headers['www-authenticate'], /error="invalid_token"/);
      const forgedRes = await call(name, forged).expect(401);
      assert.match(forgedRes.headers['www-authenticate'], /signature is not valid/);
      await call(name, fresh.token).expect(200);
    }
    // The maintenance (run here rather than waiting for its timer) deletes the row.
    await a.app.get(SigningKeys).maintain();
    assert.ok(!(await keyRows()).some((k) => k.kid === first));
  });

  it('the key published on both instances at 720 s signs first at 1320 s: no JWKS cached without it is still fresh', async () => {
    advance(1320 - now);
    const [step] = await a.app.get(SigningKeys).rotate();
    assert.equal(step!.activated, afterNext);
    assert.equal((await mint('a')).kid, afterNext);
    advance(60);
    assert.equal((await mint('b')).kid, afterNext);
    for (const kid of [next, afterNext]) {
      const published = Math.max(publishedAt.a.get(kid)!, publishedAt.b.get(kid)!);
      assert.ok(
        firstSignedAt.get(kid)! - published >= 600,
        `${kid}: published on both at ${published} s, first signed at ${firstSignedAt.get(kid)} s`,
      );
    }
  });
});

/** A JWT signed with `key` now, valid for five minutes: what a holder of the retired private key could make. */
function signWith(key: SigningKey, claims: Record<string, unknown>, t: OAuthTestApp): string {
  const iat = Math.floor(t.clock.now().getTime() / 1000);
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode({ typ: 'at+jwt', alg: key.alg, kid: key.kid })}.${encode({ ...claims, iat, exp: iat + 300, jti: randomBytes(16).toString('hex') })}`;
  const signature = new LocalKeySigner(KEK).sign(key, Buffer.from(input)) as Buffer;
  return `${input}.${signature.toString('base64url')}`;
}

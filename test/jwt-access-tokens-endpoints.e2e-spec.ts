import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ClientStore, ConnectedApps } from 'nest-oauth2-provider';
import request from 'supertest';
import { createOAuthTestApp, type OAuthTestApp } from './fixtures/oauth-app.fixture';
import { authorize, obtainCode, pkcePair, tokenRequest } from './fixtures/oauth-flow';
import { ProfileApiController } from './fixtures/protected-api';

/**
 * JWT access tokens (RFC 9068) at every endpoint of the authorization server: introspection (RFC
 * 7662), revocation (RFC 7009), refresh rotation (RFC 9700 §4.14.2) and the code flow, with
 * `jwt.recordTokens` on and off. BearerGuard is the judge of whether a token still works.
 */

const ISSUER = 'https://shift.example';
const API = 'https://api.shift.example/v1/';
const REDIRECT = 'https://customapp.example/oauth/redirect';
type Creds = { id: string; secret: string };
type Tokens = { access_token: string; refresh_token: string; expires_in: number; scope: string };

function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

function tampered(jwt: string): string {
  const [h, , s] = jwt.split('.');
  const claims = claimsOf(jwt);
  return `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: 'mallory' })).toString('base64url')}.${s}`;
}

/** One server, its clients, and the requests every test makes. */
async function setUp(recordTokens: boolean) {
  const t = await createOAuthTestApp({
    controllers: [ProfileApiController],
    options: {
      issuer: ISSUER,
      resources: { [API]: { scopes: ['profile'], name: 'SHIFT API', accessTokenFormat: 'jwt' } },
      defaultResource: API,
      refreshTokenGracePeriod: 10,
      jwt: { recordTokens },
      // The cache on: a revocation must evict a token BearerGuard has already accepted.
      bearer: { cache: { maxEntries: 100, ttl: 60 } },
    },
  });
  const reg = async (input: Parameters<OAuthTestApp['register']>[0]): Promise<Creds> => {
    const r = await t.register(input);
    return { id: r.client.id, secret: r.clientSecret! };
  };
  const app = await reg({ name: 'CustomApp', redirectUris: [REDIRECT] });
  const other = await reg({ name: 'Other', redirectUris: [REDIRECT] });
  const worker = await reg({ name: 'Worker', redirectUris: [], grantTypes: ['client_credentials'] });
  const rs = await reg({ name: 'Resource server', redirectUris: [], grantTypes: ['client_credentials'], canIntrospect: true });

  const connect = async (client = app, user = 'alice'): Promise<Tokens> => {
    const { verifier, challenge } = pkcePair();
    const query = {
      response_type: 'code',
      client_id: client.id,
      scope: 'profile',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    };
    const { code } = await obtainCode(t, query, user);
    const res = await tokenRequest(t, { grant_type: 'authorization_code', code, code_verifier: verifier }, client);
    assert.equal(res.status, 200, res.text);
    return res.body as Tokens;
  };
  const refresh = (refreshToken: string, client = app) =>
    tokenRequest(t, { grant_type: 'refresh_token', refresh_token: refreshToken }, client);
  const clientCredentials = async (client = worker): Promise<string> => {
    const res = await tokenRequest(t, { grant_type: 'client_credentials', scope: 'profile' }, client);
    assert.equal(res.status, 200, res.text);
    return res.body.access_token as string;
  };
  const introspect = async (token: string): Promise<Record<string, unknown>> =>
    (await request(t.server).post('/oauth2/introspect').auth(rs.id, rs.secret).type('form').send({ token }).expect(200)).body;
  const revoke = (token: string, client: Creds = app) =>
    request(t.server).post('/oauth2/revoke').auth(client.id, client.secret).type('form').send({ token });
  const guard = (token: string) => request(t.server).get('/api/me').auth(token, { type: 'bearer' });
  const assertRefused = async (token: string, why: string) => {
    const res = await guard(token);
    assert.equal(res.status, 401, why);
    assert.match(res.headers['www-authenticate'] ?? '', /error="invalid_token"/, why);
  };
  return { t, app, other, worker, rs, connect, refresh, clientCredentials, introspect, revoke, guard, assertRefused };
}

describe('JWT access tokens with jwt.recordTokens (RFC 9068, RFC 7662, RFC 7009)', () => {
  let s: Awaited<ReturnType<typeof setUp>>;
  before(async () => {
    s = await setUp(true);
  });
  after(() => s.t.close());

  it('RFC 7662 §2.2: a recorded JWT is active, described from its claims (sub = the user)', async () => {
    const { access_token } = await s.connect();
    const claims = claimsOf(access_token);
    const body = await s.introspect(access_token);
    assert.deepEqual(body, {
      active: true,
      scope: 'profile',
      client_id: s.app.id,
      sub: 'alice',
      token_type: 'Bearer',
      aud: API,
      exp: claims.exp,
      iat: claims.iat,
      iss: ISSUER,
      jti: claims.jti,
    });
  });

  it('RFC 7662 §2.2 / RFC 9068 §2.2: a client_credentials JWT is described without sub', async () => {
    const body = await s.introspect(await s.clientCredentials());
    assert.equal(body.active, true);
    assert.equal(body.client_id, s.worker.id);
    assert.equal(body.sub, undefined, 'no user is behind it');
  });

  it('RFC 7662 §2.2: a tampered, an expired or an unknown JWT is inactive, with nothing else said', async () => {
    const { access_token } = await s.connect();
    assert.deepEqual(await s.introspect(tampered(access_token)), { active: false });
    assert.deepEqual(await s.introspect(`${access_token.split('.').slice(0, 2).join('.')}.`), { active: false });
  });

  it('RFC 9068 §2.2 (jti): the jti of a recorded JWT is not a bearer credential: inactive, not revocable, refused', async () => {
    const { access_token } = await s.connect();
    const jti = claimsOf(access_token).jti as string;
    assert.deepEqual(await s.introspect(jti), { active: false });
    await s.revoke(jti).expect(200);
    await s.assertRefused(jti, 'BearerGuard refuses the jti');
    assert.equal((await s.introspect(access_token)).active, true, 'presenting the jti revoked nothing');
    assert.equal((await s.guard(access_token)).status, 200);
  });

  it('RFC 7009 §2.1: revoking a JWT stops it at BearerGuard at once, cached or not; the grant goes on', async () => {
    const tokens = await s.connect();
    assert.equal((await s.guard(tokens.access_token)).status, 200, 'accepted (and cached) before the revocation');
    const res = await s.revoke(tokens.access_token).expect(200);
    assert.equal(res.text, '');
    await s.assertRefused(tokens.access_token, 'refused after the revocation');
    assert.deepEqual(await s.introspect(tokens.access_token), { active: false });
    const next = await s.refresh(tokens.refresh_token);
    assert.equal(next.status, 200, 'an access token is revoked alone (RFC 7009 §2.1)');
    assert.equal((await s.guard(next.body.access_token)).status, 200);
  });

  it("RFC 7009 §2.1: another client's JWT is left alone, with the same empty 200", async () => {
    const { access_token } = await s.connect();
    await s.revoke(access_token, s.other).expect(200);
    assert.equal((await s.guard(access_token)).status, 200);
    assert.equal((await s.introspect(access_token)).active, true);
  });

  it("RFC 7009 §2.1: revoking the refresh token ends the grant's JWTs at BearerGuard at once", async () => {
    const tokens = await s.connect();
    assert.equal((await s.guard(tokens.access_token)).status, 200);
    await s.revoke(tokens.refresh_token).expect(200);
    await s.assertRefused(tokens.access_token, "the grant's JWT is refused");
    assert.deepEqual(await s.introspect(tokens.access_token), { active: false });
  });

  it('RFC 9700 §4.14.2: a retry within the grace period gets the same refresh token and a JWT with the same jti, iat and exp', async () => {
    const first = await s.connect();
    const rotated = await s.refresh(first.refresh_token);
    assert.equal(rotated.status, 200, rotated.text);
    s.t.clock.advance(3);
    const retried = await s.refresh(first.refresh_token);
    assert.equal(retried.status, 200, retried.text);
    assert.equal(retried.body.refresh_token, rotated.body.refresh_token);
    const [a, b] = [claimsOf(rotated.body.access_token), claimsOf(retried.body.access_token)];
    assert.deepEqual([b.jti, b.iat, b.exp], [a.jti, a.iat, a.exp]);
    assert.equal(retried.body.expires_in, rotated.body.expires_in - 3, 'the same token, 3 seconds older');
    assert.equal((await s.guard(retried.body.access_token)).status, 200);
    assert.equal((await s.introspect(retried.body.access_token)).active, true);
  });

  it('RFC 9700 §4.14.2: reuse after the successor was used revokes the family, and its JWTs stop at BearerGuard', async () => {
    const first = await s.connect();
    const second = (await s.refresh(first.refresh_token)).body as Tokens;
    const third = (await s.refresh(second.refresh_token)).body as Tokens;
    for (const token of [first.access_token, second.access_token, third.access_token]) assert.equal((await s.guard(token)).status, 200);
    const reuse = await s.refresh(first.refresh_token);
    assert.equal(reuse.status, 400);
    assert.equal(reuse.body.error, 'invalid_grant');
    for (const token of [first.access_token, second.access_token, third.access_token]) {
      await s.assertRefused(token, 'every JWT of the family is refused');
    }
    assert.equal((await s.refresh(third.refresh_token)).body.error, 'invalid_grant');
  });

  it('RFC 6749 §4.1.2: a replayed code revokes the JWT it was exchanged for', async () => {
    const { verifier, challenge } = pkcePair();
    const query = {
      response_type: 'code',
      client_id: s.app.id,
      scope: 'profile',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    };
    const { code } = await obtainCode(s.t, query);
    const form = { grant_type: 'authorization_code', code, code_verifier: verifier };
    const issued = await tokenRequest(s.t, form, s.app);
    assert.equal(issued.status, 200);
    assert.equal((await s.guard(issued.body.access_token)).status, 200);
    assert.equal((await tokenRequest(s.t, form, s.app)).body.error, 'invalid_grant');
    await s.assertRefused(issued.body.access_token, 'the replay revoked the grant');
  });

  it("connected apps: the user's disconnect ends the client's JWTs at BearerGuard at once", async () => {
    const tokens = await s.connect(s.app, 'carol');
    assert.equal((await s.guard(tokens.access_token)).status, 200);
    assert.equal(await s.t.app.get(ConnectedApps).revoke('carol', s.app.id), true);
    await s.assertRefused(tokens.access_token, 'disconnected');
  });

  it('RFC 7662 §2.2: the JWT of a deleted client is inactive', async () => {
    const doomed = await s.t.register({ name: 'Doomed', redirectUris: [], grantTypes: ['client_credentials'] });
    const token = await s.clientCredentials({ id: doomed.client.id, secret: doomed.clientSecret! });
    assert.equal((await s.introspect(token)).active, true);
    await s.t.app.get(ClientStore).delete(doomed.client.id);
    assert.deepEqual(await s.introspect(token), { active: false });
  });
});

describe('JWT access tokens without jwt.recordTokens (RFC 9068, RFC 7662, RFC 7009)', () => {
  let s: Awaited<ReturnType<typeof setUp>>;
  before(async () => {
    s = await setUp(false);
  });
  after(() => s.t.close());

  it('RFC 7662 §2.2: a valid JWT is active from its claims alone, and inactive once its client is deleted', async () => {
    const doomed = await s.t.register({ name: 'Doomed', redirectUris: [], grantTypes: ['client_credentials'] });
    const token = await s.clientCredentials({ id: doomed.client.id, secret: doomed.clientSecret! });
    const body = await s.introspect(token);
    assert.equal(body.active, true);
    assert.equal(body.jti, claimsOf(token).jti);
    assert.equal(body.token_type, 'Bearer');
    await s.t.app.get(ClientStore).delete(doomed.client.id);
    assert.deepEqual(await s.introspect(token), { active: false });
  });

  it('RFC 7009 §2.2.1: revoking a JWT answers unsupported_token_type, and the token keeps working until exp', async () => {
    const tokens = await s.connect();
    const res = await s.revoke(tokens.access_token).expect(400);
    assert.equal(res.body.error, 'unsupported_token_type');
    assert.match(res.body.error_description, /until exp/);
    assert.match(res.body.error_description, /refresh token/);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal((await s.guard(tokens.access_token)).status, 200);
    // The advice works: the refresh token revokes the grant.
    await s.revoke(tokens.refresh_token).expect(200);
    assert.equal((await s.refresh(tokens.refresh_token)).body.error, 'invalid_grant');
  });

  it('RFC 7009 §2.2: a tampered or foreign JWT gets the empty 200 of an unknown token', async () => {
    const { access_token } = await s.connect();
    await s.revoke(tampered(access_token)).expect(200);
    await s.revoke(access_token, s.other).expect(200);
  });

  it('RFC 9700 §4.14.2: an unrecorded retry gets the same refresh token and a JWT with the same jti, iat and exp', async () => {
    const first = await s.connect();
    const rotated = await s.refresh(first.refresh_token);
    assert.equal(rotated.status, 200, rotated.text);
    s.t.clock.advance(4);
    const retried = await s.refresh(first.refresh_token);
    assert.equal(retried.status, 200, retried.text);
    assert.equal(retried.body.refresh_token, rotated.body.refresh_token);
    const [a, b] = [claimsOf(rotated.body.access_token), claimsOf(retried.body.access_token)];
    assert.deepEqual([b.jti, b.iat, b.exp], [a.jti, a.iat, a.exp]);
    assert.equal((await s.guard(retried.body.access_token)).status, 200);
    // Reuse once the successor was used: the family's refresh tokens are revoked.
    const next = await s.refresh(rotated.body.refresh_token);
    assert.equal(next.status, 200);
    assert.equal((await s.refresh(first.refresh_token)).body.error, 'invalid_grant');
    assert.equal((await s.refresh(next.body.refresh_token)).body.error, 'invalid_grant');
  });

  it('RFC 7662 §2.2: a JWT past exp and the clock tolerance is inactive', async () => {
    const token = await s.clientCredentials();
    s.t.clock.advance(300 + 31);
    assert.deepEqual(await s.introspect(token), { active: false });
  });
});

describe('the code flow with a JWT resource (RFC 6749 §4.1, RFC 9068 §2.2)', () => {
  let s: Awaited<ReturnType<typeof setUp>>;
  before(async () => {
    s = await setUp(false);
  });
  after(() => s.t.close());

  it('the consent page names the client, the scopes and the resource; the token is a JWT whose sub is the user', async () => {
    const { challenge } = pkcePair();
    const query = {
      response_type: 'code',
      client_id: s.app.id,
      scope: 'profile',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    };
    const page = await authorize(s.t, query, 'dora');
    assert.equal(page.status, 200);
    assert.match(page.text, /CustomApp/);
    assert.match(page.text, /Read your profile/);
    assert.match(page.text, /SHIFT API/);
    // Only what the user reads: hidden fields carry random values (the CSRF token, the PKCE
    // challenge) that may spell "jwt" by chance.
    const shown = page.text.replace(/<style>[\s\S]*?<\/style>/g, '').replace(/<[^>]*>/g, ' ');
    assert.doesNotMatch(shown, /\bjwt\b|at\+jwt|json web token/i, 'the token format is no concern of the user');
    const tokens = await s.connect(s.app, 'dora');
    const claims = claimsOf(tokens.access_token);
    assert.equal(claims.sub, 'dora');
    assert.equal(claims.client_id, s.app.id);
    const me = await s.guard(tokens.access_token).expect(200);
    assert.equal(me.body.userId, 'dora');
    assert.equal(me.body.clientId, s.app.id);
  });
});

import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import * as jose from 'jose';
import { SigningKeys } from 'nest-oauth2-provider';
import * as oauth from 'oauth4webapi';
import request from 'supertest';
import { createOAuthTestApp, type OAuthTestApp } from './fixtures/oauth-app.fixture';
import { obtainCode, pkcePair, tokenRequest } from './fixtures/oauth-flow';
import { ProfileApiController } from './fixtures/protected-api';

/**
 * Our JWT access tokens (RFC 9068) checked by verifiers we did not write: oauth4webapi's
 * `validateJwtAccessToken` and jose's `jwtVerify`, both fetching the JWKS from the server over real
 * HTTP. Each accepts what the token endpoint issues and refuses the forgeries our own BearerGuard
 * refuses.
 */

const ISSUER = 'https://shift.example';
const API = 'https://api.shift.example/v1/';
const FILES = 'https://files.shift.example/';
const ED = 'https://ed.shift.example/';
const RSA = 'https://rsa.shift.example/';
const REDIRECT = 'https://customapp.example/oauth/redirect';
type Creds = { id: string; secret: string };

/** A server listening on a real port, and what third-party verifiers need to reach it. */
interface Listening {
  t: OAuthTestApp;
  as: oauth.AuthorizationServer;
  jwks: ReturnType<typeof jose.createRemoteJWKSet>;
}

async function listen(t: OAuthTestApp): Promise<Listening> {
  await t.app.listen(0, '127.0.0.1');
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  const jwksUri = `http://127.0.0.1:${port}/oauth2/jwks`;
  // The issuer is the configured one; only the JWKS is fetched, from where the server listens.
  return { t, as: { issuer: ISSUER, jwks_uri: jwksUri }, jwks: jose.createRemoteJWKSet(new URL(jwksUri)) };
}

/** oauth4webapi judges time by the test app's manual clock, not the machine's. */
function oauthOptions(t: OAuthTestApp, algorithms: string[]): oauth.ValidateJWTAccessTokenOptions {
  return {
    [oauth.allowInsecureRequests]: true,
    [oauth.clockSkew]: Math.round((t.clock.now().getTime() - Date.now()) / 1000),
    signingAlgorithms: algorithms,
  };
}

function bearerRequest(token: string): Request {
  return new Request('https://api.shift.example/v1/me', { headers: { authorization: `Bearer ${token}` } });
}

function validateWithOauth4webapi(l: Listening, token: string, audience = API, algorithms = ['ES256']) {
  return oauth.validateJwtAccessToken(l.as, bearerRequest(token), audience, oauthOptions(l.t, algorithms));
}

function verifyWithJose(l: Listening, token: string, audience = API, algorithms = ['ES256']) {
  return jose.jwtVerify(token, l.jwks, {
    issuer: ISSUER,
    audience,
    typ: 'at+jwt',
    algorithms,
    currentDate: l.t.clock.now(),
    requiredClaims: ['iss', 'exp', 'aud', 'sub', 'client_id', 'iat', 'jti'],
  });
}

async function clientCredentials(t: OAuthTestApp, client: Creds, resource: string, scope = 'profile'): Promise<string> {
  const res = await tokenRequest(t, { grant_type: 'client_credentials', resource, scope }, client);
  assert.equal(res.status, 200, res.text);
  return res.body.access_token as string;
}

async function guardStatus(t: OAuthTestApp, token: string): Promise<{ status: number; challenge: string | undefined }> {
  const res = await request(t.server).get('/api/me').auth(token, { type: 'bearer' });
  return { status: res.status, challenge: res.headers['www-authenticate'] as string | undefined };
}

/**
 * Each verifier must refuse `token`: both third-party libraries (jose for the reason named by
 * `joseCode`), and BearerGuard with 401 invalid_token.
 */
async function assertRefusedEverywhere(l: Listening, token: string, joseCode: string, audience = API): Promise<void> {
  await assert.rejects(validateWithOauth4webapi(l, token, audience), 'oauth4webapi refuses it');
  await assert.rejects(verifyWithJose(l, token, audience), (error: jose.errors.JOSEError) => error.code === joseCode);
  const guard = await guardStatus(l.t, token);
  assert.equal(guard.status, 401, 'BearerGuard refuses it');
  assert.match(guard.challenge ?? '', /error="invalid_token"/);
}

function decodePart(part: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

function encodePart(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('JWT access tokens verified by third-party libraries (RFC 9068 §4)', () => {
  let l: Listening;
  let t: OAuthTestApp;
  let worker: Creds;
  let app: Creds;

  before(async () => {
    t = await createOAuthTestApp({
      controllers: [ProfileApiController],
      options: {
        issuer: ISSUER,
        resources: {
          [API]: { scopes: ['profile'], name: 'SHIFT API', accessTokenFormat: 'jwt' },
          [FILES]: { scopes: ['email'], name: 'SHIFT Files', accessTokenFormat: 'jwt' },
        },
        defaultResource: API,
      },
    });
    const w = await t.register({ name: 'Worker', redirectUris: [], grantTypes: ['client_credentials'], resources: [API, FILES] });
    worker = { id: w.client.id, secret: w.clientSecret! };
    const a = await t.register({ name: 'CustomApp', redirectUris: [REDIRECT], resources: [API, FILES] });
    app = { id: a.client.id, secret: a.clientSecret! };
    l = await listen(t);
  });
  after(() => t.close());

  it('RFC 9068 §2.2: a client_credentials token is accepted by oauth4webapi and jose, with sub = client_id', async () => {
    const token = await clientCredentials(t, worker, API);
    const claims = await validateWithOauth4webapi(l, token);
    assert.equal(claims.sub, worker.id);
    assert.equal(claims.client_id, worker.id);
    assert.equal(claims.scope, 'profile');
    const { payload, protectedHeader } = await verifyWithJose(l, token);
    assert.equal(protectedHeader.typ, 'at+jwt');
    assert.equal(protectedHeader.alg, 'ES256');
    assert.equal(payload.jti, claims.jti);
    assert.equal((await guardStatus(t, token)).status, 200);
  });

  it('RFC 9068 §2.2: an authorization_code token (PKCE) and its refresh are accepted, with sub = the user', async () => {
    const { verifier, challenge } = pkcePair();
    const query = { response_type: 'code', client_id: app.id, scope: 'profile', code_challenge: challenge, code_challenge_method: 'S256' };
    const { code } = await obtainCode(t, query, 'alice');
    const issued = await tokenRequest(t, { grant_type: 'authorization_code', code, code_verifier: verifier }, app);
    assert.equal(issued.status, 200, issued.text);
    const first = await validateWithOauth4webapi(l, issued.body.access_token);
    assert.equal(first.sub, 'alice');
    assert.equal(first.client_id, app.id);
    assert.equal((await verifyWithJose(l, issued.body.access_token)).payload.sub, 'alice');

    const refreshed = await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: issued.body.refresh_token }, app);
    assert.equal(refreshed.status, 200, refreshed.text);
    const second = await validateWithOauth4webapi(l, refreshed.body.access_token);
    assert.equal(second.sub, 'alice');
    assert.notEqual(second.jti, first.jti, 'a refresh issues a new token');
    assert.equal((await verifyWithJose(l, refreshed.body.access_token)).payload.aud, API);
    assert.equal((await guardStatus(t, refreshed.body.access_token)).status, 200);
  });

  it('RFC 7515 §5.2: a tampered payload is refused', async () => {
    const [h, p, s] = (await clientCredentials(t, worker, API)).split('.');
    const forged = `${h}.${encodePart({ ...decodePart(p!), scope: 'profile email' })}.${s}`;
    await assertRefusedEverywhere(l, forged, 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
  });

  it('RFC 8725 §3.1: an unsigned token (alg none) is refused', async () => {
    const [h, p] = (await clientCredentials(t, worker, API)).split('.');
    const unsigned = `${encodePart({ ...decodePart(h!), alg: 'none' })}.${p}.`;
    await assertRefusedEverywhere(l, unsigned, 'ERR_JOSE_ALG_NOT_ALLOWED');
  });

  it('RFC 9068 §4 / RFC 8725 §3.11: a JWT signed by our own key with typ JWT (an ID-token shape) is refused', async () => {
    const [, p] = (await clientCredentials(t, worker, API)).split('.');
    const idTokenShaped = await t.app.get(SigningKeys).sign('ES256', { typ: 'JWT' }, decodePart(p!));
    // The signature itself is good: only the type tells it apart.
    await jose.jwtVerify(idTokenShaped, l.jwks, { currentDate: t.clock.now() });
    await assertRefusedEverywhere(l, idTokenShaped, 'ERR_JWT_CLAIM_VALIDATION_FAILED');
  });

  it('RFC 9068 §4 / RFC 8707: a token for another audience is refused', async () => {
    const forFiles = await clientCredentials(t, worker, FILES, 'email');
    await validateWithOauth4webapi(l, forFiles, FILES);
    await assertRefusedEverywhere(l, forFiles, 'ERR_JWT_CLAIM_VALIDATION_FAILED', API);
  });

  it('RFC 8725 §3.3: a token signed with a key the JWKS does not hold (unknown kid) is refused', async () => {
    const [, p] = (await clientCredentials(t, worker, API)).split('.');
    const { privateKey } = await jose.generateKeyPair('ES256');
    const stranger = await new jose.SignJWT(decodePart(p!))
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'not-a-kid-of-this-server' })
      .sign(privateKey);
    await assertRefusedEverywhere(l, stranger, 'ERR_JWKS_NO_MATCHING_KEY');
  });

  // Last: it moves the shared clock past the token's lifetime.
  it('RFC 9068 §4 / RFC 7519 §4.1.4: an expired token is refused once past exp and the clock tolerance', async () => {
    const token = await clientCredentials(t, worker, API);
    t.clock.advance(300 + 10);
    await assert.rejects(verifyWithJose(l, token), jose.errors.JWTExpired, 'jose has no tolerance by default');
    assert.equal((await guardStatus(t, token)).status, 200, 'within the 30-second tolerance BearerGuard still accepts it');
    t.clock.advance(30);
    await assertRefusedEverywhere(l, token, 'ERR_JWT_EXPIRED');
  });
});

describe('EdDSA and RS256 resources verified by third-party libraries (RFC 9068 §2.1, RFC 7518, RFC 8037)', () => {
  let l: Listening;
  let t: OAuthTestApp;
  let worker: Creds;

  before(async () => {
    t = await createOAuthTestApp({
      controllers: [ProfileApiController],
      options: {
        issuer: ISSUER,
        resources: {
          [ED]: { scopes: ['profile'], name: 'Ed API', accessTokenFormat: 'jwt', signingAlgorithm: 'EdDSA' },
          [RSA]: { scopes: ['email'], name: 'RSA API', accessTokenFormat: 'jwt', signingAlgorithm: 'RS256' },
        },
        defaultResource: ED,
      },
    });
    const w = await t.register({ name: 'Worker', redirectUris: [], grantTypes: ['client_credentials'], resources: [ED, RSA] });
    worker = { id: w.client.id, secret: w.clientSecret! };
    l = await listen(t);
  });
  after(() => t.close());

  const cases = [
    { resource: ED, scope: 'profile', alg: 'EdDSA', kty: 'OKP', crv: 'Ed25519' },
    { resource: RSA, scope: 'email', alg: 'RS256', kty: 'RSA', crv: undefined },
  ];
  for (const c of cases) {
    it(`RFC 9068 §2.1: an ${c.alg} token verifies with its ${c.kty} key in oauth4webapi and jose`, async () => {
      const token = await clientCredentials(t, worker, c.resource, c.scope);
      const claims = await validateWithOauth4webapi(l, token, c.resource, [c.alg]);
      assert.equal(claims.aud, c.resource);
      const { protectedHeader } = await verifyWithJose(l, token, c.resource, [c.alg]);
      assert.equal(protectedHeader.alg, c.alg);
      const jwks = (await request(t.server).get('/oauth2/jwks').expect(200)).body as { keys: jose.JWK[] };
      const key = jwks.keys.find((k) => k.kid === protectedHeader.kid);
      assert.ok(key, 'the signing key is published');
      assert.equal(key.kty, c.kty);
      assert.equal(key.alg, c.alg);
      assert.equal(key.crv, c.crv);
      // Told to expect another algorithm, each library refuses it.
      const other = c.alg === 'EdDSA' ? 'RS256' : 'EdDSA';
      await assert.rejects(validateWithOauth4webapi(l, token, c.resource, [other]));
      await assert.rejects(verifyWithJose(l, token, c.resource, [other]));
    });
  }

  it('RFC 8725 §3.1: a token whose header claims another algorithm than its key is refused', async () => {
    const [h, p, s] = (await clientCredentials(t, worker, RSA, 'email')).split('.');
    const relabelled = `${encodePart({ ...decodePart(h!), alg: 'ES256' })}.${p}.${s}`;
    await assert.rejects(validateWithOauth4webapi(l, relabelled, RSA, ['ES256', 'RS256', 'EdDSA']));
    await assert.rejects(verifyWithJose(l, relabelled, RSA, ['ES256', 'RS256', 'EdDSA']));
  });
});

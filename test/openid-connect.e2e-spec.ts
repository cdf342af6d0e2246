import assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Injectable } from '@nestjs/common';
import { ClaimsProvider, ClientStore, CodeStore, type OAuthClient, type SigningAlgorithm } from 'nest-oauth2-provider';
import * as oauth from 'oauth4webapi';
import * as client from 'openid-client';
import request from 'supertest';
import { createOAuthTestApp, TEST_SCOPES, type OAuthTestApp } from './fixtures/oauth-app.fixture';
import { AUTH_PATH, consentCookie, hiddenFields, pkcePair, tokenRequest } from './fixtures/oauth-flow';
import { AUTH_TIME_HEADER, loginRedirect, OpenIdTestInteraction } from './fixtures/openid-interaction';
import { TEST_USER_HEADER } from './fixtures/test-interaction';
import { hashSecret } from './support/library-internals';

/**
 * OpenID Connect Core 1.0 at the token endpoint and UserInfo, and Discovery 1.0, checked by relying
 * parties we did not write: openid-client discovers the issuer, redeems codes (nonce, iss, aud,
 * at_hash, the signature against the JWKS) and reads UserInfo; oauth4webapi's OpenID Connect code
 * response processing gives a second opinion. Both reach the server over real HTTP; the issuer is
 * `https://shift.example`, which their fetch maps to where the test server listens.
 */

const ISSUER = 'https://shift.example';
const API = 'https://api.shift.example/';
const FILES = 'https://files.shift.example/';
const REDIRECT = 'https://customapp.example/oauth/redirect';
const AUTH_TIME = new Date('2029-12-31T23:50:00Z');
const USERINFO = '/oauth2/userinfo';
/** A pairwise client's redirect URI: its host is the client's sector (OpenID Connect Core §8.1). */
const PAIRWISE_REDIRECT = 'https://pairwise.example/cb';

type Creds = { id: string; secret: string };

/** The host's directory: what it will say about each user. A user in `gone` has been deleted. */
const DIRECTORY: Record<string, Record<string, unknown>> = {
  alice: {
    name: 'Alice Liddell',
    given_name: 'Alice',
    email: 'alice@shift.example',
    email_verified: true,
    phone_number: '+1 555 0100',
    phone_number_verified: false,
    address: { street_address: '1 Rabbit Hole', locality: 'Oxford', country: 'GB' },
    team_ids: ['wonderland'],
    // A host that says too much: never released as such.
    sub: 'mallory',
    iss: 'https://evil.example',
  },
  bob: { name: 'Bob', email: 'bob@shift.example', email_verified: false },
};
const gone = new Set<string>();

@Injectable()
class DirectoryClaims extends ClaimsProvider {
  claims(userId: string): Record<string, unknown> | undefined {
    return gone.has(userId) ? undefined : DIRECTORY[userId];
  }
}

/** A code the authorization endpoint would have issued for an OpenID Connect request (or a plain OAuth one). */
interface IssuedCode {
  code: string;
  verifier: string;
  state: string;
  nonce: string;
  /** The authorization response as the browser brings it back to the client. */
  callback: URL;
}

async function issueCode(
  t: OAuthTestApp,
  c: Creds,
  options: { user?: string; scopes?: string[]; openid?: boolean; nonce?: string; resources?: string[]; redirect?: string } = {},
): Promise<IssuedCode> {
  const { verifier, challenge } = pkcePair();
  const code = randomBytes(32).toString('base64url');
  const state = randomBytes(8).toString('base64url');
  const nonce = options.nonce ?? randomBytes(12).toString('base64url');
  const now = t.clock.now();
  await t.app.get(CodeStore).save({
    codeHash: hashSecret(code),
    clientId: c.id,
    userId: options.user ?? 'alice',
    redirectUri: options.redirect ?? REDIRECT,
    scopes: options.scopes ?? ['openid', 'profile', 'email', 'offline_access'],
    resources: options.resources ?? [],
    codeChallenge: challenge,
    codeChallengeMethod: 'S256',
    grantId: randomUUID(),
    createdAt: now,
    expiresAt: new Date(now.getTime() + 60_000),
    consumedAt: null,
    replayedAt: null,
    openid: options.openid === false ? null : { authTime: AUTH_TIME, nonce, acr: 'urn:shift:loa:pwd', amr: ['pwd'] },
  });
  const callback = new URL(options.redirect ?? REDIRECT);
  callback.search = new URLSearchParams({ code, state, iss: ISSUER }).toString();
  return { code, verifier, state, nonce, callback };
}

/** Fetch as the relying parties do, with the issuer's origin mapped to where the test server listens. */
function fetchVia(base: string): client.CustomFetch {
  return (url, init) => fetch(url.replace(ISSUER, base), init as RequestInit);
}

/** Seconds between the test app's manual clock and this machine's, for the relying parties' time checks. */
function skew(t: OAuthTestApp): number {
  return Math.round((t.clock.now().getTime() - Date.now()) / 1000);
}

async function discover(
  t: OAuthTestApp,
  base: string,
  c: Creds,
  metadata: Partial<client.ClientMetadata> = {},
): Promise<client.Configuration> {
  const config = await client.discovery(
    new URL(ISSUER),
    c.id,
    { client_secret: c.secret, [client.clockSkew]: skew(t), ...metadata },
    client.ClientSecretPost(c.secret),
    { [client.customFetch]: fetchVia(base) },
  );
  config[client.customFetch] = fetchVia(base);
  // Code-flow ID tokens come over TLS from the token endpoint, so openid-client checks their
  // signature only when asked: ask, so every ID token here is verified against the JWKS too.
  client.enableNonRepudiationChecks(config);
  return config;
}

function decodeJwt(token: string): { header: Record<string, unknown>; claims: Record<string, unknown> } {
  const [h, p] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(h!, 'base64url').toString('utf8')) as Record<string, unknown>,
    claims: JSON.parse(Buffer.from(p!, 'base64url').toString('utf8')) as Record<string, unknown>,
  };
}

/** OpenID Connect Core §3.1.3.6, computed here independently of the server. */
function expectedAtHash(accessToken: string, alg: string): string {
  const digest = createHash(alg === 'EdDSA' ? 'sha512' : 'sha256')
    .update(accessToken)
    .digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

async function userInfo(t: OAuthTestApp, token: string) {
  return request(t.server).get(USERINFO).auth(token, { type: 'bearer' });
}

async function registerRp(t: OAuthTestApp, name: string, extra: Partial<OAuthClient> = {}, redirect = REDIRECT): Promise<Creds> {
  const registered = await t.register({ name, redirectUris: [redirect], grantTypes: ['authorization_code', 'refresh_token'] });
  // OpenID registration fields (id_token_signed_response_alg, subject_type) set as a host's admin tool would.
  if (Object.keys(extra).length) await t.app.get(ClientStore).save({ ...registered.client, ...extra });
  return { id: registered.client.id, secret: registered.clientSecret! };
}

describe('OpenID Connect: ID tokens, UserInfo and discovery with openid-client and oauth4webapi', () => {
  let t: OAuthTestApp;
  let base: string;
  let rp: Creds;
  let pairwise: Creds;

  before(async () => {
    t = await createOAuthTestApp({
      options: {
        issuer: ISSUER,
        scopes: { ...TEST_SCOPES, 'files:read': 'Read your files' },
        resources: {
          [API]: { scopes: ['teams:read'], name: 'SHIFT API', accessTokenFormat: 'jwt' },
          [FILES]: { scopes: ['files:read'], name: 'SHIFT Files' },
        },
        defaultResource: API,
        openid: { pairwiseSalt: 'a pairwise salt for the tests', scopeClaims: { teams: ['team_ids'] } },
      },
      extras: { claims: DirectoryClaims },
    });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    rp = await registerRp(t, 'CustomApp');
    pairwise = await registerRp(t, 'Pairwise App', { subjectType: 'pairwise' }, PAIRWISE_REDIRECT);
  });
  after(() => t.close());

  it('OpenID Connect Core §3.1.3.7: openid-client discovers the issuer and redeems a code — nonce, iss, aud, at_hash and the RS256 signature check', async () => {
    const config = await discover(t, base, rp);
    const issued = await issueCode(t, rp, { resources: [API, FILES] });
    const tokens = await client.authorizationCodeGrant(config, issued.callback, {
      pkceCodeVerifier: issued.verifier,
      expectedNonce: issued.nonce,
      expectedState: issued.state,
      idTokenExpected: true,
    });
    const claims = tokens.claims()!;
    assert.equal(claims.iss, ISSUER);
    assert.equal(claims.aud, rp.id);
    assert.equal(claims.sub, 'alice');
    assert.equal(claims.nonce, issued.nonce);
    assert.equal(claims.auth_time, AUTH_TIME.getTime() / 1000);
    assert.equal(claims.acr, 'urn:shift:loa:pwd');
    assert.deepEqual(claims.amr, ['pwd']);
    const { header } = decodeJwt(tokens.id_token!);
    assert.equal(header.alg, 'RS256', 'RS256 when the client registered no algorithm');
    assert.equal(header.typ, 'JWT', 'never at+jwt: an ID token is not an access token');
    assert.equal(claims.at_hash, expectedAtHash(tokens.access_token, 'RS256'));
    assert.equal(claims.email, 'alice@shift.example', 'claimsInIdToken: the granted scopes release their claims');
    assert.equal(claims.phone_number, undefined, 'phone was not granted');
  });

  it('OpenID Connect Core §5.3: openid-client reads UserInfo — sub and the claims the scopes release, nothing the host may not set', async () => {
    const config = await discover(t, base, rp);
    const issued = await issueCode(t, rp);
    const tokens = await client.authorizationCodeGrant(config, issued.callback, {
      pkceCodeVerifier: issued.verifier,
      expectedNonce: issued.nonce,
      expectedState: issued.state,
    });
    const info = await client.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub);
    assert.equal(info.sub, 'alice');
    assert.equal(info.name, 'Alice Liddell');
    assert.equal(info.given_name, 'Alice');
    assert.equal(info.email, 'alice@shift.example');
    assert.equal(info.email_verified, true);
    assert.equal(info.phone_number, undefined, 'phone was not granted');
    assert.equal(info.team_ids, undefined, 'teams was not granted');
    assert.equal(info.iss, undefined, 'the host cannot add iss');
  });

  it('OpenID Connect Core §3.1.3.7: oauth4webapi processAuthorizationCodeResponse accepts the response with the nonce, and refuses it with another', async () => {
    const as = await oauth.processDiscoveryResponse(
      new URL(ISSUER),
      await oauth.discoveryRequest(new URL(ISSUER), { algorithm: 'oidc', [oauth.customFetch]: fetchVia(base) }),
    );
    const rpClient: oauth.Client = { client_id: rp.id, [oauth.clockSkew]: skew(t) };
    const exchange = async (issued: IssuedCode) => {
      const params = oauth.validateAuthResponse(as, rpClient, issued.callback, issued.state);
      return oauth.authorizationCodeGrantRequest(as, rpClient, oauth.ClientSecretPost(rp.secret), params, REDIRECT, issued.verifier, {
        [oauth.customFetch]: fetchVia(base),
      });
    };
    const good = await issueCode(t, rp);
    const result = await oauth.processAuthorizationCodeResponse(as, rpClient, await exchange(good), {
      expectedNonce: good.nonce,
      requireIdToken: true,
    });
    const claims = oauth.getValidatedIdTokenClaims(result)!;
    assert.equal(claims.sub, 'alice');
    assert.equal(claims.nonce, good.nonce);
    assert.equal(claims.aud, rp.id);

    const other = await issueCode(t, rp);
    await assert.rejects(
      oauth.processAuthorizationCodeResponse(as, rpClient, await exchange(other), {
        expectedNonce: 'not-the-nonce-sent',
        requireIdToken: true,
      }),
      (error: Error & { code?: string }) => error.code === oauth.JWT_CLAIM_COMPARISON,
    );
  });

  for (const alg of ['ES256', 'EdDSA'] as const satisfies readonly SigningAlgorithm[]) {
    it(`OpenID Connect Registration §2: a client registered with id_token_signed_response_alg ${alg} gets ${alg} ID tokens openid-client verifies, with the matching at_hash`, async () => {
      const c = await registerRp(t, `${alg} App`, { idTokenSignedResponseAlg: alg });
      // The relying party expects the algorithm it registered, and refuses any other.
      const config = await discover(t, base, c, { id_token_signed_response_alg: alg });
      const issued = await issueCode(t, c);
      const tokens = await client.authorizationCodeGrant(config, issued.callback, {
        pkceCodeVerifier: issued.verifier,
        expectedNonce: issued.nonce,
        expectedState: issued.state,
      });
      const { header, claims } = decodeJwt(tokens.id_token!);
      assert.equal(header.alg, alg);
      assert.equal(claims.at_hash, expectedAtHash(tokens.access_token, alg));
      assert.equal(tokens.claims()!.sub, 'alice');
    });
  }

  it('OpenID Connect Core §12.2: a refresh returns a new ID token with the same sub, aud and auth_time, a new iat and no nonce', async () => {
    const config = await discover(t, base, rp);
    const issued = await issueCode(t, rp);
    const first = await client.authorizationCodeGrant(config, issued.callback, {
      pkceCodeVerifier: issued.verifier,
      expectedNonce: issued.nonce,
      expectedState: issued.state,
    });
    t.clock.advance(20);
    const refreshed = await client.refreshTokenGrant(config, first.refresh_token!);
    const before = first.claims()!;
    const after = refreshed.claims()!;
    assert.ok(refreshed.id_token, 'the refresh response carries an ID token');
    assert.equal(after.sub, before.sub);
    assert.equal(after.aud, before.aud);
    assert.equal(after.auth_time, before.auth_time);
    assert.equal(after.acr, before.acr);
    assert.equal(after.iat, before.iat + 20);
    assert.equal(after.nonce, undefined, 'no nonce on refresh');
    assert.equal(after.at_hash, expectedAtHash(refreshed.access_token, 'RS256'));
  });

  it('OpenID Connect Core §12.2 / RFC 9700 §4.14.2: a retried rotation gets its successor pair again with an ID token bound to that access token', async () => {
    const issued = await issueCode(t, rp);
    const first = await tokenRequest(
      t,
      { grant_type: 'authorization_code', code: issued.code, code_verifier: issued.verifier, redirect_uri: REDIRECT },
      rp,
    );
    assert.equal(first.status, 200, first.text);
    const rotated = await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: first.body.refresh_token }, rp);
    const retried = await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: first.body.refresh_token }, rp);
    assert.equal(retried.status, 200, retried.text);
    assert.equal(retried.body.access_token, rotated.body.access_token, 'the same successor pair');
    const claims = decodeJwt(retried.body.id_token).claims;
    assert.equal(claims.sub, 'alice');
    assert.equal(claims.nonce, undefined);
    assert.equal(claims.auth_time, AUTH_TIME.getTime() / 1000);
    assert.equal(claims.at_hash, expectedAtHash(retried.body.access_token, 'RS256'));
  });

  it('OpenID Connect Core §3.1.3.3: a plain OAuth grant (no openid scope) gets no ID token, and neither do its refreshes', async () => {
    const issued = await issueCode(t, rp, { scopes: ['profile', 'offline_access'], openid: false });
    const res = await tokenRequest(
      t,
      { grant_type: 'authorization_code', code: issued.code, code_verifier: issued.verifier, redirect_uri: REDIRECT },
      rp,
    );
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.id_token, undefined);
    const refreshed = await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: res.body.refresh_token }, rp);
    assert.equal(refreshed.status, 200, refreshed.text);
    assert.equal(refreshed.body.id_token, undefined);
  });

  it('OpenID Connect Core §5.3.3 / RFC 6750 §3.1: UserInfo refuses an access token without the openid scope with 403 insufficient_scope', async () => {
    const issued = await issueCode(t, rp, { scopes: ['profile'], openid: false });
    const res = await tokenRequest(
      t,
      { grant_type: 'authorization_code', code: issued.code, code_verifier: issued.verifier, redirect_uri: REDIRECT },
      rp,
    );
    const refused = await userInfo(t, res.body.access_token);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error, 'insufficient_scope');
    assert.match(refused.headers['www-authenticate'] ?? '', /^Bearer realm="[^"]*", error="insufficient_scope".*scope="openid"/);
  });

  it('OpenID Connect Core §5.3.3 / RFC 8707: UserInfo refuses an access token minted for another resource (invalid_token, not for UserInfo)', async () => {
    const issued = await issueCode(t, rp, { resources: [API, FILES] });
    const res = await tokenRequest(
      t,
      { grant_type: 'authorization_code', code: issued.code, code_verifier: issued.verifier, redirect_uri: REDIRECT },
      rp,
    );
    assert.equal((await userInfo(t, res.body.access_token)).status, 200, 'a token for the server’s own resource is accepted');
    const forFiles = await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: res.body.refresh_token, resource: FILES }, rp);
    assert.equal(forFiles.status, 200, forFiles.text);
    assert.match(forFiles.body.scope, /\bopenid\b/, 'the Files token has openid, so only its audience keeps it out');
    const refused = await userInfo(t, forFiles.body.access_token);
    assert.equal(refused.status, 401);
    assert.equal(refused.body.error, 'invalid_token');
    assert.match(refused.body.error_description, /not for UserInfo/);
    assert.match(refused.headers['www-authenticate'] ?? '', /error="invalid_token"/);
  });

  it('OpenID Connect Core §5.3.1 / RFC 6750 §2.2: UserInfo answers POST with the token in the form body or the Authorization header, never cached', async () => {
    const issued = await issueCode(t, rp);
    const res = await tokenRequest(
      t,
      { grant_type: 'authorization_code', code: issued.code, code_verifier: issued.verifier, redirect_uri: REDIRECT },
      rp,
    );
    const form = await request(t.server).post(USERINFO).type('form').send({ access_token: res.body.access_token });
    assert.equal(form.status, 200, form.text);
    assert.equal(form.body.sub, 'alice');
    assert.equal(form.headers['cache-control'], 'no-store');
    const header = await request(t.server).post(USERINFO).auth(res.body.access_token, { type: 'bearer' });
    assert.equal(header.status, 200, header.text);
    assert.deepEqual(header.body, form.body);
    assert.match(header.headers['content-type'] ?? '', /^application\/json/);
  });

  it('OpenID Connect Core §5.3.3 / RFC 6750 §3: UserInfo without a token is 401 with a bare Bearer challenge; a made-up token is invalid_token', async () => {
    const none = await request(t.server).get(USERINFO);
    assert.equal(none.status, 401);
    assert.doesNotMatch(none.headers['www-authenticate'] ?? '', /error=/);
    assert.match(none.headers['www-authenticate'] ?? '', /^Bearer realm=/);
    const unknown = await userInfo(t, 'not-a-token-of-this-server');
    assert.equal(unknown.status, 401);
    assert.equal(unknown.body.error, 'invalid_token');
  });

  it('OpenID Connect Core §5.3.3: UserInfo for a user the host no longer knows is 401 invalid_token', async () => {
    const issued = await issueCode(t, rp, { user: 'bob' });
    const res = await tokenRequest(
      t,
      { grant_type: 'authorization_code', code: issued.code, code_verifier: issued.verifier, redirect_uri: REDIRECT },
      rp,
    );
    assert.equal((await userInfo(t, res.body.access_token)).body.sub, 'bob');
    gone.add('bob');
    try {
      const refused = await userInfo(t, res.body.access_token);
      assert.equal(refused.status, 401);
      assert.equal(refused.body.error, 'invalid_token');
      assert.match(refused.body.error_description, /no longer exists/);
    } finally {
      gone.delete('bob');
    }
  });

  it('OpenID Connect Core §8.1: a pairwise client sees another sub than a public client, stable across sign-ins, the same in the ID token and UserInfo', async () => {
    const config = await discover(t, base, pairwise);
    const subs: string[] = [];
    for (let round = 0; round < 2; round++) {
      const issued = await issueCode(t, pairwise, { redirect: PAIRWISE_REDIRECT });
      const tokens = await client.authorizationCodeGrant(config, issued.callback, {
        pkceCodeVerifier: issued.verifier,
        expectedNonce: issued.nonce,
        expectedState: issued.state,
      });
      const sub = tokens.claims()!.sub;
      const info = await client.fetchUserInfo(config, tokens.access_token, sub);
      assert.equal(info.sub, sub, 'UserInfo names the same sub as the ID token');
      subs.push(sub);
    }
    assert.notEqual(subs[0], 'alice', 'not the public subject');
    assert.equal(subs[0], subs[1], 'stable across sign-ins');
  });

  it('OpenID Connect Discovery §3: the document lists UserInfo, the JWKS, subject types, ID token algorithms, claims, the openid scope and no request objects', async () => {
    const res = await request(t.server).get('/.well-known/openid-configuration');
    assert.equal(res.status, 200);
    const doc = res.body as Record<string, unknown>;
    assert.equal(doc.issuer, ISSUER);
    assert.equal(doc.authorization_endpoint, `${ISSUER}/oauth2/auth`);
    assert.equal(doc.token_endpoint, `${ISSUER}/oauth2/token`);
    assert.equal(doc.userinfo_endpoint, `${ISSUER}/oauth2/userinfo`);
    assert.equal(doc.jwks_uri, `${ISSUER}/oauth2/jwks`);
    assert.equal(doc.end_session_endpoint, `${ISSUER}/oauth2/logout`);
    assert.deepEqual(doc.response_types_supported, ['code']);
    assert.deepEqual(doc.subject_types_supported, ['public', 'pairwise']);
    assert.deepEqual(doc.id_token_signing_alg_values_supported, ['RS256', 'ES256', 'EdDSA']);
    assert.ok((doc.scopes_supported as string[]).includes('openid'));
    for (const claim of [
      'sub',
      'iss',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'nonce',
      'acr',
      'amr',
      'at_hash',
      'name',
      'email',
      'phone_number',
      'address',
      'team_ids',
    ]) {
      assert.ok((doc.claims_supported as string[]).includes(claim), `claims_supported lists ${claim}`);
    }
    assert.equal(doc.claims_parameter_supported, false);
    assert.equal(doc.request_parameter_supported, false);
    assert.equal(doc.request_uri_parameter_supported, false);
    assert.deepEqual(doc.prompt_values_supported, ['none', 'login', 'consent', 'select_account']);
    assert.deepEqual(doc.claim_types_supported, ['normal']);
    assert.deepEqual(doc.code_challenge_methods_supported, ['S256']);
    assert.ok((doc.grant_types_supported as string[]).includes('authorization_code'));
    assert.ok((doc.token_endpoint_auth_methods_supported as string[]).includes('client_secret_basic'));
  });

  it('RFC 8414 §5 / OpenID Connect Discovery §4.2: the OAuth metadata carries the same OpenID fields, so both documents agree', async () => {
    const openid = await request(t.server).get('/.well-known/openid-configuration');
    const oauthDoc = await request(t.server).get('/.well-known/oauth-authorization-server');
    assert.equal(oauthDoc.status, 200);
    assert.deepEqual(oauthDoc.body, openid.body);
    const jwks = await request(t.server).get('/oauth2/jwks');
    const algs = (jwks.body.keys as { alg: string }[]).map((k) => k.alg);
    for (const alg of ['RS256', 'ES256', 'EdDSA']) assert.ok(algs.includes(alg), `the JWKS holds a ${alg} key for ID tokens`);
  });

  // Last: it moves the shared clock past the access token's lifetime.
  it('OpenID Connect Core §5.3.3 / RFC 6750 §3.1: UserInfo refuses an expired access token with 401 invalid_token', async () => {
    const issued = await issueCode(t, rp);
    const res = await tokenRequest(
      t,
      { grant_type: 'authorization_code', code: issued.code, code_verifier: issued.verifier, redirect_uri: REDIRECT },
      rp,
    );
    assert.equal((await userInfo(t, res.body.access_token)).status, 200);
    t.clock.advance(res.body.expires_in + 60);
    const refused = await userInfo(t, res.body.access_token);
    assert.equal(refused.status, 401);
    assert.equal(refused.body.error, 'invalid_token');
    assert.match(refused.headers['www-authenticate'] ?? '', /error="invalid_token"/);
  });
});

describe('OpenID Connect with opaque access tokens and an issuer with a path', () => {
  let t: OAuthTestApp;
  let rp: Creds;

  before(async () => {
    t = await createOAuthTestApp({
      options: { issuer: 'http://127.0.0.1/tenant', openid: {} },
      extras: { claims: DirectoryClaims },
    });
    rp = await registerRp(t, 'CustomApp');
  });
  after(() => t.close());

  it('OpenID Connect Discovery §4.1: the document is at {issuer}/.well-known/openid-configuration, and in the RFC 8414 §5 inserted form', async () => {
    const appended = await request(t.server).get('/tenant/.well-known/openid-configuration');
    assert.equal(appended.status, 200, appended.text);
    assert.equal(appended.body.issuer, 'http://127.0.0.1/tenant');
    assert.equal(appended.body.userinfo_endpoint, 'http://127.0.0.1/tenant/oauth2/userinfo');
    const inserted = await request(t.server).get('/.well-known/openid-configuration/tenant');
    assert.equal(inserted.status, 200, inserted.text);
    assert.deepEqual(inserted.body, appended.body);
    assert.equal((await request(t.server).get('/.well-known/openid-configuration/other')).status, 404);
  });

  it('OpenID Connect Core §5.3: UserInfo accepts an opaque access token with no audience, and the ID token binds it with at_hash', async () => {
    const issued = await issueCode(t, rp, { scopes: ['openid', 'email'] });
    const res = await tokenRequest(
      t,
      { grant_type: 'authorization_code', code: issued.code, code_verifier: issued.verifier, redirect_uri: REDIRECT },
      rp,
    );
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.access_token.split('.').length, 1, 'an opaque token');
    assert.equal(decodeJwt(res.body.id_token).claims.at_hash, expectedAtHash(res.body.access_token, 'RS256'));
    const info = await userInfo(t, res.body.access_token);
    assert.equal(info.status, 200, info.text);
    assert.deepEqual(info.body, { email: 'alice@shift.example', email_verified: true, sub: 'alice' });
  });
});

describe('OpenID Connect off', () => {
  let t: OAuthTestApp;
  before(async () => {
    t = await createOAuthTestApp({ storage: 'memory' });
  });
  after(() => t.close());

  it('OpenID Connect Discovery §4 / Core §5.3: without the openid option neither the configuration nor UserInfo exists (404)', async () => {
    assert.equal((await request(t.server).get('/.well-known/openid-configuration')).status, 404);
    assert.equal((await request(t.server).get(USERINFO)).status, 404);
    assert.equal((await request(t.server).post(USERINFO)).status, 404);
    const metadata = await request(t.server).get('/.well-known/oauth-authorization-server');
    assert.equal(metadata.body.userinfo_endpoint, undefined);
    assert.equal(metadata.body.id_token_signing_alg_values_supported, undefined);
  });
});

describe('OpenID Connect code flow through the authorization endpoint, driven by openid-client', () => {
  let t: OAuthTestApp;
  let base: string;
  let rp: Creds;
  const signedInAt = () => Math.floor(t.clock.now().getTime() / 1000) - 120;

  before(async () => {
    t = await createOAuthTestApp({
      options: {
        issuer: ISSUER,
        scopes: { ...TEST_SCOPES, address: 'Read your postal address', phone: 'Read your phone number' },
        openid: {},
      },
      extras: { interaction: OpenIdTestInteraction, claims: DirectoryClaims },
    });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    rp = await registerRp(t, 'CustomApp');
  });
  after(() => t.close());

  /**
   * The browser's part: the authorization URL openid-client built (followed as a link, or `post`ed as a
   * form), consent as Alice signed in at `authTime`, the redirect back.
   */
  async function browse(url: URL, authTime: number, post = false): Promise<URL> {
    const as = (req: request.Test) => req.set(TEST_USER_HEADER, 'alice').set(AUTH_TIME_HEADER, String(authTime));
    let res = await as(
      post
        ? request(t.server).post(url.pathname).type('form').send(Object.fromEntries(url.searchParams))
        : request(t.server).get(url.pathname + url.search),
    );
    if (res.status === 200) {
      res = await as(request(t.server).post(AUTH_PATH).type('form'))
        .set('Cookie', consentCookie(res))
        .send({ ...hiddenFields(res.text), decision: 'allow' });
    }
    assert.equal(res.status, 302, res.text);
    return new URL(res.headers.location);
  }

  it('OpenID Connect Core §3.1.2.1, §3.1.3.7: openid-client’s authorization request (nonce, PKCE, state) comes back with a code whose ID token carries that nonce and the sign-in time', async () => {
    const config = await discover(t, base, rp);
    const verifier = client.randomPKCECodeVerifier();
    const nonce = client.randomNonce();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'openid profile email offline_access',
      nonce,
      state,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const authTime = signedInAt();
    const callback = await browse(url, authTime);
    const tokens = await client.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedNonce: nonce,
      expectedState: state,
      idTokenExpected: true,
    });
    const claims = tokens.claims()!;
    assert.equal(claims.sub, 'alice');
    assert.equal(claims.nonce, nonce);
    assert.equal(claims.auth_time, authTime);
    assert.deepEqual(claims.amr, ['pwd']);
    const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
    assert.equal(info.email, 'alice@shift.example');

    // The ID token is a valid id_token_hint (Core §3.1.2.1): prompt=none for the same user issues a code silently.
    const silent = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'openid',
      nonce: client.randomNonce(),
      state,
      prompt: 'none',
      id_token_hint: tokens.id_token!,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const silentCallback = await browse(silent, authTime);
    assert.ok(silentCallback.searchParams.get('code'), silentCallback.href);
  });

  /** openid-client's authorization request with `params`, answered by Alice's browser (by GET, or `post`ed), and its code redeemed. */
  async function signIn(params: Record<string, string>, post = false) {
    const config = await discover(t, base, rp);
    const verifier = client.randomPKCECodeVerifier();
    const nonce = client.randomNonce();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      nonce,
      state,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      ...params,
    });
    const callback = await browse(url, signedInAt(), post);
    const tokens = await client.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedNonce: nonce,
      expectedState: state,
      idTokenExpected: true,
    });
    return { config, url, nonce, tokens };
  }

  it('OpenID Connect Core §5.4, §3.1.2.1: every standard scope, in any order, with claims_locales and an unknown parameter, releases the profile, email, address and phone claims', async () => {
    const { config, tokens } = await signIn({
      // Scope order carries no meaning (RFC 6749 §3.3); an OP ignores parameters it does not understand (Core §3.1.2.1).
      scope: 'phone address email profile openid',
      claims_locales: 'en-GB fr',
      x_unknown_parameter: 'ignored',
    });
    const info = await client.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub);
    for (const source of [info, tokens.claims()!]) {
      assert.equal(source.name, 'Alice Liddell');
      assert.equal(source.email, 'alice@shift.example');
      assert.deepEqual(source.address, DIRECTORY.alice!.address);
      assert.equal(source.phone_number, '+1 555 0100');
      assert.equal(source.phone_number_verified, false);
      assert.equal(source.team_ids, undefined, 'no standard scope releases a claim the host made up');
    }
    assert.deepEqual(tokens.scope?.split(' ').sort(), ['address', 'email', 'openid', 'phone', 'profile']);
  });

  it('OpenID Connect Core §3.1.2.1: an authorization request sent by POST is answered as the same request by GET', async () => {
    const { url, nonce, tokens } = await signIn({ scope: 'openid profile' }, true);
    assert.equal(tokens.claims()!.nonce, nonce);

    // Nobody signed in: the login page's way back is the same request as a GET, so a login never replays a POST.
    const anonymous = await request(t.server).post(url.pathname).type('form').send(Object.fromEntries(url.searchParams));
    assert.equal(anonymous.status, 302);
    const { returnTo } = loginRedirect(anonymous.headers.location);
    assert.equal(returnTo.pathname, AUTH_PATH);
    assert.equal(returnTo.searchParams.get('nonce'), nonce);
    assert.equal(returnTo.searchParams.get('client_id'), rp.id);

    // A repeated parameter is refused as it is by GET (RFC 6749 §3.1), on a page: client_id is among them.
    const repeated = await request(t.server)
      .post(url.pathname)
      .type('form')
      .send(`${url.searchParams}&client_id=${encodeURIComponent(rp.id)}`);
    assert.equal(repeated.status, 400);
  });
});

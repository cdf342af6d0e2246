import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { InMemorySigningKeyStore } from '../../stores/memory/in-memory-signing-key.store';
import type { OAuthClient, SigningAlgorithm } from '../../stores/models';
import { ManualClock } from '../clock';
import { parseJws, verifyJws } from '../jwt/jws';
import { LocalKeySigner } from '../keys/key-signer';
import { SigningKeys } from '../keys/signing-keys';
import { OAuthError } from '../oauth.errors';
import { ClaimsProvider } from './claims-provider';
import { IdTokenIssuer, tokenHash, type IdTokenRequest } from './id-token';
import { STANDARD_SCOPE_CLAIMS, type OpenIdSettings } from './openid-settings';
import { subjectFor } from './subject';

const NOW = new Date('2030-01-01T00:00:00Z');
const AUTH_TIME = new Date('2029-12-31T23:59:00Z');
const ISSUER = 'https://as.example';

const SETTINGS: OpenIdSettings = {
  idTokenTtl: 600,
  idTokenSigningAlgorithms: ['RS256', 'ES256', 'EdDSA'],
  claimsInIdToken: true,
  subjectTypes: ['public', 'pairwise'],
  pairwiseSalt: 'salt',
  scopeClaims: { ...STANDARD_SCOPE_CLAIMS, teams: ['team_ids', 'sub'] },
};

function client(overrides: Partial<OAuthClient> = {}): OAuthClient {
  return {
    id: 'client-a',
    name: 'CustomApp',
    secretHash: 'x',
    redirectUris: ['https://customapp.example/cb'],
    grantTypes: ['authorization_code', 'refresh_token'],
    scopes: ['openid', 'profile', 'email'],
    canIntrospect: false,
    resources: null,
    defaultResource: null,
    applicationType: 'web',
    createdAt: NOW,
    ...overrides,
  } as OAuthClient;
}

/** A host that would say anything, including claims only the server may set. */
class GreedyClaims extends ClaimsProvider {
  calls = 0;
  claims(userId: string) {
    this.calls++;
    if (userId === 'gone') return undefined;
    return {
      name: 'Alice',
      email: 'alice@example.com',
      email_verified: true,
      phone_number: '+1 555',
      team_ids: ['t1'],
      sub: 'mallory',
      iss: 'https://evil.example',
      aud: 'someone-else',
      nonce: 'forged',
      auth_time: 1,
      at_hash: 'forged',
      exp: 9_999_999_999,
    };
  }
}

// RSA key generation is slow: one key set serves every test.
let sharedKeys: SigningKeys | undefined;

function setup(settings: Partial<OpenIdSettings> = {}, claims: ClaimsProvider | undefined = new GreedyClaims()) {
  const keys = (sharedKeys ??= new SigningKeys({
    store: new InMemorySigningKeyStore(),
    signer: new LocalKeySigner(randomBytes(32)),
    clock: new ManualClock(NOW),
    settings: {
      algorithms: ['RS256', 'ES256', 'EdDSA'],
      jwksMaxAge: 600,
      keyRefreshInterval: 60,
      rotationInterval: 0,
      maxTokenLifetime: 600,
      clockTolerance: 0,
    },
  }));
  const issuer = new IdTokenIssuer({ issuer: ISSUER, settings: { ...SETTINGS, ...settings }, keys, claims });
  return { keys, issuer };
}

function request(overrides: Partial<IdTokenRequest> = {}): IdTokenRequest {
  return {
    client: client(),
    userId: 'alice',
    authentication: { authTime: AUTH_TIME, nonce: 'n-0S6_WzA2Mj', acr: 'urn:example:loa:2', amr: ['pwd', 'otp'] },
    scopes: ['openid', 'profile', 'email'],
    accessToken: 'access-token-value',
    now: NOW,
    withNonce: true,
    ...overrides,
  };
}

async function decoded(keys: SigningKeys, token: string) {
  const jws = parseJws(token)!;
  const key = await keys.verificationKey(jws.header.kid!);
  assert.ok(key, 'the kid is published in the JWKS');
  assert.ok(verifyJws(jws, key, [jws.header.alg as SigningAlgorithm]), 'the signature verifies with the published key');
  return { header: jws.header, claims: jws.payload };
}

describe('ID tokens (OpenID Connect Core §2)', () => {
  it('OpenID Connect Core §2: iss, sub, aud, exp, iat, auth_time, nonce, acr, amr; typ JWT with a kid; RS256 by default', async () => {
    const { keys, issuer } = setup();
    const { header, claims } = await decoded(keys, await issuer.sign(request()));
    assert.equal(header.alg, 'RS256');
    assert.equal(header.typ, 'JWT');
    assert.ok(header.kid);
    assert.equal(claims.iss, ISSUER);
    assert.equal(claims.sub, 'alice');
    assert.equal(claims.aud, 'client-a');
    assert.equal(claims.iat, NOW.getTime() / 1000);
    assert.equal(claims.exp, NOW.getTime() / 1000 + 600);
    assert.equal(claims.auth_time, AUTH_TIME.getTime() / 1000);
    assert.equal(claims.nonce, 'n-0S6_WzA2Mj');
    assert.equal(claims.acr, 'urn:example:loa:2');
    assert.deepEqual(claims.amr, ['pwd', 'otp']);
    assert.equal(claims.azp, undefined, 'a single audience needs no azp');
  });

  it('OpenID Connect Core §12.2: without the nonce (refresh), and without auth_time, acr, amr when the sign-in did not report them', async () => {
    const { keys, issuer } = setup();
    const token = await issuer.sign(request({ withNonce: false, authentication: { authTime: null, nonce: 'n' } }));
    const { claims } = await decoded(keys, token);
    assert.equal(claims.nonce, undefined);
    assert.equal(claims.auth_time, undefined);
    assert.equal(claims.acr, undefined);
    assert.equal(claims.amr, undefined);
  });

  for (const [alg, hash] of [
    ['RS256', 'sha256'],
    ['ES256', 'sha256'],
    ['EdDSA', 'sha512'],
  ] as const) {
    it(`OpenID Connect Core §3.1.3.6: at_hash of a ${alg} ID token is the left half of the ${hash.toUpperCase()} of the access token`, async () => {
      const { keys, issuer } = setup();
      const token = await issuer.sign(request({ client: client({ idTokenSignedResponseAlg: alg }) }));
      const { header, claims } = await decoded(keys, token);
      assert.equal(header.alg, alg);
      const digest = createHash(hash).update('access-token-value').digest();
      assert.equal(claims.at_hash, digest.subarray(0, digest.length / 2).toString('base64url'));
      assert.equal(claims.at_hash, tokenHash('access-token-value', alg));
    });
  }

  it('OpenID Connect Core §3.1.3.6, Appendix A.4: the specification example access token has the example at_hash (RS256)', () => {
    // Core 1.0 Appendix A.4 (response_type=id_token token): this access token's at_hash is 77QmUPtjPfzWtF2AnpK9RQ.
    assert.equal(tokenHash('jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y', 'RS256'), '77QmUPtjPfzWtF2AnpK9RQ');
  });

  it('OpenID Registration §2: a client whose id_token_signed_response_alg the server does not sign with gets unauthorized_client', async () => {
    const { issuer } = setup({ idTokenSigningAlgorithms: ['RS256'] });
    await assert.rejects(issuer.sign(request({ client: client({ idTokenSignedResponseAlg: 'EdDSA' }) })), (error: OAuthError) => {
      assert.equal(error.code, 'unauthorized_client');
      assert.match(error.description ?? '', /EdDSA/);
      return true;
    });
  });

  it('OpenID Connect Core §8.1: a pairwise client sees the pairwise sub, a public client the user id', async () => {
    const { keys, issuer } = setup();
    const pairwise = client({ id: 'client-b', subjectType: 'pairwise' });
    const { claims } = await decoded(keys, await issuer.sign(request({ client: pairwise })));
    assert.equal(claims.sub, subjectFor(pairwise, 'alice', 'salt'));
    assert.notEqual(claims.sub, 'alice');
    const again = await decoded(keys, await issuer.sign(request({ client: pairwise, now: new Date(NOW.getTime() + 1000) })));
    assert.equal(again.claims.sub, claims.sub, 'stable across tokens');
  });

  it('OpenID Connect Core §8.1: two pairwise clients of one sector see the same sub; another sector sees another', () => {
    const a = client({ id: 'a', subjectType: 'pairwise', redirectUris: ['https://app.example/a'] });
    const b = client({ id: 'b', subjectType: 'pairwise', redirectUris: ['https://app.example/b'] });
    const c = client({ id: 'c', subjectType: 'pairwise', redirectUris: ['https://other.example/cb'] });
    assert.equal(subjectFor(a, 'alice', 'salt'), subjectFor(b, 'alice', 'salt'));
    assert.notEqual(subjectFor(a, 'alice', 'salt'), subjectFor(c, 'alice', 'salt'));
    assert.notEqual(subjectFor(a, 'alice', 'salt'), subjectFor(a, 'alice', 'other salt'), 'the salt is part of the value');
  });

  it('OpenID Connect Core §5.4: claimsInIdToken adds the claims the granted scopes release, and nothing else', async () => {
    const { keys, issuer } = setup();
    const { claims } = await decoded(keys, await issuer.sign(request({ scopes: ['openid', 'email'] })));
    assert.equal(claims.email, 'alice@example.com');
    assert.equal(claims.email_verified, true);
    assert.equal(claims.name, undefined, 'profile was not granted');
    assert.equal(claims.phone_number, undefined, 'phone was not granted');
  });

  it('OpenID Connect Core §2: the host cannot override iss, sub, aud, exp, iat, nonce, auth_time or at_hash, even through scopeClaims', async () => {
    const { keys, issuer } = setup();
    const { claims } = await decoded(keys, await issuer.sign(request({ scopes: ['openid', 'profile', 'teams'] })));
    assert.equal(claims.iss, ISSUER);
    assert.equal(claims.sub, 'alice');
    assert.equal(claims.aud, 'client-a');
    assert.equal(claims.exp, NOW.getTime() / 1000 + 600);
    assert.equal(claims.nonce, 'n-0S6_WzA2Mj');
    assert.equal(claims.auth_time, AUTH_TIME.getTime() / 1000);
    assert.equal(claims.at_hash, tokenHash('access-token-value', 'RS256'));
    assert.deepEqual(claims.team_ids, ['t1'], 'a custom scope releases its own claims');
    assert.equal(claims.name, 'Alice');
  });

  it('OpenID Connect Core §5.4: with claimsInIdToken off the host is not asked and the ID token carries no profile claims', async () => {
    const host = new GreedyClaims();
    const { keys, issuer } = setup({ claimsInIdToken: false }, host);
    const { claims } = await decoded(keys, await issuer.sign(request()));
    assert.equal(claims.email, undefined);
    assert.equal(host.calls, 0);
  });

  it('OpenID Connect Core §3.1.3.3: a user the host no longer knows gets no ID token (invalid_grant)', async () => {
    const { issuer } = setup();
    await assert.rejects(issuer.sign(request({ userId: 'gone' })), (error: OAuthError) => error.code === 'invalid_grant');
  });

  it('OpenID Connect Core §3.1.3.3: an ID token is issued only for a grant that remembers a sign-in and still has the openid scope', () => {
    const { issuer } = setup();
    const auth = { authTime: AUTH_TIME };
    assert.equal(issuer.applies(auth, ['openid', 'profile']), true);
    assert.equal(issuer.applies(auth, ['profile']), false);
    assert.equal(issuer.applies(null, ['openid']), false);
    assert.equal(issuer.applies(undefined, ['openid']), false);
  });
});

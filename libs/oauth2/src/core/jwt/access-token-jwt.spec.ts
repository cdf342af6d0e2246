import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accessTokenClaims, accessTokenProblem, authorizationFromClaims, type AccessTokenExpectations } from './access-token-jwt';
import type { JwsHeader, ParsedJws } from './jws';

const ISSUER = 'https://issuer.example';
const API = 'https://api.example/';
const NOW = new Date('2030-01-01T00:00:00Z');
const NOW_S = NOW.getTime() / 1000;
const TOLERANCE = 30;
const expect: AccessTokenExpectations = { issuer: ISSUER, audience: API, now: NOW, clockTolerance: TOLERANCE };

function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...accessTokenClaims({
      issuer: ISSUER,
      audience: API,
      clientId: 'app',
      userId: 'alice',
      scopes: ['profile', 'email'],
      jti: 'token-id',
      issuedAt: new Date(NOW.getTime() - 60_000),
      expiresAt: new Date(NOW.getTime() + 240_000),
    }),
    ...overrides,
  };
}

/** Header and claims as a parsed JWS; the signature is not what these rules look at. */
function jws(payload: Record<string, unknown> = claims(), header: Partial<JwsHeader> = {}): ParsedJws {
  return { header: { alg: 'ES256', typ: 'at+jwt', kid: 'k1', ...header }, payload, input: Buffer.alloc(0), signature: Buffer.alloc(0) };
}

function problem(payload: Record<string, unknown>, options: Partial<AccessTokenExpectations> = {}): string | undefined {
  return accessTokenProblem(jws(payload), { ...expect, ...options });
}

describe('JWT access token claims and validation (RFC 9068)', () => {
  it('RFC 9068 §2.2: the claims are iss, sub, aud, client_id, scope, jti, iat and exp, as NumericDates', () => {
    assert.deepEqual(claims(), {
      iss: ISSUER,
      sub: 'alice',
      aud: API,
      client_id: 'app',
      scope: 'profile email',
      jti: 'token-id',
      iat: NOW_S - 60,
      exp: NOW_S + 240,
    });
    assert.equal(problem(claims()), undefined);
  });

  it('RFC 9068 §2.2: without a user, sub is the client, and reads back as no user', () => {
    const c = accessTokenClaims({
      issuer: ISSUER,
      audience: API,
      clientId: 'app',
      userId: null,
      scopes: [],
      jti: 'j',
      issuedAt: NOW,
      expiresAt: NOW,
    });
    assert.equal(c.sub, 'app');
    assert.equal(authorizationFromClaims(c).userId, null);
    const withUser = authorizationFromClaims(claims());
    assert.equal(withUser.userId, 'alice');
    assert.deepEqual(withUser.scopes, ['profile', 'email']);
    assert.equal(withUser.tokenId, 'token-id');
    assert.equal(withUser.audience, API);
  });

  describe('typ (RFC 9068 §2.1, §4; RFC 8725 §3.11)', () => {
    for (const typ of ['at+jwt', 'application/at+jwt', 'AT+JWT', 'Application/At+Jwt']) {
      it(`accepts typ ${typ}`, () => {
        assert.equal(accessTokenProblem(jws(claims(), { typ }), expect), undefined);
      });
    }
    for (const typ of ['JWT', 'jwt', 'application/jwt', 'at+jwt2', 'application/at+jwt; charset=utf-8', undefined, 42]) {
      it(`refuses typ ${JSON.stringify(typ)}`, () => {
        assert.match(accessTokenProblem(jws(claims(), { typ: typ as string }), expect) ?? '', /typ must be at\+jwt/);
      });
    }
  });

  it('RFC 9068 §4: another issuer is refused', () => {
    assert.match(problem(claims({ iss: 'https://other.example' })) ?? '', /another authorization server/);
    assert.match(problem(claims({ iss: undefined })) ?? '', /another authorization server/);
  });

  it('RFC 9068 §4 / RFC 8707: the audience must hold the resource; undefined expected = any audience', () => {
    assert.match(problem(claims({ aud: 'https://files.example/' })) ?? '', /not meant for this resource/);
    assert.equal(problem(claims({ aud: ['https://files.example/', API] })), undefined);
    assert.equal(problem(claims({ aud: 'https://files.example/' }), { audience: undefined }), undefined);
    for (const aud of [undefined, 42, [], [API, 7]]) {
      assert.match(problem(claims({ aud }), { audience: undefined }) ?? '', /no valid audience/, JSON.stringify(aud));
    }
  });

  it('RFC 9068 §2.2: sub, client_id and jti must be strings; exp and iat numbers; scope a string when present', () => {
    for (const name of ['sub', 'client_id', 'jti']) {
      assert.match(problem(claims({ [name]: undefined })) ?? '', /lacks sub, client_id or jti/, name);
      assert.match(problem(claims({ [name]: 1 })) ?? '', /lacks sub, client_id or jti/, name);
    }
    for (const name of ['exp', 'iat']) {
      for (const value of [undefined, '1900000000', Number.NaN, Number.POSITIVE_INFINITY]) {
        assert.match(problem(claims({ [name]: value })) ?? '', /valid exp or iat/, `${name}=${String(value)}`);
      }
    }
    assert.match(problem(claims({ scope: ['profile'] })) ?? '', /invalid scope claim/);
    assert.equal(problem(claims({ scope: undefined })), undefined, 'scope is optional');
  });

  describe('clock tolerance (RFC 7519 §4.1.4, §4.1.5, §4.1.6; RFC 8725 §3.10)', () => {
    it('exp: accepted up to the tolerance after it, refused from then on', () => {
      assert.equal(problem(claims({ exp: NOW_S - TOLERANCE + 1 })), undefined);
      assert.match(problem(claims({ exp: NOW_S - TOLERANCE })) ?? '', /expired/);
      assert.match(problem(claims({ exp: NOW_S - TOLERANCE - 1 })) ?? '', /expired/);
    });

    it('exp without tolerance: refused at exp itself (the token is valid strictly before it)', () => {
      assert.equal(problem(claims({ exp: NOW_S + 1 }), { clockTolerance: 0 }), undefined);
      assert.match(problem(claims({ exp: NOW_S }), { clockTolerance: 0 }) ?? '', /expired/);
    });

    it('iat: up to the tolerance in the future is accepted, past it refused', () => {
      assert.equal(problem(claims({ iat: NOW_S + TOLERANCE })), undefined);
      assert.match(problem(claims({ iat: NOW_S + TOLERANCE + 1 })) ?? '', /issued in the future/);
      assert.match(problem(claims({ iat: NOW_S + 1 }), { clockTolerance: 0 }) ?? '', /issued in the future/);
    });

    it('nbf: optional; up to the tolerance in the future is accepted, past it or not a number refused', () => {
      assert.equal(problem(claims({ nbf: NOW_S + TOLERANCE })), undefined);
      assert.match(problem(claims({ nbf: NOW_S + TOLERANCE + 1 })) ?? '', /not valid yet/);
      assert.match(problem(claims({ nbf: 'soon' })) ?? '', /not valid yet/);
      assert.equal(problem(claims({ nbf: NOW_S - 1 }), { clockTolerance: 0 }), undefined);
    });

    it('fractional NumericDates are compared as they are (RFC 7519 §2)', () => {
      assert.equal(problem(claims({ exp: NOW_S + 0.5 }), { clockTolerance: 0 }), undefined);
      assert.match(problem(claims({ exp: NOW_S - 0.5 }), { clockTolerance: 0 }) ?? '', /expired/);
    });
  });
});

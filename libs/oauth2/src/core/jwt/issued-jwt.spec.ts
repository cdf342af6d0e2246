import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, it } from 'node:test';
import { ManualClock } from '../clock';
import { accessTokenClaims } from './access-token-jwt';
import { readIssuedJwt, type IssuedJwtSettings } from './issued-jwt';
import { signBytes, signingInput, type JwsHeader } from './jws';

const ISSUER = 'https://issuer.example';
const clock = new ManualClock(new Date('2030-01-01T00:00:00Z'));
const ours = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const keys = new Map<string, KeyObject>([['k1', ours.publicKey]]);
const settings: IssuedJwtSettings = {
  issuer: ISSUER,
  keys: { verificationKey: async (kid) => keys.get(kid) },
  algorithms: ['ES256'],
  clockTolerance: 30,
  recordTokens: false,
};

function token(header: Partial<JwsHeader> = {}, overrides: Record<string, unknown> = {}, key = ours.privateKey): string {
  const claims = accessTokenClaims({
    issuer: ISSUER,
    audience: 'https://any-resource.example/',
    clientId: 'app',
    userId: 'alice',
    scopes: ['profile'],
    jti: 'jti-1',
    issuedAt: clock.now(),
    expiresAt: new Date(clock.now().getTime() + 300_000),
  });
  const input = signingInput({ alg: 'ES256', typ: 'at+jwt', kid: 'k1', ...header }, { ...claims, ...overrides });
  return `${input}.${signBytes('ES256', Buffer.from(input), key).toString('base64url')}`;
}

describe('readIssuedJwt: JWT access tokens of this server at its own endpoints (RFC 9068 §4)', () => {
  it('reads a valid token for any audience', async () => {
    const claims = await readIssuedJwt(token(), settings, clock);
    assert.equal(claims?.jti, 'jti-1');
    assert.equal(claims?.aud, 'https://any-resource.example/');
  });

  it('ignores what is not a JWS, and what a stranger, another issuer or another type signed', async () => {
    const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    for (const value of [
      'opaque-random-value',
      'jti-1',
      token({}, {}, stranger),
      token({ kid: 'unknown' }),
      token({ kid: undefined }),
      token({ typ: 'JWT' }),
      token({}, { iss: 'https://other.example' }),
    ]) {
      assert.equal(await readIssuedJwt(value, settings, clock), undefined, value.slice(0, 40));
    }
  });

  it('ignores an expired token, past the tolerance', async () => {
    const issued = token();
    const start = clock.now();
    clock.advance(300 + 29);
    assert.ok(await readIssuedJwt(issued, settings, clock), 'within the tolerance');
    clock.advance(1);
    assert.equal(await readIssuedJwt(issued, settings, clock), undefined);
    clock.set(start);
  });
});

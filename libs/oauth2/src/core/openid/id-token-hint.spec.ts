import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, it } from 'node:test';
import type { SigningAlgorithm } from '../../stores/models';
import { signBytes, signingInput, type JwsHeader } from '../jwt/jws';
import { InvalidRequestError } from '../oauth.errors';
import { hintClientId, verifyIdTokenHint, type IdTokenHintSettings } from './id-token-hint';

const ISSUER = 'https://as.example';
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PUBLIC: Record<string, KeyObject> = { 'rsa-1': rsa.publicKey, 'ec-1': ec.publicKey };

const settings: IdTokenHintSettings = {
  issuer: ISSUER,
  keys: { verificationKey: async (kid) => PUBLIC[kid] },
  algorithms: ['RS256', 'ES256'],
};

function jwt(payload: object, header: Partial<JwsHeader> = {}, key: KeyObject = rsa.privateKey): string {
  const full = { alg: 'RS256', kid: 'rsa-1', typ: 'JWT', ...header } as JwsHeader;
  const input = signingInput(full, payload);
  return `${input}.${signBytes(full.alg as SigningAlgorithm, Buffer.from(input), key).toString('base64url')}`;
}

const claims = { iss: ISSUER, sub: 'user-1', aud: 'client-1', iat: 1_800_000_000, exp: 1_800_003_600 };

async function refusal(token: string, clientId?: string): Promise<InvalidRequestError> {
  const error = await verifyIdTokenHint(token, settings, clientId).then(
    () => assert.fail('the hint was accepted'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof InvalidRequestError, String(error));
  assert.equal(error.code, 'invalid_request');
  return error;
}

describe('verifyIdTokenHint (OpenID Connect Core §3.1.2.1, RP-Initiated Logout §2)', () => {
  it('OpenID Connect Core §3.1.2.1: accepts an ID token this server signed for the client, and returns its sub and aud', async () => {
    const hint = await verifyIdTokenHint(jwt(claims), settings, 'client-1');
    assert.deepEqual(hint, { sub: 'user-1', aud: ['client-1'] });
  });

  it('OpenID Connect Core §3.1.2.1: accepts an expired ID token as a hint (expiry is not required)', async () => {
    const hint = await verifyIdTokenHint(jwt({ ...claims, iat: 1, exp: 2 }), settings, 'client-1');
    assert.equal(hint.sub, 'user-1');
  });

  it('accepts ES256 when the server signs ID tokens with it, and an audience list naming the client', async () => {
    const token = jwt({ ...claims, aud: ['client-1', 'other'], azp: 'client-1' }, { alg: 'ES256', kid: 'ec-1' }, ec.privateKey);
    const hint = await verifyIdTokenHint(token, settings, 'client-1');
    assert.equal(hintClientId(hint), 'client-1');
  });

  it('refuses a tampered ID token (a payload changed after signing)', async () => {
    const [header, , signature] = jwt(claims).split('.');
    const payload = Buffer.from(JSON.stringify({ ...claims, sub: 'admin' })).toString('base64url');
    const error = await refusal(`${header}.${payload}.${signature}`, 'client-1');
    assert.match(error.description!, /not signed by this server/);
  });

  it('refuses a forged ID token (signed by another key under a known kid)', async () => {
    await refusal(jwt(claims, {}, stranger.privateKey), 'client-1');
  });

  it('refuses an unknown kid, and a token without one', async () => {
    await refusal(jwt(claims, { kid: 'nope' }));
    await refusal(jwt(claims, { kid: undefined }));
  });

  it('RFC 8725 §3.1: refuses an algorithm the server does not sign ID tokens with', async () => {
    const strict: IdTokenHintSettings = { ...settings, algorithms: ['ES256'] };
    await assert.rejects(verifyIdTokenHint(jwt(claims), strict), InvalidRequestError);
  });

  it('RFC 9068 §2.1: refuses a JWT access token (typ at+jwt) offered as an ID token', async () => {
    const error = await refusal(jwt(claims, { typ: 'at+jwt' }));
    assert.match(error.description!, /not an ID token/);
  });

  it('refuses another issuer, a missing sub, and a missing audience', async () => {
    await refusal(jwt({ ...claims, iss: 'https://evil.example' }));
    await refusal(jwt({ ...claims, sub: undefined }));
    await refusal(jwt({ ...claims, aud: [] }));
  });

  it('RP-Initiated Logout §2: refuses a hint not issued to the client named', async () => {
    const error = await refusal(jwt(claims), 'client-2');
    assert.match(error.description!, /not issued to this client/);
  });

  it('refuses what is not a compact JWS', async () => {
    await refusal('not-a-jwt');
    await refusal('a.b.c');
  });

  it('names no client for a hint with several audiences and no azp', () => {
    assert.equal(hintClientId({ sub: 's', aud: ['a', 'b'] }), undefined);
    assert.equal(hintClientId({ sub: 's', aud: ['a'] }), 'a');
  });
});

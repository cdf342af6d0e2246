import assert from 'node:assert/strict';
import { createHmac, createSecretKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, it } from 'node:test';
import type { SigningAlgorithm } from '../../stores/models';
import { looksLikeJws, parseJws, signBytes, signingInput, verifyJws, type JwsHeader } from './jws';

const ALL: readonly SigningAlgorithm[] = ['ES256', 'EdDSA', 'RS256'];
const CLAIMS = { iss: 'https://issuer.example', sub: 'alice' };

const pairs = {
  ES256: generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  EdDSA: generateKeyPairSync('ed25519'),
  RS256: generateKeyPairSync('rsa', { modulusLength: 2048 }),
};

function b64(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

/** A compact JWS of `payload` under `header`, signed with `key` as `alg` says. */
function compact(alg: SigningAlgorithm, key: KeyObject, header: Partial<JwsHeader> = {}, payload: object = CLAIMS): string {
  const input = signingInput({ alg, typ: 'at+jwt', kid: 'k1', ...header }, payload);
  return `${input}.${signBytes(alg, Buffer.from(input), key).toString('base64url')}`;
}

function verifies(token: string, key: KeyObject, allowed = ALL): boolean {
  const jws = parseJws(token);
  assert.ok(jws, 'the token parses');
  return verifyJws(jws, key, allowed);
}

describe('compact JWS (RFC 7515 §7.1)', () => {
  for (const alg of ALL) {
    it(`RFC 7518 / RFC 8037: signs and verifies ${alg} with node:crypto`, () => {
      const token = compact(alg, pairs[alg].privateKey);
      const jws = parseJws(token)!;
      assert.deepEqual(jws.payload, CLAIMS);
      assert.equal(jws.header.alg, alg);
      assert.equal(verifyJws(jws, pairs[alg].publicKey, ALL), true);
    });
  }

  it('RFC 7518 §3.4: an ES256 signature is the 64-byte r||s form, not DER', () => {
    const token = compact('ES256', pairs.ES256.privateKey);
    assert.equal(Buffer.from(token.split('.')[2]!, 'base64url').length, 64);
  });

  it('RFC 7515 §5.2: a changed payload or signature, or another key, does not verify', () => {
    const token = compact('ES256', pairs.ES256.privateKey);
    const [h, , s] = token.split('.');
    assert.equal(verifies(`${h}.${b64({ ...CLAIMS, sub: 'mallory' })}.${s}`, pairs.ES256.publicKey), false);
    const flipped = Buffer.from(s!, 'base64url');
    flipped[10] = flipped[10]! ^ 1;
    assert.equal(verifies(`${h}.${token.split('.')[1]}.${flipped.toString('base64url')}`, pairs.ES256.publicKey), false);
    const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    assert.equal(verifies(token, otherKey), false);
  });

  describe('parsing refusals (RFC 7515 §5.2)', () => {
    const header = b64({ alg: 'ES256', typ: 'at+jwt' });
    const payload = b64(CLAIMS);
    const sig = Buffer.alloc(64, 1).toString('base64url');

    it('two parts (no signature part) are not a JWS', () => {
      assert.equal(parseJws(`${header}.${payload}`), undefined);
      assert.equal(looksLikeJws(`${header}.${payload}`), false);
    });

    it('RFC 7516 §7.1: five parts (a JWE) are not a JWS', () => {
      const jwe = `${b64({ alg: 'RSA-OAEP', enc: 'A256GCM' })}.${sig}.${sig}.${sig}.${sig}`;
      assert.equal(parseJws(jwe), undefined);
      assert.equal(looksLikeJws(jwe), false);
    });

    it('RFC 7515 §2: base64 that is not base64url, or padded, is refused', () => {
      const standard = Buffer.from(JSON.stringify({ alg: 'ES256', typ: 'at+jwt?>>' })).toString('base64');
      assert.match(standard, /[+/=]/, 'the fixture needs a character outside base64url');
      assert.equal(parseJws(`${standard}.${payload}.${sig}`), undefined);
      assert.equal(parseJws(`${header}.${payload}=.${sig}`), undefined);
      assert.equal(parseJws(`${header}.${payload}.${sig} `), undefined);
    });

    it('RFC 7515 §4 / RFC 7519 §7.2: a header or payload that is not a JSON object is refused', () => {
      for (const notObject of [b64('[1,2]'), b64('"text"'), b64('null'), b64('42'), b64('{"alg":')]) {
        assert.equal(parseJws(`${notObject}.${payload}.${sig}`), undefined);
        assert.equal(parseJws(`${header}.${notObject}.${sig}`), undefined);
      }
    });

    it('RFC 7515 §4.1.1: a header without a string alg is refused', () => {
      assert.equal(parseJws(`${b64({ typ: 'at+jwt' })}.${payload}.${sig}`), undefined);
      assert.equal(parseJws(`${b64({ alg: 1 })}.${payload}.${sig}`), undefined);
    });

    it('RFC 7519 §6 / RFC 8725 §3.1: an unsecured JWS (alg none, empty signature) is refused', () => {
      assert.equal(parseJws(`${b64({ alg: 'none', typ: 'at+jwt' })}.${payload}.`), undefined);
      // With a signature part, "none" still parses but never verifies, whatever the key.
      const none = `${b64({ alg: 'none', typ: 'at+jwt' })}.${payload}.${sig}`;
      assert.equal(verifies(none, pairs.ES256.publicKey), false);
      assert.equal(verifies(none, pairs.ES256.publicKey, ['none' as SigningAlgorithm]), false);
    });

    it('RFC 7515 §5.2: a header segment seen before parses to the same frozen header, and many made-up headers change nothing', () => {
      const token = compact('ES256', pairs.ES256.privateKey);
      const first = parseJws(token)!;
      assert.ok(Object.isFrozen(first.header));
      assert.equal(parseJws(token)!.header, first.header);
      for (let i = 0; i < 100; i++) {
        const header = Buffer.from(JSON.stringify({ alg: 'ES256', kid: `made-up-${i}` })).toString('base64url');
        assert.equal(parseJws(`${header}.${token.split('.')[1]}.${token.split('.')[2]}`)!.header.kid, `made-up-${i}`);
      }
      assert.deepEqual(parseJws(token)!.header, first.header);
      assert.equal(verifies(token, pairs.ES256.publicKey), true);
      const bad = Buffer.from('{"kid":"no alg"}').toString('base64url');
      for (let i = 0; i < 2; i++) assert.equal(parseJws(`${bad}.${token.split('.')[1]}.${token.split('.')[2]}`), undefined);
    });

    it('RFC 7515 §4.1.11: a crit header is refused even with a valid signature', () => {
      const token = compact('ES256', pairs.ES256.privateKey, { crit: ['exp'] } as Partial<JwsHeader>);
      assert.equal(verifies(token, pairs.ES256.publicKey), false);
    });
  });

  describe('the algorithm must fit the key (RFC 8725 §3.1)', () => {
    it('an RS256 header over an EC key is refused', () => {
      const token = compact('ES256', pairs.ES256.privateKey, { alg: 'RS256' });
      assert.equal(verifies(token, pairs.ES256.publicKey), false);
    });

    it('an ES256 header over an RSA key is refused, even with the RSA signature', () => {
      const input = signingInput({ alg: 'ES256', typ: 'at+jwt' }, CLAIMS);
      const token = `${input}.${signBytes('RS256', Buffer.from(input), pairs.RS256.privateKey).toString('base64url')}`;
      assert.equal(verifies(token, pairs.RS256.publicKey), false);
    });

    it('an EdDSA header over an EC or RSA key, and ES256 over an Ed25519 key, are refused', () => {
      const overEc = compact('ES256', pairs.ES256.privateKey, { alg: 'EdDSA' });
      assert.equal(verifies(overEc, pairs.ES256.publicKey), false);
      const overRsa = compact('RS256', pairs.RS256.privateKey, { alg: 'EdDSA' });
      assert.equal(verifies(overRsa, pairs.RS256.publicKey), false);
      const overEd = compact('EdDSA', pairs.EdDSA.privateKey, { alg: 'ES256' });
      assert.equal(verifies(overEd, pairs.EdDSA.publicKey), false);
    });

    it('an algorithm left out of the allow-list is refused with its own key', () => {
      const token = compact('RS256', pairs.RS256.privateKey);
      assert.equal(verifies(token, pairs.RS256.publicKey, ['ES256']), false);
    });

    it('RFC 7518 §3.3: an RSA key under 2048 bits is refused', () => {
      const weak = generateKeyPairSync('rsa', { modulusLength: 1024 });
      assert.equal(verifies(compact('RS256', weak.privateKey), weak.publicKey), false);
    });

    it('HS256 is refused even when the HMAC key is the public key bytes (the key-confusion attack)', () => {
      for (const alg of ALL) {
        const publicBytes = pairs[alg].publicKey.export({ type: 'spki', format: 'pem' });
        const input = signingInput({ alg: 'HS256', typ: 'at+jwt' }, CLAIMS);
        const mac = createHmac('sha256', publicBytes).update(input).digest('base64url');
        const token = `${input}.${mac}`;
        assert.equal(verifies(token, pairs[alg].publicKey), false);
        assert.equal(verifies(token, pairs[alg].publicKey, [...ALL, 'HS256' as SigningAlgorithm]), false);
        // Nor with the right key bytes as a secret key object.
        assert.equal(verifies(token, createSecretKey(Buffer.from(publicBytes)), [...ALL, 'HS256' as SigningAlgorithm]), false);
      }
    });
  });
});

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { signBytes, verifyBytes } from '../jwt/jws';
import { openPrivateKey, parseKeyEncryptionKey, sealPrivateKey } from './key-encryption';
import { generateKeyPair, publicKeyFromJwk } from './key-material';

const kek = randomBytes(32);

/** Replaces part `index` of a sealed key (`v1.<iv>.<tag>.<ciphertext>`). */
function withPart(sealed: string, index: number, change: (bytes: Buffer) => Buffer): string {
  const parts = sealed.split('.');
  parts[index] = change(Buffer.from(parts[index]!, 'base64url')).toString('base64url');
  return parts.join('.');
}

describe('private signing keys at rest (AES-256-GCM under the key-encryption key, kid as additional data)', () => {
  for (const alg of ['ES256', 'EdDSA', 'RS256'] as const) {
    it(`opens a sealed ${alg} key to the same key, which still signs for its public JWK`, async () => {
      const pair = await generateKeyPair(alg);
      const sealed = sealPrivateKey(pair.privateKey, pair.kid, kek);
      const opened = openPrivateKey(sealed, pair.kid, kek);
      const der = (k: typeof opened) => k.export({ format: 'der', type: 'pkcs8' });
      assert.deepEqual(der(opened), der(pair.privateKey));
      const input = Buffer.from('header.payload');
      assert.equal(verifyBytes(alg, input, signBytes(alg, input, opened), publicKeyFromJwk(pair.publicJwk)!), true);
    });
  }

  it('keeps nothing of the private key readable in the sealed form', async () => {
    const pair = await generateKeyPair('ES256');
    const sealed = sealPrivateKey(pair.privateKey, pair.kid, kek);
    const der = pair.privateKey.export({ format: 'der', type: 'pkcs8' });
    const pem = pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const body = Buffer.from(sealed.split('.')[3]!, 'base64url');
    assert.equal(body.length, der.length, 'GCM ciphertext is as long as the DER');
    assert.notDeepEqual(body, der);
    // Not even the fixed PKCS#8 prefix survives, in any encoding.
    const prefix = der.subarray(0, 16);
    for (const form of [sealed, Buffer.from(sealed).toString('base64')]) {
      assert.equal(form.includes(prefix.toString('base64url')), false);
      assert.equal(form.includes(pem.split('\n')[1]!), false);
      assert.equal(form.includes('PRIVATE KEY'), false);
    }
    assert.equal(Buffer.from(sealed).includes(prefix), false);
  });

  it('seals the same key differently each time (fresh IV)', async () => {
    const pair = await generateKeyPair('ES256');
    assert.notEqual(sealPrivateKey(pair.privateKey, pair.kid, kek), sealPrivateKey(pair.privateKey, pair.kid, kek));
  });

  it('refuses to open under another key-encryption key, naming the kid and the key-encryption key', async () => {
    const pair = await generateKeyPair('ES256');
    const sealed = sealPrivateKey(pair.privateKey, pair.kid, kek);
    assert.throws(
      () => openPrivateKey(sealed, pair.kid, randomBytes(32)),
      (error: Error) => error.message.includes(pair.kid) && /key-encryption key/.test(error.message),
    );
  });

  it('does not open a sealed key moved to another kid (the kid is authenticated additional data)', async () => {
    const a = await generateKeyPair('ES256');
    const b = await generateKeyPair('ES256');
    const sealedA = sealPrivateKey(a.privateKey, a.kid, kek);
    assert.throws(() => openPrivateKey(sealedA, b.kid, kek), /does not open/);
  });

  it('detects an altered row: ciphertext, IV or tag changed, or the tag cut short', async () => {
    const pair = await generateKeyPair('ES256');
    const sealed = sealPrivateKey(pair.privateKey, pair.kid, kek);
    const flip = (bytes: Buffer) => {
      const copy = Buffer.from(bytes);
      copy[copy.length - 1]! ^= 1;
      return copy;
    };
    for (const altered of [
      withPart(sealed, 3, flip),
      withPart(sealed, 1, flip),
      withPart(sealed, 2, flip),
      withPart(sealed, 2, (tag) => tag.subarray(0, 4)),
      withPart(sealed, 3, (body) => body.subarray(0, body.length - 1)),
    ]) {
      assert.throws(() => openPrivateKey(altered, pair.kid, kek), /does not open with the configured key-encryption key/);
    }
  });

  it('refuses a value that is not a sealed key at all (for example a PEM pasted into the row)', async () => {
    const pair = await generateKeyPair('ES256');
    const pem = pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    for (const value of [pem, '', 'v2.a.b.c', 'v1.a.b']) {
      assert.throws(() => openPrivateKey(value, pair.kid, kek), /not in a known sealed format/);
    }
  });
});

describe('parseKeyEncryptionKey (jwt.keyEncryptionKey)', () => {
  const bytes = randomBytes(32);

  it('reads 32 bytes given as base64, base64url or hex, ignoring surrounding whitespace', () => {
    for (const text of [
      bytes.toString('base64'),
      bytes.toString('base64url'),
      bytes.toString('hex'),
      bytes.toString('hex').toUpperCase(),
    ]) {
      assert.deepEqual(parseKeyEncryptionKey(text), bytes, text);
      assert.deepEqual(parseKeyEncryptionKey(` ${text}\n`), bytes, text);
    }
  });

  it('refuses any other length with a message saying what is expected', () => {
    for (const text of [
      '',
      'secret',
      randomBytes(16).toString('base64'),
      randomBytes(48).toString('base64'),
      randomBytes(31).toString('hex'),
    ]) {
      assert.throws(() => parseKeyEncryptionKey(text), /must be 32 random bytes, as base64 or hex/, JSON.stringify(text));
    }
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { constantTimeEqual, hashSecret, randomId, randomToken } from './credentials';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('random credentials and ids', () => {
  it('mints 256-bit base64url credentials, never the same twice', () => {
    const values = new Set(Array.from({ length: 1000 }, () => randomToken()));
    assert.equal(values.size, 1000);
    for (const value of values) assert.match(value, /^[A-Za-z0-9_-]{43}$/);
  });

  it('RFC 6749 §10.10: every credential gets its own CSPRNG bytes, across refills of the block they are drawn from', () => {
    // 3,000 values of 32 and 33 bytes cross the 4 KiB block many times, at offsets that do not divide it.
    const chunks = new Set<string>();
    let count = 0;
    for (let i = 0; i < 3000; i++) {
      const bytes = Buffer.from(randomToken(i % 2 ? 33 : 32), 'base64url');
      assert.equal(bytes.length, i % 2 ? 33 : 32);
      for (let at = 0; at + 8 <= bytes.length; at += 8, count++) chunks.add(bytes.subarray(at, at + 8).toString('hex'));
    }
    assert.equal(chunks.size, count, 'no 8-byte run of one value appears in another');
    assert.equal(Buffer.from(randomToken(5000), 'base64url').length, 5000, 'a value larger than the block still gets its bytes');
  });

  it('mints ids as UUIDv7 (RFC 9562 §5.7) that carry their millisecond and sort by it', () => {
    const early = randomId(Date.UTC(2030, 0, 1));
    const late = randomId(Date.UTC(2030, 0, 1) + 1);
    assert.match(early, UUID_V7);
    assert.equal(parseInt(early.replace(/-/g, '').slice(0, 12), 16), Date.UTC(2030, 0, 1));
    assert.ok(early < late);
    const ids = new Set(Array.from({ length: 1000 }, () => randomId(Date.UTC(2030, 0, 1))));
    assert.equal(ids.size, 1000, 'ids minted in the same millisecond still differ');
  });

  it('stores SHA-256 hex, and compares secrets whole', () => {
    assert.equal(hashSecret('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.ok(constantTimeEqual('s3cret', 's3cret'));
    assert.ok(!constantTimeEqual('s3cret', 's3creT'));
    assert.ok(!constantTimeEqual('s3cret', 's3cret '));
  });
});

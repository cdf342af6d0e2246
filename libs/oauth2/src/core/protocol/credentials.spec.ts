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

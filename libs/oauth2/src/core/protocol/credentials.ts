import { hash, randomBytes, randomFillSync, timingSafeEqual } from 'node:crypto';

/**
 * Bytes from the CSPRNG, drawn a block at a time: each `randomBytes` call costs a few microseconds
 * whatever its size, and an issuance takes two to four small values. Every value gets bytes no other
 * value got; they are wiped from the block once copied out. Node's own `randomUUID` batches the same way.
 */
const BLOCK_SIZE = 4096;
const block = Buffer.allocUnsafeSlow(BLOCK_SIZE);
let used = BLOCK_SIZE;

function freshBytes(size: number): Buffer {
  if (size > BLOCK_SIZE) return randomBytes(size);
  if (used + size > BLOCK_SIZE) {
    randomFillSync(block);
    used = 0;
  }
  const out = Buffer.from(block.subarray(used, used + size));
  block.fill(0, used, used + size);
  used += size;
  return out;
}

/**
 * Opaque credentials: 256 bits from the CSPRNG, base64url (43 characters). Used for access and
 * refresh tokens, authorization codes and client secrets (RFC 6749 §10.10: guessing must be
 * infeasible; RFC 6819 §5.1.4.2.2).
 */
export function randomToken(bytes = 32): string {
  return freshBytes(bytes).toString('base64url');
}

/**
 * An identifier that is not a secret (token id, grant id, client id): a UUIDv7 (RFC 9562 §5.7),
 * 48 bits of milliseconds then 74 random bits. Ids that grow with time land at the end of their
 * indexes, where a random UUID would touch a random page of each on every insert.
 */
export function randomId(now = Date.now()): string {
  const bytes = freshBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = 0x70 | (bytes[6] & 0x0f);
  bytes[8] = 0x80 | (bytes[8] & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The only form in which credentials are stored: SHA-256, hex. A fast hash is enough because every
 * credential we hash carries 256 bits of entropy; a slow hash protects low-entropy passwords only.
 */
export function hashSecret(value: string): string {
  // The one-shot `crypto.hash` skips building a Hash object, which showed in profiles of the bearer check.
  return hash('sha256', value, 'hex');
}

/** Constant-time string comparison (RFC 6819 §5.1.4.2.2, no early exit on the first difference). */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = hash('sha256', a, 'buffer');
  const right = hash('sha256', b, 'buffer');
  return timingSafeEqual(left, right) && a.length === b.length;
}

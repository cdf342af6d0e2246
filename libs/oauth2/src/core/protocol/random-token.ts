import { hash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

/**
 * Opaque credentials: 256 bits from the CSPRNG, base64url (43 characters). Used for access and
 * refresh tokens, authorization codes and client secrets (RFC 6749 §10.10: guessing must be
 * infeasible; RFC 6819 §5.1.4.2.2).
 */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** An identifier that is not a secret (token id, grant id, client id). */
export function randomId(): string {
  return randomUUID();
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

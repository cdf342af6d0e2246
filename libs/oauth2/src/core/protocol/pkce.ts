import { createHash } from 'node:crypto';
import { constantTimeEqual } from './credentials';

/**
 * PKCE (RFC 7636):
 * - `code_challenge` and `code_verifier` are 43–128 characters of the unreserved set (§4.1, §4.2);
 * - S256 compares BASE64URL(SHA256(ASCII(verifier))) with the challenge (§4.6), in constant time;
 * - `plain` compares them directly, and is accepted only when the server allows it (RFC 9700 §2.1.1).
 */
export type PkceMethod = 'S256' | 'plain';

const PKCE_VALUE = /^[A-Za-z0-9\-._~]{43,128}$/;

/** True when `value` has the syntax of a code_challenge or code_verifier (RFC 7636 §4.1, §4.2). */
export function isPkceValue(value: string): boolean {
  return PKCE_VALUE.test(value);
}

/** The S256 challenge of a verifier (RFC 7636 §4.2). */
export function s256Challenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** True when `verifier` matches the stored challenge under `method` (RFC 7636 §4.6). */
export function verifyPkce(verifier: string, challenge: string, method: PkceMethod): boolean {
  const derived = method === 'S256' ? s256Challenge(verifier) : verifier;
  return constantTimeEqual(derived, challenge);
}

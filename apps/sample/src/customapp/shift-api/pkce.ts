import { createHash, randomBytes } from 'node:crypto';

/** A PKCE pair (RFC 7636 §4.1–4.2): a 256-bit verifier and its S256 challenge. */
export function createPkcePair(): { codeVerifier: string; codeChallenge: string } {
  const codeVerifier = randomBytes(32).toString('base64url');
  const codeChallenge = createHash('sha256').update(codeVerifier, 'ascii').digest('base64url');
  return { codeVerifier, codeChallenge };
}

/** An unguessable `state` that ties the callback to this browser's session (RFC 6749 §10.12). */
export function createState(): string {
  return randomBytes(32).toString('base64url');
}

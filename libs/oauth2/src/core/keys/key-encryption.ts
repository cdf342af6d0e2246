/**
 * Private signing keys at rest: sealed with AES-256-GCM under the key-encryption key (KEK) from the
 * configuration, with the key's `kid` as additional data, so a sealed key copied onto another row
 * does not open. Format: `v1.<iv>.<tag>.<ciphertext>`, each base64url; the plaintext is PKCS#8 DER.
 */
import { createCipheriv, createDecipheriv, createPrivateKey, randomBytes, type KeyObject } from 'node:crypto';

const VERSION = 'v1';
const TAG_LENGTH = 16;

/** Parses a configured KEK: 32 bytes as base64, base64url or hex. Throws a clear error otherwise. */
export function parseKeyEncryptionKey(value: string): Buffer {
  const trimmed = value.trim();
  const bytes = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64url');
  if (bytes.length !== 32) {
    throw new Error('The key-encryption key must be 32 random bytes, as base64 or hex (for example `openssl rand -base64 32`)');
  }
  return bytes;
}

export function sealPrivateKey(privateKey: KeyObject, kid: string, kek: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(Buffer.from(kid));
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  const sealed = Buffer.concat([cipher.update(der), cipher.final()]);
  return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), sealed.toString('base64url')].join('.');
}

/** Opens a sealed key; throws when the KEK is not the one it was sealed under (or the row was altered). */
export function openPrivateKey(sealed: string, kid: string, kek: Buffer): KeyObject {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || !body) throw new Error(`The private key of signing key ${kid} is not in a known sealed format`);
  try {
    // The full 16-byte tag only: GCM would otherwise accept a row cut down to a 4-byte tag, which is
    // far easier to forge.
    if (Buffer.from(tag, 'base64url').length !== TAG_LENGTH) throw new Error('truncated tag');
    const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(iv, 'base64url'), { authTagLength: TAG_LENGTH });
    decipher.setAAD(Buffer.from(kid));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const der = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } catch {
    throw new Error(`The private key of signing key ${kid} does not open with the configured key-encryption key`);
  }
}

/**
 * Where the key-encryption key (KEK) comes from. Configured: parsed, and that is all. Not configured:
 * refused under `NODE_ENV=production` (a key generated there would sit beside the data it protects,
 * and a second instance would make its own); elsewhere the embedded default still starts with no
 * configuration: the KEK is read from, or generated once into, a file (mode 0600), with a warning.
 * Without a file (in-memory storage) it lives as long as the process, as the keys it seals do.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseKeyEncryptionKey } from './key-encryption';

export interface KeyEncryptionKeySource {
  configured: string | undefined;
  /** The file to read or create when none is configured. */
  file: string | undefined;
  production: boolean;
  warn: (message: string) => void;
}

export class MissingKeyEncryptionKeyError extends Error {
  constructor() {
    super(
      'jwt.keyEncryptionKey is required when NODE_ENV=production and a resource issues JWT access tokens: ' +
        'set it to 32 random bytes as base64 (openssl rand -base64 32), from a secret store, the same on every instance',
    );
    this.name = 'MissingKeyEncryptionKeyError';
  }
}

export function resolveKeyEncryptionKey(source: KeyEncryptionKeySource): Buffer {
  if (source.configured !== undefined) return parseKeyEncryptionKey(source.configured);
  if (source.production) throw new MissingKeyEncryptionKeyError();
  if (source.file === undefined) {
    source.warn('No jwt.keyEncryptionKey: signing keys are sealed under a key that lives only as long as this process.');
    return randomBytes(32);
  }
  if (existsSync(source.file)) return parseKeyEncryptionKey(readFileSync(source.file, 'utf8'));
  mkdirSync(dirname(source.file), { recursive: true });
  const key = randomBytes(32);
  // 'wx': two processes starting together must not overwrite each other's key.
  try {
    writeFileSync(source.file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch {
    return parseKeyEncryptionKey(readFileSync(source.file, 'utf8'));
  }
  source.warn(
    `No jwt.keyEncryptionKey: generated one into ${source.file} to seal the signing keys. Set jwt.keyEncryptionKey in production.`,
  );
  return key;
}

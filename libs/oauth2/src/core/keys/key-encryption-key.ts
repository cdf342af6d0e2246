/**
 * Where the key-encryption key (KEK) comes from. Configured: parsed, and that is all. Not configured:
 * refused under `NODE_ENV=production` (a key generated there would sit beside the data it protects,
 * and a second instance would make its own); elsewhere the embedded default still starts with no
 * configuration: the KEK is read from, or generated once into, a file (mode 0600), with a warning.
 * Without a file (in-memory storage, or a PostgreSQL/MariaDB store with nothing configured) it lives
 * as long as the process: keys stored by an earlier process then no longer open, and the key manager
 * replaces them with fresh ones instead of failing to sign.
 */
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
    source.warn(
      'No jwt.keyEncryptionKey: signing keys are sealed under a key that lives only as long as this process; ' +
        'keys stored by an earlier process cannot sign and are replaced (tokens they signed still verify until they expire).',
    );
    return randomBytes(32);
  }
  const existing = readKeyFile(source.file);
  if (existing) return existing;
  const key = randomBytes(32);
  if (!createKeyFile(source.file, key)) {
    // Another process created it first: use its key, so both seal and open alike.
    const winner = readKeyFile(source.file);
    if (!winner) throw new Error(`${source.file} was removed while the key-encryption key was being created`);
    return winner;
  }
  source.warn(
    `No jwt.keyEncryptionKey: generated one into ${source.file} to seal the signing keys. Set jwt.keyEncryptionKey in production.`,
  );
  return key;
}

/** The key in `file`, or undefined when there is no such file; a file with anything else in it is an error. */
function readKeyFile(file: string): Buffer | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return parseKeyEncryptionKey(text);
  } catch {
    throw new Error(`${file} does not hold a key-encryption key (32 bytes as base64 or hex)`);
  }
}

/**
 * Writes the key to a file of its own first, then links it into place: the link fails when `file`
 * exists, so of two processes starting together exactly one key wins, and nobody can read a file
 * created but not yet written.
 */
function createKeyFile(file: string, key: Buffer): boolean {
  mkdirSync(dirname(file), { recursive: true });
  const draft = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(draft, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(draft, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    // A file system without hard links: an exclusive create is the next best thing.
    return writeExclusive(file, key);
  } finally {
    rmSync(draft, { force: true });
  }
}

function writeExclusive(file: string, key: Buffer): boolean {
  try {
    writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

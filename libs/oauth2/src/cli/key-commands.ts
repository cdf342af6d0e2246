import { existsSync, readFileSync } from 'node:fs';
import { SystemClock, type Clock } from '../core/clock';
import { parseKeyEncryptionKey } from '../core/keys/key-encryption';
import { MissingKeyEncryptionKeyError } from '../core/keys/key-encryption-key';
import { LocalKeySigner } from '../core/keys/key-signer';
import { SigningKeys, type KeyRotationStep } from '../core/keys/signing-keys';
import type { JwtSettings } from '../core/server-settings';
import type { SigningKey } from '../stores/models';
import type { SigningKeyStore } from '../stores/signing-key.store';
import { UsageError } from './cli-args';
import type { CliSettings } from './cli-config';
import type { CommandResult } from './client-commands';

/** `keys rotate` changed nothing because no next key has been published long enough: run it again later. */
export const EXIT_NOT_YET = 3;

/** The JWT settings `keys rotate` needs, or a usage error saying what is missing. */
export function jwtSettingsOf(settings: CliSettings): JwtSettings {
  if (!settings.jwt) {
    throw new UsageError(
      "keys rotate: no resource in the server's settings issues JWT access tokens (resources[uri].accessTokenFormat: 'jwt'), so there is no signing key to rotate",
    );
  }
  return settings.jwt;
}

/**
 * The key-encryption key the server seals its signing keys with: `jwt.keyEncryptionKey`, or the key
 * file the server generated (`jwt.keyEncryptionKeyFile`, or `defaultFile`, the one beside its SQLite
 * database). Unlike the server the CLI never generates one: a key sealed under a KEK the server does
 * not have could never sign.
 */
export function cliKeyEncryptionKey(jwt: JwtSettings, defaultFile: string | undefined, production: boolean): Buffer {
  if (jwt.keyEncryptionKey !== undefined) return parseKeyEncryptionKey(jwt.keyEncryptionKey);
  if (production) throw new MissingKeyEncryptionKeyError();
  const file = jwt.keyEncryptionKeyFile ?? defaultFile;
  if (file && existsSync(file)) {
    try {
      return parseKeyEncryptionKey(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new UsageError(`jwt.keyEncryptionKeyFile ${file}: ${(err as Error).message}`);
    }
  }
  throw new UsageError(
    "keys rotate needs the key-encryption key the server seals its signing keys with: set jwt.keyEncryptionKey in the --config settings (the server's value)" +
      (file ? `; there is no key file at ${file}` : ''),
  );
}

/** The key manager the server runs, over the host's store, with the server's settings and KEK. */
export function signingKeysFor(store: SigningKeyStore, jwt: JwtSettings, kek: Buffer, clock: Clock = new SystemClock()): SigningKeys {
  return new SigningKeys({ store, signer: new LocalKeySigner(kek), clock, settings: jwt.keys });
}

function iso(date: Date | null): string {
  return date ? date.toISOString().replace(/\.\d{3}Z$/, 'Z') : '';
}

const STATE_ORDER = { next: 0, active: 1, retired: 2 } as const;

/** A key as the CLI shows it: the public facts only, never the sealed private key. */
function describeKey(key: SigningKey) {
  return {
    kid: key.kid,
    alg: key.alg,
    state: key.state,
    created_at: iso(key.createdAt),
    activated_at: iso(key.activatedAt) || null,
    retired_at: iso(key.retiredAt) || null,
    expires_at: iso(key.expiresAt) || null,
  };
}

/** `keys list`: every stored key, by algorithm, next first, then active, then retired. */
export async function listKeys(store: SigningKeyStore, json: boolean): Promise<CommandResult> {
  const keys = (await store.list()).sort(
    (a, b) => a.alg.localeCompare(b.alg) || STATE_ORDER[a.state] - STATE_ORDER[b.state] || b.createdAt.getTime() - a.createdAt.getTime(),
  );
  if (json) return { output: JSON.stringify(keys.map(describeKey)) };
  if (!keys.length) return { output: 'No signing keys yet: the server makes the first ones when it first signs a JWT access token.' };
  const header = ['KID', 'ALG', 'STATE', 'CREATED', 'ACTIVATED', 'RETIRED', 'EXPIRES'];
  const rows = keys.map(describeKey).map((k) => [k.kid, k.alg, k.state, k.created_at, k.activated_at, k.retired_at, k.expires_at]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: (string | null)[]) =>
    cells
      .map((cell, i) => (cell ?? '-').padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return { output: [line(header), ...rows.map(line)].join('\n') };
}

/**
 * Fails before any write when the key-encryption key is not the server's: the CLI would otherwise
 * publish a next key the server cannot open, and the rotation after next would stop all signing.
 */
async function checkKeyEncryptionKey(store: SigningKeyStore, kek: Buffer): Promise<void> {
  const stored = (await store.list()).find((k) => k.state !== 'retired');
  if (!stored) return;
  try {
    new LocalKeySigner(kek).sign(stored, Buffer.from('probe'));
  } catch {
    throw new UsageError(
      `the key-encryption key does not open the stored signing key ${stored.kid}: pass the server's jwt.keyEncryptionKey in the --config settings ` +
        '(keys held by a KeySigner of your own, in a KMS, rotate from the app: SigningKeys.rotate())',
    );
  }
}

/** `keys rotate`: one rotation of every algorithm the JWT resources use. */
export async function rotateKeys(store: SigningKeyStore, keys: SigningKeys, kek: Buffer, json: boolean): Promise<CommandResult> {
  await checkKeyEncryptionKey(store, kek);
  const steps = await keys.rotate();
  const stored = new Map((await store.list()).map((k) => [k.kid, k]));
  const rotated = (s: KeyRotationStep) => s.activated !== undefined || (!s.waitUntil && !s.published);
  const exitCode = steps.every(rotated) ? 0 : EXIT_NOT_YET;
  if (json) {
    const output = steps.map((s) => ({
      alg: s.alg,
      rotated: rotated(s),
      activated: s.activated ?? null,
      retired: s.retired.map((kid) => ({ kid, expires_at: iso(stored.get(kid)?.expiresAt ?? null) || null })),
      published: s.published ?? null,
      can_sign_from: s.waitUntil ? iso(s.waitUntil) : null,
    }));
    return { output: JSON.stringify(output), exitCode };
  }
  const lines = steps.flatMap((s) => describeStep(s, stored, keys));
  return { output: lines.join('\n'), exitCode };
}

function describeStep(step: KeyRotationStep, stored: Map<string, SigningKey>, keys: SigningKeys): string[] {
  const { alg } = step;
  if (step.activated) {
    return [
      `${alg}: ${step.activated} signs from now on; every instance uses it within keyRefreshInterval.`,
      ...step.retired.map((kid) => `${alg}: retired ${kid}; it stays published until ${iso(stored.get(kid)?.expiresAt ?? null)}.`),
      `${alg}: published ${step.published} to sign next; it can sign from ${iso(new Date(stored.get(step.published!)!.createdAt.getTime() + keys.publishAhead * 1000))}.`,
    ];
  }
  if (step.waitUntil && step.published) {
    return [
      `${alg}: not rotated: there was no next key. Published ${step.published}; it can sign from ${iso(step.waitUntil)}, ` +
        `once every cached JWKS holds it (jwksMaxAge + keyRefreshInterval = ${keys.publishAhead} s). Run keys rotate again then.`,
    ];
  }
  if (step.waitUntil) {
    const next = [...stored.values()].filter((k) => k.alg === alg && k.state === 'next').sort((a, b) => +a.createdAt - +b.createdAt)[0];
    return [
      `${alg}: not rotated: the next key ${next?.kid ?? ''} can sign only from ${iso(step.waitUntil)}, ` +
        `once every cached JWKS holds it (jwksMaxAge + keyRefreshInterval = ${keys.publishAhead} s). Nothing changed; run keys rotate again then.`,
    ];
  }
  if (step.published) {
    return [`${alg}: no key signs yet: published ${step.published}; the server starts signing with it on its first JWT access token.`];
  }
  return [`${alg}: another process rotated at the same moment; its rotation stands.`];
}

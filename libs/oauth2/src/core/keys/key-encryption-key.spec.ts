import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { MissingKeyEncryptionKeyError, resolveKeyEncryptionKey, type KeyEncryptionKeySource } from './key-encryption-key';

const dir = mkdtempSync(join(tmpdir(), 'kek-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const newFile = () => join(dir, `db-${++files}`, 'app.sqlite.kek');

function source(over: Partial<KeyEncryptionKeySource>): KeyEncryptionKeySource & { warnings: string[] } {
  const warnings: string[] = [];
  return { configured: undefined, file: undefined, production: false, warn: (m) => warnings.push(m), warnings, ...over };
}

/** Resolves the KEK for `file` in a separate Node process, started at `startAt` (ms) so several race. */
function inChildProcess(file: string, startAt: number): Promise<string> {
  const script = `
    const { resolveKeyEncryptionKey } = require(${JSON.stringify(join(__dirname, 'key-encryption-key.js'))});
    while (Date.now() < ${startAt});
    const key = resolveKeyEncryptionKey({ configured: undefined, file: ${JSON.stringify(file)}, production: false, warn: () => {} });
    process.stdout.write(key.toString('base64'));`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`child exited with ${code}`))));
  });
}

describe('resolveKeyEncryptionKey: where the key sealing the signing keys comes from', () => {
  it('uses a configured key as given, base64 or hex, without a warning, also in production', () => {
    const bytes = randomBytes(32);
    for (const configured of [bytes.toString('base64'), bytes.toString('hex')]) {
      for (const production of [false, true]) {
        const s = source({ configured, production, file: newFile() });
        assert.deepEqual(resolveKeyEncryptionKey(s), bytes);
        assert.deepEqual(s.warnings, []);
      }
    }
  });

  it('refuses a configured key that is not 32 bytes instead of padding or truncating it', () => {
    assert.throws(() => resolveKeyEncryptionKey(source({ configured: 'correct horse battery staple' })), /32 random bytes/);
  });

  it('refuses to start in production without one, naming jwt.keyEncryptionKey, even where a file could be made', () => {
    const file = newFile();
    assert.throws(
      () => resolveKeyEncryptionKey(source({ production: true, file })),
      (error: Error) => error instanceof MissingKeyEncryptionKeyError && /jwt\.keyEncryptionKey/.test(error.message),
    );
    assert.throws(() => statSync(file), /ENOENT/, 'no key file is generated in production');
  });

  it('generates the key file once, readable by its owner only (0600), warns once, and reuses it afterwards', () => {
    const file = newFile();
    const first = source({ file });
    const key = resolveKeyEncryptionKey(first);
    assert.equal(key.length, 32);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64'), key);
    assert.equal(first.warnings.length, 1);
    assert.match(first.warnings[0]!, /generated one into .*app\.sqlite\.kek/);
    const again = source({ file });
    assert.deepEqual(resolveKeyEncryptionKey(again), key);
    assert.deepEqual(again.warnings, []);
    assert.deepEqual(readdirSync(join(file, '..')), ['app.sqlite.kek'], 'no draft file left behind');
  });

  it('gives processes that start together one and the same key', async () => {
    const file = newFile();
    const startAt = Date.now() + 700;
    const keys = await Promise.all(Array.from({ length: 6 }, () => inChildProcess(file, startAt)));
    assert.equal(new Set(keys).size, 1, keys.join(' '));
    assert.equal(readFileSync(file, 'utf8').trim(), keys[0]);
    assert.deepEqual(readdirSync(join(file, '..')), ['app.sqlite.kek']);
  });

  it('refuses a key file holding anything but a key, naming the file', () => {
    const file = newFile();
    resolveKeyEncryptionKey(source({ file }));
    writeFileSync(file, 'not a key\n');
    assert.throws(
      () => resolveKeyEncryptionKey(source({ file })),
      (error: Error) => error.message.includes(file),
    );
  });

  it('without a file, makes a key for this process only and says what that means after a restart', () => {
    const s = source({});
    const a = resolveKeyEncryptionKey(s);
    const b = resolveKeyEncryptionKey(source({}));
    assert.equal(a.length, 32);
    assert.notDeepEqual(a, b);
    assert.equal(s.warnings.length, 1);
    assert.match(s.warnings[0]!, /only as long as this process.*earlier process cannot sign and are replaced/);
  });
});

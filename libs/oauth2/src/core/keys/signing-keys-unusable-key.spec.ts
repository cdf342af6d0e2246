import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { InMemorySigningKeyStore } from '../../stores/memory/in-memory-signing-key.store';
import type { SigningKey } from '../../stores/models';
import { ManualClock } from '../clock';
import { parseJws, verifyJws } from '../jwt/jws';
import { LocalKeySigner } from './key-signer';
import { SigningKeys, type SigningKeySettings } from './signing-keys';

const settings: SigningKeySettings = {
  algorithms: ['ES256'],
  jwksMaxAge: 600,
  keyRefreshInterval: 60,
  rotationInterval: 0,
  maxTokenLifetime: 300,
  clockTolerance: 30,
};

/** One process of the server: its own key-encryption key over the shared store. */
function processWith(store: InMemorySigningKeyStore, clock: ManualClock, kek = randomBytes(32)) {
  const warnings: string[] = [];
  const keys = new SigningKeys({ store, signer: new LocalKeySigner(kek), clock, settings, warn: (m) => warnings.push(m) });
  return { keys, warnings };
}

async function verifies(keys: SigningKeys, token: string): Promise<boolean> {
  const jws = parseJws(token)!;
  const key = await keys.verificationKey(String(jws.header.kid));
  return key !== undefined && verifyJws(jws, key, ['ES256']);
}

const kidOf = (token: string) => String(parseJws(token)!.header.kid);
const activeKids = async (store: InMemorySigningKeyStore) => (await store.list()).filter((k) => k.state === 'active').map((k) => k.kid);

describe('SigningKeys with a stored key this process cannot open (another key-encryption key)', () => {
  it('signs with a fresh active key instead of failing, retires the old one and warns once, naming it', async () => {
    const store = new InMemorySigningKeyStore();
    const clock = new ManualClock(new Date('2030-01-01T00:00:00Z'));
    const before = processWith(store, clock);
    const oldToken = await before.keys.sign('ES256', { typ: 'at+jwt' }, { sub: 'nate' });
    const oldKid = kidOf(oldToken);

    // A restart with a per-process key-encryption key: the stored keys no longer open.
    clock.advance(10);
    const after = processWith(store, clock);
    const newToken = await after.keys.sign('ES256', { typ: 'at+jwt' }, { sub: 'nate' });
    const newKid = kidOf(newToken);
    assert.notEqual(newKid, oldKid);
    assert.equal(await verifies(after.keys, newToken), true);

    assert.equal(after.warnings.length, 1);
    assert.match(after.warnings[0]!, new RegExp(`Signing key ${oldKid} \\(ES256\\) cannot sign in this process`));
    assert.match(after.warnings[0]!, /jwt\.keyEncryptionKey/);

    const stored = new Map((await store.list()).map((k): [string, SigningKey] => [k.kid, k]));
    assert.equal(stored.get(newKid)?.state, 'active');
    assert.equal(stored.get(oldKid)?.state, 'retired');
    // Still published until the tokens it signed have expired (refresh + lifetime + tolerance).
    assert.equal(stored.get(oldKid)?.expiresAt?.getTime(), clock.now().getTime() + (60 + 300 + 30) * 1000);
    assert.equal(await verifies(after.keys, oldToken), true, 'a token signed before the restart still verifies');
    assert.ok((await after.keys.jwks()).keys.some((k) => k.kid === oldKid));

    // Later requests sign with the new key and warn no more.
    assert.equal(kidOf(await after.keys.sign('ES256', { typ: 'at+jwt' }, { sub: 'nate' })), newKid);
    assert.equal(after.warnings.length, 1);
  });

  it('makes one replacement however many requests find the unusable key at once', async () => {
    const store = new InMemorySigningKeyStore();
    const clock = new ManualClock(new Date('2030-01-01T00:00:00Z'));
    await processWith(store, clock).keys.ensure();
    const after = processWith(store, clock);
    const tokens = await Promise.all(Array.from({ length: 12 }, (_, i) => after.keys.sign('ES256', { typ: 'at+jwt' }, { n: i })));
    assert.equal(new Set(tokens.map(kidOf)).size, 1);
    for (const token of tokens) assert.equal(await verifies(after.keys, token), true);
    assert.deepEqual(await activeKids(store), [kidOf(tokens[0]!)]);
    assert.equal(after.warnings.length, 1);
  });

  it('replaces a key whose row was altered, as it can never sign again', async () => {
    /** Hands out one key's sealed value with its last character changed, as a tampered row would. */
    class TamperedStore extends InMemorySigningKeyStore {
      tampered?: string;
      override async list(): Promise<SigningKey[]> {
        const keys = await super.list();
        for (const key of keys)
          if (key.kid === this.tampered) key.privateKey = key.privateKey.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
        return keys;
      }
    }
    const store = new TamperedStore();
    const clock = new ManualClock(new Date('2030-01-01T00:00:00Z'));
    const kek = randomBytes(32);
    await processWith(store, clock, kek).keys.ensure();
    [store.tampered] = await activeKids(store);
    // The same key-encryption key after the restart: only the row is wrong.
    const restarted = processWith(store, clock, kek);
    const token = await restarted.keys.sign('ES256', { typ: 'at+jwt' }, {});
    assert.notEqual(kidOf(token), store.tampered);
    assert.equal(await verifies(restarted.keys, token), true);
    assert.equal(restarted.warnings.length, 1);
  });

  it('lets any other signing failure through unchanged and replaces nothing', async () => {
    const store = new InMemorySigningKeyStore();
    const clock = new ManualClock(new Date('2030-01-01T00:00:00Z'));
    const signer = new LocalKeySigner(randomBytes(32));
    const keys = new SigningKeys({ store, signer, clock, settings, warn: () => assert.fail('no warning expected') });
    await keys.ensure();
    const active = await activeKids(store);
    signer.sign = () => {
      throw new Error('HSM unreachable');
    };
    await assert.rejects(keys.sign('ES256', { typ: 'at+jwt' }, {}), /HSM unreachable/);
    assert.deepEqual(await activeKids(store), active);
  });
});

/**
 * The `SigningKeyStore` contract (see its doc comment), run on every implementation: the TypeORM one
 * on the database in DATABASE_URL, so the conditional transitions hold on SQLite, PostgreSQL and MariaDB.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { SigningKey } from './models';
import type { SigningKeyStore } from './signing-key.store';
import type { StoreHarness } from './store-contract.spec-helper';

const T0 = new Date('2030-01-01T00:00:00.123Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000 + 7);
/** A kid shaped like an RFC 7638 SHA-256 thumbprint: 43 base64url characters. */
const newKid = () => randomBytes(32).toString('base64url');

function key(over: Partial<SigningKey> = {}): SigningKey {
  const kid = over.kid ?? newKid();
  return {
    kid,
    alg: 'ES256',
    state: 'next',
    publicJwk: {
      kty: 'EC',
      crv: 'P-256',
      x: randomBytes(32).toString('base64url'),
      y: randomBytes(32).toString('base64url'),
      kid,
      alg: 'ES256',
      use: 'sig',
    },
    privateKey: `v1.${randomBytes(12).toString('base64url')}.${randomBytes(138).toString('base64url')}`,
    createdAt: T0,
    activatedAt: null,
    retiredAt: null,
    expiresAt: null,
    ...over,
  };
}

async function find(store: SigningKeyStore, kid: string): Promise<SigningKey | undefined> {
  return (await store.list()).find((k) => k.kid === kid);
}

/** `SigningKeyStore`: list copies, insert once per kid, conditional transitions, purge of expired retired keys. */
export function describeSigningKeyStoreContract(name: string, open: () => Promise<StoreHarness<SigningKeyStore>>): void {
  describe(`${name} (SigningKeyStore contract)`, () => {
    let harness: StoreHarness<SigningKeyStore>;
    const h = () => harness;
    before(async () => (harness = await open()));
    after(async () => harness.close());
    beforeEach(async () => harness.clear());

    it('lists every key in every state with all its fields, dates to the millisecond', async () => {
      const [store] = h().stores;
      const next = key();
      const active = key({ alg: 'EdDSA', state: 'active', activatedAt: at(1) });
      const retired = key({ alg: 'RS256', state: 'retired', activatedAt: at(1), retiredAt: at(2), expiresAt: at(3) });
      for (const k of [next, active, retired]) await store.insert(k);
      const listed = await store.list();
      assert.equal(listed.length, 3);
      for (const expected of [next, active, retired]) {
        const found = listed.find((k) => k.kid === expected.kid);
        assert.deepEqual(found, expected);
        for (const field of ['createdAt', 'activatedAt', 'retiredAt', 'expiresAt'] as const) {
          assert.equal(found?.[field]?.getTime() ?? null, expected[field]?.getTime() ?? null, field);
        }
      }
    });

    it('hands out copies: changing a listed key or the inserted object changes nothing stored', async () => {
      const [store] = h().stores;
      const inserted = key();
      const original = structuredClone(inserted);
      await store.insert(inserted);
      inserted.state = 'active';
      inserted.publicJwk.x = 'changed';
      const [listed] = await store.list();
      listed.state = 'retired';
      listed.privateKey = 'changed';
      listed.publicJwk.kid = 'changed';
      listed.createdAt.setTime(0);
      assert.deepEqual(await find(store, original.kid), original);
    });

    it('rejects a second key with the same kid and keeps the first one intact', async () => {
      const [store] = h().stores;
      const first = key();
      await store.insert(first);
      await assert.rejects(store.insert(key({ kid: first.kid, state: 'active', activatedAt: at(1) })));
      assert.deepEqual(await store.list(), [first]);
    });

    it('tells kids apart by case, as base64url does (RFC 7638 thumbprints are case-sensitive)', async () => {
      const [store] = h().stores;
      const kid = `Ab${newKid().slice(2)}`;
      const variant = `aB${kid.slice(2)}`;
      await store.insert(key({ kid }));
      await store.insert(key({ kid: variant }));
      assert.equal(await store.transition(variant, 'next', 'active', at(1)), true);
      assert.equal((await find(store, kid))?.state, 'next');
      assert.equal(await store.transition(`${kid} `, 'next', 'active', at(1)), false);
    });

    it('activates a next key, setting activatedAt, and retires an active one, setting retiredAt and expiresAt', async () => {
      const [store] = h().stores;
      const k = key();
      await store.insert(k);
      assert.equal(await store.transition(k.kid, 'next', 'active', at(10)), true);
      assert.deepEqual(await find(store, k.kid), { ...k, state: 'active', activatedAt: at(10) });
      assert.equal(await store.transition(k.kid, 'active', 'retired', at(20), at(500)), true);
      const retired = await find(store, k.kid);
      assert.deepEqual(retired, { ...k, state: 'retired', activatedAt: at(10), retiredAt: at(20), expiresAt: at(500) });
      assert.equal(retired?.expiresAt?.getTime(), at(500).getTime());
    });

    it('retires without an expiry as expiring at once', async () => {
      const [store] = h().stores;
      const k = key({ state: 'active', activatedAt: at(1) });
      await store.insert(k);
      assert.equal(await store.transition(k.kid, 'active', 'retired', at(5)), true);
      assert.deepEqual(await find(store, k.kid), { ...k, state: 'retired', retiredAt: at(5), expiresAt: at(5) });
    });

    it('changes nothing and resolves false when the key is not in the `from` state or does not exist', async () => {
      const [store] = h().stores;
      const k = key({ state: 'active', activatedAt: at(1) });
      await store.insert(k);
      assert.equal(await store.transition(k.kid, 'next', 'active', at(9)), false);
      assert.equal(await store.transition(k.kid, 'retired', 'active', at(9)), false);
      assert.equal(await store.transition(newKid(), 'next', 'active', at(9)), false);
      assert.deepEqual(await store.list(), [k]);
    });

    it('lets exactly one of many racing next → active transitions win, across instances', async () => {
      const { stores } = h();
      const k = key();
      await stores[0].insert(k);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => stores[i % stores.length].transition(k.kid, 'next', 'active', at(i + 1))),
      );
      assert.equal(results.filter(Boolean).length, 1);
      const winner = results.indexOf(true);
      assert.deepEqual(await find(stores[0], k.kid), { ...k, state: 'active', activatedAt: at(winner + 1) });
    });

    it('lets exactly one of two racing active → retired transitions win, keeping the winner’s times', async () => {
      const { stores } = h();
      const k = key({ state: 'active', activatedAt: at(1) });
      await stores[0].insert(k);
      const [a, b] = await Promise.all([
        stores[0].transition(k.kid, 'active', 'retired', at(2), at(100)),
        stores[stores.length - 1].transition(k.kid, 'active', 'retired', at(3), at(200)),
      ]);
      assert.equal(Number(a) + Number(b), 1);
      const stored = await find(stores[0], k.kid);
      assert.deepEqual(
        stored,
        a
          ? { ...k, state: 'retired', retiredAt: at(2), expiresAt: at(100) }
          : { ...k, state: 'retired', retiredAt: at(3), expiresAt: at(200) },
      );
    });

    it('deletes only retired keys whose expiresAt is at or before now, and resolves their kids', async () => {
      const [store] = h().stores;
      const now = at(100);
      const due = key({ state: 'retired', activatedAt: at(1), retiredAt: at(2), expiresAt: at(50) });
      const dueNow = key({ state: 'retired', activatedAt: at(1), retiredAt: at(2), expiresAt: now });
      const held = key({ state: 'retired', activatedAt: at(1), retiredAt: at(2), expiresAt: new Date(now.getTime() + 1) });
      // Keys in other states are never deleted, whatever their timestamps say.
      const active = key({ state: 'active', activatedAt: at(1), expiresAt: at(3) });
      const next = key({ expiresAt: at(3) });
      for (const k of [due, dueNow, held, active, next]) await store.insert(k);
      assert.deepEqual((await store.deleteRetiredBefore(now)).sort(), [due.kid, dueNow.kid].sort());
      assert.deepEqual((await store.list()).map((k) => k.kid).sort(), [held.kid, active.kid, next.kid].sort());
      assert.deepEqual(await store.deleteRetiredBefore(now), []);
    });

    it('reports each deleted key once when instances purge at the same time', async () => {
      const { stores } = h();
      const due = Array.from({ length: 4 }, () => key({ state: 'retired', activatedAt: at(1), retiredAt: at(2), expiresAt: at(3) }));
      for (const k of due) await stores[0].insert(k);
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) => stores[i % stores.length].deleteRetiredBefore(at(10))));
      assert.deepEqual(results.flat().sort(), due.map((k) => k.kid).sort());
      assert.deepEqual(await stores[0].list(), []);
    });
  });
}

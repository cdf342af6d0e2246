import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { InMemorySigningKeyStore } from '../../stores/memory/in-memory-signing-key.store';
import type { SigningAlgorithm, SigningKey } from '../../stores/models';
import { ManualClock } from '../clock';
import { parseJws, verifyJws } from '../jwt/jws';
import { LocalKeySigner } from './key-signer';
import { SigningKeys, type SigningKeySettings } from './signing-keys';

const T0 = new Date('2030-01-01T00:00:00Z');
/** publishAhead = 600 + 60 = 660 s; retiredKeyHold = 60 + 300 + 30 = 390 s. */
const SETTINGS: SigningKeySettings = {
  algorithms: ['ES256'],
  jwksMaxAge: 600,
  keyRefreshInterval: 60,
  rotationInterval: 86_400,
  maxTokenLifetime: 300,
  clockTolerance: 30,
};
const PUBLISH_AHEAD = 660;
const HOLD = 390;

const kek = randomBytes(32);
const tick = () => new Promise((resolve) => setImmediate(resolve));

/** A store whose every call yields first, so calls of two managers interleave as they would over a network. */
class InterleavingStore extends InMemorySigningKeyStore {
  override async list() {
    await tick();
    return super.list();
  }
  override async insert(key: SigningKey) {
    await tick();
    return super.insert(key);
  }
  override async transition(...args: Parameters<InMemorySigningKeyStore['transition']>) {
    await tick();
    return super.transition(...args);
  }
}

function manager(store: InMemorySigningKeyStore, settings: Partial<SigningKeySettings> = {}, clock = new ManualClock(T0)) {
  const keys = new SigningKeys({ store, signer: new LocalKeySigner(kek), clock, settings: { ...SETTINGS, ...settings } });
  return { keys, clock };
}

async function inState(store: InMemorySigningKeyStore, state: SigningKey['state'], alg: SigningAlgorithm = 'ES256') {
  return (await store.list()).filter((k) => k.state === state && k.alg === alg);
}

async function kidOf(keys: SigningKeys, alg: SigningAlgorithm = 'ES256'): Promise<string> {
  return parseJws(await keys.sign(alg, { typ: 'at+jwt' }, { sub: 'u' }))!.header.kid!;
}

describe('SigningKeys (RFC 9068 signing keys: next → active → retired)', () => {
  describe('ensure()', () => {
    it('makes one active and one next key per algorithm, and changes nothing when called again', async () => {
      const store = new InMemorySigningKeyStore();
      const { keys } = manager(store, { algorithms: ['ES256', 'EdDSA'] });
      await keys.ensure();
      const first = await store.list();
      for (const alg of ['ES256', 'EdDSA'] as const) {
        assert.equal((await inState(store, 'active', alg)).length, 1, `${alg} active`);
        assert.equal((await inState(store, 'next', alg)).length, 1, `${alg} next`);
      }
      assert.equal(first.length, 4);
      await keys.ensure();
      assert.deepEqual(await store.list(), first);
    });

    it('leaves exactly one active and one next key per algorithm when two instances start together', async () => {
      const store = new InterleavingStore();
      const a = manager(store, { algorithms: ['ES256', 'EdDSA'] });
      const b = manager(store, { algorithms: ['ES256', 'EdDSA'] });
      await Promise.all([a.keys.ensure(), b.keys.ensure()]);
      for (const alg of ['ES256', 'EdDSA'] as const) {
        assert.equal((await inState(store, 'active', alg)).length, 1, `${alg}: one active key`);
        assert.equal((await inState(store, 'next', alg)).length, 1, `${alg}: one next key`);
      }
      // Each re-reads the store after keyRefreshInterval and then signs with the survivor.
      a.clock.advance(60);
      b.clock.advance(60);
      const [active] = await inState(store, 'active');
      assert.equal(await kidOf(a.keys), active.kid);
      assert.equal(await kidOf(b.keys), active.kid);
    });

    it('promotes the published next key when no key is active, rather than signing with an unpublished one', async () => {
      const store = new InMemorySigningKeyStore();
      const { keys, clock } = manager(store);
      await keys.ensure();
      const [active] = await inState(store, 'active');
      const [next] = await inState(store, 'next');
      await store.transition(active.kid, 'active', 'retired', clock.now(), clock.now());
      await keys.ensure();
      assert.deepEqual(
        (await inState(store, 'active')).map((k) => k.kid),
        [next.kid],
      );
      assert.equal((await inState(store, 'next')).length, 1);
    });
  });

  describe('rotate()', () => {
    it('refuses while the next key is younger than publishAhead (jwksMaxAge + keyRefreshInterval) and says when it may sign', async () => {
      const store = new InMemorySigningKeyStore();
      const { keys, clock } = manager(store);
      await keys.ensure();
      const before = await store.list();
      const [next] = await inState(store, 'next');
      clock.advance(PUBLISH_AHEAD - 1);
      const [step] = await keys.rotate();
      assert.equal(step.activated, undefined);
      assert.equal(step.waitUntil?.getTime(), next.createdAt.getTime() + PUBLISH_AHEAD * 1000);
      assert.deepEqual(await store.list(), before);
    });

    it('once publishAhead has passed: promotes the next key, retires the old one until now + retiredKeyHold, publishes a new next key', async () => {
      const store = new InMemorySigningKeyStore();
      const { keys, clock } = manager(store);
      await keys.ensure();
      const [oldActive] = await inState(store, 'active');
      const [next] = await inState(store, 'next');
      clock.advance(PUBLISH_AHEAD);
      const [step] = await keys.rotate();
      assert.equal(step.activated, next.kid);
      assert.deepEqual(step.retired, [oldActive.kid]);
      assert.equal(step.waitUntil, undefined);

      const [active] = await inState(store, 'active');
      assert.equal(active.kid, next.kid);
      assert.deepEqual(active.activatedAt, clock.now());
      const [retired] = await inState(store, 'retired');
      assert.equal(retired.kid, oldActive.kid);
      assert.deepEqual(retired.retiredAt, clock.now());
      assert.equal(retired.expiresAt!.getTime(), clock.now().getTime() + HOLD * 1000);
      const [published] = await inState(store, 'next');
      assert.equal(published.kid, step.published);
      assert.deepEqual(published.createdAt, clock.now());
      assert.equal(await kidOf(keys), next.kid, 'the rotating instance signs with the new key at once');
    });

    it('publishes a next key when there is none, and says it may sign only after publishAhead', async () => {
      const store = new InMemorySigningKeyStore();
      const { keys, clock } = manager(store);
      await keys.ensure();
      const [next] = await inState(store, 'next');
      await store.transition(next.kid, 'next', 'retired', clock.now(), clock.now());
      const [step] = await keys.rotate();
      assert.equal(step.activated, undefined);
      assert.ok(step.published);
      assert.equal(step.waitUntil?.getTime(), clock.now().getTime() + PUBLISH_AHEAD * 1000);
    });

    it('activates exactly one key when two instances rotate at once', async () => {
      const store = new InterleavingStore();
      const a = manager(store);
      const b = manager(store);
      await a.keys.ensure();
      const [oldActive] = await inState(store, 'active');
      a.clock.advance(PUBLISH_AHEAD);
      b.clock.advance(PUBLISH_AHEAD);
      const steps = (await Promise.all([a.keys.rotate(), b.keys.rotate()])).flat();
      assert.equal(steps.filter((s) => s.activated).length, 1, JSON.stringify(steps));
      assert.equal((await inState(store, 'active')).length, 1);
      assert.deepEqual(
        (await inState(store, 'retired')).map((k) => k.kid),
        [oldActive.kid],
      );
      assert.equal((await inState(store, 'next')).length, 1);
    });
  });

  describe('maintain()', () => {
    it('RFC 7517 §5: an instance maintaining its keys while another rotates publishes no second next key', async () => {
      /** Runs `between` once, right after the rotation promotes the next key and before it returns. */
      class PausingStore extends InMemorySigningKeyStore {
        between?: () => Promise<unknown>;
        override async transition(...args: Parameters<InMemorySigningKeyStore['transition']>) {
          const run = args[1] === 'next' && args[2] === 'active' ? this.between : undefined;
          this.between = undefined;
          const done = await super.transition(...args);
          await run?.();
          return done;
        }
      }
      const store = new PausingStore();
      const a = manager(store);
      const b = manager(store);
      await a.keys.ensure();
      a.clock.advance(PUBLISH_AHEAD);
      b.clock.advance(PUBLISH_AHEAD);
      store.between = () => b.keys.maintain();
      const [step] = await a.keys.rotate();
      assert.ok(step?.activated && step.published);
      assert.deepEqual(
        (await inState(store, 'next')).map((k) => k.kid),
        [step.published],
      );
      assert.equal((await inState(store, 'active')).length, 1);
    });

    it('deletes retired keys once their expiresAt has passed, not before', async () => {
      const store = new InMemorySigningKeyStore();
      const { keys, clock } = manager(store);
      await keys.ensure();
      const [oldActive] = await inState(store, 'active');
      clock.advance(PUBLISH_AHEAD);
      await keys.rotate();
      clock.advance(HOLD - 1);
      assert.deepEqual((await keys.maintain()).deleted, []);
      clock.advance(1);
      assert.deepEqual((await keys.maintain()).deleted, [oldActive.kid]);
      assert.equal((await store.list()).length, 2);
    });

    it('rotates once the active key has signed for rotationInterval', async () => {
      const store = new InMemorySigningKeyStore();
      const { keys, clock } = manager(store);
      await keys.ensure();
      const [next] = await inState(store, 'next');
      clock.advance(86_400 - 1);
      assert.deepEqual((await keys.maintain()).steps, []);
      clock.advance(1);
      const { steps } = await keys.maintain();
      assert.equal(steps.length, 1);
      assert.equal(steps[0].activated, next.kid);
    });

    it('with rotationInterval 0 never rotates, but still deletes expired retired keys', async () => {
      const store = new InMemorySigningKeyStore();
      const { keys, clock } = manager(store, { rotationInterval: 0 });
      await keys.ensure();
      clock.advance(PUBLISH_AHEAD);
      const [step] = await keys.rotate();
      clock.advance(365 * 86_400);
      const { deleted, steps } = await keys.maintain();
      assert.deepEqual(steps, []);
      assert.deepEqual(deleted, step.retired);
      assert.equal((await inState(store, 'active'))[0].kid, step.activated);
    });

    it('publishes a next key when none is left', async () => {
      const store = new InMemorySigningKeyStore();
      const { keys, clock } = manager(store);
      await keys.ensure();
      const [next] = await inState(store, 'next');
      await store.transition(next.kid, 'next', 'retired', clock.now(), clock.now());
      const { steps } = await keys.maintain();
      assert.equal(steps.length, 1);
      assert.equal(steps[0].activated, undefined);
      assert.equal((await inState(store, 'next'))[0].kid, steps[0].published);
    });
  });

  describe('jwks() (RFC 7517 §5)', () => {
    it('publishes the next, active and unexpired retired keys, and never a private member', async () => {
      const store = new InMemorySigningKeyStore();
      const { keys, clock } = manager(store, { algorithms: ['ES256', 'RS256', 'EdDSA'] });
      await keys.ensure();
      clock.advance(PUBLISH_AHEAD);
      await keys.rotate();
      const all = await store.list();
      const jwks = await keys.jwks();
      assert.deepEqual(jwks.keys.map((k) => k.kid).sort(), all.map((k) => k.kid).sort());
      assert.equal(all.filter((k) => k.state === 'retired').length, 3);
      for (const jwk of jwks.keys) {
        for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'])
          assert.equal(member in jwk, false, `${jwk.kty} has no ${member}`);
        assert.equal(jwk.use, 'sig');
      }

      clock.advance(HOLD);
      const retired = all.filter((k) => k.state === 'retired').map((k) => k.kid);
      const later = await keys.jwks();
      assert.equal(later.keys.length, 6);
      assert.ok(
        later.keys.every((k) => !retired.includes(k.kid)),
        'expired retired keys leave the JWKS',
      );
    });
  });

  describe('retired keys', () => {
    it('leave the JWKS and stop verifying at their expiresAt, not up to one keyRefreshInterval later', async () => {
      const store = new InMemorySigningKeyStore();
      const a = manager(store);
      const b = manager(store);
      await a.keys.ensure();
      a.clock.advance(PUBLISH_AHEAD);
      b.clock.advance(PUBLISH_AHEAD);
      const [step] = await a.keys.rotate();
      const retired = step.retired[0];
      b.clock.advance(HOLD - 5);
      assert.ok(await b.keys.verificationKey(retired), 'b read the store 5 s before the hold ends');
      assert.ok((await b.keys.jwks()).keys.some((k) => k.kid === retired));
      assert.ok(b.keys.knownKey(retired!, b.clock.now().getTime()), 'held without a read while the read is fresh');
      b.clock.advance(5);
      assert.equal(b.keys.knownKey(retired!, b.clock.now().getTime()), undefined, 'the hold ends the synchronous answer too');
      assert.ok(!(await b.keys.jwks()).keys.some((k) => k.kid === retired));
      assert.equal(await b.keys.verificationKey(retired), undefined);
    });
  });

  describe('sign()', () => {
    it('signs with the most recently activated key, verifiable with the published key of its kid', async () => {
      const store = new InMemorySigningKeyStore();
      const { keys, clock } = manager(store);
      await keys.ensure();
      const [first] = await inState(store, 'active');
      assert.equal(await kidOf(keys), first.kid);
      clock.advance(PUBLISH_AHEAD);
      const [step] = await keys.rotate();
      const token = await keys.sign('ES256', { typ: 'at+jwt' }, { sub: 'u' });
      const jws = parseJws(token)!;
      assert.equal(jws.header.kid, step.activated);
      assert.equal(jws.header.alg, 'ES256');
      assert.equal(jws.header.typ, 'at+jwt');
      assert.ok(verifyJws(jws, (await keys.verificationKey(step.activated!))!, ['ES256']));
      assert.equal(verifyJws(jws, (await keys.verificationKey(first.kid))!, ['ES256']), false);
    });

    it('after its own rotation, never signs from a read of the store that started before it', async () => {
      const store = new GatedStore();
      const { keys, clock } = manager(store);
      await keys.ensure();
      clock.advance(PUBLISH_AHEAD);
      store.hold();
      const stale = keys.jwks(); // the view has aged: a re-read starts, and answers late
      const [step] = await keys.rotate();
      await stale;
      assert.equal(await kidOf(keys), step.activated);
    });
  });

  describe('view refresh (keyRefreshInterval)', () => {
    it('a second instance sees another one’s rotation only after keyRefreshInterval: the documented lag', async () => {
      const store = new InMemorySigningKeyStore();
      const a = manager(store);
      const b = manager(store);
      await a.keys.ensure();
      const [first] = await inState(store, 'active');
      assert.equal(await kidOf(b.keys), first.kid);
      a.clock.advance(PUBLISH_AHEAD);
      b.clock.advance(PUBLISH_AHEAD);
      await b.keys.jwks(); // b's view is now fresh
      const [step] = await a.keys.rotate();
      const published = step.published!;
      assert.ok((await a.keys.jwks()).keys.some((k) => k.kid === published));
      b.clock.advance(59);
      assert.equal(await kidOf(b.keys), first.kid, 'b still signs with the key it last read');
      assert.ok(!(await b.keys.jwks()).keys.some((k) => k.kid === published));
      b.clock.advance(1);
      assert.equal(await kidOf(b.keys), step.activated);
      assert.ok((await b.keys.jwks()).keys.some((k) => k.kid === published));
    });

    it('an unknown kid re-reads the store at once, then not again for a few seconds', async () => {
      const store = new InMemorySigningKeyStore();
      const a = manager(store);
      const b = manager(store);
      await a.keys.ensure();
      await b.keys.jwks();
      a.clock.advance(PUBLISH_AHEAD);
      const [step] = await a.keys.rotate();
      assert.ok(await b.keys.verificationKey(step.activated!), 'the promoted key was already published to b');
      const list = store.list.bind(store);
      let reads = 0;
      store.list = () => (reads++, list());
      assert.ok(await b.keys.verificationKey(step.published!), 'a kid b has not read yet: found by one re-read');
      assert.equal(reads, 1);
      assert.equal(await b.keys.verificationKey('unknown'), undefined);
      assert.equal(reads, 1, 'within the cooldown a bad kid causes no read');
      b.clock.advance(5);
      assert.equal(await b.keys.verificationKey('unknown'), undefined);
      assert.equal(reads, 2);
    });
  });
});

/**
 * A store whose next read, once held, answers with a snapshot taken before the rotation's writes and
 * only after the rotation has written its last key: a query answered late, as a busy database may.
 */
class GatedStore extends InMemorySigningKeyStore {
  private gate?: Promise<void>;
  private open?: () => void;
  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }
  override async list() {
    const snapshot = await super.list();
    const gate = this.gate;
    this.gate = undefined; // only the held read waits: the rotation's own reads go through
    await gate;
    return snapshot;
  }
  override async insert(key: SigningKey) {
    await super.insert(key);
    // After every microtask of the rotation that follows its last write: it has asked for its re-read by then.
    const open = this.open;
    this.open = undefined;
    if (open) setImmediate(open);
  }
}

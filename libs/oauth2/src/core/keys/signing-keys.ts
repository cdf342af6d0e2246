/**
 * The signing keys of JWT access tokens (RFC 9068) across their life, `next → active → retired`,
 * kept in the `SigningKeyStore` so every instance signs with the same key and publishes the same set.
 *
 * Rotation keeps three promises:
 * - a key is published before it signs: a `next` key becomes `active` only after it has been in the
 *   store for `publishAhead` = the JWKS cache lifetime plus one store refresh, so any JWKS a resource
 *   server still caches already holds it;
 * - a retired key stays published until the last token it signed has expired: `expiresAt` =
 *   retirement + one store refresh (an instance may sign with it until it re-reads the store) + the
 *   longest token lifetime + the clock tolerance;
 * - instances agree: the active key of an algorithm is the most recently activated one, each state
 *   change is conditional on the state it leaves, and each instance re-reads the store every
 *   `keyRefreshInterval` seconds.
 */
import type { KeyObject } from 'node:crypto';
import type { PublicJwk, SigningAlgorithm, SigningKey } from '../../stores/models';
import type { SigningKeyStore } from '../../stores/signing-key.store';
import type { Clock } from '../clock';
import { signingInput, type JwsHeader } from '../jwt/jws';
import { UnusableSigningKeyError, type KeySigner } from './key-signer';
import { publicKeyFromJwk } from './key-material';

/** How keys rotate and are published. @publicApi */
export interface SigningKeySettings {
  /** The algorithms tokens are signed with; each has its own active key. */
  algorithms: readonly SigningAlgorithm[];
  /** `Cache-Control: max-age` of the JWKS, in seconds. */
  jwksMaxAge: number;
  /** Seconds between re-reads of the key store by each instance. */
  keyRefreshInterval: number;
  /** Seconds an active key signs before the scheduled rotation replaces it; 0 = only on command. */
  rotationInterval: number;
  /** The longest lifetime, in seconds, of a token these keys sign. */
  maxTokenLifetime: number;
  /** Seconds of clock difference tolerated between servers. */
  clockTolerance: number;
}

/** No JWT resource: the key manager holds no algorithm, makes no key and publishes an empty set. */
export const NO_JWT_KEYS: SigningKeySettings = Object.freeze({
  algorithms: [],
  jwksMaxAge: 600,
  keyRefreshInterval: 60,
  rotationInterval: 0,
  maxTokenLifetime: 0,
  clockTolerance: 0,
});

/** What one rotation did for one algorithm. @publicApi */
export interface KeyRotationStep {
  alg: SigningAlgorithm;
  /** The key that now signs, when this rotation promoted one. */
  activated?: string;
  /** The keys that stopped signing. */
  retired: string[];
  /** The key published to sign next. */
  published?: string;
  /** When no key was promoted because the `next` key is too young (or was only just published): the earliest time it may sign. */
  waitUntil?: Date;
}

export interface SigningKeysDeps {
  store: SigningKeyStore;
  signer: KeySigner;
  clock: Clock;
  settings: SigningKeySettings;
  /** Where a key that cannot sign in this process is reported (it is then replaced). */
  warn?: (message: string) => void;
}

interface KeyView {
  keys: SigningKey[];
  publicKeys: Map<string, KeyObject>;
  active: Map<SigningAlgorithm, SigningKey>;
  jwks: { keys: PublicJwk[] };
  /** When to read the store again: one refresh after this read, or sooner when a retired key it holds expires. */
  staleAt: number;
}

/** The minimum wait between two re-reads caused by an unknown `kid`, so bad tokens cannot hammer the store. */
const UNKNOWN_KID_COOLDOWN_MS = 5_000;

/** @publicApi */
export class SigningKeys {
  private view?: KeyView;
  private loading?: Promise<KeyView>;
  private lastUnknownKidRead = -Infinity;
  private ensuring?: Promise<void>;
  /** Keys this process found it cannot sign with, each with the key activated in its place. */
  private readonly replacements = new Map<string, Promise<SigningKey>>();

  constructor(private readonly deps: SigningKeysDeps) {}

  /** Seconds a `next` key waits in the JWKS before it may sign. */
  get publishAhead(): number {
    return this.deps.settings.jwksMaxAge + this.deps.settings.keyRefreshInterval;
  }

  /** Seconds a retired key stays published. */
  get retiredKeyHold(): number {
    const s = this.deps.settings;
    return s.keyRefreshInterval + s.maxTokenLifetime + s.clockTolerance;
  }

  /**
   * At start-up: every algorithm gets an active key and a published next key. With no active key the
   * oldest next key is promoted (it has been published longest); with none at all a first key signs
   * at once, which is safe because nothing can have cached a JWKS of a store that held no key. Safe
   * when several instances start together: the most recently activated key wins, the others retire,
   * and surplus next keys (each instance may have published one) are dropped.
   */
  async ensure(): Promise<void> {
    const now = this.deps.clock.now();
    const algorithms = this.deps.settings.algorithms;
    let keys = await this.deps.store.list();
    for (const alg of algorithms) {
      if (activeOf(keys, alg)) continue;
      if (nextOf(keys, alg)) await this.rotateOne(keys, alg, now);
      else await this.insert(alg, 'active', now);
    }
    keys = await this.deps.store.list();
    for (const alg of algorithms) if (!nextOf(keys, alg)) await this.insert(alg, 'next', now);
    // Read again after writing: of instances starting together, the last to write sees every key the
    // others wrote, and all settle on the same survivors.
    keys = await this.deps.store.list();
    for (const alg of algorithms) {
      await this.retireAllBut(keys, alg, activeOf(keys, alg), now);
      const surplus = keys
        .filter((k) => k.alg === alg && k.state === 'next')
        .sort(byCreation)
        .slice(1);
      // A next key has never signed: it may leave the JWKS at once.
      for (const key of surplus) await this.deps.store.transition(key.kid, 'next', 'retired', now, now);
    }
    await this.refresh();
  }

  /**
   * Rotates every algorithm now: the oldest `next` key signs from now on if it has been published for
   * `publishAhead` (otherwise nothing changes and `waitUntil` says when it may), the keys it replaces
   * retire, and a new `next` key is published. With no `next` key, one is published and `waitUntil`
   * says when it may sign. Of instances rotating at once, exactly one promotes the key.
   */
  async rotate(): Promise<KeyRotationStep[]> {
    const now = this.deps.clock.now();
    const keys = await this.deps.store.list();
    const steps: KeyRotationStep[] = [];
    for (const alg of this.deps.settings.algorithms) steps.push(await this.rotateOne(keys, alg, now));
    await this.refresh();
    return steps;
  }

  /**
   * The scheduled work: drops retired keys past their hold, keeps a `next` key published, and rotates
   * an algorithm whose active key has signed for `rotationInterval`.
   */
  async maintain(): Promise<{ deleted: string[]; steps: KeyRotationStep[] }> {
    const now = this.deps.clock.now();
    const deleted = await this.deps.store.deleteRetiredBefore(now);
    let keys = await this.deps.store.list();
    if (this.deps.settings.algorithms.some((alg) => !activeOf(keys, alg))) {
      // Before the first token, or after someone emptied the store: start as an instance does.
      await this.ensure();
      keys = await this.deps.store.list();
    }
    const steps: KeyRotationStep[] = [];
    const interval = this.deps.settings.rotationInterval;
    for (const alg of this.deps.settings.algorithms) {
      const active = activeOf(keys, alg);
      const due = active && interval > 0 && (active.activatedAt ?? active.createdAt).getTime() + interval * 1000 <= now.getTime();
      // Without a next key, rotateOne only publishes one.
      if (due || !nextOf(keys, alg)) steps.push(await this.rotateOne(keys, alg, now));
    }
    await this.refresh();
    return { deleted, steps };
  }

  /**
   * Signs a compact JWS with the active key of `alg`; the header gets `alg` and `kid`. An active key
   * this process cannot sign with (sealed under another key-encryption key: a per-process one before
   * a restart, or another instance's) is replaced by a fresh active key rather than failing the token
   * request; the old key is retired and stays published until the tokens it signed have expired.
   */
  async sign(alg: SigningAlgorithm, header: Omit<JwsHeader, 'alg' | 'kid'>, payload: object): Promise<string> {
    let key = (await this.ready()).active.get(alg);
    if (!key) throw new Error(`No active ${alg} signing key: the key store has none and none could be made`);
    key = (await this.replacements.get(key.kid)?.catch(() => undefined)) ?? key;
    try {
      return await this.signWith(key, header, payload);
    } catch (error) {
      if (!(error instanceof UnusableSigningKeyError) || error.kid !== key.kid) throw error;
      return this.signWith(await this.replace(key, error), header, payload);
    }
  }

  private async signWith(key: SigningKey, header: Omit<JwsHeader, 'alg' | 'kid'>, payload: object): Promise<string> {
    const input = signingInput({ ...header, alg: key.alg, kid: key.kid }, payload);
    const signature = await this.deps.signer.sign(key, Buffer.from(input));
    return `${input}.${Buffer.from(signature).toString('base64url')}`;
  }

  /** One replacement per unusable key, however many requests find it at once; a failed one is retried by the next. */
  private replace(unusable: SigningKey, reason: UnusableSigningKeyError): Promise<SigningKey> {
    let replacement = this.replacements.get(unusable.kid);
    if (!replacement) {
      replacement = this.activateInstead(unusable, reason);
      this.replacements.set(unusable.kid, replacement);
      replacement.catch(() => this.replacements.delete(unusable.kid));
    }
    return replacement;
  }

  private async activateInstead(unusable: SigningKey, reason: UnusableSigningKeyError): Promise<SigningKey> {
    const now = this.deps.clock.now();
    // Signs at once, as a first key does: verifiers refetch the JWKS on an unknown kid.
    const fresh = await this.insert(unusable.alg, 'active', now);
    const keys = await this.deps.store.list();
    await this.retireAllBut(keys, unusable.alg, fresh, now);
    this.deps.warn?.(
      `Signing key ${unusable.kid} (${unusable.alg}) cannot sign in this process (${reason.message}), ` +
        `so the new key ${fresh.kid} signs from now on; tokens signed before still verify until they expire. ` +
        'Set jwt.keyEncryptionKey, the same on every instance, so stored keys keep working across restarts.',
    );
    await this.reload();
    return fresh;
  }

  /** The JWKS (RFC 7517 §5): every next, active and retired key still held. */
  async jwks(): Promise<{ keys: PublicJwk[] }> {
    return (await this.ready()).jwks;
  }

  /** The public key of `kid` while this instance's last read of the store is fresh. */
  knownKey(kid: string, now: number): KeyObject | undefined {
    const view = this.view;
    return view && now < view.staleAt ? view.publicKeys.get(kid) : undefined;
  }

  /** The public key of `kid` as this instance last read the store; an unknown kid re-reads it, at most every few seconds. */
  async verificationKey(kid: string): Promise<KeyObject | undefined> {
    const view = await this.current();
    const known = view.publicKeys.get(kid);
    if (known) return known;
    const now = this.deps.clock.now().getTime();
    if (now - this.lastUnknownKidRead < UNKNOWN_KID_COOLDOWN_MS) return undefined;
    this.lastUnknownKidRead = now;
    return (await this.reload()).publicKeys.get(kid);
  }

  /** Every key as stored, for the CLI's listing. */
  list(): Promise<SigningKey[]> {
    return this.deps.store.list();
  }

  private async rotateOne(keys: SigningKey[], alg: SigningAlgorithm, now: Date): Promise<KeyRotationStep> {
    const next = nextOf(keys, alg);
    const active = activeOf(keys, alg);
    if (!next) {
      // Nothing was published to take over: publish a key now; it may sign after `publishAhead`.
      const published = await this.insert(alg, 'next', now);
      return { alg, retired: [], published: published.kid, waitUntil: active ? this.readyAt(published) : undefined };
    }
    const ready = this.readyAt(next);
    if (ready > now && active) return { alg, retired: [], waitUntil: ready };
    // The successor is published before the promotion: an instance (or the CLI) reading the store
    // between the two writes still finds a next key, and does not publish another one beside it.
    const published = await this.insert(alg, 'next', now);
    if (!(await this.deps.store.transition(next.kid, 'next', 'active', now))) {
      // Another instance promoted it first and published its own successor: ours never signed, so it
      // leaves at once (retired with no hold, then deleted with any other key whose hold is over).
      await this.deps.store.transition(published.kid, 'next', 'retired', now, now);
      await this.deps.store.deleteRetiredBefore(now);
      return { alg, retired: [] };
    }
    const promoted = { ...next, state: 'active' as const, activatedAt: now };
    const retired = await this.retireAllBut([...keys.filter((k) => k.kid !== next.kid), promoted], alg, promoted, now);
    return { alg, activated: next.kid, retired, published: published.kid };
  }

  /** When a next key has been published long enough to sign. */
  private readyAt(key: SigningKey): Date {
    return new Date(key.createdAt.getTime() + this.publishAhead * 1000);
  }

  private async retireAllBut(keys: SigningKey[], alg: SigningAlgorithm, keep: SigningKey | undefined, now: Date): Promise<string[]> {
    const retired: string[] = [];
    const until = new Date(now.getTime() + this.retiredKeyHold * 1000);
    for (const key of keys) {
      if (key.alg !== alg || key.state !== 'active' || key.kid === keep?.kid) continue;
      if (await this.deps.store.transition(key.kid, 'active', 'retired', now, until)) retired.push(key.kid);
    }
    return retired;
  }

  private async insert(alg: SigningAlgorithm, state: 'next' | 'active', now: Date): Promise<SigningKey> {
    const created = await this.deps.signer.create(alg);
    const key: SigningKey = {
      kid: created.kid,
      alg,
      state,
      publicJwk: created.publicJwk,
      privateKey: created.privateKey,
      createdAt: now,
      activatedAt: state === 'active' ? now : null,
      retiredAt: null,
      expiresAt: null,
    };
    await this.deps.store.insert(key);
    return key;
  }

  /**
   * The current view, after making the first keys if an algorithm has no active one. Done on first
   * use rather than at boot, so a host that runs its migrations after creating the app still works.
   */
  private async ready(): Promise<KeyView> {
    const view = await this.current();
    if (this.deps.settings.algorithms.every((alg) => view.active.has(alg))) return view;
    this.ensuring ??= this.ensure().finally(() => (this.ensuring = undefined));
    await this.ensuring;
    return this.current();
  }

  private async current(): Promise<KeyView> {
    const view = this.view;
    const now = this.deps.clock.now().getTime();
    if (view && now < view.staleAt) return view;
    return this.reload();
  }

  /** A read that starts after this instance's own writes: one already in flight may predate them. */
  private async refresh(): Promise<KeyView> {
    await this.loading?.catch(() => undefined);
    return this.reload();
  }

  private reload(): Promise<KeyView> {
    this.loading ??= this.read().finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async read(): Promise<KeyView> {
    const now = this.deps.clock.now();
    const keys = (await this.deps.store.list()).filter((k) => k.state !== 'retired' || (k.expiresAt !== null && k.expiresAt > now));
    const publicKeys = new Map<string, KeyObject>();
    for (const key of keys) {
      const publicKey = publicKeyFromJwk(key.publicJwk);
      if (publicKey) publicKeys.set(key.kid, publicKey);
    }
    const active = new Map<SigningAlgorithm, SigningKey>();
    for (const alg of this.deps.settings.algorithms) {
      const key = activeOf(keys, alg);
      if (key) active.set(alg, key);
    }
    const jwks = Object.freeze({ keys: keys.sort(byCreation).map((k) => Object.freeze({ ...k.publicJwk })) });
    // A retired key leaves the JWKS and stops verifying at its expiresAt, not up to one refresh later.
    const expiries = keys.filter((k) => k.state === 'retired').map((k) => k.expiresAt!.getTime());
    const staleAt = Math.min(now.getTime() + this.deps.settings.keyRefreshInterval * 1000, ...expiries);
    this.view = { keys, publicKeys, active, jwks, staleAt };
    return this.view;
  }
}

/** The key that signs for `alg`: the most recently activated active key (ties: the greater kid). */
function activeOf(keys: readonly SigningKey[], alg: SigningAlgorithm): SigningKey | undefined {
  return keys
    .filter((k) => k.alg === alg && k.state === 'active')
    .sort((a, b) => (b.activatedAt?.getTime() ?? 0) - (a.activatedAt?.getTime() ?? 0) || (a.kid < b.kid ? 1 : -1))[0];
}

/** The key that signs next for `alg`: the oldest next key, published longest. */
function nextOf(keys: readonly SigningKey[], alg: SigningAlgorithm): SigningKey | undefined {
  return keys.filter((k) => k.alg === alg && k.state === 'next').sort(byCreation)[0];
}

function byCreation(a: SigningKey, b: SigningKey): number {
  return a.createdAt.getTime() - b.createdAt.getTime() || (a.kid < b.kid ? -1 : 1);
}

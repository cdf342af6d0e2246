/**
 * The verification keys of a remote authorization server, read from its JWK Set (RFC 7517 §5) at
 * `jwks_uri` (RFC 8414 §2): the `VerificationKeySource` of a resource server on another host.
 *
 * - Fetched on first need (the first JWT to verify), not at start-up, so the resource server starts
 *   while the authorization server is down, as discovery does.
 * - Kept for the answer's `Cache-Control: max-age`, clamped to `[min, max]`; `no-cache`/`no-store`
 *   count as 0 (so `min`), and an answer without max-age is kept `fallback` seconds.
 * - Fetched again when stale, or when a token names a `kid` the set lacks (a rotation this server has
 *   not seen), but never twice within `cooldown`: tokens with made-up kids cannot turn into a stream
 *   of requests to the authorization server. Within the cooldown an unknown kid is simply unknown.
 * - One fetch at a time: every request needing the set while one is under way waits on that one
 *   (single flight), so a thousand tokens with an unknown kid cost one fetch.
 * - A failed fetch keeps the set already held, stale or not, and is reported. With no set at all the
 *   request is refused with 503 `temporarily_unavailable`, and the next fetch waits `NO_KEYS_RETRY_MS`.
 *   Metadata that is wrong (another issuer, no `jwks_uri`) is a configuration fault: 500.
 * - Only keys that can verify an allowed algorithm are imported (RFC 8725 §3.1): `use` absent or
 *   `sig`, `key_ops` absent or holding `verify`, `alg` absent or allowed, a key type that fits an
 *   allowed algorithm, a `kid`, and no private member (a set that publishes one is broken, and is
 *   reported). A `kid` that appears twice is ambiguous and dropped.
 */
import type { KeyObject } from 'node:crypto';
import type { SigningAlgorithm } from '../../stores/models';
import type { Clock } from '../clock';
import type { VerificationKeySource } from '../jwt/jwt-access-token-verifier';
import { keyFitsAlgorithm, publicKeyFromJwk } from '../keys/key-material';
import { OAuthError, ServerError, TemporarilyUnavailableError } from '../oauth.errors';
import { DiscoveryError } from './authorization-server-discovery';
import { fetchJson, type FetchFunction } from './http-json';

/** How long a fetched JWK Set is used, in seconds. */
export interface RemoteJwksSettings {
  /** The least time between two fetches, whatever asks for them. */
  cooldown: number;
  /** Bounds on the answer's max-age, and the lifetime of an answer without one. */
  maxAge: { min: number; max: number; fallback: number };
}

export interface RemoteJwksDeps {
  /** The JWK Set's URL: configured, or the metadata's `jwks_uri`; undefined when none is published. */
  uri: () => Promise<string | undefined>;
  fetch: FetchFunction;
  timeoutMs: number;
  clock: Clock;
  /** The algorithms tokens may be signed with; keys for no other are imported. */
  algorithms: readonly SigningAlgorithm[];
  settings: RemoteJwksSettings;
  /** Where failures and refused keys are told. */
  report: (message: string) => void;
}

/** With no keys held, the least wait between two fetches after a failure: the `Retry-After` of the 503. */
export const NO_KEYS_RETRY_MS = 5_000;

/** Members that only a private or symmetric key has (RFC 7518 §6.2.2, §6.3.2, §6.4.1; RFC 8037 §2). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

interface KeySet {
  keys: ReadonlyMap<string, KeyObject>;
  /** Epoch ms until which the set is used without asking again. */
  freshUntil: number;
}

export class RemoteJwks implements VerificationKeySource {
  private held?: KeySet;
  private inFlight?: Promise<KeySet>;
  /** Epoch ms of the last fetch begun, successful or not. */
  private lastFetch = -Infinity;
  /** Why the last fetch failed while no set was held: answered again until the next attempt. */
  private failure?: OAuthError;

  constructor(private readonly deps: RemoteJwksDeps) {}

  knownKey(kid: string, now: number): KeyObject | undefined {
    const held = this.held;
    return held && now < held.freshUntil ? held.keys.get(kid) : undefined;
  }

  async verificationKey(kid: string): Promise<KeyObject | undefined> {
    const now = this.deps.clock.now().getTime();
    const held = this.held;
    if (!held) {
      if (!this.inFlight && this.failure && now - this.lastFetch < NO_KEYS_RETRY_MS) throw this.failure;
      return (await this.refresh(now)).keys.get(kid);
    }
    const key = held.keys.get(kid);
    if (key && now < held.freshUntil) return key;
    // Stale, or a kid this set lacks: ask again unless a fetch is under way or the cooldown forbids it.
    if (this.inFlight || now - this.lastFetch >= this.deps.settings.cooldown * 1000) return (await this.refresh(now)).keys.get(kid);
    return key;
  }

  private refresh(now: number): Promise<KeySet> {
    if (!this.inFlight) {
      this.lastFetch = now;
      this.inFlight = this.load(now)
        .then(
          (set) => {
            this.failure = undefined;
            return (this.held = set);
          },
          (error: unknown) => this.keepAfterFailure(error),
        )
        .finally(() => (this.inFlight = undefined));
    }
    return this.inFlight;
  }

  private keepAfterFailure(error: unknown): KeySet {
    const message = error instanceof Error ? error.message : String(error);
    this.deps.report(`Fetching the authorization server's JWK Set failed: ${message}${this.held ? '; the keys held are kept' : ''}`);
    if (this.held) return this.held;
    this.failure =
      error instanceof DiscoveryError
        ? new ServerError('The access token could not be checked', { cause: error })
        : new TemporarilyUnavailableError(
            "The authorization server's keys cannot be fetched; retry shortly",
            Math.ceil(NO_KEYS_RETRY_MS / 1000),
            { cause: error },
          );
    throw this.failure;
  }

  private async load(now: number): Promise<KeySet> {
    const uri = await this.deps.uri();
    if (!uri) throw new DiscoveryError('the authorization server publishes no jwks_uri; set jwks.uri, or jwks: false to introspect');
    const { status, headers, body } = await fetchJson(
      this.deps.fetch,
      uri,
      { method: 'GET', headers: { Accept: 'application/jwk-set+json, application/json' } },
      this.deps.timeoutMs,
    );
    if (status !== 200) throw new Error(`GET ${uri} answered ${status}`);
    const list = (body as { keys?: unknown } | undefined)?.keys;
    if (typeof body !== 'object' || body === null || !Array.isArray(list)) throw new Error(`GET ${uri} answered no JWK Set`);
    const { keys, withPrivateMembers } = importKeys(list, this.deps.algorithms);
    if (withPrivateMembers.length) {
      this.deps.report(
        `The JWK Set at ${uri} publishes private key material (kid ${withPrivateMembers.join(', ')}); those keys are ignored`,
      );
    }
    const { min, max, fallback } = this.deps.settings.maxAge;
    const maxAge = maxAgeOf(headers.get('cache-control'));
    const seconds = maxAge === undefined ? fallback : Math.min(max, Math.max(min, maxAge));
    return { keys, freshUntil: now + seconds * 1000 };
  }
}

/** The verification keys of a JWK Set by kid, and the kids refused for carrying private members. */
export function importKeys(
  list: readonly unknown[],
  algorithms: readonly SigningAlgorithm[],
): { keys: Map<string, KeyObject>; withPrivateMembers: string[] } {
  const keys = new Map<string, KeyObject>();
  const ambiguous = new Set<string>();
  const withPrivateMembers: string[] = [];
  for (const item of list) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) continue;
    const jwk = item as Record<string, unknown>;
    const kid = jwk.kid;
    if (typeof kid !== 'string' || kid === '') continue;
    if (PRIVATE_MEMBERS.some((name) => name in jwk)) {
      withPrivateMembers.push(kid);
      continue;
    }
    if (jwk.use !== undefined && jwk.use !== 'sig') continue;
    if (jwk.key_ops !== undefined && !(Array.isArray(jwk.key_ops) && jwk.key_ops.includes('verify'))) continue;
    if (jwk.alg !== undefined && !algorithms.includes(jwk.alg as SigningAlgorithm)) continue;
    const key = publicKeyFromJwk(jwk);
    if (!key || !algorithms.some((alg) => keyFitsAlgorithm(key, alg))) continue;
    if (typeof jwk.alg === 'string' && !keyFitsAlgorithm(key, jwk.alg)) continue;
    if (keys.has(kid) || ambiguous.has(kid)) {
      keys.delete(kid);
      ambiguous.add(kid);
      continue;
    }
    keys.set(kid, key);
  }
  return { keys, withPrivateMembers };
}

/** The `max-age` of a `Cache-Control` value in seconds (0 for `no-cache`/`no-store`), or undefined. */
export function maxAgeOf(cacheControl: string | null): number | undefined {
  if (!cacheControl) return undefined;
  const directives = cacheControl
    .toLowerCase()
    .split(',')
    .map((d) => d.trim());
  if (directives.some((d) => d === 'no-store' || d === 'no-cache')) return 0;
  for (const directive of directives) {
    const match = /^max-age="?(\d+)"?$/.exec(directive);
    if (match) return Number(match[1]);
  }
  return undefined;
}

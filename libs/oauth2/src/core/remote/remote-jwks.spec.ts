import assert from 'node:assert/strict';
import { before, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../clock';
import { generateKeyPair, type GeneratedKeyPair } from '../keys/key-material';
import { ServerError, TemporarilyUnavailableError } from '../oauth.errors';
import { DiscoveryError } from './authorization-server-discovery';
import type { FetchFunction } from './http-json';
import { maxAgeOf, NO_KEYS_RETRY_MS, RemoteJwks } from './remote-jwks';

const URI = 'https://as.example/jwks';

describe('RemoteJwks', () => {
  let es: GeneratedKeyPair;
  let next: GeneratedKeyPair;
  let ed: GeneratedKeyPair;
  let clock: ManualClock;
  let fetches: number;
  let reports: string[];
  /** What the JWKS endpoint answers now; a function so a test can fail it or hold it. */
  let answer: () => Response | Promise<Response>;
  const jwks = (keys: unknown[], cacheControl: string | null = 'public, max-age=600') =>
    Response.json({ keys }, { headers: cacheControl ? { 'Cache-Control': cacheControl } : {} });
  const fetcher: FetchFunction = async (url) => {
    assert.equal(url, URI);
    fetches++;
    return answer();
  };
  const source = (uri: () => Promise<string | undefined> = async () => URI) =>
    new RemoteJwks({
      uri,
      fetch: fetcher,
      timeoutMs: 1000,
      clock,
      algorithms: ['ES256', 'EdDSA', 'RS256'],
      settings: { cooldown: 30, maxAge: { min: 30, max: 86_400, fallback: 300 } },
      report: (message) => reports.push(message),
    });

  before(async () => {
    [es, next, ed] = await Promise.all([generateKeyPair('ES256'), generateKeyPair('ES256'), generateKeyPair('EdDSA')]);
  });
  beforeEach(() => {
    clock = new ManualClock(new Date('2030-01-01T00:00:00Z'));
    fetches = 0;
    reports = [];
    answer = () => jwks([es.publicJwk]);
  });

  it('RFC 7517 §5: imports the set once, and answers its keys with no further request while it is fresh', async () => {
    const keys = source();
    const key = await keys.verificationKey(es.kid);
    assert.equal(key?.asymmetricKeyType, 'ec');
    for (let i = 0; i < 5; i++) assert.equal(await keys.verificationKey(es.kid), key);
    assert.equal(fetches, 1);
  });

  it('RFC 7517 §5: answers a held key synchronously only while the set is fresh, and never fetches to do so', async () => {
    const keys = source();
    assert.equal(keys.knownKey(es.kid, clock.now().getTime()), undefined, 'nothing is held before the first fetch');
    const key = await keys.verificationKey(es.kid);
    assert.equal(keys.knownKey(es.kid, clock.now().getTime()), key);
    assert.equal(keys.knownKey(next.kid, clock.now().getTime()), undefined, 'an unknown kid goes to verificationKey');
    clock.advance(600);
    assert.equal(keys.knownKey(es.kid, clock.now().getTime()), undefined, 'a stale set goes to verificationKey, which refetches');
    assert.equal(fetches, 1);
  });

  it('RFC 9111 §5.2.2.1: keeps the set for its max-age, clamped to 30 s .. 1 day, 300 s without one', async () => {
    for (const [cacheControl, lifetime] of [
      ['public, max-age=120', 120],
      ['max-age=5', 30],
      ['no-cache', 30],
      ['max-age=99999999', 86_400],
      [null, 300],
    ] as const) {
      answer = () => jwks([es.publicJwk], cacheControl as string | null);
      const keys = source();
      fetches = 0;
      clock.set(new Date('2030-01-01T00:00:00Z'));
      await keys.verificationKey(es.kid);
      clock.advance(lifetime - 1);
      await keys.verificationKey(es.kid);
      assert.equal(fetches, 1, `${cacheControl}: fresh for ${lifetime - 1} s`);
      clock.advance(1);
      await keys.verificationKey(es.kid);
      assert.equal(fetches, 2, `${cacheControl}: stale after ${lifetime} s`);
    }
  });

  it('RFC 7515 §4.1.4: an unknown kid fetches the set again, at most once per 30 s cooldown', async () => {
    const keys = source();
    await keys.verificationKey(es.kid);
    answer = () => jwks([es.publicJwk, next.publicJwk]);
    assert.equal(await keys.verificationKey(next.kid), undefined, 'within the cooldown of the first fetch: unknown');
    assert.equal(fetches, 1);
    clock.advance(30);
    assert.ok(await keys.verificationKey(next.kid), 'the cooldown over, the rotation is seen');
    assert.equal(fetches, 2);
    assert.equal(await keys.verificationKey('made-up'), undefined);
    clock.advance(29);
    assert.equal(await keys.verificationKey('made-up'), undefined);
    assert.equal(fetches, 2, 'unknown kids within the cooldown ask nothing');
    clock.advance(1);
    assert.equal(await keys.verificationKey('made-up'), undefined);
    assert.equal(fetches, 3);
  });

  it('RFC 8725 §3.1: a thousand concurrent requests, first or with unknown kids, cost one fetch each time', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    answer = async () => {
      await held;
      return jwks([es.publicJwk]);
    };
    const keys = source();
    const first = Array.from({ length: 1000 }, () => keys.verificationKey(es.kid));
    release();
    assert.ok((await Promise.all(first)).every(Boolean));
    assert.equal(fetches, 1);

    clock.advance(30);
    let releaseAgain!: () => void;
    const heldAgain = new Promise<void>((resolve) => (releaseAgain = resolve));
    answer = async () => {
      await heldAgain;
      return jwks([es.publicJwk, next.publicJwk]);
    };
    const unknown = Array.from({ length: 1000 }, (_, i) => keys.verificationKey(i % 2 ? next.kid : `unknown-${i}`));
    releaseAgain();
    const found = await Promise.all(unknown);
    assert.equal(fetches, 2);
    assert.equal(found.filter(Boolean).length, 500, 'every request for the rotated kid waited on the one fetch and found it');
  });

  it('RFC 6749 §4.1.2.1: an outage keeps the keys held, stale or not, and asks again only after the cooldown', async () => {
    const keys = source();
    await keys.verificationKey(es.kid);
    clock.advance(600);
    answer = () => new Response('down', { status: 503 });
    assert.ok(await keys.verificationKey(es.kid), 'stale keys serve through the outage');
    assert.equal(fetches, 2);
    assert.match(reports[0] ?? '', /503; the keys held are kept/);
    answer = () => Promise.reject(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }));
    clock.advance(29);
    assert.ok(await keys.verificationKey(es.kid));
    assert.equal(await keys.verificationKey('unknown'), undefined);
    assert.equal(fetches, 2, 'no request per token during the outage');
    clock.advance(1);
    assert.ok(await keys.verificationKey(es.kid));
    assert.equal(fetches, 3);
    assert.match(reports[1] ?? '', /ECONNREFUSED/);
  });

  it('RFC 6749 §4.1.2.1: with no keys held, an outage is 503 temporarily_unavailable (never 500), retried after Retry-After', async () => {
    const keys = source();
    for (const failing of [
      () => new Response('down', { status: 502 }),
      () => new Response('gone', { status: 404 }),
      () => Response.json({ not: 'a set' }),
      () => Promise.reject(new TypeError('fetch failed')),
    ]) {
      clock.advance(NO_KEYS_RETRY_MS / 1000);
      answer = failing;
      await assert.rejects(keys.verificationKey(es.kid), (e) => e instanceof TemporarilyUnavailableError && e.status === 503);
    }
    assert.equal(fetches, 4);
    answer = () => jwks([es.publicJwk]);
    await assert.rejects(keys.verificationKey(es.kid), TemporarilyUnavailableError, 'within Retry-After, no new fetch');
    assert.equal(fetches, 4);
    clock.advance(NO_KEYS_RETRY_MS / 1000);
    assert.ok(await keys.verificationKey(es.kid));
    assert.equal(fetches, 5);
  });

  it('RFC 8414 §2: metadata without jwks_uri (or naming another issuer) is a configuration fault, 500 server_error', async () => {
    await assert.rejects(source(async () => undefined).verificationKey(es.kid), ServerError);
    await assert.rejects(
      source(() => Promise.reject(new DiscoveryError('another issuer'))).verificationKey(es.kid),
      (e) => e instanceof ServerError && /another issuer/.test(String((e.cause as Error).message)),
    );
    assert.equal(fetches, 0);
    assert.match(reports[0] ?? '', /no jwks_uri/);
  });

  it('RFC 8725 §3.1: imports only public signature keys for an allowed algorithm, and reports private members', async () => {
    const privateJwk = { ...(next.privateKey.export({ format: 'jwk' }) as object), kid: 'leaked', alg: 'ES256' };
    const rsa = await generateKeyPair('RS256');
    answer = () =>
      jwks([
        es.publicJwk,
        ed.publicJwk,
        privateJwk,
        { ...next.publicJwk, kid: 'enc', use: 'enc' },
        { ...next.publicJwk, kid: 'ops', key_ops: ['encrypt'] },
        { ...next.publicJwk, kid: 'hs', alg: 'HS256' },
        { ...next.publicJwk, kid: 'mislabelled', alg: 'EdDSA' },
        { kty: 'oct', kid: 'secret', k: 'c2VjcmV0' },
        { ...rsa.publicJwk, kid: 'twice' },
        { ...next.publicJwk, kid: 'twice' },
        { ...next.publicJwk, kid: undefined },
        'not a key',
      ]);
    const keys = new RemoteJwks({
      uri: async () => URI,
      fetch: fetcher,
      timeoutMs: 1000,
      clock,
      algorithms: ['ES256', 'RS256'],
      settings: { cooldown: 30, maxAge: { min: 30, max: 86_400, fallback: 300 } },
      report: (message) => reports.push(message),
    });
    assert.ok(await keys.verificationKey(es.kid));
    for (const kid of [ed.kid, 'leaked', 'enc', 'ops', 'hs', 'mislabelled', 'secret', 'twice']) {
      assert.equal(await keys.verificationKey(kid), undefined, kid);
    }
    assert.equal(fetches, 1);
    assert.equal(reports.length, 1, 'the private members are reported once per fetch');
    assert.match(reports.join('\n'), /private key material \(kid leaked, secret\)/);
  });

  it('RFC 9111 §5.2.2.1: reads max-age from Cache-Control, and no-cache or no-store as 0', () => {
    assert.equal(maxAgeOf('public, max-age=600'), 600);
    assert.equal(maxAgeOf('Max-Age="60"'), 60);
    assert.equal(maxAgeOf('no-store, max-age=600'), 0);
    assert.equal(maxAgeOf('public'), undefined);
    assert.equal(maxAgeOf(null), undefined);
  });
});

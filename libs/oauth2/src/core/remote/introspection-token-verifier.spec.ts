import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../clock';
import { InvalidTokenError, ServerError, TemporarilyUnavailableError } from '../oauth.errors';
import { AuthorizationServerDiscovery } from './authorization-server-discovery';
import type { FetchFunction } from './http-json';
import { IntrospectionCache } from './introspection-cache';
import { IntrospectionTokenVerifier } from './introspection-token-verifier';

const ISSUER = 'https://as.example';
const RESOURCE = 'https://api.example/v1/';

describe('IntrospectionTokenVerifier', () => {
  let clock: ManualClock;
  let answer: () => Response | Promise<Response>;
  let requests: { url: string; init: RequestInit }[];

  const fetcher: FetchFunction = async (url, init) => {
    requests.push({ url, init });
    if (url === `${ISSUER}/.well-known/oauth-authorization-server`) {
      return Response.json({ issuer: ISSUER, introspection_endpoint: `${ISSUER}/introspect` });
    }
    return answer();
  };
  const verifier = (options: { cache?: IntrospectionCache; secret?: string; reports?: string[] } = {}) =>
    new IntrospectionTokenVerifier({
      resource: RESOURCE,
      clientId: 'rs client',
      clientSecret: options.secret ?? 's3cr:t+',
      discovery: new AuthorizationServerDiscovery({ issuer: ISSUER, fetch: fetcher, timeoutMs: 1000 }),
      cache: options.cache ?? new IntrospectionCache(false),
      clock,
      fetch: fetcher,
      timeoutMs: 1000,
      report: (message) => options.reports?.push(message),
    });
  const active =
    (overrides: Record<string, unknown> = {}) =>
    () =>
      Response.json({ active: true, token_type: 'Bearer', client_id: 'app', scope: 'a b', aud: RESOURCE, exp: now() + 60, ...overrides });
  const now = () => Math.floor(clock.now().getTime() / 1000);
  const introspections = () => requests.filter((r) => r.url.endsWith('/introspect')).length;

  beforeEach(() => {
    clock = new ManualClock(new Date('2030-01-01T00:00:00Z'));
    requests = [];
    answer = active();
  });

  it('RFC 7662 §2.1: posts token and token_type_hint with HTTP Basic, id and secret form-urlencoded first (RFC 6749 §2.3.1)', async () => {
    const auth = await verifier().verify('the-token');
    const call = requests.find((r) => r.url.endsWith('/introspect'))!;
    assert.equal(call.init.method, 'POST');
    assert.equal(call.init.body, 'token=the-token&token_type_hint=access_token');
    assert.equal(
      (call.init.headers as Record<string, string>).Authorization,
      `Basic ${Buffer.from('rs+client:s3cr%3At%2B').toString('base64')}`,
    );
    assert.deepEqual(auth, {
      clientId: 'app',
      userId: null,
      scopes: ['a', 'b'],
      expiresAt: new Date((now() + 60) * 1000),
      tokenId: '',
      audience: RESOURCE,
    });
  });

  it('RFC 7662 §2.2: gives the first aud as the audience when the list lacks this resource, for the resource server to refuse', async () => {
    answer = active({ aud: ['https://other.example/', 'https://third.example/'] });
    assert.equal((await verifier().verify('t')).audience, 'https://other.example/');
    answer = active({ aud: undefined });
    assert.equal((await verifier().verify('t')).audience, null);
  });

  it('RFC 7662 §2.2: refuses inactive tokens, tokens with no Bearer token_type, and expired or exp-less ones', async () => {
    for (const [body, message] of [
      [{ active: false }, /not active/],
      [{ active: 'true', token_type: 'Bearer', exp: now() + 60 }, /not active/],
      [{ active: true, exp: now() + 60 }, /not an access token/],
      [{ active: true, token_type: 'refresh_token', exp: now() + 60 }, /not an access token/],
      [{ active: true, token_type: 'Bearer', exp: now() }, /expired/],
      [{ active: true, token_type: 'Bearer' }, /did not say when/],
    ] as const) {
      answer = () => Response.json(body);
      await assert.rejects(
        verifier().verify('t'),
        (e) => e instanceof InvalidTokenError && message.test(e.description ?? ''),
        JSON.stringify(body),
      );
    }
  });

  it('RFC 7662 §4: caches an active answer by token hash for min(ttl, exp − now), and never a refusal', async () => {
    const cache = new IntrospectionCache({ maxEntries: 10, ttl: 30 });
    const v = verifier({ cache });
    answer = active({ exp: now() + 10 });
    await v.verify('t');
    await v.verify('t');
    assert.equal(introspections(), 1);
    clock.advance(10);
    answer = () => Response.json({ active: false });
    await assert.rejects(v.verify('t'), InvalidTokenError);
    await assert.rejects(v.verify('t'), InvalidTokenError);
    assert.equal(introspections(), 3, 'refusals are asked again');
  });

  it('RFC 6749 §4.1.2.1: a 5xx, a network failure or a timeout is 503 temporarily_unavailable; a refused client is 500; reported without the token', async () => {
    const reports: string[] = [];
    answer = () => new Response('down', { status: 502 });
    await assert.rejects(verifier({ reports }).verify('secret-token'), TemporarilyUnavailableError);
    answer = () => Promise.reject(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }));
    await assert.rejects(verifier({ reports }).verify('secret-token'), TemporarilyUnavailableError);
    answer = () => new Promise((_, reject) => setTimeout(() => reject(new DOMException('timed out', 'TimeoutError')), 5));
    await assert.rejects(verifier({ reports }).verify('secret-token'), TemporarilyUnavailableError);
    answer = () => Response.json({ error: 'invalid_client' }, { status: 401 });
    await assert.rejects(verifier({ reports }).verify('secret-token'), ServerError);
    assert.equal(reports.length, 4);
    assert.match(reports[0], /502/);
    assert.match(reports[1], /ECONNREFUSED/);
    assert.match(reports[2], /no answer within 1000 ms/);
    assert.match(reports[3], /401/);
    assert.ok(reports.every((r) => !r.includes('secret-token')));
  });
});

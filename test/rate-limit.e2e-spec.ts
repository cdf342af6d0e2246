import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Injectable } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { ThrottlerStorageService } from '@nestjs/throttler';
import request from 'supertest';
import type { Response } from 'supertest';
import { OAuthConfigurationError, OAuthRateLimiter, TooManyRequestsError, type OAuthModuleOptions } from 'nest-oauth2-provider';
import { resolveOAuthOptions } from './support/library-internals';
import { createOAuthTestApp, type OAuthTestApp } from './fixtures/oauth-app.fixture';
import { basicAuth, obtainCode, pkcePair, TOKEN_PATH } from './fixtures/oauth-flow';

const REDIRECT = 'https://app.example/cb';

/** A token request from `ip` (through `trust proxy`), as client `id` with `secret` in HTTP Basic. */
function tokenFrom(t: OAuthTestApp, ip: string, form: Record<string, string>, basic?: { id: string; secret: string }) {
  const req = request(t.server).post(TOKEN_PATH).type('form').set('X-Forwarded-For', ip);
  if (basic) req.set('Authorization', basicAuth(basic.id, basic.secret));
  return req.send(form);
}

/** Asserts the 429 answer: OAuth JSON body, Retry-After within the window, no-store (RFC 6585 §4, RFC 6749 §5.1). */
function assertThrottled(res: Response, ttl: number): void {
  assert.equal(res.status, 429, res.text);
  assert.equal(res.body.error, 'temporarily_unavailable');
  assert.match(res.body.error_description, /Too many requests/);
  const retryAfter = Number(res.headers['retry-after']);
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= ttl, `Retry-After ${res.headers['retry-after']}`);
  assert.equal(res.headers['cache-control'], 'no-store');
}

async function throttledApp(rateLimit: OAuthModuleOptions['rateLimit'], extras = {}): Promise<OAuthTestApp> {
  return createOAuthTestApp({ options: { rateLimit, defaultScopes: ['profile'] }, extras, trustProxy: true });
}

async function machineClient(t: OAuthTestApp, name = 'Reporting') {
  const c = await t.register({ name, grantTypes: ['client_credentials'], scopes: ['profile'] });
  return { id: c.client.id, secret: c.clientSecret! };
}

describe('token endpoint rate limit per IP', () => {
  let t: OAuthTestApp;
  let machine: { id: string; secret: string };
  before(async () => {
    t = await throttledApp({ token: { perIp: { limit: 3, ttl: 60 }, perClient: false } });
    machine = await machineClient(t);
  });
  after(() => t.close());

  it('answers 429 with Retry-After and an OAuth JSON body past the limit (RFC 6585 §4)', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await tokenFrom(t, '10.0.0.1', { grant_type: 'client_credentials' }, machine)).status, 200);
    assertThrottled(await tokenFrom(t, '10.0.0.1', { grant_type: 'client_credentials' }, machine), 60);
  });

  it('counts every request, failed ones too, so guessing is bounded as well', async () => {
    for (let i = 0; i < 3; i++) {
      assert.equal((await tokenFrom(t, '10.0.0.2', { grant_type: 'client_credentials' }, { ...machine, secret: 'guess' })).status, 401);
    }
    assertThrottled(await tokenFrom(t, '10.0.0.2', { grant_type: 'client_credentials' }, machine), 60);
  });

  it('keeps a separate count for every address', async () => {
    assertThrottled(await tokenFrom(t, '10.0.0.1', { grant_type: 'client_credentials' }, machine), 60);
    assert.equal((await tokenFrom(t, '10.0.0.3', { grant_type: 'client_credentials' }, machine)).status, 200);
  });

  it('refuses before touching the code, so a throttled redemption leaves it redeemable', async () => {
    const app = await t.register({ name: 'CustomApp', redirectUris: [REDIRECT], scopes: ['profile'] });
    const pkce = pkcePair();
    const { code } = await obtainCode(t, {
      response_type: 'code',
      client_id: app.client.id,
      redirect_uri: REDIRECT,
      scope: 'profile',
      state: 's',
      code_challenge: pkce.challenge,
      code_challenge_method: 'S256',
    });
    const form = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: pkce.verifier };
    const creds = { id: app.client.id, secret: app.clientSecret! };
    assertThrottled(await tokenFrom(t, '10.0.0.1', form, creds), 60);
    const res = await tokenFrom(t, '10.0.0.4', form, creds);
    assert.equal(res.status, 200, res.text);
  });
});

describe('token endpoint rate limit per client', () => {
  let t: OAuthTestApp;
  let a: { id: string; secret: string };
  let b: { id: string; secret: string };
  before(async () => {
    t = await throttledApp({ token: { perClient: { limit: 2, ttl: 30 }, perIp: false } });
    a = await machineClient(t, 'A');
    b = await machineClient(t, 'B');
  });
  after(() => t.close());

  it('throttles one client across addresses and authentication methods, and not another', async () => {
    assert.equal((await tokenFrom(t, '10.1.0.1', { grant_type: 'client_credentials' }, a)).status, 200);
    const post = { grant_type: 'client_credentials', client_id: a.id, client_secret: a.secret };
    assert.equal((await tokenFrom(t, '10.1.0.2', post)).status, 200);
    assertThrottled(await tokenFrom(t, '10.1.0.3', { grant_type: 'client_credentials' }, a), 30);
    assertThrottled(await tokenFrom(t, '10.1.0.4', post), 30);
    assert.equal((await tokenFrom(t, '10.1.0.3', { grant_type: 'client_credentials' }, b)).status, 200);
  });
});

describe('token endpoint rate limit defaults and off switch', () => {
  it('is on by default: 300 requests a minute per address', async () => {
    const t = await throttledApp(undefined);
    try {
      const machine = await machineClient(t);
      const bad = { grant_type: 'client_credentials', client_id: machine.id, client_secret: 'wrong' };
      const statuses = await Promise.all(Array.from({ length: 300 }, () => tokenFrom(t, '10.2.0.1', bad).then((r) => r.status)));
      assert.deepEqual(new Set(statuses), new Set([401]));
      assertThrottled(await tokenFrom(t, '10.2.0.1', bad), 60);
    } finally {
      await t.close();
    }
  });

  for (const [label, rateLimit] of [
    ['rateLimit: false', false],
    ['rateLimit: { token: false }', { token: false }],
  ] as const) {
    it(`never answers 429 with ${label}`, async () => {
      const t = await throttledApp(rateLimit, {});
      try {
        const machine = await machineClient(t);
        const bad = { grant_type: 'client_credentials', client_id: machine.id, client_secret: 'wrong' };
        const statuses = await Promise.all(Array.from({ length: 301 }, () => tokenFrom(t, '10.3.0.1', bad).then((r) => r.status)));
        assert.deepEqual(new Set(statuses), new Set([401]));
        assert.equal((await tokenFrom(t, '10.3.0.1', { grant_type: 'client_credentials' }, machine)).status, 200);
      } finally {
        await t.close();
      }
    });
  }

  it('refuses invalid limits at start-up, one line per problem', () => {
    assert.throws(
      () =>
        resolveOAuthOptions({
          issuer: 'http://127.0.0.1',
          scopes: { profile: 'Read your profile' },
          rateLimit: { token: { perIp: { limit: 0, ttl: 60 }, perClient: { limit: 5, ttl: 1.5 } } },
        }),
      (error: unknown) => {
        assert.ok(error instanceof OAuthConfigurationError);
        assert.match(error.message, /rateLimit\.token\.perClient\.ttl: must be a positive integer of seconds \(got 1\.5\)/);
        assert.match(error.message, /rateLimit\.token\.perIp\.limit: must be a positive integer \(got 0\)/);
        return true;
      },
    );
  });
});

/** One counter for every app instance that uses it, as a Redis-backed storage would be. */
@Injectable()
class SharedThrottlerStorage implements ThrottlerStorage {
  static readonly shared = new ThrottlerStorageService();
  increment(key: string, ttl: number, limit: number, blockDuration: number, name: string) {
    return SharedThrottlerStorage.shared.increment(key, ttl, limit, blockDuration, name);
  }
}

describe('rate limit storage shared by several instances', () => {
  it('counts requests to two instances against one limit when they share a storage', async () => {
    const first = await throttledApp(
      { token: { perIp: { limit: 4, ttl: 60 }, perClient: false } },
      { rateLimitStorage: SharedThrottlerStorage },
    );
    const second = await throttledApp(
      { token: { perIp: { limit: 4, ttl: 60 }, perClient: false } },
      { rateLimitStorage: SharedThrottlerStorage },
    );
    try {
      const bad = { grant_type: 'client_credentials', client_id: 'nobody', client_secret: 'x' };
      for (const t of [first, second, first, second]) assert.equal((await tokenFrom(t, '10.4.0.1', bad)).status, 401);
      assertThrottled(await tokenFrom(second, '10.4.0.1', bad), 60);
      assertThrottled(await tokenFrom(first, '10.4.0.1', bad), 60);
    } finally {
      await first.close();
      await second.close();
      SharedThrottlerStorage.shared.onApplicationShutdown();
    }
  });
});

describe('OAuthRateLimiter for a host login form', () => {
  let t: OAuthTestApp;
  before(async () => {
    t = await createOAuthTestApp();
  });
  after(() => t.close());

  it('limits per user and per address in separate buckets, with the seconds to wait', async () => {
    const limiter = t.app.get(OAuthRateLimiter);
    const perUser = { limit: 2, ttl: 300 };
    await limiter.consume('login:user', 'nate', perUser);
    await limiter.consume('login:user', 'nate', perUser);
    await assert.rejects(limiter.consume('login:user', 'nate', perUser), (error: unknown) => {
      assert.ok(error instanceof TooManyRequestsError);
      assert.equal(error.status, 429);
      assert.ok(error.retryAfterSeconds >= 1 && error.retryAfterSeconds <= 300);
      assert.equal(error.headers['Retry-After'], String(error.retryAfterSeconds));
      return true;
    });
    await limiter.consume('login:user', 'alice', perUser);
    await limiter.consume('login:ip', 'nate', perUser);
  });
});

/** A revocation or introspection request from `ip`, with HTTP Basic credentials or none. */
function authenticatedFrom(
  t: OAuthTestApp,
  path: string,
  ip: string,
  form: Record<string, string>,
  basic?: { id: string; secret: string },
) {
  const req = request(t.server).post(path).type('form').set('X-Forwarded-For', ip);
  if (basic) req.set('Authorization', basicAuth(basic.id, basic.secret));
  return req.send(form);
}

const REVOKE = '/oauth2/revoke';
const INTROSPECT = '/oauth2/introspect';

async function resourceServerClient(t: OAuthTestApp, name: string) {
  const c = await t.register({ name, grantTypes: ['client_credentials'], scopes: ['profile'], canIntrospect: true });
  return { id: c.client.id, secret: c.clientSecret! };
}

describe('failed client authentication at /revoke and /introspect, per client (rateLimit.clientAuthentication)', () => {
  let t: OAuthTestApp;
  before(async () => {
    t = await throttledApp({ clientAuthentication: { perClient: { limit: 3, ttl: 60 }, perIp: false } });
  });
  after(() => t.close());

  it('counts failures across both endpoints, methods and addresses, then refuses even the right secret with 429 and Retry-After (RFC 6749 §2.3.1, RFC 6585 §4)', async () => {
    const rs = await resourceServerClient(t, 'Files API');
    const other = await resourceServerClient(t, 'Other API');
    const wrong = { ...rs, secret: 'guess' };
    assert.equal((await authenticatedFrom(t, REVOKE, '10.5.0.1', { token: 'x' }, wrong)).status, 401);
    assert.equal((await authenticatedFrom(t, INTROSPECT, '10.5.0.2', { token: 'x' }, wrong)).status, 401);
    assert.equal((await authenticatedFrom(t, REVOKE, '10.5.0.3', { token: 'x', client_id: rs.id, client_secret: 'guess' })).status, 401);
    assertThrottled(await authenticatedFrom(t, INTROSPECT, '10.5.0.4', { token: 'x' }, wrong), 60);
    assertThrottled(await authenticatedFrom(t, INTROSPECT, '10.5.0.5', { token: 'x' }, rs), 60);
    assertThrottled(await authenticatedFrom(t, REVOKE, '10.5.0.6', { token: 'x' }, rs), 60);
    assert.equal((await authenticatedFrom(t, INTROSPECT, '10.5.0.5', { token: 'x' }, other)).status, 200);
  });

  it('does not count successful authentications: a resource server introspects past the limit (RFC 7662 §2.1)', async () => {
    const rs = await resourceServerClient(t, 'Busy API');
    for (let i = 0; i < 10; i++) {
      const res = await authenticatedFrom(t, INTROSPECT, '10.5.1.1', { token: 'x' }, rs);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body, { active: false });
    }
    // An authenticated client without the introspection permission is not a failed authentication either.
    const plain = await machineClient(t, 'No introspection');
    for (let i = 0; i < 4; i++) assert.equal((await authenticatedFrom(t, INTROSPECT, '10.5.1.2', { token: 'x' }, plain)).status, 403);
    for (let i = 0; i < 4; i++) assert.equal((await authenticatedFrom(t, REVOKE, '10.5.1.2', { token: 'x' }, plain)).status, 200);
  });
});

describe('failed client authentication at /revoke and /introspect, per IP (rateLimit.clientAuthentication)', () => {
  let t: OAuthTestApp;
  before(async () => {
    t = await throttledApp({ clientAuthentication: { perIp: { limit: 3, ttl: 60 }, perClient: false } });
  });
  after(() => t.close());

  it('counts failures naming any client from one address, then refuses that address only (RFC 6749 §2.3)', async () => {
    const rs = await resourceServerClient(t, 'Files API');
    for (const id of ['a', 'b', 'c']) {
      assert.equal((await authenticatedFrom(t, REVOKE, '10.6.0.1', { token: 'x' }, { id, secret: 'guess' })).status, 401);
    }
    assertThrottled(await authenticatedFrom(t, INTROSPECT, '10.6.0.1', { token: 'x' }, rs), 60);
    assertThrottled(await authenticatedFrom(t, REVOKE, '10.6.0.1', { token: 'x' }), 60);
    assert.equal((await authenticatedFrom(t, INTROSPECT, '10.6.0.2', { token: 'x' }, rs)).status, 200);
  });
});

describe('failed client authentication limit: window, defaults and off switch', () => {
  it('lets the right secret through again once the window has passed', async () => {
    const t = await throttledApp({ clientAuthentication: { perClient: { limit: 2, ttl: 1 }, perIp: false } });
    try {
      const rs = await resourceServerClient(t, 'Files API');
      for (let i = 0; i < 2; i++)
        assert.equal((await authenticatedFrom(t, INTROSPECT, '10.7.0.1', { token: 'x' }, { ...rs, secret: 'guess' })).status, 401);
      assertThrottled(await authenticatedFrom(t, INTROSPECT, '10.7.0.1', { token: 'x' }, rs), 1);
      const started = Date.now();
      let status = 429;
      while (status === 429 && Date.now() - started < 5000) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        status = (await authenticatedFrom(t, INTROSPECT, '10.7.0.1', { token: 'x' }, rs)).status;
      }
      assert.equal(status, 200);
      assert.ok(Date.now() - started <= 2500, `blocked for ${Date.now() - started} ms with a 1 s window`);
    } finally {
      await t.close();
    }
  });

  it('takes the token endpoint limits by default, and can be set apart or off', () => {
    const base = { issuer: 'http://127.0.0.1', scopes: { profile: 'Read your profile' } };
    const byDefault = resolveOAuthOptions(base).rateLimit;
    assert.deepEqual(byDefault.clientAuthentication, byDefault.token);
    const tuned = resolveOAuthOptions({ ...base, rateLimit: { token: { perIp: { limit: 9, ttl: 10 } } } }).rateLimit;
    assert.deepEqual(tuned.clientAuthentication, { perIp: { limit: 9, ttl: 10 }, perClient: { limit: 600, ttl: 60 } });
    const apart = resolveOAuthOptions({ ...base, rateLimit: { token: false, clientAuthentication: { perClient: { limit: 5, ttl: 60 } } } });
    assert.deepEqual(apart.rateLimit.clientAuthentication, { perClient: { limit: 5, ttl: 60 }, perIp: { limit: 300, ttl: 60 } });
    assert.equal(resolveOAuthOptions({ ...base, rateLimit: { clientAuthentication: false } }).rateLimit.clientAuthentication, false);
    assert.throws(
      () => resolveOAuthOptions({ ...base, rateLimit: { clientAuthentication: { perIp: { limit: -1, ttl: 60 } } } }),
      /rateLimit\.clientAuthentication\.perIp\.limit: must be a positive integer \(got -1\)/,
    );
  });

  it('never answers 429 at /revoke or /introspect with rateLimit.clientAuthentication: false', async () => {
    const t = await throttledApp({ clientAuthentication: false });
    try {
      const rs = await resourceServerClient(t, 'Files API');
      const statuses = await Promise.all(
        Array.from({ length: 301 }, () =>
          authenticatedFrom(t, INTROSPECT, '10.8.0.1', { token: 'x' }, { ...rs, secret: 'guess' }).then((r) => r.status),
        ),
      );
      assert.deepEqual(new Set(statuses), new Set([401]));
      assert.equal((await authenticatedFrom(t, INTROSPECT, '10.8.0.1', { token: 'x' }, rs)).status, 200);
    } finally {
      await t.close();
    }
  });
});

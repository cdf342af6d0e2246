import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Injectable } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { ThrottlerStorageService } from '@nestjs/throttler';
import request from 'supertest';
import type { Response } from 'supertest';
import {
  OAuthConfigurationError,
  OAuthRateLimiter,
  resolveOAuthOptions,
  TooManyRequestsError,
  type OAuthModuleOptions,
} from 'nest-oauth2-provider';
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

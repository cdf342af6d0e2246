import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { Body, Controller, Post } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { BearerGuard, SkipBearer } from 'nest-oauth2-provider';
import { createOAuthTestApp, httpAdapterKind, type OAuthTestApp } from './fixtures/oauth-app.fixture';
import { createHostileApp, type HostileApp } from './support/hostile-app';
import { assertBearerRouteInvariants } from './support/hostile-invariants';
import { RawHttpClient, type RawRequest, type RawResponse } from './support/raw-http';

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

/** Bodies whose Content-Encoding lies, is unknown, stacked or valid. */
function encodedBodies(form: string): Array<{ label: string; headers: Record<string, string>; body: Buffer | string }> {
  const gz = gzipSync(form);
  return [
    { label: 'gzip announced, plain body', headers: { 'content-encoding': 'gzip' }, body: form },
    { label: 'deflate announced, gzip body', headers: { 'content-encoding': 'deflate' }, body: gz },
    { label: 'truncated gzip', headers: { 'content-encoding': 'gzip' }, body: gz.subarray(0, gz.length - 6) },
    { label: 'corrupt brotli', headers: { 'content-encoding': 'br' }, body: Buffer.from([0xff, 0xfe, 0x00, 0x13]) },
    { label: 'unknown encoding br2', headers: { 'content-encoding': 'br2' }, body: form },
    { label: 'stacked gzip, deflate', headers: { 'content-encoding': 'gzip, deflate' }, body: deflateSync(gz) },
    { label: 'valid gzip', headers: { 'content-encoding': 'gzip' }, body: gz },
    { label: 'valid deflate', headers: { 'content-encoding': 'deflate' }, body: deflateSync(form) },
    { label: 'valid brotli', headers: { 'content-encoding': 'br' }, body: brotliCompressSync(form) },
  ];
}

/** RFC 6749 §5.2: a JSON object with an error code, never Nest's `{ statusCode, message }`. */
function assertOAuthError(res: RawResponse, what: string): Record<string, unknown> {
  assert.ok(res.status >= 400 && res.status < 500, `${what}: ${res.status} ${res.text.slice(0, 200)}`);
  assert.match(String(res.headers['content-type']), /json/, what);
  const body = JSON.parse(res.text) as Record<string, unknown>;
  assert.equal(typeof body.error, 'string', `${what}: ${res.text.slice(0, 200)}`);
  assert.equal(body.statusCode, undefined, `${what}: Nest's error shape: ${res.text.slice(0, 200)}`);
  return body;
}

/** RFC 6750 §3: an error on a protected resource carries the Bearer challenge, naming the error unless credentials were simply missing. */
function assertBearerError(res: RawResponse, what: string): void {
  const body = assertOAuthError(res, what);
  const challenge = String(res.headers['www-authenticate'] ?? '');
  assert.match(challenge, /^Bearer realm="/, `${what}: no Bearer challenge (${res.status} ${res.text.slice(0, 200)})`);
  if (res.status !== 401 || body.error !== 'invalid_request') assert.match(challenge, new RegExp(`error="${String(body.error)}"`), what);
}

describe('content encodings and unparseable bodies answer in the RFC shape everywhere (RFC 6749 §5.2, RFC 6750 §3)', () => {
  let h: HostileApp;
  before(async () => {
    h = await createHostileApp();
  });
  after(() => h.close());

  const endpoints: Array<{ method: string; path: string; form: string }> = [
    { method: 'POST', path: '/oauth2/token', form: 'grant_type=client_credentials' },
    { method: 'POST', path: '/oauth2/revoke', form: 'token=x' },
    { method: 'POST', path: '/oauth2/introspect', form: 'token=x' },
    { method: 'POST', path: '/oauth2/auth', form: 'response_type=code&client_id=x' },
    { method: 'GET', path: '/oauth2/auth?client_id=x&client_id=y', form: 'a=1' },
    { method: 'GET', path: '/.well-known/oauth-authorization-server?a=1&a=2', form: 'a=1' },
  ];
  for (const { method, path, form } of endpoints) {
    it(`${method} ${path.split('?')[0]}: a bad, unknown, stacked or valid Content-Encoding gets an OAuth JSON answer, never the platform's (RFC 6749 §5.2)`, async () => {
      for (const type of [FORM, JSON_TYPE]) {
        const plain = type === FORM ? form : JSON.stringify(Object.fromEntries(new URLSearchParams(form)));
        for (const { label, headers, body } of encodedBodies(plain)) {
          const res = await h.attack({ method, path, headers: { 'content-type': type, ...headers }, body });
          const what = `${method} ${path} ${type} ${label}`;
          // The authorization endpoint shows the user an HTML error page for a request it cannot trust (RFC 6749 §4.1.2.1).
          if (res.status >= 400 && !/html/.test(String(res.headers['content-type']))) assertOAuthError(res, what);
          else if (res.status >= 400) assert.equal(path.split('?')[0], '/oauth2/auth', `${what}: ${res.status} ${res.text.slice(0, 200)}`);
        }
      }
    });
  }

  it('GET /api/me (BearerGuard): a JSON body with repeated parameters, a bad JSON body or a bad encoding get a Bearer challenge (RFC 6750 §3.1)', async () => {
    const cases: RawRequest[] = [
      { method: 'GET', path: '/api/me?a=1&a=2', headers: { 'content-type': JSON_TYPE }, body: '{"a":1,"a":2}' },
      { method: 'GET', path: '/api/me?a=1&a=2', headers: { 'content-type': JSON_TYPE }, body: '{bad' },
      { method: 'GET', path: '/api/me', headers: { 'content-type': JSON_TYPE, authorization: `Bearer ${h.accessToken}` }, body: '{bad' },
      { method: 'POST', path: '/api/me?x=1&x=2', headers: { 'content-type': JSON_TYPE }, body: '[1,' },
      { method: 'POST', path: '/api/me', headers: { 'content-type': FORM }, body: `pad=${'a'.repeat(2 * 1024 * 1024)}` },
      ...encodedBodies('{"access_token":"x"}').flatMap(({ headers, body }) =>
        ['GET', 'POST'].map((method) => ({ method, path: '/api/me?a=1&a=2', headers: { 'content-type': JSON_TYPE, ...headers }, body })),
      ),
    ];
    for (const req of cases) {
      const res = await h.attack(req, { bearerRoute: true });
      const what = `${req.method} ${req.path} ${JSON.stringify(req.headers)}`;
      if (res.status === 200) {
        assert.ok(req.headers?.authorization, `${what}: 200 without a token`);
        continue;
      }
      assertBearerError(res, what);
    }
  });

  it('answers a body the platform refuses on /api/me with invalid_request and the platform status, in the challenge too (RFC 6750 §3.1)', async () => {
    const bad = await h.attack(
      { method: 'POST', path: '/api/me', headers: { 'content-type': JSON_TYPE }, body: '{bad' },
      { bearerRoute: true },
    );
    assert.equal(bad.status, 400);
    assert.match(
      String(bad.headers['www-authenticate']),
      /^Bearer realm="[^"]*", error="invalid_request", error_description="The request could not be parsed"$/,
    );
    const large = await h.attack(
      {
        method: 'POST',
        path: '/api/me',
        headers: { 'content-type': JSON_TYPE },
        body: JSON.stringify({ pad: 'a'.repeat(2 * 1024 * 1024) }),
      },
      { bearerRoute: true },
    );
    assert.equal(large.status, 413);
    assert.deepEqual(JSON.parse(large.text), { error: 'invalid_request', error_description: 'The request body is too large' });
  });

  it('leaves an unguarded host route to the host: a bad body there keeps the platform’s answer', async () => {
    const res = await h.http.send({ method: 'POST', path: '/host/form', headers: { 'content-type': JSON_TYPE }, body: '{bad' });
    assert.equal(res.status, 400);
    assert.equal(res.headers['www-authenticate'], undefined);
    assert.equal(JSON.parse(res.text).statusCode, 400);
  });
});

@Controller('enc')
class GloballyGuardedForms {
  @Post('private')
  private() {
    return { ok: true };
  }

  @Post('private/:id')
  item() {
    return { ok: true };
  }

  @Post('health')
  @SkipBearer()
  health(@Body() body: unknown) {
    return body;
  }
}

describe('body errors under a global BearerGuard (APP_GUARD) with @SkipBearer() opt-outs (RFC 6750 §3.1)', () => {
  let t: OAuthTestApp;
  let http: RawHttpClient;
  before(async () => {
    t = await createOAuthTestApp({
      controllers: [GloballyGuardedForms],
      providers: [{ provide: APP_GUARD, useClass: BearerGuard } as any],
    });
    http = await RawHttpClient.listen(t.server);
  });
  after(async () => {
    http.close();
    await t.close();
  });

  it('answers a bad body on a globally guarded route, with or without path parameters, with a Bearer challenge (RFC 6750 §3.1)', async () => {
    for (const path of ['/enc/private', '/enc/private/42']) {
      for (const [headers, body] of [
        [{ 'content-type': JSON_TYPE }, '{bad'],
        [{ 'content-type': FORM, 'content-encoding': 'gzip' }, 'a=1'],
      ] as const) {
        const res = await http.send({ method: 'POST', path, headers, body });
        const what = `${path} ${JSON.stringify(headers)}`;
        assertBearerRouteInvariants(res, what);
        // Fastify reads a host route's body as sent, whatever its Content-Encoding: the guard then answers.
        if (body === '{bad' || httpAdapterKind() === 'express') {
          assert.equal(res.status, 400, `${what}: ${res.text}`);
          assert.match(String(res.headers['www-authenticate']), /^Bearer realm="[^"]*", error="invalid_request"/);
        } else assert.equal(res.status, 401, `${what}: ${res.text}`);
      }
    }
  });

  it('leaves a @SkipBearer() route to the host', async () => {
    const res = await http.send({ method: 'POST', path: '/enc/health', headers: { 'content-type': JSON_TYPE }, body: '{bad' });
    assert.equal(res.status, 400);
    assert.equal(res.headers['www-authenticate'], undefined);
    assert.equal(JSON.parse(res.text).statusCode, 400);
  });
});

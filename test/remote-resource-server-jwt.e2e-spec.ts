import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { Controller, Get, Module, UseGuards, type INestApplication } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import {
  BearerGuard,
  Clock,
  OAuthAuthorization,
  OAuthResourceModule,
  Scopes,
  SigningKeys,
  type OAuthResourceModuleOptions,
  type ResourceAuthorization,
} from 'nest-oauth2-provider';
import { ManualClock } from 'nest-oauth2-provider/testing';
import { createOAuthTestApp, httpAdapterKind, TEST_SCOPES, type OAuthTestApp } from './fixtures/oauth-app.fixture';
import { TOKEN_PATH } from './fixtures/oauth-flow';
import { LogCapture } from './support/log-capture';
import { freePort } from './support/stand-in-authorization-server';

/**
 * A resource server on another host verifying JWT access tokens (RFC 9068) issued by a real
 * authorization server app, both listening on their own ports: the keys come from the JWK Set once,
 * then every call is checked locally. Every request reaching the authorization server is counted.
 */

const OTHER_JWT_API = 'https://api.other.example/';
const OTHER_OPAQUE_API = 'https://opaque.other.example/';
const SCOPES = { ...TEST_SCOPES, 'files:read': 'See your files' };
const json = (res: Response): Promise<any> => res.json();

@Controller('files')
class FilesController {
  @Get()
  @UseGuards(BearerGuard)
  @Scopes('files:read')
  list(@OAuthAuthorization() auth: ResourceAuthorization) {
    return auth;
  }
}

async function startResourceApp(port: number, options: OAuthResourceModuleOptions, clock: ManualClock): Promise<INestApplication> {
  @Module({ imports: [OAuthResourceModule.forRoot(options)], controllers: [FilesController] })
  class ResourceAppModule {}
  const moduleRef = await Test.createTestingModule({ imports: [ResourceAppModule] })
    .overrideProvider(Clock)
    .useValue(clock)
    .compile();
  const logs = new LogCapture();
  const app =
    httpAdapterKind() === 'fastify'
      ? moduleRef.createNestApplication(new FastifyAdapter(), { logger: logs })
      : moduleRef.createNestApplication({ logger: logs });
  await app.listen(port, '127.0.0.1');
  return app;
}

describe('a remote resource server verifying JWT access tokens from the JWK Set (RFC 9068)', () => {
  let as: OAuthTestApp;
  let rs: INestApplication;
  let issuer: string;
  let rsUrl: string;
  let resource: string;
  let rsClock: ManualClock;
  let worker: { id: string; secret: string };
  /** Requests the authorization server received, by path. */
  const seen = new Map<string, number>();
  const count = (path: string) => seen.get(path) ?? 0;
  const toAs = () => [...seen.entries()].filter(([path]) => path !== TOKEN_PATH).reduce((n, [, c]) => n + c, 0);

  const token = async (audience: string, scope = 'files:read'): Promise<string> => {
    const res = await fetch(`${issuer}${TOKEN_PATH}`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${worker.id}:${worker.secret}`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', resource: audience, scope }),
    });
    assert.equal(res.status, 200);
    return (await json(res)).access_token;
  };
  const call = (accessToken: string) => fetch(`${rsUrl}/files`, { headers: { Authorization: `Bearer ${accessToken}` } });
  const kidOf = (jwt: string): string => JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString()).kid;
  /** Both servers' clocks move together, as real ones do. */
  const advance = (seconds: number) => {
    as.clock.advance(seconds);
    rsClock.advance(seconds);
  };

  before(async () => {
    const [asPort, rsPort] = [await freePort(), await freePort()];
    issuer = `http://127.0.0.1:${asPort}`;
    rsUrl = `http://127.0.0.1:${rsPort}`;
    resource = `${rsUrl}/files/`;
    as = await createOAuthTestApp({
      storage: 'memory',
      options: {
        issuer,
        scopes: SCOPES,
        resources: {
          [resource]: { scopes: ['files:read'], name: 'SHIFT Files', accessTokenFormat: 'jwt' },
          [OTHER_JWT_API]: { scopes: ['files:read'], name: 'Another JWT API', accessTokenFormat: 'jwt' },
          [OTHER_OPAQUE_API]: { scopes: ['files:read'], name: 'An opaque API' },
        },
        defaultResource: resource,
      },
    });
    (as.server as { on(event: 'request', listener: (req: IncomingMessage) => void): void }).on('request', (req) => {
      const path = (req.url ?? '').split('?')[0]!;
      seen.set(path, count(path) + 1);
    });
    await as.app.listen(asPort, '127.0.0.1');
    const registered = await as.register({ name: 'Worker', redirectUris: [], grantTypes: ['client_credentials'], scopes: ['files:read'] });
    worker = { id: registered.client.id, secret: registered.clientSecret! };
    const introspector = await as.register({ name: 'SHIFT Files', redirectUris: [], grantTypes: [], scopes: [], canIntrospect: true });
    rsClock = new ManualClock(as.clock.now());
    rs = await startResourceApp(
      rsPort,
      {
        issuer,
        resource,
        introspection: { clientId: introspector.client.id, clientSecret: introspector.clientSecret! },
        scopes: ['files:read'],
        cache: false, // every call verifies the signature: nothing but the JWK Set may spare a request
        timeout: 2,
      },
      rsClock,
    );
  });
  after(async () => {
    await rs?.close();
    await as?.close();
  });

  it('RFC 9068 §4: verifies a JWT locally, fetching the JWK Set once and asking nothing per call', async () => {
    const jwt = await token(resource);
    const first = await call(jwt);
    assert.equal(first.status, 200);
    const auth = await json(first);
    assert.equal(auth.clientId, worker.id);
    assert.equal(auth.userId, null, 'sub is the client: no user (RFC 9068 §2.2)');
    assert.deepEqual(auth.scopes, ['files:read']);
    assert.equal(auth.audience, resource);
    assert.equal(count('/.well-known/oauth-authorization-server'), 1);
    assert.equal(count('/oauth2/jwks'), 1);
    const before = toAs();
    for (let i = 0; i < 10; i++) assert.equal((await call(jwt)).status, 200);
    assert.equal(toAs(), before, 'ten calls, no request to the authorization server');
    assert.equal(count('/oauth2/introspect'), 0);
  });

  it('RFC 8707 §2: a JWT for another audience is refused with 401 invalid_token, though its signature is good', async () => {
    const res = await call(await token(OTHER_JWT_API));
    assert.equal(res.status, 401);
    assert.equal((await json(res)).error, 'invalid_token');
    assert.match(res.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    assert.equal(count('/oauth2/introspect'), 0);
  });

  it('RFC 7515 §5.2: a tampered JWT (claims or signature) or one with alg none is refused with 401 invalid_token', async () => {
    const [h, p, s] = (await token(resource)).split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const header = JSON.parse(Buffer.from(h, 'base64url').toString());
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const forged of [
      `${h}.${b64({ ...claims, scope: 'files:read files:admin' })}.${s}`,
      `${h}.${p}.${Buffer.from(s, 'base64url').reverse().toString('base64url')}`,
      `${b64({ ...header, alg: 'none' })}.${p}.${s}`,
      `${b64({ ...header, alg: 'HS256' })}.${p}.${s}`,
    ]) {
      const res = await call(forged);
      assert.equal(res.status, 401, forged);
      assert.equal((await json(res)).error, 'invalid_token');
    }
    assert.equal(count('/oauth2/introspect'), 0, 'a token shaped as a JWT is never sent to introspection');
  });

  it('RFC 7662 §2.1: a token that is not a JWT still goes to introspection', async () => {
    const opaque = await token(OTHER_OPAQUE_API);
    assert.equal(opaque.split('.').length, 1);
    const res = await call(opaque);
    assert.equal(res.status, 401, 'introspected, and found to be for another resource');
    assert.equal((await json(res)).error_description, 'This access token is not for this resource');
    assert.equal(count('/oauth2/introspect'), 1);
  });

  it('RFC 7517 §5: after a rotation, the new key was already in the cached JWK Set, and the retired key still verifies', async () => {
    const keys = as.app.get(SigningKeys);
    // Let the cached set go stale, so the next call reads it again: it holds the active key and the next one.
    advance(610);
    const before = await token(resource);
    assert.equal((await call(before)).status, 200);
    assert.equal(count('/oauth2/jwks'), 2, 'read again once its max-age (600 s) was over');
    const oldKid = kidOf(before);

    advance(keys.publishAhead - 610);
    const old = await token(resource);
    const [step] = await keys.rotate();
    assert.ok(step?.activated && step.activated !== oldKid, 'the next key now signs');
    const rotated = await token(resource);
    assert.equal(kidOf(rotated), step.activated);
    assert.equal((await call(rotated)).status, 200);
    assert.equal(count('/oauth2/jwks'), 2, 'no fetch: the key was published before it signed, so the cached set had it');
    assert.equal((await call(old)).status, 200, 'a token of the retired key still verifies');

    // A token naming a kid the set lacks, after the cooldown: one fetch, and the retired key is still published.
    advance(30);
    const [h, p, s] = rotated.split('.') as [string, string, string];
    const header = JSON.parse(Buffer.from(h, 'base64url').toString());
    const unknownKid = `${Buffer.from(JSON.stringify({ ...header, kid: 'not-a-published-kid' })).toString('base64url')}.${p}.${s}`;
    assert.equal((await call(unknownKid)).status, 401);
    assert.equal((await call(unknownKid)).status, 401);
    assert.equal(count('/oauth2/jwks'), 3, 'one fetch for the unknown kid, none for its repeat within the cooldown');
    assert.equal((await call(old)).status, 200, 'the retired key is in the set just fetched');
    assert.equal((await call(rotated)).status, 200);
    assert.equal(count('/oauth2/jwks'), 3);
  });

  it('RFC 9068 §4: an expired JWT is refused with 401 invalid_token once past exp and the 30 s tolerance', async () => {
    const jwt = await token(resource);
    const exp = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()).exp as number;
    rsClock.set(new Date((exp + 29) * 1000));
    assert.equal((await call(jwt)).status, 200, 'within the clock tolerance');
    rsClock.set(new Date((exp + 30) * 1000));
    const res = await call(jwt);
    assert.equal(res.status, 401);
    const body = await json(res);
    assert.equal(body.error, 'invalid_token');
    assert.match(body.error_description, /expired/);
  });
});

describe('a remote resource server with no introspection credentials (JWT only)', () => {
  let as: OAuthTestApp;
  let rs: INestApplication;
  let rsUrl: string;
  let introspections = 0;
  let asClosed = false;

  before(async () => {
    const [asPort, rsPort] = [await freePort(), await freePort()];
    const issuer = `http://127.0.0.1:${asPort}`;
    rsUrl = `http://127.0.0.1:${rsPort}`;
    as = await createOAuthTestApp({
      storage: 'memory',
      options: {
        issuer,
        scopes: SCOPES,
        resources: { [`${rsUrl}/files/`]: { scopes: ['files:read'], accessTokenFormat: 'jwt' } },
        defaultResource: `${rsUrl}/files/`,
      },
    });
    (as.server as { on(event: 'request', listener: (req: IncomingMessage) => void): void }).on('request', (req) => {
      if (req.url?.includes('introspect')) introspections++;
    });
    await as.app.listen(asPort, '127.0.0.1');
    rs = await startResourceApp(
      rsPort,
      { issuer, resource: `${rsUrl}/files/`, jwks: { uri: `${issuer}/oauth2/jwks` } },
      new ManualClock(as.clock.now()),
    );
  });
  after(async () => {
    await rs?.close();
    if (!asClosed) await as?.close();
  });

  it('RFC 6750 §3.1: refuses a token that is not a JWT with 401 invalid_token, asking nobody', async () => {
    const res = await fetch(`${rsUrl}/files`, { headers: { Authorization: 'Bearer an-opaque-token' } });
    assert.equal(res.status, 401);
    assert.equal((await json(res)).error, 'invalid_token');
    assert.equal(introspections, 0);
  });

  it('RFC 6749 §4.1.2.1: with no keys yet and the JWK Set unreachable, a JWT gets 503 temporarily_unavailable', async () => {
    await as.close();
    asClosed = true;
    const header = Buffer.from(JSON.stringify({ alg: 'ES256', typ: 'at+jwt', kid: 'k' })).toString('base64url');
    const res = await fetch(`${rsUrl}/files`, { headers: { Authorization: `Bearer ${header}.e30.c2ln` } });
    assert.equal(res.status, 503);
    assert.equal((await json(res)).error, 'temporarily_unavailable');
    assert.ok(res.headers.get('retry-after'));
  });
});

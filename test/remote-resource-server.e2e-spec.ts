import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Controller, Get, Module, Post, UseGuards, type INestApplication } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import {
  BearerGuard,
  InsufficientScopeError,
  Clock,
  OAuthAuthorization,
  OAuthResourceModule,
  Scopes,
  type OAuthResourceModuleOptions,
  type ResourceAuthorization,
} from 'nest-oauth2-provider';
import { ManualClock } from 'nest-oauth2-provider/testing';
import * as oauth from 'oauth4webapi';
import { httpAdapterKind } from './fixtures/oauth-app.fixture';
import { LogCapture } from './support/log-capture';
import { freePort, StandInAuthorizationServer } from './support/stand-in-authorization-server';

const CLIENT = { id: 'files-api', secret: 'introspection-secret' };
const NOW = new Date('2030-01-01T00:00:00Z');
/** A JSON body, as the tests read it. */
const json = (res: Response): Promise<any> => res.json();
const epoch = (clock: ManualClock, seconds = 0) => Math.floor(clock.now().getTime() / 1000) + seconds;

/** The host API exactly as with OAuthModule: two decorators per route. */
@Controller('files')
class FilesController {
  @Get()
  @UseGuards(BearerGuard)
  @Scopes('files:read')
  list(@OAuthAuthorization() auth: ResourceAuthorization) {
    return auth;
  }

  @Get('admin')
  @UseGuards(BearerGuard)
  @Scopes('files:admin')
  admin() {
    return { ok: true };
  }

  @Post()
  @UseGuards(BearerGuard)
  @Scopes('files:admin')
  upload() {
    return { ok: true };
  }

  /** A check finer than @Scopes(): the handler throws the 403 itself, as an MCP server does per tool. */
  @Get('share')
  @UseGuards(BearerGuard)
  @Scopes('files:read')
  share(@OAuthAuthorization() auth: ResourceAuthorization) {
    if (!auth.scopes.includes('files:admin')) throw new InsufficientScopeError(['files:admin', 'files:read']);
    return { ok: true };
  }
}

interface ResourceApp {
  app: INestApplication;
  url: string;
  resource: string;
  clock: ManualClock;
  logs: LogCapture;
  get(path: string, token?: string): Promise<Response>;
  close(): Promise<void>;
}

/**
 * A Nest app with OAuthResourceModule, listening on its own port (HTTP_ADAPTER decides the platform).
 * Its identifier names that port, so the port is chosen before the app exists; when another process
 * takes it in between, it tries another.
 */
async function startResourceApp(
  as: { issuer: string },
  options: Partial<OAuthResourceModuleOptions> = {},
  setup: { async?: boolean } = {},
): Promise<ResourceApp> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startResourceAppOn(await freePort(), as, options, setup);
    } catch (error) {
      if ((error as { code?: string }).code !== 'EADDRINUSE' || attempt === 5) throw error;
    }
  }
}

async function startResourceAppOn(
  port: number,
  as: { issuer: string },
  options: Partial<OAuthResourceModuleOptions>,
  setup: { async?: boolean },
): Promise<ResourceApp> {
  const url = `http://127.0.0.1:${port}`;
  const resource = `${url}/files/`;
  const clock = new ManualClock(NOW);
  const moduleOptions: OAuthResourceModuleOptions = {
    issuer: as.issuer,
    resource,
    introspection: { clientId: CLIENT.id, clientSecret: CLIENT.secret },
    scopes: ['files:read', 'files:admin'],
    resourceName: 'SHIFT Files',
    timeout: 2,
    ...options,
  };
  @Module({
    imports: [
      setup.async
        ? OAuthResourceModule.forRootAsync({ useFactory: async () => moduleOptions })
        : OAuthResourceModule.forRoot(moduleOptions),
    ],
    controllers: [FilesController],
  })
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
  try {
    await app.listen(port, '127.0.0.1');
  } catch (error) {
    await app.close();
    throw error;
  }
  return {
    app,
    url,
    resource,
    clock,
    logs,
    get: (path, token) => fetch(`${url}${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} }),
    close: () => app.close(),
  };
}

function activeAnswer(rs: ResourceApp, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    active: true,
    token_type: 'Bearer',
    client_id: 'custom-app',
    sub: 'user-1',
    scope: 'files:read',
    aud: rs.resource,
    exp: epoch(rs.clock, 600),
    jti: 'token-id-1',
    ...overrides,
  };
}

/** A stand-in authorization server and a resource app trusting it, for the whole `describe`. */
function withResourceApp(): { readonly as: StandInAuthorizationServer; readonly rs: ResourceApp } {
  const apps = {} as { as: StandInAuthorizationServer; rs: ResourceApp };
  before(async () => {
    apps.as = await new StandInAuthorizationServer(CLIENT).start();
    apps.rs = await startResourceApp(apps.as);
  });
  after(async () => {
    await apps.rs?.close();
    await apps.as?.stop();
  });
  return apps;
}

describe('a resource server on another host, validating by introspection (RFC 7662)', () => {
  const apps = withResourceApp();
  let as: StandInAuthorizationServer;
  let rs: ResourceApp;
  before(() => ({ as, rs } = apps));
  beforeEach(() => {
    as.answers.clear();
    as.introspectionCalls = 0;
    as.failWith = undefined;
    as.claimedIssuer = undefined;
  });

  it('RFC 7662 §2.1: accepts a token for its audience, asking with HTTP Basic, token and token_type_hint=access_token', async () => {
    as.answers.set('tok-good', activeAnswer(rs));
    const res = await rs.get('/files', 'tok-good');
    assert.equal(res.status, 200);
    assert.deepEqual(await json(res), {
      clientId: 'custom-app',
      userId: 'user-1',
      scopes: ['files:read'],
      expiresAt: new Date((epoch(rs.clock) + 600) * 1000).toISOString(),
      tokenId: 'token-id-1',
      audience: rs.resource,
    });
    assert.deepEqual(as.lastIntrospection?.fields, { token: 'tok-good', token_type_hint: 'access_token' });
    assert.equal(as.lastIntrospection?.authorization, `Basic ${Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64')}`);
  });

  it('RFC 7662 §2.2: accepts an aud list that includes this resource', async () => {
    as.answers.set('tok-list', activeAnswer(rs, { aud: ['https://other.example/', rs.resource] }));
    const res = await rs.get('/files', 'tok-list');
    assert.equal(res.status, 200);
    assert.equal((await json(res)).audience, rs.resource);
  });

  it('RFC 8707 §2: refuses a token for another audience with 401 invalid_token and a resource_metadata challenge (RFC 9728 §5.1)', async () => {
    for (const aud of ['https://other.example/', `${rs.url}/files`, ['https://other.example/'], undefined]) {
      const token = `tok-aud-${as.answers.size}`;
      as.answers.set(token, activeAnswer(rs, { aud }));
      const res = await rs.get('/files', token);
      assert.equal(res.status, 401, JSON.stringify(aud));
      const body = await json(res);
      assert.equal(body.error, 'invalid_token');
      assert.equal(body.error_description, 'This access token is not for this resource');
      const challenge = res.headers.get('www-authenticate') ?? '';
      assert.match(challenge, /^Bearer realm="[^"]+", error="invalid_token"/);
      assert.ok(challenge.includes(`resource_metadata="${rs.url}/.well-known/oauth-protected-resource/files/"`), challenge);
    }
  });

  it('RFC 6750 §3.1: answers 403 insufficient_scope with the scope to step up to and resource_metadata (RFC 9728 §5.1)', async () => {
    as.answers.set('tok-scope', activeAnswer(rs));
    const res = await rs.get('/files/admin', 'tok-scope');
    assert.equal(res.status, 403);
    assert.equal((await json(res)).error, 'insufficient_scope');
    const challenge = res.headers.get('www-authenticate') ?? '';
    assert.match(challenge, /error="insufficient_scope"/);
    assert.match(challenge, /scope="files:admin"/);
    assert.ok(challenge.includes(`resource_metadata="${rs.url}/.well-known/oauth-protected-resource/files/"`), challenge);
  });

  it('RFC 6750 §3.1: a handler’s own insufficient_scope gets the same challenge, scope and resource_metadata included', async () => {
    as.answers.set('tok-share', activeAnswer(rs));
    const res = await rs.get('/files/share', 'tok-share');
    assert.equal(res.status, 403);
    assert.equal((await json(res)).error, 'insufficient_scope');
    const challenge = res.headers.get('www-authenticate') ?? '';
    assert.match(challenge, /^Bearer realm="[^"]+", error="insufficient_scope", error_description="[^"]+", scope="files:admin files:read"/);
    assert.ok(challenge.includes(`resource_metadata="${rs.url}/.well-known/oauth-protected-resource/files/"`), challenge);
  });

  it('RFC 9728 §5.1: a request without a token gets a challenge with no error, naming the route’s scope and the resource metadata', async () => {
    const res = await rs.get('/files');
    assert.equal(res.status, 401);
    assert.equal(
      res.headers.get('www-authenticate'),
      `Bearer realm="${rs.resource}", scope="files:read", resource_metadata="${rs.url}/.well-known/oauth-protected-resource/files/"`,
    );
  });

  it('RFC 6750 §3.1: a body the platform cannot parse on a guarded route is invalid_request with the challenge', async () => {
    const res = await fetch(`${rs.url}/files`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"broken"' });
    assert.equal(res.status, 400);
    assert.equal((await json(res)).error, 'invalid_request');
    assert.match(res.headers.get('www-authenticate') ?? '', /error="invalid_request".*resource_metadata="[^"]+\/files\/"/);
  });

  it('RFC 7662 §2.2: refuses inactive, refresh (no token_type) and expired tokens with 401 invalid_token', async () => {
    as.answers.set('tok-refresh', activeAnswer(rs, { token_type: undefined }));
    as.answers.set('tok-expired', activeAnswer(rs, { exp: epoch(rs.clock, 0) }));
    for (const [token, description] of [
      ['tok-unknown', /not active/],
      ['tok-refresh', /not an access token/],
      ['tok-expired', /expired/],
    ] as const) {
      const res = await rs.get('/files', token);
      assert.equal(res.status, 401, token);
      const body = await json(res);
      assert.equal(body.error, 'invalid_token');
      assert.match(body.error_description, description);
      assert.match(res.headers.get('www-authenticate') ?? '', /error="invalid_token".*resource_metadata=/);
    }
  });

  it('RFC 7662 §4: asks once for repeated requests while the cache holds the answer, never past exp', async () => {
    as.answers.set('tok-cached', activeAnswer(rs, { exp: epoch(rs.clock, 10) }));
    for (let i = 0; i < 3; i++) assert.equal((await rs.get('/files', 'tok-cached')).status, 200);
    assert.equal(as.introspectionCalls, 1);
    rs.clock.advance(10);
    const res = await rs.get('/files', 'tok-cached');
    assert.equal(res.status, 401, 'the cached entry ended at exp, and the answer now says expired');
    assert.match((await json(res)).error_description, /expired/);
    assert.equal(as.introspectionCalls, 2);
    rs.clock.set(NOW);
  });

  it('RFC 7009 §2: a revocation at the authorization server is seen once the cache TTL has passed', async () => {
    as.answers.set('tok-revoked', activeAnswer(rs));
    assert.equal((await rs.get('/files', 'tok-revoked')).status, 200);
    as.answers.set('tok-revoked', { active: false });
    rs.clock.advance(29);
    assert.equal((await rs.get('/files', 'tok-revoked')).status, 200, 'within the documented revocation delay (30 s)');
    rs.clock.advance(1);
    assert.equal((await rs.get('/files', 'tok-revoked')).status, 401);
    assert.equal(as.introspectionCalls, 2);
    rs.clock.set(NOW);
  });

  it('RFC 6749 §4.1.2.1: answers 503 temporarily_unavailable when the authorization server answers 5xx, and caches no failure', async () => {
    as.answers.set('tok-outage', activeAnswer(rs));
    as.failWith = 503;
    const res = await rs.get('/files', 'tok-outage');
    assert.equal(res.status, 503);
    assert.equal((await json(res)).error, 'temporarily_unavailable');
    assert.ok(res.headers.get('retry-after'));
    as.failWith = undefined;
    assert.equal((await rs.get('/files', 'tok-outage')).status, 200);
    assert.ok(!rs.logs.output.some((line) => line.includes('tok-outage')), 'the token is never logged');
    assert.ok(
      rs.logs.output.some((line) => /Token introspection failed: .*503/.test(line)),
      'the cause is logged',
    );
  });
});

describe('the remote resource server without a cache (configured with forRootAsync)', () => {
  let as: StandInAuthorizationServer;
  let rs: ResourceApp;
  before(async () => {
    as = await new StandInAuthorizationServer(CLIENT).start();
    rs = await startResourceApp(as, { cache: false }, { async: true });
  });
  after(async () => {
    await rs?.close();
    await as?.stop();
  });

  it('RFC 7662 §2.1: asks the authorization server on every request, so a revocation is seen at once', async () => {
    as.answers.set('tok', activeAnswer(rs));
    assert.equal((await rs.get('/files', 'tok')).status, 200);
    assert.equal((await rs.get('/files', 'tok')).status, 200);
    assert.equal(as.introspectionCalls, 2);
    as.answers.set('tok', { active: false });
    assert.equal((await rs.get('/files', 'tok')).status, 401);
  });
});

describe('discovering the authorization server (RFC 8414)', () => {
  let as: StandInAuthorizationServer;
  let rs: ResourceApp;
  before(async () => {
    as = await new StandInAuthorizationServer(CLIENT, '/tenant').start();
    rs = await startResourceApp(as);
  });
  after(async () => {
    await rs?.close();
    await as?.stop();
  });

  it('RFC 8414 §3.3: refuses metadata whose issuer is not the configured one, and retries on the next request', async () => {
    as.answers.set('tok', activeAnswer(rs));
    as.claimedIssuer = 'https://impostor.example/tenant';
    const refused = await rs.get('/files', 'tok');
    assert.equal(refused.status, 500);
    assert.equal((await json(refused)).error, 'server_error');
    assert.equal(as.introspectionCalls, 0, 'no token is sent to an unverified server');
    assert.ok(rs.logs.output.some((line) => line.includes('RFC 8414 section 3.3')));
    as.claimedIssuer = undefined;
    assert.equal((await rs.get('/files', 'tok')).status, 200);
  });

  it('RFC 8414 §3.1: reads the path-inserted metadata of an issuer with a path, once', async () => {
    as.answers.set('tok-2', activeAnswer(rs));
    const before = as.metadataCalls;
    assert.equal((await rs.get('/files', 'tok-2')).status, 200);
    assert.equal(as.metadataCalls, before, 'the introspection endpoint is remembered once found');
  });

  it('RFC 6749 §4.1.2.1: answers 503 when the authorization server cannot be reached', async () => {
    // A host that drops every connection: unreachable, whatever else runs on this machine.
    const dropper = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => dropper.listen(0, '127.0.0.1', resolve));
    const orphan = await startResourceApp({ issuer: `http://127.0.0.1:${(dropper.address() as AddressInfo).port}` });
    try {
      const res = await orphan.get('/files', 'tok');
      assert.equal(res.status, 503);
      assert.equal((await json(res)).error, 'temporarily_unavailable');
      assert.ok(orphan.logs.output.some((line) => /Token introspection failed: GET .* failed/.test(line)));
    } finally {
      await orphan.close();
      await new Promise<void>((resolve) => dropper.close(() => resolve()));
    }
  });
});

describe('the remote resource server’s metadata (RFC 9728)', () => {
  const apps = withResourceApp();
  let as: StandInAuthorizationServer;
  let rs: ResourceApp;
  before(() => ({ as, rs } = apps));

  it('RFC 9728 §3: serves a document oauth4webapi discovers and accepts for this resource', async () => {
    const resource = new URL(rs.resource);
    const response = await oauth.resourceDiscoveryRequest(resource, { [oauth.allowInsecureRequests]: true });
    const metadata = await oauth.processResourceDiscoveryResponse(resource, response);
    assert.deepEqual(metadata, {
      resource: rs.resource,
      authorization_servers: [as.issuer],
      scopes_supported: ['files:read', 'files:admin'],
      bearer_methods_supported: ['header', 'body'],
      resource_name: 'SHIFT Files',
    });
  });

  it('RFC 9728 §3.1: answers 404 at the path without the trailing slash, and at the root', async () => {
    assert.equal((await rs.get('/.well-known/oauth-protected-resource/files')).status, 404);
    assert.equal((await rs.get('/.well-known/oauth-protected-resource')).status, 404);
  });
});

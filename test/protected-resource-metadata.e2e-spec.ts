import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Controller, Get, Module, UseGuards, type INestApplication } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import {
  AccessTokenVerifier,
  BearerGuard,
  InvalidTokenError,
  OAuthAuthorization,
  OAuthModule,
  Resource,
  Scopes,
  type OAuthModuleOptions,
  type ResourceAuthorization,
} from 'nest-oauth2-provider';
import * as oauth from 'oauth4webapi';
import request from 'supertest';
import { createOAuthTestApp, httpAdapterKind, TEST_SCOPES, type OAuthTestApp } from './fixtures/oauth-app.fixture';
import { ProfileApiController } from './fixtures/protected-api';
import { mintToken } from './support/mint-token';

const V1_SLASH = 'http://127.0.0.1/v1/';
const V1 = 'http://127.0.0.1/v1';
const FILES = 'https://files.example/';
const RESOURCES: OAuthModuleOptions['resources'] = {
  [V1_SLASH]: { scopes: ['profile'], name: 'SHIFT API' },
  [V1]: { scopes: ['email'] },
  [FILES]: { scopes: ['teams:read'], name: 'SHIFT Files' },
};
const metadataUrl = (path: string) => `http://127.0.0.1/.well-known/oauth-protected-resource${path}`;

/** Routes of the second resource, with one handler of a third. */
@Controller('legacy')
@UseGuards(BearerGuard)
@Resource(V1)
class LegacyApiController {
  @Get()
  @Scopes('email')
  list(@OAuthAuthorization() auth: ResourceAuthorization) {
    return auth;
  }

  @Get('files')
  @Resource(FILES)
  files(@OAuthAuthorization() auth: ResourceAuthorization) {
    return auth;
  }
}

describe('protected resource metadata of OAuthModule’s resources (RFC 9728)', () => {
  let t: OAuthTestApp;
  before(async () => {
    t = await createOAuthTestApp({
      options: { resources: RESOURCES, defaultResource: V1_SLASH },
      controllers: [ProfileApiController, LegacyApiController],
    });
  });
  after(() => t.close());

  it('RFC 9728 §3.1: serves each resource at its path-inserted URL, trailing slash exact, and oauth4webapi accepts both', async () => {
    for (const [resource, path, expected] of [
      [V1_SLASH, '/v1/', { scopes_supported: ['profile'], resource_name: 'SHIFT API' }],
      [V1, '/v1', { scopes_supported: ['email'], resource_name: V1 }],
    ] as const) {
      const res = await request(t.server).get(`/.well-known/oauth-protected-resource${path}`);
      assert.equal(res.status, 200, path);
      assert.match(res.headers['content-type'], /^application\/json/);
      assert.equal(res.headers['cache-control'], 'public, max-age=3600');
      assert.deepEqual(res.body, {
        resource,
        authorization_servers: ['http://127.0.0.1'],
        scopes_supported: expected.scopes_supported,
        bearer_methods_supported: ['header', 'body'],
        resource_name: expected.resource_name,
      });
      // The identifiers name port 80; the app answers in process, so the request goes to it instead.
      const asked: string[] = [];
      const customFetch = async (url: string) => {
        asked.push(url);
        const answer = await request(t.server).get(new URL(url).pathname).set('Accept', 'application/json');
        return new Response(answer.text, { status: answer.status, headers: answer.headers as Record<string, string> });
      };
      const options = { [oauth.allowInsecureRequests]: true, [oauth.customFetch]: customFetch as never };
      const response = await oauth.resourceDiscoveryRequest(new URL(resource), options);
      assert.deepEqual(asked, [metadataUrl(path)]);
      const metadata = await oauth.processResourceDiscoveryResponse(new URL(resource), response);
      assert.equal(metadata.resource, resource);
    }
  });

  it('RFC 9728 §3.1: answers 404 where no resource of this origin has its document', async () => {
    for (const path of ['', '/', '/v2', '/v1//', '/v1/x', '/V1/']) {
      const res = await request(t.server).get(`/.well-known/oauth-protected-resource${path}`);
      assert.equal(res.status, 404, path);
      assert.equal(res.body.error, 'not_found', path);
    }
  });

  it('RFC 9728 §5.1: the guard’s challenges name the metadata of the module’s resource, and the 401 the route’s scope (RFC 6750 §3)', async () => {
    const none = await request(t.server).get('/api/me');
    assert.equal(none.status, 401);
    assert.equal(
      none.headers['www-authenticate'],
      `Bearer realm="http://127.0.0.1", scope="profile", resource_metadata="${metadataUrl('/v1/')}"`,
    );
    const malformed = await request(t.server).get('/api/me').set('Authorization', 'Bearer two tokens');
    assert.equal(malformed.status, 400);
    assert.match(malformed.headers['www-authenticate'], new RegExp(`error="invalid_request".*resource_metadata="${metadataUrl('/v1/')}"`));
  });

  it('RFC 8707 §2: refuses a token that names no audience where the route has a resource', async () => {
    const client = await t.register({ name: 'App', redirectUris: ['https://app.example/cb'], scopes: ['profile', 'email'] });
    const { value } = await mintToken(t, { clientId: client.client.id, scopes: ['profile'] });
    const res = await request(t.server).get('/api/me').set('Authorization', `Bearer ${value}`);
    assert.equal(res.status, 401);
    assert.equal(res.body.error, 'invalid_token');
    assert.equal(res.body.error_description, 'This access token is not for this resource');
    assert.match(res.headers['www-authenticate'], new RegExp(`error="invalid_token".*resource_metadata="${metadataUrl('/v1/')}"`));
  });

  it('RFC 9728 §5.1: a body the platform cannot parse on a guarded route gets the guard’s challenge with resource_metadata', async () => {
    const res = await request(t.server).post('/api/me').set('Content-Type', 'application/json').send('{"broken"');
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'invalid_request');
    assert.match(res.headers['www-authenticate'], new RegExp(`error="invalid_request".*resource_metadata="${metadataUrl('/v1/')}"`));
  });

  it('RFC 9728 §5.1: @Resource() on a controller, and on a handler over it, decides the challenge’s resource_metadata', async () => {
    const legacy = await request(t.server).get('/legacy');
    assert.equal(
      legacy.headers['www-authenticate'],
      `Bearer realm="http://127.0.0.1", scope="email", resource_metadata="${metadataUrl('/v1')}"`,
    );
    const files = await request(t.server).get('/legacy/files');
    assert.equal(
      files.headers['www-authenticate'],
      'Bearer realm="http://127.0.0.1", resource_metadata="https://files.example/.well-known/oauth-protected-resource"',
    );
  });
});

describe('the audience check of BearerGuard (RFC 8707)', () => {
  /** Tokens by value, with the audience the authorization server gave them. */
  class TableVerifier extends AccessTokenVerifier {
    async verify(token: string): Promise<ResourceAuthorization> {
      const audience = { 'for-v1-slash': V1_SLASH, 'for-v1': V1, 'for-files': FILES, 'for-none': null }[token];
      if (audience === undefined) throw new InvalidTokenError('The access token is not recognized');
      return { clientId: 'app', userId: 'user-1', scopes: ['profile'], expiresAt: new Date(Date.now() + 60_000), tokenId: token, audience };
    }
  }

  let app: INestApplication;
  before(async () => {
    @Module({
      imports: [
        OAuthModule.forRoot({
          issuer: 'http://127.0.0.1',
          scopes: TEST_SCOPES,
          purgeInterval: false,
          resources: RESOURCES,
          resource: V1_SLASH,
          storage: 'memory',
        }),
      ],
      controllers: [ProfileApiController, LegacyApiController],
    })
    class AudienceAppModule {}
    const moduleRef = await Test.createTestingModule({ imports: [AudienceAppModule] })
      .overrideProvider(AccessTokenVerifier)
      .useValue(new TableVerifier())
      .compile();
    app =
      httpAdapterKind() === 'fastify'
        ? moduleRef.createNestApplication(new FastifyAdapter(), { logger: false })
        : moduleRef.createNestApplication({ logger: false });
    await app.init();
    if (httpAdapterKind() === 'fastify') await app.getHttpAdapter().getInstance().ready();
  });
  after(() => app?.close());

  const get = (path: string, token: string) => request(app.getHttpServer()).get(path).set('Authorization', `Bearer ${token}`);

  it('RFC 8707 §2: accepts a token only at the routes of its own resource (module default, controller, handler)', async () => {
    const expected: [string, Record<string, number>][] = [
      ['/api/me', { 'for-v1-slash': 200, 'for-v1': 401, 'for-files': 401, 'for-none': 401 }],
      ['/legacy/files', { 'for-v1-slash': 401, 'for-v1': 401, 'for-files': 200, 'for-none': 401 }],
    ];
    for (const [path, byToken] of expected) {
      for (const [token, status] of Object.entries(byToken)) assert.equal((await get(path, token)).status, status, `${token} at ${path}`);
    }
    const ok = await get('/api/me', 'for-v1-slash');
    assert.equal(ok.body.audience, V1_SLASH);
  });

  it('RFC 6750 §3.1: a token for the route’s resource without its scope gets 403 with scope and resource_metadata', async () => {
    const res = await get('/legacy', 'for-v1');
    assert.equal(res.status, 403);
    assert.equal(
      res.headers['www-authenticate'],
      `Bearer realm="http://127.0.0.1", error="insufficient_scope", error_description="${res.body.error_description}", scope="email", resource_metadata="${metadataUrl('/v1')}"`,
    );
  });
});

describe('BearerGuard without resources', () => {
  let t: OAuthTestApp;
  before(async () => (t = await createOAuthTestApp({ controllers: [ProfileApiController, LegacyApiController] })));
  after(() => t.close());

  it('RFC 8707 §2: checks no audience and names no metadata when no resources are configured, even under @Resource()', async () => {
    const client = await t.register({ name: 'App', redirectUris: ['https://app.example/cb'], scopes: ['profile', 'email'] });
    const { value } = await mintToken(t, { clientId: client.client.id, scopes: ['profile', 'email'] });
    assert.equal((await request(t.server).get('/api/me').set('Authorization', `Bearer ${value}`)).status, 200);
    assert.equal((await request(t.server).get('/legacy').set('Authorization', `Bearer ${value}`)).status, 200);
    assert.equal((await request(t.server).get('/api/me')).headers['www-authenticate'], 'Bearer realm="http://127.0.0.1"');
    assert.equal((await request(t.server).get('/.well-known/oauth-protected-resource')).status, 404);
  });
});

describe('@Resource() checked at start-up (RFC 8707 §2)', () => {
  @Controller('typo')
  @UseGuards(BearerGuard)
  class TypoController {
    @Get()
    @Resource('https://fles.example/')
    list() {
      return [];
    }

    @Get('upper')
    @Resource('https://FILES.example/')
    upper() {
      return [];
    }
  }

  it('refuses to start when a route names a resource that is not configured, naming the route, the value and the configured ones', async () => {
    await assert.rejects(
      createOAuthTestApp({ options: { resources: RESOURCES, defaultResource: V1_SLASH }, controllers: [TypoController] }),
      (error: Error) => {
        assert.match(error.message, /@Resource\(\) names a resource that is not configured/);
        assert.match(error.message, /"https:\/\/fles\.example\/" on TypoController\.list/);
        // Not in canonical form (RFC 8707 §2 compares identifiers as written): named as well.
        assert.match(error.message, /"https:\/\/FILES\.example\/" on TypoController\.upper/);
        assert.ok(error.message.includes(`"${FILES}"`), 'the configured resources are listed');
        return true;
      },
    );
  });
});

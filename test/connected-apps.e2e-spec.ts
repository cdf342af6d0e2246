import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Controller, Get, Headers, HttpCode, NotFoundException, Param, Post, UnauthorizedException } from '@nestjs/common';
import request from 'supertest';
import { ClientStore, ConnectedApps, ConsentStore, TokenStore } from 'nest-oauth2-provider';
import { hashSecret } from './support/library-internals';
import { createOAuthTestApp, type OAuthTestApp } from './fixtures/oauth-app.fixture';
import { ProfileApiController } from './fixtures/protected-api';
import { TEST_USER_HEADER } from './fixtures/test-interaction';
import { mintPair } from './support/mint-token';

/** The page a host builds on the service, for its logged-in user (here named by a test header). */
@Controller('account/apps')
class AccountAppsController {
  constructor(private readonly apps: ConnectedApps) {}

  @Get()
  list(@Headers(TEST_USER_HEADER) user?: string) {
    return this.apps.listForUser(loggedIn(user));
  }

  @Post(':clientId/revoke')
  @HttpCode(204)
  async revoke(@Param('clientId') clientId: string, @Headers(TEST_USER_HEADER) user?: string) {
    if (!(await this.apps.revoke(loggedIn(user), clientId))) throw new NotFoundException();
  }
}

function loggedIn(user: string | undefined): string {
  if (!user) throw new UnauthorizedException();
  return user;
}

describe('connected apps', () => {
  let t: OAuthTestApp;
  let customApp: string;
  let otherApp: string;

  before(async () => {
    t = await createOAuthTestApp({
      controllers: [ProfileApiController, AccountAppsController],
      options: { bearer: { cache: { maxEntries: 100, ttl: 60 } } },
    });
    customApp = (await t.register({ name: 'CustomApp', redirectUris: ['https://customapp.example/cb'] })).client.id;
    otherApp = (await t.register({ name: 'Other <b>App</b>', redirectUris: ['https://other.example/cb'] })).client.id;
  });
  after(async () => t.close());

  const me = (value: string) => request(t.server).get('/api/me').set('Authorization', `Bearer ${value}`);

  it('lists the apps a user approved with name, scopes, first and last use, most recent first (service)', async () => {
    const consents = t.app.get(ConsentStore);
    const first = t.clock.now();
    await consents.grant('nate', customApp, ['profile'], first);
    t.clock.advance(60);
    await consents.grant('nate', otherApp, ['email'], t.clock.now());
    t.clock.advance(60);
    await consents.grant('nate', customApp, ['offline_access'], t.clock.now());
    await consents.grant('someone-else', otherApp, ['profile'], t.clock.now());

    const apps = await t.app.get(ConnectedApps).listForUser('nate');
    assert.deepEqual(
      apps.map((a) => ({ ...a, scopes: [...a.scopes].sort() })),
      [
        {
          clientId: customApp,
          clientName: 'CustomApp',
          scopes: ['offline_access', 'profile'],
          firstUsedAt: first,
          lastUsedAt: t.clock.now(),
        },
        {
          clientId: otherApp,
          clientName: 'Other <b>App</b>',
          scopes: ['email'],
          firstUsedAt: new Date(first.getTime() + 60_000),
          lastUsedAt: new Date(first.getTime() + 60_000),
        },
      ],
    );
  });

  it('leaves out the consents of deleted clients', async () => {
    const gone = (await t.register({ name: 'Gone', redirectUris: ['https://gone.example/cb'] })).client.id;
    await t.app.get(ConsentStore).grant('zoe', gone, ['profile'], t.clock.now());
    await t.app.get(ClientStore).delete(gone);
    assert.deepEqual(await t.app.get(ConnectedApps).listForUser('zoe'), []);
  });

  it('serves the list over the host’s HTTP route', async () => {
    await t.app.get(ConsentStore).grant('maria', customApp, ['profile'], t.clock.now());
    const res = await request(t.server).get('/account/apps').set(TEST_USER_HEADER, 'maria').expect(200);
    assert.deepEqual(
      res.body.map((a: { clientId: string; clientName: string }) => [a.clientId, a.clientName]),
      [[customApp, 'CustomApp']],
    );
  });

  it('disconnecting an app revokes its consent, refresh families and access tokens — at once, cache on — and nothing else', async () => {
    const consents = t.app.get(ConsentStore);
    const tokens = t.app.get(TokenStore);
    await consents.grant('lee', customApp, ['profile'], t.clock.now());
    await consents.grant('lee', otherApp, ['profile'], t.clock.now());
    const first = await mintPair(t, { clientId: customApp, userId: 'lee' });
    const second = await mintPair(t, { clientId: customApp, userId: 'lee' });
    const keptOtherApp = await mintPair(t, { clientId: otherApp, userId: 'lee' });
    const keptOtherUser = await mintPair(t, { clientId: customApp, userId: 'kim' });
    await me(first.access.value).expect(200); // now cached

    await request(t.server).post(`/account/apps/${customApp}/revoke`).set(TEST_USER_HEADER, 'lee').expect(204);

    await me(first.access.value).expect(401);
    await me(second.access.value).expect(401);
    for (const refresh of [first.refresh, second.refresh]) {
      assert.notEqual((await tokens.findByHash(hashSecret(refresh.value)))!.revokedAt, null);
    }
    assert.equal(await consents.find('lee', customApp), undefined);
    await me(keptOtherApp.access.value).expect(200);
    await me(keptOtherUser.access.value).expect(200);
    assert.equal((await tokens.findByHash(hashSecret(keptOtherApp.refresh.value)))!.revokedAt, null);
    const left = await request(t.server).get('/account/apps').set(TEST_USER_HEADER, 'lee').expect(200);
    assert.deepEqual(
      left.body.map((a: { clientId: string }) => a.clientId),
      [otherApp],
    );
  });

  it('reports that there was nothing to disconnect', async () => {
    assert.equal(await t.app.get(ConnectedApps).revoke('nobody', customApp), false);
    await request(t.server).post(`/account/apps/${customApp}/revoke`).set(TEST_USER_HEADER, 'nobody').expect(404);
  });
});

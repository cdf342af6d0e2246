import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { APP_GUARD } from '@nestjs/core';
import request from 'supertest';
import { BearerGuard } from 'nest-oauth2-provider';
import { createOAuthTestApp, type OAuthTestApp } from './fixtures/oauth-app.fixture';
import {
  GloballyGuardedController,
  LegacyGloballyGuardedController,
  LegacyPublicController,
  OpenController,
} from './fixtures/protected-api';
import { mintToken } from './support/mint-token';

describe('BearerGuard as APP_GUARD with @SkipBearer() (RFC 6750 §3)', () => {
  let t: OAuthTestApp;
  let clientId: string;
  let clientSecret: string;

  before(async () => {
    t = await createOAuthTestApp({
      controllers: [GloballyGuardedController, OpenController, LegacyGloballyGuardedController, LegacyPublicController],
      // The fixture's `providers` takes classes; APP_GUARD needs a provider object.
      providers: [{ provide: APP_GUARD, useClass: BearerGuard } as any],
    });
    const registered = await t.register({ name: 'App', redirectUris: ['https://app.example/cb'] });
    clientId = registered.client.id;
    clientSecret = registered.clientSecret!;
  });
  after(async () => t.close());

  it('protects every route that does not opt out', async () => {
    const res = await request(t.server).get('/global/private').expect(401);
    assert.equal(res.headers['www-authenticate'], 'Bearer realm="http://127.0.0.1"');
    const { value, token } = await mintToken(t, { clientId });
    const ok = await request(t.server).get('/global/private').set('Authorization', `Bearer ${value}`).expect(200);
    assert.equal(ok.body.tokenId, token.id);
  });

  it('honours @Scopes() on globally guarded routes', async () => {
    const { value } = await mintToken(t, { clientId, scopes: ['profile'] });
    const res = await request(t.server).get('/global/scoped').set('Authorization', `Bearer ${value}`).expect(403);
    assert.match(res.headers['www-authenticate'], /scope="email"/);
  });

  it('lets @SkipBearer() handlers and controllers through without a token', async () => {
    const res = await request(t.server).get('/global/health').expect(200);
    assert.deepEqual(res.body, { ok: true, authorized: false });
    await request(t.server).get('/open').expect(200);
  });

  it('lets the deprecated @Public() alias through as @SkipBearer(), and still guards its neighbours', async () => {
    const res = await request(t.server).get('/legacy-global/health').expect(200);
    assert.deepEqual(res.body, { ok: true, authorized: false });
    await request(t.server).get('/legacy-open').expect(200);
    const refused = await request(t.server).get('/legacy-global/private').expect(401);
    assert.equal(refused.headers['www-authenticate'], 'Bearer realm="http://127.0.0.1"');
  });

  it('does not lock out the module’s own revocation and introspection endpoints', async () => {
    await request(t.server).post('/oauth2/revoke').auth(clientId, clientSecret).type('form').send({ token: 'x' }).expect(200);
    const res = await request(t.server).post('/oauth2/introspect').auth(clientId, clientSecret).type('form').send({ token: 'x' });
    assert.equal(res.status, 403, JSON.stringify(res.body)); // the client is not allowed to introspect: the endpoint's own answer, not the guard's
    assert.equal(res.body.error, 'unauthorized_client');
  });
});

import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { TokenRevocation } from './revocation';
import { basic, formPost, resourceFixture } from './resource-server.spec-helper';
import { TokenCache } from './token-cache';

describe('TokenRevocation (RFC 7009)', () => {
  let f: ReturnType<typeof resourceFixture>;
  let revocation: TokenRevocation;
  let cache: TokenCache;
  beforeEach(() => {
    f = resourceFixture();
    cache = new TokenCache({ maxEntries: 10, ttl: 30 });
    revocation = new TokenRevocation({
      options: { realm: 'realm' },
      clients: f.clients,
      tokens: f.tokens,
      consents: f.consents,
      cache,
      clock: f.clock,
    });
  });

  it('revokes an access token alone and evicts it from the cache', async () => {
    const client = await f.client({ secret: 's' });
    const access = await f.token({ clientId: client.id });
    const refresh = await f.token({ clientId: client.id, kind: 'refresh', grantId: access.token.grantId });
    cache.set(
      access.token.tokenHash,
      { ...access.token, tokenId: access.token.id, audience: null },
      access.token.grantId,
      f.clock.now(),
      cache.beginLookup(),
    );
    const res = await revocation.handle(formPost({ token: access.value }, basic(client.id, 's')));
    assert.equal(res.status, 200);
    assert.equal(res.headers['Cache-Control'], 'no-store');
    assert.notEqual((await f.tokens.findByHash(access.token.tokenHash))!.revokedAt, null);
    assert.equal((await f.tokens.findByHash(refresh.token.tokenHash))!.revokedAt, null);
    assert.equal(cache.size, 0);
  });

  it('revokes the whole grant for a refresh token (RFC 7009 §2.1)', async () => {
    const client = await f.client({ secret: 's' });
    const refresh = await f.token({ clientId: client.id, kind: 'refresh' });
    const access = await f.token({ clientId: client.id, grantId: refresh.token.grantId });
    await revocation.handle(formPost({ token: refresh.value, client_id: client.id, client_secret: 's' }));
    assert.notEqual((await f.tokens.findByHash(access.token.tokenHash))!.revokedAt, null);
  });

  it('ends the client’s authorization by the user with a refresh token: consent withdrawn, every grant of the pair revoked (RFC 7009 §2.1)', async () => {
    const client = await f.client({ secret: 's' });
    const other = await f.client({ secret: 't' });
    await f.consents.grant('nate', client.id, ['profile'], f.clock.now());
    await f.consents.grant('nate', other.id, ['profile'], f.clock.now());
    await f.consents.grant('ada', client.id, ['profile'], f.clock.now());
    const laptop = await f.token({ clientId: client.id, userId: 'nate', kind: 'refresh' });
    const phone = await f.token({ clientId: client.id, userId: 'nate' });
    const otherClient = await f.token({ clientId: other.id, userId: 'nate' });
    const otherUser = await f.token({ clientId: client.id, userId: 'ada' });
    cache.set(
      phone.token.tokenHash,
      { ...phone.token, tokenId: phone.token.id, audience: null },
      phone.token.grantId,
      f.clock.now(),
      cache.beginLookup(),
    );

    await revocation.handle(formPost({ token: laptop.value }, basic(client.id, 's')));

    assert.equal(await f.consents.find('nate', client.id), undefined, 'the next authorization asks again');
    assert.notEqual((await f.tokens.findByHash(phone.token.tokenHash))!.revokedAt, null, 'no grant outlives the consent');
    assert.equal(cache.size, 0);
    assert.ok(await f.consents.find('nate', other.id));
    assert.ok(await f.consents.find('ada', client.id));
    assert.equal((await f.tokens.findByHash(otherClient.token.tokenHash))!.revokedAt, null);
    assert.equal((await f.tokens.findByHash(otherUser.token.tokenHash))!.revokedAt, null);
  });

  it('keeps the consent when only an access token is revoked: the grant goes on (RFC 7009 §2.1)', async () => {
    const client = await f.client({ secret: 's' });
    await f.consents.grant('nate', client.id, ['profile'], f.clock.now());
    const access = await f.token({ clientId: client.id, userId: 'nate' });
    await revocation.handle(formPost({ token: access.value }, basic(client.id, 's')));
    assert.ok(await f.consents.find('nate', client.id));
  });

  it('answers 200 and changes nothing for another client’s token or an unknown one (RFC 7009 §2.2)', async () => {
    const mine = await f.client({ secret: 's' });
    const theirs = await f.client({ secret: 't' });
    const token = await f.token({ clientId: theirs.id });
    assert.equal((await revocation.handle(formPost({ token: token.value }, basic(mine.id, 's')))).status, 200);
    assert.equal((await f.tokens.findByHash(token.token.tokenHash))!.revokedAt, null);
    assert.equal((await revocation.handle(formPost({ token: 'nope' }, basic(mine.id, 's')))).status, 200);
  });

  it('answers invalid_request without a token, and invalid_client with a Basic challenge on bad credentials', async () => {
    const client = await f.client({ secret: 's' });
    const missing = await revocation.handle(formPost({}, basic(client.id, 's')));
    assert.equal(missing.status, 400);
    assert.equal((missing.body as { error: string }).error, 'invalid_request');
    const bad = await revocation.handle(formPost({ token: 'x' }, basic(client.id, 'wrong')));
    assert.equal(bad.status, 401);
    assert.equal(bad.headers['WWW-Authenticate'], 'Basic realm="realm"');
  });

  it('answers a storage outage with a 503 temporarily_unavailable response instead of throwing, and reports it (RFC 6749 §5.2)', async () => {
    const client = await f.client({ secret: 's' });
    const reported: unknown[] = [];
    const down = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const tokens = Object.assign(Object.create(f.tokens), { findByHash: () => Promise.reject(down) });
    const failing = new TokenRevocation({
      options: { realm: 'realm' },
      clients: f.clients,
      tokens,
      consents: f.consents,
      cache,
      clock: f.clock,
      reportError: (e) => reported.push(e),
    });
    const res = await failing.handle(formPost({ token: 'x' }, basic(client.id, 's')));
    assert.equal(res.status, 503);
    assert.equal((res.body as { error: string }).error, 'temporarily_unavailable');
    assert.equal(res.headers['Retry-After'], '5');
    assert.equal(res.headers['Cache-Control'], 'no-store');
    assert.deepEqual(reported, [down]);
  });

  it('answers an unexpected failure with a generic server_error response instead of throwing (RFC 6749 §5.2)', async () => {
    const client = await f.client({ secret: 's' });
    const reported: unknown[] = [];
    const tokens = Object.assign(Object.create(f.tokens), { findByHash: () => Promise.reject(new Error('disk on fire')) });
    const failing = new TokenRevocation({
      options: { realm: 'realm' },
      clients: f.clients,
      tokens,
      consents: f.consents,
      cache,
      clock: f.clock,
      reportError: (e) => reported.push(e),
    });
    const res = await failing.handle(formPost({ token: 'x' }, basic(client.id, 's')));
    assert.equal(res.status, 500);
    assert.equal((res.body as { error: string }).error, 'server_error');
    assert.doesNotMatch(JSON.stringify(res.body), /disk/);
    assert.equal(reported.length, 1);
  });
});

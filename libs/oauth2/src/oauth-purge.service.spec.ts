import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { Logger } from '@nestjs/common';
import { ManualClock } from './core/clock';
import { resolveOAuthOptions } from './oauth-options';
import { OAuthPurgeService } from './oauth-purge.service';
import { InMemoryClientStore } from './stores/memory/in-memory-client.store';
import { InMemoryCodeStore } from './stores/memory/in-memory-code.store';
import { InMemoryTokenStore } from './stores/memory/in-memory-token.store';
import type { OAuthToken } from './stores/models';

const T0 = new Date('2030-01-01T00:00:00Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);

function token(i: number, expiresAt: Date): OAuthToken {
  return {
    id: `t${i}`,
    tokenHash: `h${i}`,
    kind: 'access',
    clientId: 'c',
    userId: 'u',
    scopes: [],
    resources: [],
    grantId: 'g',
    parentId: null,
    createdAt: T0,
    grantCreatedAt: T0,
    expiresAt,
    revokedAt: null,
    rotatedAt: null,
  };
}

async function setup(purgeInterval: number | false = 3600) {
  const clock = new ManualClock(T0);
  const codes = new InMemoryCodeStore();
  const tokens = new InMemoryTokenStore();
  const options = resolveOAuthOptions({ issuer: 'https://shift.com', scopes: { profile: 'p' }, purgeInterval });
  await tokens.save(Array.from({ length: 7 }, (_, i) => token(i, at(60))));
  await tokens.save([token(99, at(7200))]);
  for (let i = 0; i < 3; i++) {
    await codes.save({
      codeHash: `c${i}`,
      clientId: 'c',
      userId: 'u',
      redirectUri: null,
      scopes: [],
      resources: [],
      codeChallenge: null,
      codeChallengeMethod: null,
      grantId: `g${i}`,
      createdAt: T0,
      expiresAt: at(60),
      consumedAt: null,
      replayedAt: null,
    });
  }
  return { clock, codes, tokens, service: new OAuthPurgeService(options, codes, tokens, clock, new InMemoryClientStore()) };
}

describe('OAuthPurgeService', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setInterval'] }));
  afterEach(() => mock.timers.reset());

  it('deletes every expired code and token, batch after batch, and keeps the live ones', async () => {
    const { clock, tokens, service } = await setup();
    clock.advance(120);
    assert.deepEqual(await service.run(2), { codes: 3, tokens: 7, clients: 0 });
    assert.ok(await tokens.findByHash('h99'));
    assert.deepEqual(await service.run(2), { codes: 0, tokens: 0, clients: 0 });
  });

  it('runs on its interval once the module starts, and stops when it is destroyed', async () => {
    const { clock, tokens, service } = await setup(3600);
    const purge = mock.method(tokens, 'purgeExpired');
    service.onModuleInit();
    clock.advance(120);
    mock.timers.tick(3600 * 1000);
    await new Promise((resolve) => setImmediate(resolve)); // the scheduled purge runs to its end
    assert.equal(purge.mock.callCount(), 1);
    assert.equal(await tokens.findByHash('h0'), undefined);
    await service.onModuleDestroy();
    mock.timers.tick(3600 * 1000);
    assert.equal(purge.mock.callCount(), 1);
  });

  it('stops a purge in flight at its next batch when the module is destroyed, and waits for that batch', async () => {
    const { clock, tokens, service } = await setup();
    await tokens.save(Array.from({ length: 5000 }, (_, i) => token(1000 + i, at(60))));
    clock.advance(120);
    let inFlight = 0;
    let batches = 0;
    const purgeExpired = tokens.purgeExpired.bind(tokens);
    mock.method(tokens, 'purgeExpired', async (now: Date, size: number) => {
      inFlight++;
      batches++;
      const deleted = await purgeExpired(now, size);
      inFlight--;
      return deleted;
    });
    const running = service.runInBackground();
    while (batches === 0) await new Promise((resolve) => setImmediate(resolve));
    await service.onModuleDestroy();
    assert.equal(inFlight, 0, 'shutdown waited for the batch in flight');
    await running;
    assert.ok(batches <= 2, `stopped at the next batch (${batches} batches ran; a full purge takes 9)`);
    assert.ok((await purgeExpired(clock.now(), 100_000)) > 0, 'the rows it did not reach are still there');
  });

  it('never starts a timer when purgeInterval is false', async () => {
    const { tokens, service } = await setup(false);
    const purge = mock.method(tokens, 'purgeExpired');
    service.onModuleInit();
    mock.timers.tick(10 * 3600 * 1000);
    await service.onModuleDestroy();
    assert.equal(purge.mock.callCount(), 0);
  });

  it('logs a failed purge instead of throwing, and tries again next time', async () => {
    const { tokens, service } = await setup();
    mock.method(tokens, 'purgeExpired', async () => {
      throw new Error('connection refused');
    });
    const logged = mock.method(Logger.prototype, 'error', () => undefined);
    try {
      await service.runInBackground();
      assert.equal(logged.mock.callCount(), 1);
      assert.match(String(logged.mock.calls[0].arguments[0]), /Purge of expired codes and tokens failed: connection refused/);
      await service.runInBackground();
      assert.equal(logged.mock.callCount(), 2);
    } finally {
      logged.mock.restore();
    }
  });
});

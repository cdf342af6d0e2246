import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { Logger } from '@nestjs/common';
import { ManualClock } from './core/clock';
import { LocalKeySigner } from './core/keys/key-signer';
import { NO_JWT_KEYS, SigningKeys } from './core/keys/signing-keys';
import { OAuthKeyRotationService, keyMaintenanceInterval } from './oauth-key-rotation.service';
import { resolveOAuthOptions } from './oauth-options';
import { InMemorySigningKeyStore } from './stores/memory/in-memory-signing-key.store';
import type { OAuthJwtOptions } from './oauth-module-options.interface';

const T0 = new Date('2030-01-01T00:00:00Z');
const DAY = 86_400;

/** `jwt: null`: no resource issues JWT access tokens. */
function setup(jwt: OAuthJwtOptions | null = { rotationInterval: DAY }) {
  const clock = new ManualClock(T0);
  const store = new InMemorySigningKeyStore();
  const options = resolveOAuthOptions({
    issuer: 'https://shift.com',
    scopes: { profile: 'p' },
    resources: { 'https://api.shift.com/': { scopes: ['profile'], accessTokenFormat: jwt ? 'jwt' : 'opaque' } },
    defaultResource: 'https://api.shift.com/',
    ...(jwt ? { jwt } : {}),
  });
  const keys = new SigningKeys({
    store,
    signer: new LocalKeySigner(randomBytes(32)),
    clock,
    settings: options.jwt?.keys ?? NO_JWT_KEYS,
  });
  return { clock, store, keys, options, service: new OAuthKeyRotationService(options, keys) };
}

/** Lets the runs the timer started finish (key generation runs off the main thread), and their logging after them. */
async function settle(keys?: SigningKeys): Promise<void> {
  const maintain = keys?.maintain as unknown as { mock?: { calls: { result?: Promise<unknown> }[] } } | undefined;
  await Promise.all((maintain?.mock?.calls ?? []).map((call) => call.result));
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('OAuthKeyRotationService (scheduled signing key rotation)', () => {
  let logged: ReturnType<typeof mock.method>;
  beforeEach(() => {
    mock.timers.enable({ apis: ['setInterval'] });
    logged = mock.method(Logger.prototype, 'log', () => undefined);
  });
  afterEach(() => {
    mock.timers.reset();
    logged.mock.restore();
  });
  const messages = () => logged.mock.calls.map((call) => String(call.arguments[0]));

  it('runs every min(keyRefreshInterval, 3600) seconds', () => {
    assert.equal(keyMaintenanceInterval({ keyRefreshInterval: 60 }), 60);
    assert.equal(keyMaintenanceInterval({ keyRefreshInterval: 7200 }), 3600);
  });

  it('rotates once rotationInterval has passed, logs the kids, and stops when the module is destroyed', async () => {
    const { clock, store, keys, service } = setup();
    await keys.ensure();
    const [first] = (await store.list()).filter((k) => k.state === 'active');
    const [next] = (await store.list()).filter((k) => k.state === 'next');
    const maintain = mock.method(keys, 'maintain');
    service.onModuleInit();

    clock.advance(DAY - 60);
    mock.timers.tick(60_000);
    await settle(keys);
    assert.equal(maintain.mock.callCount(), 1);
    assert.equal((await store.list()).find((k) => k.state === 'active')?.kid, first.kid, 'not due yet');

    clock.advance(60);
    mock.timers.tick(60_000);
    await settle(keys);
    assert.equal(maintain.mock.callCount(), 2);
    assert.equal((await store.list()).find((k) => k.state === 'active')?.kid, next.kid);
    const rotation = messages().find((m) => m.startsWith('Rotated'));
    assert.ok(rotation, messages().join('\n'));
    assert.ok(rotation.includes(next.kid) && rotation.includes(first.kid), rotation);
    for (const key of await store.list()) assert.ok(!messages().some((m) => m.includes(key.privateKey)), 'never a private key');

    await service.onModuleDestroy();
    mock.timers.tick(10 * 60_000);
    await settle(keys);
    assert.equal(maintain.mock.callCount(), 2);
  });

  it('with rotationInterval 0 never rotates, yet still deletes retired keys whose hold has passed', async () => {
    const { clock, store, keys, service } = setup({ rotationInterval: 0 });
    await keys.ensure();
    clock.advance(keys.publishAhead);
    const [step] = await keys.rotate();
    mock.method(keys, 'maintain');
    service.onModuleInit();
    clock.advance(keys.retiredKeyHold);
    mock.timers.tick(60_000);
    await settle(keys);
    assert.deepEqual(
      (await store.list()).map((k) => k.kid),
      [step.activated, step.published],
    );
    assert.ok(
      messages().some((m) => m === `Deleted signing keys whose last token has expired: ${step.retired[0]}`),
      messages().join('\n'),
    );

    clock.advance(365 * DAY);
    mock.timers.tick(60_000);
    await settle(keys);
    assert.equal((await store.list()).find((k) => k.state === 'active')?.kid, step.activated);
    await service.onModuleDestroy();
  });

  it('starts no timer when no resource issues JWT access tokens', async () => {
    const { keys, service } = setup(null);
    const maintain = mock.method(keys, 'maintain');
    service.onModuleInit();
    mock.timers.tick(10 * 3600 * 1000);
    await settle(keys);
    await service.onModuleDestroy();
    assert.equal(maintain.mock.callCount(), 0);
  });

  it('logs a failed run instead of throwing, and tries again next time', async () => {
    const { store, service } = setup();
    mock.method(store, 'deleteRetiredBefore', async () => {
      throw new Error('connection refused');
    });
    const errors = mock.method(Logger.prototype, 'error', () => undefined);
    try {
      await service.runInBackground();
      await service.runInBackground();
      assert.equal(errors.mock.callCount(), 2);
      assert.equal(String(errors.mock.calls[0].arguments[0]), 'Signing key maintenance failed: connection refused');
    } finally {
      errors.mock.restore();
    }
  });
});

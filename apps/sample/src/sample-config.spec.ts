import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadSampleConfig } from './sample-config';

describe('loadSampleConfig (the settings every SHIFT instance reads)', () => {
  it('leaves the server secret and the refresh grace period to the library when unset', () => {
    const config = loadSampleConfig({});
    assert.equal(config.secret, undefined);
    assert.equal(config.refreshTokenGracePeriod, undefined);
  });

  it('reads OAUTH_SECRET and REFRESH_TOKEN_GRACE_PERIOD, 0 included', () => {
    const secret = 'k'.repeat(32);
    const config = loadSampleConfig({ OAUTH_SECRET: secret, OAUTH_CSRF_SECRET: 'c'.repeat(32), REFRESH_TOKEN_GRACE_PERIOD: '0' });
    assert.equal(config.secret, secret, 'OAUTH_SECRET wins over its older name');
    assert.equal(config.refreshTokenGracePeriod, 0);
  });

  it('still reads the older OAUTH_CSRF_SECRET as the server secret when OAUTH_SECRET is unset', () => {
    const secret = 'c'.repeat(32);
    assert.equal(loadSampleConfig({ OAUTH_CSRF_SECRET: secret }).secret, secret);
    assert.throws(() => loadSampleConfig({ OAUTH_SECRET: 'short' }), /OAUTH_SECRET must be at least 32 characters/);
  });

  it('names every bad value in one error', () => {
    assert.throws(
      () => loadSampleConfig({ OAUTH_CSRF_SECRET: 'short', REFRESH_TOKEN_GRACE_PERIOD: '-1' }),
      (error: Error) =>
        /REFRESH_TOKEN_GRACE_PERIOD must be an integer from 0 to 3600 \(got "-1"\)/.test(error.message) &&
        /OAUTH_CSRF_SECRET must be at least 32 characters/.test(error.message),
    );
  });

  it('trusts no proxy unless TRUST_PROXY names one: a hop count or addresses, subnets and named ranges', () => {
    assert.equal(loadSampleConfig({}).trustProxy, false);
    assert.equal(loadSampleConfig({ TRUST_PROXY: 'off' }).trustProxy, false);
    assert.equal(loadSampleConfig({ TRUST_PROXY: '2' }).trustProxy, 2);
    assert.deepEqual(loadSampleConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,2001:db8::1' }).trustProxy, [
      'loopback',
      '10.0.0.0/8',
      '2001:db8::1',
    ]);
  });

  it('refuses a TRUST_PROXY that would trust every peer or names no address', () => {
    for (const bad of ['true', 'everyone', '10.0.0.0/33', '::1/129', '10.0.0.1,', '101']) {
      assert.throws(() => loadSampleConfig({ TRUST_PROXY: bad }), /TRUST_PROXY must be/, bad);
    }
  });
});

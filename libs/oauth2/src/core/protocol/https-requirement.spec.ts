import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { oauthRequest } from '../core-test.spec-helper';
import { InvalidRequestError } from '../oauth.errors';
import { assertSecureTransport, isLoopbackIp } from './https-requirement';

describe('requireHttps (RFC 6749 §3.1)', () => {
  it('knows the loopback addresses, IPv4-mapped included', () => {
    for (const ip of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) assert.equal(isLoopbackIp(ip), true);
    assert.equal(isLoopbackIp('10.0.0.1'), false);
  });
  it('refuses plain http from a remote address when required', () => {
    assert.throws(() => assertSecureTransport(oauthRequest({ ip: '203.0.113.9' }), true), InvalidRequestError);
  });
  it('allows https, loopback, and everything when not required, where the same request otherwise is refused (RFC 6749 §3.1, RFC 8252 §7.3)', () => {
    // Each allowed request is paired with its twin that differs only in the one thing that allows it.
    const cases: [string, Parameters<typeof oauthRequest>[0], Parameters<typeof oauthRequest>[0], boolean][] = [
      ['https', { ip: '203.0.113.9', secure: true }, { ip: '203.0.113.9', secure: false }, true],
      ['loopback', { ip: '::1' }, { ip: '::2' }, true],
    ];
    for (const [why, allowed, refused, required] of cases) {
      assert.doesNotThrow(() => assertSecureTransport(oauthRequest(allowed), required), why);
      assert.throws(() => assertSecureTransport(oauthRequest(refused), required), InvalidRequestError, why);
    }
    const plain = oauthRequest({ ip: '203.0.113.9' });
    assert.doesNotThrow(() => assertSecureTransport(plain, false), 'not required');
    assert.throws(() => assertSecureTransport(plain, true), InvalidRequestError, 'required');
  });
});

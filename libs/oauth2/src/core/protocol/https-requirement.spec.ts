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
  it('allows https, loopback, and everything when not required', () => {
    assertSecureTransport(oauthRequest({ ip: '203.0.113.9', secure: true }), true);
    assertSecureTransport(oauthRequest({ ip: '::1' }), true);
    assertSecureTransport(oauthRequest({ ip: '203.0.113.9' }), false);
  });
});

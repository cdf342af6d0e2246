import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isFormContentType } from './form-content-type';

describe('form content type (RFC 6749 Appendix B, RFC 9110 §8.3.1)', () => {
  it('accepts application/x-www-form-urlencoded in any case, with or without parameters (RFC 6749 §3.2, RFC 9110 §8.3.1)', () => {
    for (const type of [
      'application/x-www-form-urlencoded',
      'APPLICATION/X-WWW-FORM-URLENCODED',
      'application/x-www-form-urlencoded; charset=utf-8',
      'application/x-www-form-urlencoded ;charset=UTF-8',
      'application/x-www-form-urlencoded;',
    ])
      assert.ok(isFormContentType(type), type);
  });

  it('refuses other media types, look-alikes, a missing header and a repeated one (RFC 6749 §3.2)', () => {
    for (const type of [
      'application/json',
      'multipart/form-data',
      'text/plain; x=application/x-www-form-urlencoded',
      'application/x-www-form-urlencodedx',
      'application/x-www-form',
      '',
      undefined,
      ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded'],
    ])
      assert.equal(isFormContentType(type), false, JSON.stringify(type));
  });
});

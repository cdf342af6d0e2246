import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isClientIdSyntax } from './client-id';

describe('client identifier syntax (RFC 6749 Appendix A.1)', () => {
  it('accepts printable ASCII, spaces included (VSCHAR = %x20-7E)', () => {
    for (const id of ['d9a7bea9-4121-4c03-8b44-2393bb9d44cc', 'my app', '~!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}'])
      assert.ok(isClientIdSyntax(id), id);
  });

  it('refuses NUL, control characters, non-ASCII and the empty string', () => {
    for (const id of ['\u0000', 'a\u0000b', 'a\nb', '\u007f', 'caf\u00e9', '\ud800', ''])
      assert.equal(isClientIdSyntax(id), false, JSON.stringify(id));
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPkceValue, s256Challenge, verifyPkce } from './pkce';

describe('PKCE (RFC 7636)', () => {
  it('computes the S256 challenge of the RFC 7636 Appendix B example', () => {
    assert.equal(s256Challenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'), 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });
  it('verifies S256 and refuses a different verifier (§4.6)', () => {
    const challenge = s256Challenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk');
    assert.equal(verifyPkce('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', challenge, 'S256'), true);
    assert.equal(verifyPkce('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXj', challenge, 'S256'), false);
  });
  it('verifies plain by equality', () => {
    const v = 'a'.repeat(43);
    assert.equal(verifyPkce(v, v, 'plain'), true);
    assert.equal(verifyPkce(v, 'b'.repeat(43), 'plain'), false);
  });
  it('accepts 43 to 128 unreserved characters only (§4.1, §4.2)', () => {
    assert.equal(isPkceValue('a'.repeat(42)), false);
    assert.equal(isPkceValue('a'.repeat(43)), true);
    assert.equal(isPkceValue('A-._~'.repeat(25) + 'abc'), true);
    assert.equal(isPkceValue('a'.repeat(129)), false);
    assert.equal(isPkceValue(`${'a'.repeat(42)}/`), false);
  });
});

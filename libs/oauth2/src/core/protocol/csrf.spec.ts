import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConsentCsrf } from './csrf';

describe('consent CSRF token (RFC 6749 §10.12)', () => {
  const now = new Date('2030-01-01T00:00:00Z');
  const csrf = new ConsentCsrf('k'.repeat(32), 1800);
  const cookie = csrf.newCookieValue();
  const token = csrf.token(cookie, 'alice', '["code","c1"]', now);

  it('accepts the token for the same cookie, user and request', () => {
    assert.equal(csrf.verify(token, cookie, 'alice', '["code","c1"]', now), true);
  });
  it('refuses another cookie, user, request, or a missing part', () => {
    assert.equal(csrf.verify(token, csrf.newCookieValue(), 'alice', '["code","c1"]', now), false);
    assert.equal(csrf.verify(token, cookie, 'bob', '["code","c1"]', now), false);
    assert.equal(csrf.verify(token, cookie, 'alice', '["code","c2"]', now), false);
    assert.equal(csrf.verify(undefined, cookie, 'alice', '["code","c1"]', now), false);
    assert.equal(csrf.verify(token, undefined, 'alice', '["code","c1"]', now), false);
  });
  it('refuses a token minted with another key (another process without a shared secret)', () => {
    const other = new ConsentCsrf('x'.repeat(32));
    assert.equal(other.verify(token, cookie, 'alice', '["code","c1"]', now), false);
  });
  it('refuses a token older than its lifetime and a tampered timestamp', () => {
    assert.equal(csrf.verify(token, cookie, 'alice', '["code","c1"]', new Date(now.getTime() + 1801_000)), false);
    const [, mac] = token.split('.');
    const shifted = `${Math.floor(now.getTime() / 1000) + 100}.${mac}`;
    assert.equal(csrf.verify(shifted, cookie, 'alice', '["code","c1"]', now), false);
  });
});

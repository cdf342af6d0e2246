import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidScopeError } from '../oauth.errors';
import { formatScope, grantableScopes, parseScope } from './scope';

describe('scope (RFC 6749 §3.3)', () => {
  it('splits on spaces and drops duplicates', () => {
    assert.deepEqual(parseScope('profile  email profile'), ['profile', 'email']);
    assert.deepEqual(parseScope(undefined), []);
    assert.equal(formatScope(['a', 'b']), 'a b');
  });
  it('refuses characters outside scope-token with invalid_scope', () => {
    assert.throws(() => parseScope('pro"file'), InvalidScopeError);
    assert.throws(() => parseScope('a\\b'), InvalidScopeError);
  });
  it("grants requested scopes only within the configured and the client's", () => {
    assert.deepEqual(grantableScopes(['profile'], ['profile', 'email'], ['profile', 'email'], []), ['profile']);
    assert.throws(() => grantableScopes(['admin'], ['profile'], ['profile'], []), /Unknown scope: admin/);
    assert.throws(() => grantableScopes(['email'], ['profile'], ['profile', 'email'], []), /may not request the scope: email/);
  });
  it('falls back to the defaults the client may have, and fails when none is left', () => {
    assert.deepEqual(grantableScopes([], ['profile'], ['profile', 'email'], ['profile', 'email']), ['profile']);
    assert.throws(() => grantableScopes([], ['email'], ['profile', 'email'], ['profile']), InvalidScopeError);
    assert.throws(() => grantableScopes([], ['email'], ['profile', 'email'], []), InvalidScopeError);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bearerChallenge, BearerScopeError, BearerTokenError, MissingBearerTokenError } from './bearer-challenge';
import { InsufficientScopeError, InvalidRequestError, InvalidTokenError } from './oauth.errors';

describe('bearer challenges (RFC 6750 §3)', () => {
  it('is a bare realm when the request had no credentials (§3.1)', () => {
    assert.equal(bearerChallenge('example'), 'Bearer realm="example"');
    const error = new MissingBearerTokenError('example');
    assert.ok(error instanceof InvalidRequestError);
    assert.equal(error.status, 401);
    assert.equal(error.headers['WWW-Authenticate'], 'Bearer realm="example"');
  });

  it('may name the scopes a resource needs on a 401 without an error attribute (§3)', () => {
    assert.equal(new MissingBearerTokenError('example', ['a', 'b']).headers['WWW-Authenticate'], 'Bearer realm="example", scope="a b"');
    assert.equal(
      new BearerTokenError('r', 'bad', ['a']).headers['WWW-Authenticate'],
      'Bearer realm="r", error="invalid_token", error_description="bad", scope="a"',
    );
  });

  it('escapes quotes and backslashes and drops control characters in every value (RFC 7235 §2.1)', () => {
    assert.equal(
      bearerChallenge('a "b" \\ c\r\n', { code: 'invalid_token', description: 'bad' }),
      'Bearer realm="a \\"b\\" \\\\ c", error="invalid_token", error_description="bad"',
    );
  });

  it('keeps descriptions within the RFC 6749 §5.2 character set', () => {
    assert.equal(
      new BearerTokenError('r', 'naïve "x"').headers['WWW-Authenticate'],
      `Bearer realm="r", error="invalid_token", error_description="na?ve 'x'"`,
    );
  });

  it('carries invalid_token with status 401', () => {
    const error = new BearerTokenError('r', 'The access token expired');
    assert.ok(error instanceof InvalidTokenError);
    assert.equal(error.status, 401);
    assert.equal(
      error.headers['WWW-Authenticate'],
      'Bearer realm="r", error="invalid_token", error_description="The access token expired"',
    );
  });

  it('carries insufficient_scope with status 403 and every required scope', () => {
    const error = new BearerScopeError('r', ['profile', 'email']);
    assert.ok(error instanceof InsufficientScopeError);
    assert.equal(error.status, 403);
    assert.match(error.headers['WWW-Authenticate'], /error="insufficient_scope", error_description="[^"]+", scope="profile email"$/);
  });
});

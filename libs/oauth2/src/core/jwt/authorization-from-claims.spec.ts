import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { authorizationFromClaims } from './access-token-jwt';

const claims = (aud: string | string[]) => ({
  iss: 'https://as.example',
  sub: 'user-1',
  aud,
  client_id: 'app',
  scope: 'files:read',
  jti: 'j',
  iat: 1,
  exp: 2,
});

describe('authorizationFromClaims', () => {
  it('RFC 9068 §4: names the resource as the audience when an aud list holds it, else the first entry for the caller to refuse', () => {
    const files = 'https://files.example/';
    assert.equal(authorizationFromClaims(claims(['https://other.example/', files]), files).audience, files);
    assert.equal(
      authorizationFromClaims(claims(['https://other.example/', 'https://third.example/']), files).audience,
      'https://other.example/',
    );
    assert.equal(authorizationFromClaims(claims(files)).audience, files);
  });

  it('RFC 9068 §2.2: a sub equal to client_id means no user', () => {
    assert.equal(authorizationFromClaims({ ...claims('a'), sub: 'app' }).userId, null);
    assert.equal(authorizationFromClaims(claims('a')).userId, 'user-1');
  });
});

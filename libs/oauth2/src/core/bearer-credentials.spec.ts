import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BearerRequestError } from './bearer-challenge';
import { extractBearerToken, type BearerRequest } from './bearer-credentials';

const FORM = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };

function req(parts: Partial<BearerRequest>): BearerRequest {
  return { method: 'GET', headers: {}, query: {}, body: {}, ...parts };
}
const extract = (parts: Partial<BearerRequest>, allowQuery = false) => extractBearerToken(req(parts), 'r', allowQuery);
const refuses = (parts: Partial<BearerRequest>, message: RegExp, allowQuery = false) =>
  assert.throws(
    () => extract(parts, allowQuery),
    (e: unknown) => e instanceof BearerRequestError && e.status === 400 && message.test(e.description ?? ''),
  );

describe('extractBearerToken (RFC 6750 §2)', () => {
  it('reads the Authorization header, scheme case-insensitive, b64token syntax (§2.1)', () => {
    assert.equal(extract({ headers: { authorization: 'Bearer abc-._~+/xyz==' } }), 'abc-._~+/xyz==');
    assert.equal(extract({ headers: { authorization: 'BEARER   abc' } }), 'abc');
  });

  it('finds nothing when no token is sent or another scheme is used', () => {
    assert.equal(extract({}), undefined);
    assert.equal(extract({ headers: { authorization: 'Basic dXNlcjpwYXNz' } }), undefined);
    assert.equal(extract({ headers: { authorization: 'Bearerish abc' } }), undefined);
  });

  it('refuses a malformed Bearer header', () => {
    for (const authorization of ['Bearer', 'Bearer a b', 'Bearer =abc', 'Bearer a"b', 'Bearer\tabc']) {
      refuses({ headers: { authorization } }, /Bearer scheme/);
    }
  });

  it('refuses several Authorization headers', () => {
    refuses({ headers: { authorization: ['Bearer a', 'Bearer b'] } }, /single Authorization header/);
  });

  it('reads access_token from a form body on POST, not from other body types (§2.2)', () => {
    assert.equal(extract({ method: 'POST', headers: FORM, body: { access_token: 'abc' } }), 'abc');
    assert.equal(extract({ method: 'POST', headers: { 'content-type': 'application/json' }, body: { access_token: 'abc' } }), undefined);
  });

  it('refuses a form-body token on GET (§2.2)', () => {
    refuses({ method: 'GET', headers: FORM, body: { access_token: 'abc' } }, /not allowed on GET/);
  });

  it('refuses a query token unless allowed, then reads it (§2.3)', () => {
    refuses({ query: { access_token: 'abc' } }, /not accepted in the query string/);
    assert.equal(extract({ query: { access_token: 'abc' } }, true), 'abc');
  });

  it('refuses repeated or malformed parameters', () => {
    refuses({ method: 'POST', headers: FORM, body: { access_token: ['a', 'b'] } }, /must not be repeated/);
    refuses({ query: { access_token: ['a', 'b'] } }, /must not be repeated/, true);
    refuses({ method: 'POST', headers: FORM, body: { access_token: '' } }, /not a valid token/);
    refuses({ method: 'POST', headers: FORM, body: { access_token: 'a b' } }, /not a valid token/);
  });

  it('refuses a token sent two ways (§3.1)', () => {
    refuses({ method: 'POST', headers: { ...FORM, authorization: 'Bearer a' }, body: { access_token: 'a' } }, /one way only/);
    refuses({ headers: { authorization: 'Bearer a' }, query: { access_token: 'a' } }, /one way only/, true);
  });

  it('puts the error into the WWW-Authenticate challenge', () => {
    try {
      extract({ headers: { authorization: 'Bearer' } });
      assert.fail('expected an error');
    } catch (e) {
      assert.match(
        (e as BearerRequestError).headers['WWW-Authenticate'],
        /^Bearer realm="r", error="invalid_request", error_description="/,
      );
    }
  });
});

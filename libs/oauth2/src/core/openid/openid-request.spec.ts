import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidRequestError, RegistrationNotSupportedError, RequestNotSupportedError, RequestUriNotSupportedError } from '../oauth.errors';
import { readOpenIdRequest } from './openid-request';

function read(source: Record<string, unknown>) {
  const params: Record<string, string | undefined> = {};
  return { request: readOpenIdRequest(source, params), params };
}

describe('readOpenIdRequest (OpenID Connect Core §3.1.2.1)', () => {
  it('OpenID Connect Core §3.1.2.1: reads nonce, max_age, ui_locales (split on spaces), login_hint and id_token_hint', () => {
    const { request, params } = read({
      nonce: 'n-1',
      max_age: '300',
      ui_locales: 'fr-CA  fr en',
      login_hint: 'nate',
      id_token_hint: 'x.y.z',
    });
    assert.deepEqual(request, {
      authentication: false,
      nonce: 'n-1',
      maxAge: 300,
      uiLocales: ['fr-CA', 'fr', 'en'],
      loginHint: 'nate',
      idTokenHint: 'x.y.z',
    });
    assert.equal(params.nonce, 'n-1', 'the consent form carries the nonce');
    assert.equal(params.max_age, '300');
    assert.equal(params.id_token_hint, undefined, 'the hint is checked on the way in, not carried by the form');
  });

  it('OpenID Connect Core §3.1.2.1: max_age must be a non-negative integer (0 allowed)', () => {
    assert.equal(read({ max_age: '0' }).request.maxAge, 0);
    for (const bad of ['-1', '1.5', 'abc', ' 10', '1e3', '99999999999']) {
      assert.throws(() => read({ max_age: bad }), InvalidRequestError, bad);
    }
  });

  it('RFC 6749 §3.1: a repeated nonce is invalid_request', () => {
    assert.throws(() => read({ nonce: ['a', 'b'] }), InvalidRequestError);
  });

  it('OpenID Connect Core §6: request is request_not_supported, request_uri is request_uri_not_supported', () => {
    assert.throws(() => read({ request: 'eyJ.eyJ.sig' }), RequestNotSupportedError);
    assert.throws(() => read({ request_uri: 'https://rp.example/req' }), RequestUriNotSupportedError);
  });

  it('OpenID Connect Core §7.2.1: registration is registration_not_supported', () => {
    assert.throws(() => read({ registration: '{}' }), RegistrationNotSupportedError);
  });

  it('OpenID Connect Core §5.5: the claims parameter is ignored, even repeated; display and acr_values are accepted', () => {
    const { request, params } = read({ claims: ['{"userinfo":{}}', 'x'], display: 'popup', acr_values: 'urn:mace:incommon:iap:silver' });
    assert.deepEqual(request, { authentication: false });
    assert.equal(params.display, 'popup');
    assert.equal(params.claims, undefined);
  });

  it('the error classes carry the OpenID codes and may be redirected', () => {
    for (const error of [new RequestNotSupportedError(), new RequestUriNotSupportedError(), new RegistrationNotSupportedError()]) {
      assert.equal(error.redirectable, true);
      assert.equal(error.status, 400);
    }
    assert.equal(new RequestNotSupportedError().code, 'request_not_supported');
    assert.equal(new RequestUriNotSupportedError().code, 'request_uri_not_supported');
    assert.equal(new RegistrationNotSupportedError().code, 'registration_not_supported');
  });
});

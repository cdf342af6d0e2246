import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeCore, oauthRequest } from './core-test.spec-helper';
import { AuthorizationServerMetadata, buildMetadata, endpointUrl } from './metadata';

describe('metadata (RFC 8414)', () => {
  it('builds the endpoints from the issuer and the prefix', () => {
    const { options } = makeCore();
    const m = buildMetadata(options);
    assert.equal(m.authorization_endpoint, 'https://as.example/oauth2/auth');
    assert.equal(m.token_endpoint, 'https://as.example/oauth2/token');
    assert.equal(m.authorization_response_iss_parameter_supported, true);
  });
  it('adds the fields extensions contribute (e.g. revocation_endpoint)', () => {
    const { options } = makeCore();
    const m = buildMetadata(options, [(o) => ({ revocation_endpoint: endpointUrl(o, 'revoke') })]);
    assert.equal(m.revocation_endpoint, 'https://as.example/oauth2/revoke');
  });
  it('answers the path-suffixed form only for the issuer path (RFC 8414 §3.1)', () => {
    const { options } = makeCore({ issuer: 'https://as.example/tenant' });
    const metadata = new AuthorizationServerMetadata({ options });
    assert.equal(metadata.handle(oauthRequest(), 'tenant').status, 200);
    assert.equal(metadata.handle(oauthRequest(), '').status, 200);
    assert.equal(metadata.handle(oauthRequest(), 'other').status, 404);
  });
  it('answers a plain-HTTP request with the invalid_request response instead of throwing it (RFC 8414 §3, RFC 6749 §3.1)', () => {
    const { options } = makeCore({ requireHttps: true });
    const metadata = new AuthorizationServerMetadata({ options });
    const res = metadata.handle(oauthRequest({ secure: false, ip: '203.0.113.9' }), '');
    assert.equal(res.status, 400);
    assert.equal((res.body as { error: string }).error, 'invalid_request');
    assert.match((res.body as { error_description: string }).error_description, /HTTPS/);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuthorizationServerDiscovery, authorizationServerMetadataUrl, DiscoveryError } from './authorization-server-discovery';
import { AuthorizationServerUnavailable } from './http-json';

describe('AuthorizationServerDiscovery', () => {
  it('RFC 8414 §3.1: inserts the well-known name between the issuer’s host and path', () => {
    assert.equal(authorizationServerMetadataUrl('https://as.example'), 'https://as.example/.well-known/oauth-authorization-server');
    assert.equal(authorizationServerMetadataUrl('https://as.example/'), 'https://as.example/.well-known/oauth-authorization-server');
    assert.equal(authorizationServerMetadataUrl('https://as.example/t/1'), 'https://as.example/.well-known/oauth-authorization-server/t/1');
  });

  it('RFC 8414 §3.3: refuses a document naming another issuer, and asks again after any failure, then remembers success', async () => {
    const answers: (() => Response)[] = [
      () => new Response('', { status: 503 }),
      () => Response.json({ issuer: 'https://as.example/', introspection_endpoint: 'https://as.example/i' }),
      () => Response.json({ issuer: 'https://as.example' }),
      () => Response.json({ issuer: 'https://as.example', introspection_endpoint: 'https://as.example/i' }),
    ];
    let calls = 0;
    const discovery = new AuthorizationServerDiscovery({
      issuer: 'https://as.example',
      fetch: async () => answers[calls++](),
      timeoutMs: 1000,
    });
    await assert.rejects(discovery.introspectionEndpoint(), AuthorizationServerUnavailable);
    await assert.rejects(discovery.introspectionEndpoint(), (e) => e instanceof DiscoveryError && /section 3\.3/.test(e.message));
    await assert.rejects(discovery.introspectionEndpoint(), /no introspection_endpoint/);
    assert.equal(await discovery.introspectionEndpoint(), 'https://as.example/i');
    assert.equal(await discovery.introspectionEndpoint(), 'https://as.example/i');
    assert.equal(calls, 4);
  });

  it('RFC 8414 §2: answers jwks_uri when present, and a resource server verifying JWTs alone needs no introspection_endpoint', async () => {
    const answers = [
      () => Response.json({ issuer: 'https://as.example' }),
      () => Response.json({ issuer: 'https://as.example', jwks_uri: 'https://as.example/jwks' }),
    ];
    let calls = 0;
    const discovery = new AuthorizationServerDiscovery({
      issuer: 'https://as.example',
      fetch: async () => answers[calls++]!(),
      timeoutMs: 1000,
      requires: ['jwks_uri'],
    });
    await assert.rejects(discovery.jwksUri(), /has no jwks_uri/);
    assert.equal(await discovery.jwksUri(), 'https://as.example/jwks');
    await assert.rejects(discovery.introspectionEndpoint(), /has no introspection_endpoint/);
    assert.equal(calls, 2, 'the document is remembered once it holds what is required');
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OAuthRequest } from './oauth-request';
import {
  buildProtectedResourceMetadata,
  ProtectedResourceMetadata,
  protectedResourceMetadataPath,
  protectedResourceMetadataUrl,
} from './protected-resource-metadata';

const get = (overrides: Partial<OAuthRequest> = {}): OAuthRequest => ({
  method: 'GET',
  url: '/',
  headers: {},
  query: {},
  body: {},
  cookies: {},
  secure: false,
  ip: '127.0.0.1',
  raw: undefined,
  ...overrides,
});

describe('protected resource metadata (RFC 9728)', () => {
  it('RFC 9728 §3.1: inserts the well-known name between host and path, keeping a trailing slash', () => {
    assert.equal(protectedResourceMetadataUrl('https://api.example/v1/'), 'https://api.example/.well-known/oauth-protected-resource/v1/');
    assert.equal(protectedResourceMetadataUrl('https://api.example/v1'), 'https://api.example/.well-known/oauth-protected-resource/v1');
    assert.equal(protectedResourceMetadataUrl('https://api.example/'), 'https://api.example/.well-known/oauth-protected-resource');
    assert.equal(protectedResourceMetadataUrl('https://api.example'), 'https://api.example/.well-known/oauth-protected-resource');
    assert.equal(
      protectedResourceMetadataUrl('http://localhost:3002/a/b'),
      'http://localhost:3002/.well-known/oauth-protected-resource/a/b',
    );
    assert.equal(protectedResourceMetadataPath('https://api.example/v1/'), '/.well-known/oauth-protected-resource/v1/');
  });

  it('RFC 9728 §2: the document names the resource byte for byte, its servers, scopes, bearer methods and name', () => {
    assert.deepEqual(
      buildProtectedResourceMetadata({
        resource: 'https://api.example/v1/',
        authorizationServers: ['https://as.example'],
        scopes: ['profile'],
        allowQueryToken: true,
        name: 'API',
      }),
      {
        resource: 'https://api.example/v1/',
        authorization_servers: ['https://as.example'],
        scopes_supported: ['profile'],
        bearer_methods_supported: ['header', 'body', 'query'],
        resource_name: 'API',
      },
    );
    const bare = buildProtectedResourceMetadata({
      resource: 'https://api.example/',
      authorizationServers: ['https://as.example'],
      allowQueryToken: false,
    });
    assert.deepEqual(bare, {
      resource: 'https://api.example/',
      authorization_servers: ['https://as.example'],
      bearer_methods_supported: ['header', 'body'],
    });
  });

  it('MCP 2026-07-28 Authorization, Refresh Tokens: scopes_supported leaves out offline_access and the server’s refresh scope', () => {
    const document = buildProtectedResourceMetadata({
      resource: 'https://mcp.example/mcp',
      authorizationServers: ['https://mcp.example'],
      scopes: ['tools', 'offline_access', 'stay'],
      allowQueryToken: false,
      refreshScope: 'stay',
    });
    assert.deepEqual(document.scopes_supported, ['tools']);
  });

  it('RFC 9728 §3.1: answers each document at its exact path only, 404 elsewhere', () => {
    const metadata = new ProtectedResourceMetadata({
      requireHttps: false,
      realm: 'r',
      resources: [
        { resource: 'https://api.example/v1/', authorizationServers: ['https://as.example'], allowQueryToken: false },
        { resource: 'https://api.example/v1', authorizationServers: ['https://as.example'], allowQueryToken: false },
      ],
    });
    assert.equal(
      metadata.handle(get(), '/.well-known/oauth-protected-resource/v1/').body?.['resource' as never],
      'https://api.example/v1/',
    );
    assert.equal(metadata.handle(get(), '/.well-known/oauth-protected-resource/v1').body?.['resource' as never], 'https://api.example/v1');
    const missing = metadata.handle(get(), '/.well-known/oauth-protected-resource');
    assert.equal(missing.status, 404);
  });

  it('RFC 6749 §3.1: refuses plain http from a remote address when https is required', () => {
    const metadata = new ProtectedResourceMetadata({
      requireHttps: true,
      realm: 'r',
      resources: [{ resource: 'https://api.example/', authorizationServers: ['https://as.example'], allowQueryToken: false }],
    });
    assert.equal(metadata.handle(get({ ip: '203.0.113.9' }), '/.well-known/oauth-protected-resource').status, 400);
    assert.equal(metadata.handle(get({ ip: '203.0.113.9', secure: true }), '/.well-known/oauth-protected-resource').status, 200);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OAuthClient } from '../../stores/models';
import { InvalidRequestError, InvalidScopeError, InvalidTargetError } from '../oauth.errors';
import {
  accessTokenTtlFor,
  assertAudienceUsable,
  audienceScopes,
  grantAudience,
  requestedResources,
  resourceParams,
  scopesFittingResources,
  tokenResourceParam,
} from './resource-targets';

const API = 'https://api.example/v1/';
const FILES = 'https://files.example/';
const settings = {
  scopes: { profile: 'p', email: 'e', offline_access: 'o' },
  resources: {
    [API]: {
      scopes: ['profile'],
      accessTokenTtl: 600,
      name: 'API',
      accessTokenFormat: 'opaque' as const,
      signingAlgorithm: 'ES256' as const,
    },
    [FILES]: {
      scopes: ['email'],
      accessTokenTtl: 300,
      name: 'Files',
      accessTokenFormat: 'opaque' as const,
      signingAlgorithm: 'ES256' as const,
    },
  },
  defaultResource: undefined,
  accessTokenTtl: 3600,
};
const none = { ...settings, resources: {} };
const client = (over: Partial<OAuthClient> = {}) => ({ resources: null, defaultResource: null, ...over }) as OAuthClient;

describe('resource targets (RFC 8707)', () => {
  it('RFC 8707 §2: reads resource as a repeatable parameter, empty values as absent, anything but strings as invalid_request', () => {
    assert.deepEqual(resourceParams({}), []);
    assert.deepEqual(resourceParams({ resource: API }), [API]);
    assert.deepEqual(resourceParams({ resource: [API, '', FILES] }), [API, FILES]);
    assert.throws(() => resourceParams({ resource: { a: 'b' } }), InvalidRequestError);
    assert.throws(() => resourceParams({ resource: [API, ['x']] }), InvalidRequestError);
  });

  it("RFC 8707 §2: keeps request order without duplicates, and falls back to the client's default, then the server's", () => {
    assert.deepEqual(requestedResources([FILES, 'HTTPS://API.example:443/v1/', FILES], client(), settings), [FILES, API]);
    assert.deepEqual(requestedResources([], client({ defaultResource: FILES }), { ...settings, defaultResource: API }), [FILES]);
    assert.deepEqual(requestedResources([], client(), { ...settings, defaultResource: API }), [API]);
    assert.throws(() => requestedResources([], client({ resources: [FILES] }), { ...settings, defaultResource: API }), InvalidTargetError);
    assert.deepEqual(requestedResources([], client(), none), []);
    assert.throws(() => requestedResources([API], client(), none), InvalidTargetError);
  });

  it('RFC 8707 §2: a scope fits when it is server-level or a scope of one of the resources; defaults are narrowed instead', () => {
    assert.deepEqual(scopesFittingResources(['profile', 'offline_access'], true, [API], settings), ['profile', 'offline_access']);
    assert.throws(() => scopesFittingResources(['email'], true, [API], settings), InvalidScopeError);
    assert.deepEqual(scopesFittingResources(['profile', 'email'], false, [FILES], settings), ['email']);
    assert.throws(() => scopesFittingResources(['profile'], false, [FILES], settings), InvalidScopeError);
    assert.deepEqual(scopesFittingResources(['email'], true, [], none), ['email']);
  });

  it("RFC 8707 §2.2: an access token keeps the granted scopes of its audience and lives for the audience's lifetime", () => {
    assert.deepEqual(audienceScopes(['profile', 'email', 'offline_access'], FILES, settings), ['email', 'offline_access']);
    assert.deepEqual(audienceScopes(['profile', 'email'], undefined, settings), ['profile', 'email']);
    assert.throws(() => audienceScopes(['profile'], FILES, settings), InvalidScopeError);
    assert.equal(accessTokenTtlFor(FILES, settings), 300);
    assert.equal(accessTokenTtlFor(undefined, settings), 3600);
  });

  it("RFC 8707 §2.2: a token request names at most one resource, among the grant's, else gets the grant's first", () => {
    assert.throws(() => tokenResourceParam([API, FILES], settings), /exactly one audience/);
    assert.throws(() => tokenResourceParam([API], none), InvalidTargetError);
    assert.throws(() => tokenResourceParam(['/v1'], settings), InvalidTargetError);
    assert.equal(tokenResourceParam(['HTTPS://FILES.example/'], settings), FILES);
    assert.equal(grantAudience(undefined, [FILES, API]), FILES);
    assert.equal(grantAudience(API, [FILES, API]), API);
    assert.throws(() => grantAudience(API, [FILES]), InvalidTargetError);
    assert.equal(grantAudience(undefined, []), undefined);
  });

  it("RFC 8707 §2.2: a grant's resource stops minting tokens once it is no longer configured or allowed for the client", () => {
    assert.throws(() => assertAudienceUsable('https://gone.example/', client(), settings), /no longer a resource of this server/);
    assert.throws(() => assertAudienceUsable(FILES, client({ resources: [API] }), settings), /may no longer request tokens/);
    assert.doesNotThrow(() => assertAudienceUsable(API, client({ resources: [API] }), settings));
    assert.doesNotThrow(() => assertAudienceUsable(undefined, client(), none));
  });
});

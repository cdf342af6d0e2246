import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openIdMetadata, openIdMetadataProblems, type ClientOpenIdSettings, type OpenIdClientFields } from './client-openid-metadata';

const OPENID: ClientOpenIdSettings = { idTokenSigningAlgorithms: ['RS256', 'ES256'], subjectTypes: ['public', 'pairwise'] };

function fields(over: Partial<OpenIdClientFields> = {}): OpenIdClientFields {
  return {
    redirectUris: ['https://customapp.example/cb'],
    applicationType: 'web',
    idTokenSignedResponseAlg: null,
    subjectType: null,
    sectorIdentifierUri: null,
    postLogoutRedirectUris: null,
    ...over,
  };
}

describe('OpenID Connect client metadata rules', () => {
  it('OpenID Connect Registration §2: accepts every field within what the server offers', () => {
    const valid = fields({
      idTokenSignedResponseAlg: 'ES256',
      subjectType: 'pairwise',
      sectorIdentifierUri: 'https://customapp.example/sector.json',
      postLogoutRedirectUris: ['https://customapp.example/bye', 'http://127.0.0.1:3001/bye'],
    });
    assert.deepEqual(openIdMetadataProblems(valid, OPENID), []);
    assert.deepEqual(openIdMetadataProblems(fields(), undefined), [], 'nothing to refuse without the fields');
  });

  it('refuses every OpenID Connect field, by its wire name, when OpenID Connect is off', () => {
    const problems = openIdMetadataProblems(
      fields({ subjectType: 'public', postLogoutRedirectUris: ['https://customapp.example/bye'] }),
      undefined,
    );
    assert.deepEqual(problems, ['subject_type, post_logout_redirect_uris: OpenID Connect is not enabled on this server']);
  });

  it('OpenID Connect Registration §2: refuses unsigned and shared-secret ID tokens, and algorithms the server does not sign with', () => {
    const problem = (alg: string) => openIdMetadataProblems(fields({ idTokenSignedResponseAlg: alg }), OPENID);
    assert.match(problem('none')[0], /"none" is refused: ID tokens are always signed here \(use RS256, ES256\)/);
    assert.match(problem('HS256')[0], /"HS256" is refused: .*never a shared secret/);
    assert.match(problem('hs512')[0], /never a shared secret/);
    assert.match(problem('EdDSA')[0], /"EdDSA" is not supported \(use RS256, ES256\)/);
    assert.match(problem('PS256')[0], /not supported/);
    assert.deepEqual(problem('RS256'), []);
  });

  it('OpenID Connect Core §8: takes public or pairwise, and pairwise only when the server offers it', () => {
    assert.match(openIdMetadataProblems(fields({ subjectType: 'secret' }), OPENID)[0], /subject_type "secret" is not supported/);
    const publicOnly = { ...OPENID, subjectTypes: ['public'] as const };
    assert.match(
      openIdMetadataProblems(fields({ subjectType: 'pairwise' }), publicOnly)[0],
      /"pairwise" is not offered.*\(offered: public\)/,
    );
    assert.deepEqual(openIdMetadataProblems(fields({ subjectType: 'public' }), publicOnly), []);
  });

  it('OpenID Connect Core §8.1: a pairwise client with redirect URIs on several hosts needs a sector_identifier_uri', () => {
    const twoHosts = ['https://customapp.example/cb', 'https://login.customapp.example/cb'];
    assert.match(
      openIdMetadataProblems(fields({ subjectType: 'pairwise', redirectUris: twoHosts }), OPENID)[0],
      /more than one host needs a sector_identifier_uri \(OpenID Connect Core section 8.1\)/,
    );
    const oneHost = ['https://customapp.example/cb', 'https://customapp.example/other'];
    assert.deepEqual(openIdMetadataProblems(fields({ subjectType: 'pairwise', redirectUris: oneHost }), OPENID), []);
    const withSector = fields({ subjectType: 'pairwise', redirectUris: twoHosts, sectorIdentifierUri: 'https://customapp.example/s.json' });
    assert.deepEqual(openIdMetadataProblems(withSector, OPENID), []);
    assert.deepEqual(
      openIdMetadataProblems(fields({ subjectType: 'public', redirectUris: twoHosts }), OPENID),
      [],
      'public needs no sector',
    );
  });

  it('OpenID Connect Registration §2: a sector_identifier_uri must be https, without a fragment or whitespace', () => {
    for (const uri of [
      'http://customapp.example/s.json',
      'https://customapp.example/s.json#x',
      'https://customapp.example/a b',
      'ftp://x/y',
      'nope',
    ]) {
      const [problem] = openIdMetadataProblems(fields({ sectorIdentifierUri: uri }), OPENID);
      assert.match(problem, /sector_identifier_uri .* must be an https URL without a fragment/, uri);
    }
  });

  it('RP-Initiated Logout §3.1: post-logout redirect URIs follow the redirect URI rules, kept apart from redirect URI problems', () => {
    const problems = openIdMetadataProblems(
      fields({ postLogoutRedirectUris: ['http://customapp.example/bye', 'https://customapp.example/bye#top', 'com.example.app:/bye'] }),
      OPENID,
    );
    assert.equal(problems.length, 3);
    for (const problem of problems) assert.match(problem, /^post-logout redirect URI /);
    assert.deepEqual(
      openIdMetadataProblems(fields({ applicationType: 'native', postLogoutRedirectUris: ['com.example.app:/bye'] }), OPENID),
      [],
      'a native app may use its private-use scheme (RFC 8252 §7.1)',
    );
    assert.deepEqual(openIdMetadataProblems(fields({ postLogoutRedirectUris: 'https://customapp.example/bye' as never }), OPENID), [
      'post_logout_redirect_uris must be a list of URIs',
    ]);
    assert.deepEqual(openIdMetadataProblems(fields({ postLogoutRedirectUris: [7] as never }), OPENID), [
      'each post-logout redirect URI must be a string',
    ]);
  });

  it('stores only what is set, an empty post-logout list as none and each URI once', () => {
    assert.deepEqual(openIdMetadata(fields({ postLogoutRedirectUris: [] })), {});
    assert.deepEqual(
      openIdMetadata(fields({ idTokenSignedResponseAlg: 'ES256', postLogoutRedirectUris: ['https://a.example/x', 'https://a.example/x'] })),
      { idTokenSignedResponseAlg: 'ES256', postLogoutRedirectUris: ['https://a.example/x'] },
    );
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sectorIdentifier, subjectFor } from './subject';

const web = { redirectUris: ['https://app.example/cb', 'https://app.example/other'] };
const salt = 'a-long-enough-salt';

describe('subjects (OpenID Connect Core §8)', () => {
  it('§8: a public-subject client sees the local user id', () => {
    assert.equal(subjectFor(web, 'nate', salt), 'nate');
    assert.equal(subjectFor({ ...web, subjectType: 'public' }, 'nate', undefined), 'nate');
  });

  it('§8.1: a pairwise client sees a stable value that is not the user id, the same across its redirect URIs', () => {
    const client = { ...web, subjectType: 'pairwise' as const };
    const sub = subjectFor(client, 'nate', salt);
    assert.notEqual(sub, 'nate');
    assert.equal(subjectFor(client, 'nate', salt), sub);
    assert.equal(subjectFor({ ...client, redirectUris: ['https://app.example/other'] }, 'nate', salt), sub);
    assert.notEqual(subjectFor(client, 'alice', salt), sub);
    assert.notEqual(subjectFor(client, 'nate', `${salt}-2`), sub, 'the salt is part of it');
  });

  it('§8.1: clients of different sectors get different values; sector_identifier_uri sets the sector', () => {
    const a = { redirectUris: ['https://a.example/cb'], subjectType: 'pairwise' as const };
    const b = { redirectUris: ['https://b.example/cb'], subjectType: 'pairwise' as const };
    assert.notEqual(subjectFor(a, 'nate', salt), subjectFor(b, 'nate', salt));
    const grouped = { ...b, sectorIdentifierUri: 'https://a.example/sector.json' };
    assert.equal(sectorIdentifier(grouped), 'a.example');
    assert.equal(subjectFor(grouped, 'nate', salt), subjectFor(a, 'nate', salt));
  });

  it('RFC 8252 §7.1: a native app with a private-use scheme is its own sector', () => {
    assert.equal(sectorIdentifier({ redirectUris: ['com.example.app:/cb'], subjectType: 'pairwise' }), 'com.example.app');
  });

  it('refuses to derive a pairwise value without a salt or a sector rather than fall back to the user id', () => {
    assert.throws(() => subjectFor({ ...web, subjectType: 'pairwise' }, 'nate', undefined), /pairwiseSalt/);
    assert.throws(() => subjectFor({ redirectUris: [], subjectType: 'pairwise' }, 'nate', salt), /no sector/);
  });
});

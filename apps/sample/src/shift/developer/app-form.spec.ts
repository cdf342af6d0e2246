import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appChanges, readAppForm } from './app-form';

describe('the developer portal’s app form', () => {
  it('reads every field as text and the grant types as a list, whether one box or several was ticked', () => {
    const one = readAppForm({ name: 'App', grant_types: 'authorization_code', kind: 'public' });
    assert.deepEqual(one.grantTypes, ['authorization_code']);
    assert.equal(one.kind, 'public');
    const several = readAppForm({ grant_types: ['authorization_code', 'refresh_token'] });
    assert.deepEqual(several.grantTypes, ['authorization_code', 'refresh_token']);
    assert.equal(several.kind, 'confidential', 'anything but "public" is a confidential app');
  });

  it('reads a field posted as an object or a list (a hostile form) as empty, never as text of its own making', () => {
    const form = readAppForm({
      name: ['a', 'b'],
      client_uri: { toString: 'x' },
      grant_types: [{ a: 1 }, 'refresh_token'],
      kind: ['public'],
    });
    assert.equal(form.name, '');
    assert.equal(form.clientUri, '');
    assert.deepEqual(form.grantTypes, ['refresh_token']);
    assert.equal(form.kind, 'confidential');
    assert.deepEqual(readAppForm(undefined).grantTypes, []);
  });

  it('turns the text into the registry’s input: one redirect URI per line, blank fields as none, repeats once', () => {
    const { changes, problems } = appChanges({
      ...readAppForm({}),
      name: '  Planner  ',
      redirectUris: 'https://a.example/cb\r\n\n  https://b.example/cb  \nhttps://a.example/cb',
      clientUri: '  ',
      grantTypes: ['authorization_code'],
    });
    assert.deepEqual(problems, []);
    assert.equal(changes.name, 'Planner');
    assert.deepEqual(changes.redirectUris, ['https://a.example/cb', 'https://b.example/cb']);
    assert.deepEqual(changes.postLogoutRedirectUris, [], 'no post-logout URI unless the developer gives one');
    assert.equal(changes.clientUri, null);
    assert.equal(changes.logoUri, null);
    assert.equal(changes.description, null);
  });

  it('reads the post-logout redirect URIs (OpenID Connect RP-Initiated Logout §3.1) one per line, as the redirect URIs', () => {
    const form = readAppForm({ post_logout_redirect_uris: ' https://a.example/bye \n\nhttps://a.example/bye\r\nhttps://a.example/later' });
    const { changes, problems } = appChanges({ ...form, name: 'App', grantTypes: ['authorization_code'] });
    assert.deepEqual(problems, []);
    assert.deepEqual(changes.postLogoutRedirectUris, ['https://a.example/bye', 'https://a.example/later']);
    const many = appChanges({
      ...form,
      name: 'App',
      grantTypes: ['authorization_code'],
      postLogoutRedirectUris: Array.from({ length: 11 }, (_, i) => `https://a.example/${i}`).join('\n'),
    });
    assert.deepEqual(many.problems, ['post-logout redirect URIs: at most 10, one per line']);
  });

  it('names what only the portal limits: a long name, too many redirect URIs, no grant type', () => {
    const { problems } = appChanges({
      ...readAppForm({}),
      name: 'x'.repeat(101),
      redirectUris: Array.from({ length: 11 }, (_, i) => `https://a.example/${i}`).join('\n'),
      grantTypes: [],
    });
    assert.deepEqual(problems, [
      'name: must be at most 100 characters',
      'redirect URIs: at most 10, one per line',
      'grant types: pick at least one',
    ]);
  });
});

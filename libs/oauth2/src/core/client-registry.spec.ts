import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClientRegistrationError, type ClientRegistration } from './client-registry';
import { makeCore } from './core-test.spec-helper';
import { OAuthError } from './oauth.errors';

async function refused(registration: ClientRegistration): Promise<{ problems: string[]; stored: number }> {
  const { registry, stores } = makeCore();
  const error = await registry.register(registration).then(
    () => assert.fail('the registration was accepted'),
    (err: unknown) => err,
  );
  assert.ok(error instanceof ClientRegistrationError, String(error));
  assert.ok(!(error instanceof OAuthError), 'a registration problem is an administrator error, not an OAuth protocol error');
  return { problems: error.problems, stored: (await stores.clients.list()).length };
}

describe('ClientRegistry', () => {
  it('throws ClientRegistrationError as a plain Error listing every problem, not an OAuth protocol error', async () => {
    const { registry } = makeCore();
    const error = await registry.register({ name: '', redirectUris: ['http://evil.example/cb'] }).then(
      () => assert.fail('the registration was accepted'),
      (err: unknown) => err,
    );
    assert.ok(error instanceof ClientRegistrationError, String(error));
    assert.ok(error instanceof Error);
    assert.ok(!(error instanceof OAuthError));
    assert.equal(error.name, 'ClientRegistrationError');
    assert.equal('code' in error, false);
    assert.ok(error.problems.length >= 2, error.problems.join('; '));
    assert.equal(error.message, error.problems.join('; '));
  });

  it('refuses a redirect URI with whitespace, which a space-joined list would split into two (RFC 6749 §3.1.2)', async () => {
    const { problems, stored } = await refused({
      name: 'App',
      redirectUris: ['https://app.example/cb http://evil.example/steal'],
    });
    assert.equal(stored, 0);
    assert.deepEqual(problems, [
      'redirect URI "https://app.example/cb http://evil.example/steal" must not contain whitespace or control characters',
    ]);
  });

  it('refuses a redirect URI that is not in canonical form, so exact matching means what it says (RFC 9700 §4.1.3)', async () => {
    const { problems, stored } = await refused({ name: 'App', redirectUris: ['https://App.example/cb'] });
    assert.equal(stored, 0);
    assert.match(problems[0], /canonical form "https:\/\/app\.example\/cb"/);
  });

  it('makes public clients native and confidential ones web unless told otherwise (RFC 7591 §2, RFC 8252 §8.4)', async () => {
    const { registry } = makeCore();
    const pub = await registry.register({ name: 'Phone', redirectUris: ['http://127.0.0.1/cb'], public: true });
    const conf = await registry.register({ name: 'Site', redirectUris: ['https://site.example/cb'] });
    const spa = await registry.register({ name: 'SPA', redirectUris: ['https://spa.example/cb'], public: true, applicationType: 'web' });
    assert.equal(pub.client.applicationType, 'native');
    assert.equal(conf.client.applicationType, 'web');
    assert.equal(spa.client.applicationType, 'web');
  });

  it('refuses an unknown application_type (RFC 7591 §2)', async () => {
    const { problems, stored } = await refused({
      name: 'App',
      redirectUris: ['https://app.example/cb'],
      applicationType: 'desktop' as 'native',
    });
    assert.equal(stored, 0);
    assert.deepEqual(problems, ['application type "desktop" is not supported (use web or native)']);
  });

  it('accepts a private-use URI scheme for a native client and refuses it for a web client (RFC 8252 §7.1, §8.4)', async () => {
    const { registry } = makeCore();
    const phone = await registry.register({ name: 'Phone', redirectUris: ['com.example.app:/oauth2redirect'], public: true });
    assert.deepEqual(phone.client.redirectUris, ['com.example.app:/oauth2redirect']);
    const { problems } = await refused({ name: 'Site', redirectUris: ['com.example.app:/oauth2redirect'] });
    assert.match(problems[0], /private-use URI scheme, which only a native application may register/);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClientRegistrationError, ClientRegistry, type ClientRegistration, type ClientUpdate } from './client-registry';
import { hashSecret } from './protocol/credentials';
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

  it('refuses control characters in the name, URIs and software id, which pages show and PostgreSQL cannot store (NUL)', async () => {
    const { problems, stored } = await refused({
      name: 'App\u0000',
      redirectUris: ['https://app.example/cb'],
      logoUri: 'https://app.example/\u0000',
      softwareId: 'id\n',
      description: 'text\u0000',
    });
    assert.equal(stored, 0);
    assert.deepEqual(problems, [
      'name: must not contain control characters',
      'logo URI "https://app.example/\\u0000" must be an https URL',
      'description: must not contain a NUL character',
      'software id: must be text of 1 to 255 characters, without control characters',
    ]);
  });

  it('RFC 7591 §3.2.2: tells the redirect URI problems apart, and issues a registration access token only to a dynamic client', async () => {
    const { problems } = await refused({ name: 'App', redirectUris: ['http://evil.example/cb'], grantTypes: ['password' as never] });
    const { registry } = makeCore();
    const error = await registry
      .register({ name: 'App', redirectUris: ['http://evil.example/cb'], grantTypes: ['password' as never] })
      .catch((e: unknown) => e);
    assert.ok(error instanceof ClientRegistrationError);
    assert.deepEqual(error.redirectUriProblems, [
      'redirect URI "http://evil.example/cb" must use https (plain http is allowed only for loopback hosts)',
    ]);
    assert.equal(problems.length, 2);
    const dynamic = await registry.register({
      name: 'Agent',
      redirectUris: ['http://127.0.0.1/cb'],
      public: true,
      registration: 'dynamic',
    });
    assert.match(dynamic.registrationAccessToken ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.equal(dynamic.client.registrationAccessTokenHash, hashSecret(dynamic.registrationAccessToken!));
    const operator = await registry.register({ name: 'Site', redirectUris: ['https://site.example/cb'] });
    assert.equal(operator.registrationAccessToken, undefined);
    assert.equal(operator.client.registrationAccessTokenHash, undefined);
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

  it('RFC 7591 §2: takes logo_uri and client_uri as https URLs only, and changes or removes them by update', async () => {
    const { problems, stored } = await refused({
      name: 'App',
      redirectUris: ['https://app.example/cb'],
      logoUri: 'http://app.example/logo.png',
      clientUri: 'javascript:alert(1)',
    });
    assert.deepEqual(problems, [
      'logo URI "http://app.example/logo.png" must be an https URL',
      'client URI "javascript:alert(1)" must be an https URL',
    ]);
    assert.equal(stored, 0);
    const { registry, stores } = makeCore();
    const { client } = await registry.register({
      name: 'App',
      redirectUris: ['https://app.example/cb'],
      logoUri: 'https://app.example/logo.png',
      clientUri: 'https://app.example/',
    });
    assert.equal(client.logoUri, 'https://app.example/logo.png');
    assert.equal(client.clientUri, 'https://app.example/');
    const updated = await registry.update(client.id, { logoUri: null });
    assert.equal('logoUri' in updated, false);
    assert.equal(updated.clientUri, 'https://app.example/');
    assert.deepEqual(await stores.clients.findById(client.id), updated);
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

  describe('update', () => {
    async function registered() {
      const core = makeCore();
      const { client, clientSecret } = await core.registry.register({
        name: 'Site',
        redirectUris: ['https://site.example/cb'],
        scopes: ['profile'],
      });
      return { ...core, client, clientSecret: clientSecret! };
    }

    async function refusedUpdate(changes: ClientUpdate): Promise<string[]> {
      const { registry, stores, client } = await registered();
      const error = await registry.update(client.id, changes).then(
        () => assert.fail('the update was accepted'),
        (err: unknown) => err,
      );
      assert.ok(error instanceof ClientRegistrationError, String(error));
      assert.deepEqual(await stores.clients.findById(client.id), client, 'a refused update stores nothing');
      return error.problems;
    }

    it('changes the given fields, keeps the others and keeps the secret', async () => {
      const { registry, stores, client, clientSecret } = await registered();
      const updated = await registry.update(client.id, { redirectUris: ['https://site.example/new-cb'], scopes: ['profile', 'email'] });
      assert.deepEqual(updated.redirectUris, ['https://site.example/new-cb']);
      assert.deepEqual(updated.scopes, ['profile', 'email']);
      assert.equal(updated.name, 'Site');
      assert.deepEqual(updated.grantTypes, client.grantTypes);
      assert.equal(updated.applicationType, 'web');
      assert.equal(updated.createdAt.getTime(), client.createdAt.getTime());
      assert.equal(updated.secretHash, hashSecret(clientSecret), 'the secret only changes through rotateSecret');
      assert.deepEqual(await stores.clients.findById(client.id), updated);
    });

    it('refuses a redirect URI that registration would refuse (RFC 6749 §3.1.2, RFC 9700 §4.1.3)', async () => {
      const problems = await refusedUpdate({ redirectUris: ['https://Site.example/cb', 'https://site.example/a b'] });
      assert.equal(problems.length, 2, problems.join('; '));
      assert.match(problems[0], /canonical form "https:\/\/site\.example\/cb"/);
      assert.match(problems[1], /must not contain whitespace or control characters/);
    });

    it('refuses to remove the last redirect URI of an authorization_code client (RFC 6749 §3.1.2)', async () => {
      assert.deepEqual(await refusedUpdate({ redirectUris: [] }), [
        'at least one redirect URI is required for the authorization_code grant',
      ]);
    });

    it('refuses an unsupported grant type (RFC 7591 §2)', async () => {
      const problems = await refusedUpdate({ grantTypes: ['password' as 'authorization_code'] });
      assert.match(problems[0], /^grant type "password" is not supported/);
    });

    it('refuses client_credentials for a public client, which has no secret (RFC 6749 §4.4)', async () => {
      const { registry, client } = await (async () => {
        const core = makeCore();
        return { ...core, ...(await core.registry.register({ name: 'Phone', redirectUris: ['http://127.0.0.1/cb'], public: true })) };
      })();
      await assert.rejects(registry.update(client.id, { grantTypes: ['authorization_code', 'client_credentials'] }), (error: unknown) => {
        assert.ok(error instanceof ClientRegistrationError);
        assert.deepEqual(error.problems, ['a public client cannot use client_credentials (it has no secret to authenticate with)']);
        return true;
      });
    });

    it('refuses a scope the server does not know', async () => {
      assert.deepEqual(await refusedUpdate({ scopes: ['profile', 'admin'] }), ['scope "admin" is not configured on this server']);
    });

    it('refuses an unknown application_type, and checks the redirect URIs again under a new one (RFC 7591 §2, RFC 8252 §7.3)', async () => {
      assert.deepEqual(await refusedUpdate({ applicationType: 'desktop' as 'web' }), [
        'application type "desktop" is not supported (use web or native)',
      ]);
      const { registry } = makeCore();
      const phone = await registry.register({ name: 'Phone', redirectUris: ['com.example.app:/cb'], public: true });
      await assert.rejects(registry.update(phone.client.id, { applicationType: 'web' }), /private-use URI scheme/);
    });

    it('refuses an empty name', async () => {
      assert.deepEqual(await refusedUpdate({ name: '  ' }), ['name: is required']);
    });

    it('refuses an unknown client', async () => {
      const { registry } = makeCore();
      await assert.rejects(registry.update('nobody', { name: 'X' }), (error: unknown) => {
        assert.ok(error instanceof ClientRegistrationError);
        assert.deepEqual(error.problems, ['client "nobody" does not exist']);
        return true;
      });
    });
  });
});

describe('ClientRegistry: resources a client may use (RFC 8707 §2)', () => {
  const API = 'https://api.shift.example/v1/';
  const FILES = 'https://files.shift.example/';
  const registryFor = (known?: string[]) => {
    const { stores, clock } = makeCore();
    return new ClientRegistry({ clients: stores.clients, clock, knownScopes: ['profile'], knownResources: known });
  };
  const problemsOf = async (registry: ClientRegistry, input: Partial<ClientRegistration>) =>
    registry.register({ name: 'App', grantTypes: ['client_credentials'], ...input }).then(
      () => [],
      (err: ClientRegistrationError) => err.problems,
    );

  it('RFC 8707 §2: stores the resources and the default, and null for both when left out (every resource, the server default)', async () => {
    const registry = registryFor([API, FILES]);
    const { client } = await registry.register({
      name: 'App',
      grantTypes: ['client_credentials'],
      resources: [API, FILES, API],
      defaultResource: FILES,
    });
    assert.deepEqual([client.resources, client.defaultResource], [[API, FILES], FILES]);
    const plain = await registry.register({ name: 'Plain', grantTypes: ['client_credentials'] });
    assert.deepEqual([plain.client.resources, plain.client.defaultResource], [null, null]);
    const updated = await registry.update(client.id, { resources: null, defaultResource: API });
    assert.deepEqual([updated.resources, updated.defaultResource], [null, API]);
  });

  it('RFC 8707 §2: refuses identifiers not in canonical form, not configured, or a default outside the list', async () => {
    const registry = registryFor([API, FILES]);
    assert.deepEqual(await problemsOf(registry, { resources: ['HTTPS://api.shift.example/v1/'] }), [
      'resource "HTTPS://api.shift.example/v1/" must be written in its canonical form "https://api.shift.example/v1/"',
    ]);
    assert.deepEqual(await problemsOf(registry, { resources: ['https://other.example/'] }), [
      'resource "https://other.example/" is not configured on this server',
    ]);
    assert.deepEqual(await problemsOf(registry, { resources: ['/v1'] }), [
      'resource "/v1" is not an absolute URI without a fragment (RFC 8707 §2)',
    ]);
    assert.deepEqual(await problemsOf(registry, { resources: [API], defaultResource: FILES }), [
      `default resource "${FILES}" must be one of the client's resources`,
    ]);
    const { client } = await registry.register({ name: 'App', grantTypes: ['client_credentials'], resources: [API] });
    await assert.rejects(registry.update(client.id, { defaultResource: FILES }), /must be one of the client's resources/);
  });

  it('RFC 8707 §2: without the configured resources (a command-line tool) checks only their form', async () => {
    const registry = registryFor(undefined);
    assert.deepEqual(
      await problemsOf(registry, { resources: ['https://anything.example/'], defaultResource: 'https://anything.example/' }),
      [],
    );
    assert.equal((await problemsOf(registry, { defaultResource: 'https://x.example/#f' })).length, 1);
  });
});

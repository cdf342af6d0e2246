import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCli } from './support/run-cli';

/**
 * The admin CLI refuses bad input with a one-line reason and a non-zero exit, before it opens the
 * database: pointed at a SQLite file that does not exist, it does not even create it.
 */
// The checks are independent child processes: run them side by side.
describe('admin CLI input checks', { concurrency: 4 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'oauth-cli-input-'));
  const file = join(dir, 'never-created.sqlite');
  const url = `sqlite:${file}`;

  const refused: [string, string[], RegExp][] = [
    ['a missing --name', ['clients', 'create', '--redirect-uri', 'https://a.example/cb'], /--name is required/],
    ['a relative redirect URI', ['clients', 'create', '--name', 'X', '--redirect-uri', '/cb'], /not an absolute URL/],
    [
      'a redirect URI with a fragment (RFC 6749 §3.1.2)',
      ['clients', 'create', '--name', 'X', '--redirect-uri', 'https://a.example/cb#top'],
      /fragment/,
    ],
    [
      'an http redirect URI on a non-loopback host (RFC 9700 §4.1.1)',
      ['clients', 'create', '--name', 'X', '--redirect-uri', 'http://a.example/cb'],
      /must use https/,
    ],
    [
      'a redirect URI with whitespace, which a space-separated list would read back as two (RFC 6749 §3.1.2)',
      ['clients', 'create', '--name', 'X', '--redirect-uri', 'https://app.example/cb http://evil.example/steal'],
      /redirect URI "https:\/\/app\.example\/cb http:\/\/evil\.example\/steal" must not contain whitespace or control characters/,
    ],
    [
      'a redirect URI with a control character (RFC 3986 §2)',
      ['clients', 'create', '--name', 'X', '--redirect-uri', 'https://app.example/cb\thttp://evil.example/steal'],
      /must not contain whitespace or control characters/,
    ],
    [
      'a redirect URI that is not in canonical form (RFC 9700 §4.1.3)',
      ['clients', 'create', '--name', 'X', '--redirect-uri', 'https://App.example/cb'],
      /canonical form/,
    ],
    [
      'an unknown --application-type (RFC 7591 §2)',
      ['clients', 'create', '--name', 'X', '--redirect-uri', 'https://a.example/cb', '--application-type', 'desktop'],
      /application type "desktop" is not supported/,
    ],
    [
      'a private-use URI scheme for a web client (RFC 8252 §8.4)',
      ['clients', 'create', '--name', 'X', '--redirect-uri', 'com.example.app:/cb', '--application-type', 'web', '--public'],
      /private-use URI scheme/,
    ],
    [
      'an unknown grant type',
      ['clients', 'create', '--name', 'X', '--redirect-uri', 'https://a.example/cb', '--grant-types', 'password'],
      /grant type "password"/,
    ],
    [
      'an unknown scope',
      ['clients', 'create', '--name', 'X', '--redirect-uri', 'https://a.example/cb', '--scope', 'admin'],
      /scope "admin"/,
    ],
    [
      'an unknown option',
      ['clients', 'create', '--name', 'X', '--redirect-uri', 'https://a.example/cb', '--secret', 'abc'],
      /Unknown option '--secret'/,
    ],
    [
      'a --resource not in canonical form (RFC 8707 §2)',
      ['clients', 'create', '--name', 'X', '--grant-types', 'client_credentials', '--resource', 'HTTPS://API.example/v1/'],
      /resource "HTTPS:\/\/API\.example\/v1\/" must be written in its canonical form "https:\/\/api\.example\/v1\/"/,
    ],
    [
      'a --resource that is not an absolute URI (RFC 8707 §2)',
      ['clients', 'create', '--name', 'X', '--grant-types', 'client_credentials', '--resource', '/v1'],
      /resource "\/v1" is not an absolute URI/,
    ],
    [
      'a --default-resource outside its --resource list (RFC 8707 §2)',
      [
        'clients',
        'create',
        '--name',
        'X',
        '--grant-types',
        'client_credentials',
        '--resource',
        'https://api.example/v1/',
        '--default-resource',
        'https://files.example/',
      ],
      /default resource "https:\/\/files\.example\/" must be one of the client's resources/,
    ],
    ['an option of another command', ['clients', 'list', '--name', 'X'], /does not take --name/],
    ['an unknown command', ['clients', 'frobnicate'], /unknown command "clients frobnicate"/],
    ['a missing client id', ['clients', 'rotate-secret'], /needs a client id/],
  ];
  for (const [what, args, reason] of refused) {
    it(`refuses ${what} with a one-line reason on stderr and exit code 2`, async () => {
      const run = await runCli([...args, '--json'], url);
      assert.equal(run.code, 2);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, reason);
      assert.equal(run.stderr.trimEnd().split('\n').length, 1, run.stderr);
    });
  }

  it('prints its usage with --help', async () => {
    const run = await runCli(['--help'], url);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /clients create --name NAME --redirect-uri URI/);
  });

  after(() => {
    const created = existsSync(file);
    rmSync(dir, { recursive: true, force: true });
    // Wrote nothing: the database file was never even created.
    assert.equal(created, false);
  });
});

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from './support/run-cli';
import { createTestDatabase, type TestDatabase } from './support/test-database';

const SECRET = /^[A-Za-z0-9_-]{43}$/;

/** The same suite on a SQLite file that does not exist yet and on the database of DATABASE_URL. */
const targets: { label: string; open(): Promise<{ url: string; close(): Promise<void>; files?: () => string[] }> }[] = [
  {
    label: 'a SQLite file that does not exist yet',
    open: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'oauth-cli-'));
      const file = join(dir, 'nested', 'admin.sqlite');
      return {
        url: `sqlite:${file}`,
        files: () => (existsSync(join(dir, 'nested')) ? readdirSync(join(dir, 'nested')).map((f) => join(dir, 'nested', f)) : []),
        close: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    label: 'the DATABASE_URL database',
    open: async () => {
      const db: TestDatabase = await createTestDatabase();
      return { url: db.url, close: () => db.drop() };
    },
  },
];

for (const target of targets) {
  describe(`admin CLI on ${target.label}`, () => {
    let url: string;
    let files: (() => string[]) | undefined;
    let close: () => Promise<void>;

    before(async () => {
      ({ url, files, close } = await target.open());
    });
    after(() => close());

    const clientCount = async () => JSON.parse((await runCli(['clients', 'list', '--json'], url)).stdout).length as number;

    if (target.label.startsWith('a SQLite')) {
      it('refuses bad input before creating the database file', async () => {
        const run = await runCli(['clients', 'create', '--name', 'X', '--redirect-uri', 'http://example.com/cb', '--json'], url);
        assert.notEqual(run.code, 0);
        assert.deepEqual(files!(), []);
      });
    }

    it('creates the schema on first use and prints exactly {"client_id","client_secret"} with --json', async () => {
      const run = await runCli(
        [
          'clients',
          'create',
          '--name',
          'Planner',
          '--redirect-uri',
          'https://planner.example/cb',
          '--redirect-uri',
          'http://127.0.0.1:8080/cb',
          '--scope',
          'profile offline_access',
          '--json',
        ],
        url,
      );
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stderr, '');
      const printed = JSON.parse(run.stdout);
      assert.deepEqual(Object.keys(printed), ['client_id', 'client_secret']);
      assert.match(printed.client_secret, SECRET);
      assert.equal(run.stdout, `${JSON.stringify(printed)}\n`);
      const shown = JSON.parse((await runCli(['clients', 'show', printed.client_id, '--json'], url)).stdout);
      assert.deepEqual(shown.redirect_uris, ['https://planner.example/cb', 'http://127.0.0.1:8080/cb']);
      assert.deepEqual(shown.scopes, ['profile', 'offline_access']);
      assert.equal(shown.type, 'confidential');
      assert.equal(JSON.stringify(shown).includes(printed.client_secret), false);
      if (files) {
        // Secrets are stored only as hashes (RFC 6819 §5.1.4.1.3): the database file never holds the secret itself.
        for (const file of files()) assert.equal(readFileSync(file).includes(printed.client_secret), false, file);
      }
    });

    it('prints no client_secret for a --public client', async () => {
      const run = await runCli(
        ['clients', 'create', '--name', 'Phone app', '--redirect-uri', 'http://[::1]:7000/cb', '--public', '--json'],
        url,
      );
      assert.equal(run.code, 0, run.stderr);
      const printed = JSON.parse(run.stdout);
      assert.deepEqual(Object.keys(printed), ['client_id']);
      assert.equal(JSON.parse((await runCli(['clients', 'show', printed.client_id, '--json'], url)).stdout).type, 'public');
    });

    it('registers a client_credentials client with --grant-types and --introspect', async () => {
      const run = await runCli(
        ['clients', 'create', '--name', 'Reports', '--grant-types', 'client_credentials', '--introspect', '--json'],
        url,
      );
      assert.equal(run.code, 0, run.stderr);
      const shown = JSON.parse((await runCli(['clients', 'show', JSON.parse(run.stdout).client_id, '--json'], url)).stdout);
      assert.deepEqual(shown.grant_types, ['client_credentials']);
      assert.equal(shown.can_introspect, true);
    });

    it('without --json prints a readable summary saying the secret is shown only once', async () => {
      const run = await runCli(['clients', 'create', '--name', 'Readable', '--redirect-uri', 'https://readable.example/cb'], url);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /Registered client "Readable"/);
      assert.match(run.stdout, /client_secret: +[A-Za-z0-9_-]{43}\n/);
      assert.match(run.stdout, /shown only once/);
    });

    it('lists, shows, rotates the secret of and deletes a client', async () => {
      const { client_id: id, client_secret: first } = JSON.parse(
        (await runCli(['clients', 'create', '--name', 'Lifecycle', '--redirect-uri', 'https://life.example/cb', '--json'], url)).stdout,
      );
      const list = await runCli(['clients', 'list'], url);
      assert.equal(list.code, 0);
      assert.match(list.stdout, /^CLIENT ID +NAME/);
      assert.match(list.stdout, new RegExp(`${id} +Lifecycle +confidential`));
      const show = await runCli(['clients', 'show', id], url);
      assert.match(show.stdout, /redirect URIs: +https:\/\/life\.example\/cb/);

      const rotated = await runCli(['clients', 'rotate-secret', id, '--json'], url);
      assert.equal(rotated.code, 0, rotated.stderr);
      const { client_id, client_secret } = JSON.parse(rotated.stdout);
      assert.equal(client_id, id);
      assert.match(client_secret, SECRET);
      assert.notEqual(client_secret, first);

      const before = await clientCount();
      const deleted = await runCli(['clients', 'delete', id], url);
      assert.equal(deleted.code, 0, deleted.stderr);
      assert.match(deleted.stdout, /Deleted client "Lifecycle"/);
      assert.equal(await clientCount(), before - 1);
      const again = await runCli(['clients', 'show', id], url);
      assert.notEqual(again.code, 0);
      assert.match(again.stderr, /does not exist/);
    });

    it('tokens purge deletes expired tokens and codes and says how many', async () => {
      const run = await runCli(['tokens', 'purge', '--json'], url);
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(Object.keys(JSON.parse(run.stdout)), ['tokens', 'codes']);
      assert.match(
        (await runCli(['tokens', 'purge'], url)).stdout,
        /Deleted \d+ expired token\(s\) and \d+ expired authorization code\(s\)/,
      );
    });

    const badInput: [string, string[], RegExp][] = [
      ['a missing --name', ['--redirect-uri', 'https://a.example/cb'], /--name is required/],
      ['a relative redirect URI', ['--name', 'X', '--redirect-uri', '/cb'], /not an absolute URL/],
      ['a redirect URI with a fragment (RFC 6749 §3.1.2)', ['--name', 'X', '--redirect-uri', 'https://a.example/cb#top'], /fragment/],
      ['an http redirect URI on a non-loopback host', ['--name', 'X', '--redirect-uri', 'http://a.example/cb'], /must use https/],
      [
        'an unknown grant type',
        ['--name', 'X', '--redirect-uri', 'https://a.example/cb', '--grant-types', 'password'],
        /grant type "password"/,
      ],
      ['an unknown scope', ['--name', 'X', '--redirect-uri', 'https://a.example/cb', '--scope', 'admin'], /scope "admin"/],
      ['an unknown option', ['--name', 'X', '--redirect-uri', 'https://a.example/cb', '--secret', 'abc'], /Unknown option '--secret'/],
    ];
    for (const [what, args, reason] of badInput) {
      it(`refuses ${what} with a one-line reason on stderr, exit code 2, and writes nothing`, async () => {
        const before = await clientCount();
        const run = await runCli(['clients', 'create', ...args, '--json'], url);
        assert.equal(run.code, 2);
        assert.equal(run.stdout, '');
        assert.match(run.stderr, reason);
        assert.equal(run.stderr.trimEnd().split('\n').length, 1, run.stderr);
        assert.equal(await clientCount(), before);
      });
    }

    it('refuses an unknown command and a missing client id', async () => {
      const unknown = await runCli(['clients', 'frobnicate'], url);
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /unknown command/);
      const missing = await runCli(['clients', 'delete'], url);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /needs a client id/);
    });
  });
}

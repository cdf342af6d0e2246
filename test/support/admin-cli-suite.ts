import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from './run-cli';
import { createTestDatabase } from './test-database';

const SECRET = /^[A-Za-z0-9_-]{43}$/;

/** Where a CLI suite runs: a database URL and, for SQLite, the files the database consists of. */
export interface CliTarget {
  label: string;
  open(): Promise<{ url: string; close(): Promise<void>; files?: () => string[] }>;
}

/** A SQLite file, in a folder, that does not exist yet. */
export const NEW_SQLITE_FILE: CliTarget = {
  label: 'a SQLite file that does not exist yet',
  open: async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oauth-cli-'));
    const folder = join(dir, 'nested');
    return {
      url: `sqlite:${join(folder, 'admin.sqlite')}`,
      files: () => (existsSync(folder) ? readdirSync(folder).map((f) => join(folder, f)) : []),
      close: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
};

/** A fresh database of the kind in DATABASE_URL (SQLite when unset). */
export const DATABASE_URL_DATABASE: CliTarget = {
  label: 'the DATABASE_URL database',
  open: async () => {
    const db = await createTestDatabase();
    return { url: db.url, close: () => db.drop() };
  },
};

/**
 * The admin CLI's client and token commands, run as a child process against `target`. `full` adds the
 * cases that do not depend on the database (output formats, client kinds); one target runs them.
 */
export function describeAdminCli(target: CliTarget, { full }: { full: boolean }): void {
  describe(`admin CLI on ${target.label}`, () => {
    let url: string;
    let files: (() => string[]) | undefined;
    let close: () => Promise<void>;
    const created: Record<string, { client_id: string; client_secret?: string }> = {};

    before(async () => {
      ({ url, files, close } = await target.open());
    });
    after(() => close());

    const create = async (key: string, args: string[]) => {
      const run = await runCli(['clients', 'create', ...args, '--json'], url);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stderr, '');
      created[key] = JSON.parse(run.stdout);
      return run;
    };

    it('creates the schema on first use and prints exactly {"client_id","client_secret"} with --json', async () => {
      const run = await create('planner', [
        '--name',
        'Planner',
        '--redirect-uri',
        'https://planner.example/cb',
        '--redirect-uri',
        'http://127.0.0.1:8080/cb',
        '--scope',
        'profile offline_access',
      ]);
      const printed = created.planner;
      assert.deepEqual(Object.keys(printed), ['client_id', 'client_secret']);
      assert.match(printed.client_secret!, SECRET);
      assert.equal(run.stdout, `${JSON.stringify(printed)}\n`);
    });

    const fullIt = full ? it : () => undefined;

    // Once the schema exists, independent commands run side by side to keep the suite short.
    describe('more registrations', { concurrency: true }, () => {
      fullIt('prints no client_secret for a --public client', async () => {
        await create('phone', ['--name', 'Phone app', '--redirect-uri', 'http://[::1]:7000/cb', '--public']);
        assert.deepEqual(Object.keys(created.phone), ['client_id']);
      });

      fullIt('registers a native app with --application-type native and a private-use scheme redirect URI (RFC 8252 §7.1)', async () => {
        const args = ['--name', 'Desktop app', '--redirect-uri', 'com.example.desktop:/cb', '--application-type', 'native'];
        await create('desktop', args);
        assert.deepEqual(Object.keys(created.desktop), ['client_id', 'client_secret']);
      });

      fullIt('registers a client_credentials client with --grant-types and --introspect', async () => {
        await create('reports', ['--name', 'Reports', '--grant-types', 'client_credentials', '--introspect']);
      });

      fullIt('without --json prints a readable summary saying the secret is shown only once', async () => {
        const run = await runCli(['clients', 'create', '--name', 'Readable', '--redirect-uri', 'https://readable.example/cb'], url);
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stdout, /Registered client "Readable"/);
        assert.match(run.stdout, /client_secret: +[A-Za-z0-9_-]{43}\n/);
        assert.match(run.stdout, /shown only once/);
      });
    });

    describe('listing', { concurrency: true }, () => {
      it('clients list --json shows what was registered, and never a secret or its hash', async () => {
        const run = await runCli(['clients', 'list', '--json'], url);
        assert.equal(run.code, 0, run.stderr);
        const list = JSON.parse(run.stdout) as Record<string, any>[];
        const byId = (key: string) => list.find((c) => c.client_id === created[key].client_id)!;
        assert.deepEqual(byId('planner').redirect_uris, ['https://planner.example/cb', 'http://127.0.0.1:8080/cb']);
        assert.deepEqual(byId('planner').scopes, ['profile', 'offline_access']);
        assert.equal(byId('planner').type, 'confidential');
        assert.equal(byId('planner').application_type, 'web');
        assert.deepEqual([byId('planner').resources, byId('planner').default_resource], [null, null], 'every resource, the server default');
        if (full) {
          assert.equal(byId('phone').type, 'public');
          assert.equal(byId('phone').application_type, 'native');
          assert.equal(byId('desktop').type, 'confidential');
          assert.equal(byId('desktop').application_type, 'native');
          assert.deepEqual(byId('desktop').redirect_uris, ['com.example.desktop:/cb']);
          assert.deepEqual(byId('reports').grant_types, ['client_credentials']);
          assert.equal(byId('reports').can_introspect, true);
        }
        assert.equal(list.length, full ? 5 : 1);
        assert.equal(run.stdout.includes(created.planner.client_secret!), false);
        assert.doesNotMatch(run.stdout, /hash/i);
        if (files) {
          // Secrets are stored only as hashes (RFC 6819 §5.1.4.1.3): the database files never hold one.
          for (const file of files()) assert.equal(readFileSync(file).includes(created.planner.client_secret!), false, file);
        }
      });

      it('clients list and clients show print readable tables', async () => {
        const list = await runCli(['clients', 'list'], url);
        assert.match(list.stdout, /^CLIENT ID +NAME/);
        assert.match(list.stdout, /^CLIENT ID +NAME +TYPE +APPLICATION TYPE +GRANT TYPES/);
        assert.match(list.stdout, new RegExp(`${created.planner.client_id} +Planner +confidential +web `));
        const show = await runCli(['clients', 'show', created.planner.client_id], url);
        assert.equal(show.code, 0, show.stderr);
        assert.match(show.stdout, /redirect URIs: +https:\/\/planner\.example\/cb, http:\/\/127\.0\.0\.1:8080\/cb/);
        assert.match(show.stdout, /application type: +web\n/);
        assert.match(show.stdout, /resources: +\(every configured resource\)\n {2}default resource: +\(the server's\)\n/);
      });
    });

    it('clients rotate-secret prints a new secret for the same client', async () => {
      const run = await runCli(['clients', 'rotate-secret', created.planner.client_id, '--json'], url);
      assert.equal(run.code, 0, run.stderr);
      const { client_id, client_secret } = JSON.parse(run.stdout);
      assert.equal(client_id, created.planner.client_id);
      assert.match(client_secret, SECRET);
      assert.notEqual(client_secret, created.planner.client_secret);
    });

    it('clients rotate-secret --overlap keeps the old secret until the time it prints, and refuses a bad overlap with exit 2', async () => {
      const before = Math.floor(Date.now() / 1000);
      const run = await runCli(['clients', 'rotate-secret', created.planner.client_id, '--overlap', '3600', '--json'], url);
      assert.equal(run.code, 0, run.stderr);
      const { previous_secret_expires_at: until } = JSON.parse(run.stdout);
      assert.ok(until >= before + 3600 && until <= Math.floor(Date.now() / 1000) + 3600, String(until));
      for (const overlap of ['soon', '-5', String(31 * 24 * 3600)]) {
        const refused = await runCli(['clients', 'rotate-secret', created.planner.client_id, '--overlap', overlap], url);
        assert.equal(refused.code, 2, `${overlap}: ${refused.stderr}`);
        assert.match(refused.stderr, /overlap/);
      }
    });

    it('clients delete removes the client; showing it afterwards fails', async () => {
      const deleted = await runCli(['clients', 'delete', created.planner.client_id], url);
      assert.equal(deleted.code, 0, deleted.stderr);
      assert.match(deleted.stdout, /Deleted client "Planner"/);
      const again = await runCli(['clients', 'rotate-secret', created.planner.client_id], url);
      assert.notEqual(again.code, 0);
      assert.match(again.stderr, /does not exist/);
    });

    describe('purge and refusal', { concurrency: true }, () => {
      it('tokens purge runs the purge and reports how many expired tokens and codes it deleted', async () => {
        const run = await runCli(['tokens', 'purge', '--json'], url);
        assert.equal(run.code, 0, run.stderr);
        assert.deepEqual(Object.keys(JSON.parse(run.stdout)), ['tokens', 'codes']);
      });

      it('RFC 8707 §2: refuses a --resource the server does not configure, naming it', async () => {
        const run = await runCli(
          ['clients', 'create', '--name', 'Bad', '--grant-types', 'client_credentials', '--resource', 'https://unknown.example/', '--json'],
          url,
        );
        assert.equal(run.code, 2);
        assert.match(run.stderr, /resource "https:\/\/unknown\.example\/" is not configured on this server/);
      });

      it('refuses a bad registration without writing anything to this database', async () => {
        const run = await runCli(['clients', 'create', '--name', 'Bad', '--redirect-uri', 'http://bad.example/cb', '--json'], url);
        assert.equal(run.code, 2);
        const list = JSON.parse((await runCli(['clients', 'list', '--json'], url)).stdout) as { name: string }[];
        assert.deepEqual(list.map((c) => c.name).sort(), full ? ['Desktop app', 'Phone app', 'Readable', 'Reports'] : []);
      });
    });
  });
}

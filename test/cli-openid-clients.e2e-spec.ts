import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runBareCli, type CliRun } from './support/run-cli';
import {
  DOCUMENT_HOST,
  json,
  makeTestTls,
  startDocumentServer,
  type DocumentServer,
} from '../libs/oauth2/src/core/client-metadata/document-server.spec-helper';

// The admin CLI registers OpenID Connect clients with the same rules as dynamic registration
// (OpenID Connect Registration 1.0 §2, §5; RP-Initiated Logout §3.1). Its settings come from a
// JavaScript module that turns OpenID Connect on and lets the sector identifier fetch reach the
// document server this test runs on 127.0.0.1 (its resolver and CA, as an intranet's would be).

const WEB = 'https://customapp.example/cb';
const LOGIN = 'https://login.customapp.example/cb';

describe('admin CLI: OpenID Connect client metadata', () => {
  let dir: string;
  let docs: DocumentServer;
  let url: string;
  let openid: string;
  let plain: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'oauth-cli-openid-'));
    const tls = makeTestTls();
    docs = await startDocumentServer(tls);
    docs.route('/sector.json', json([WEB, LOGIN]));
    docs.route('/partial.json', json([WEB]));
    writeFileSync(join(dir, 'ca.pem'), tls.ca);
    url = `sqlite:${join(dir, 'host.sqlite')}`;
    openid = join(dir, 'openid-options.js');
    writeFileSync(
      openid,
      `const { readFileSync } = require('node:fs');
exports.oauthOptions = {
  issuer: 'https://auth.example',
  scopes: { profile: 'Read your profile' },
  openid: { idTokenSigningAlgorithms: ['RS256', 'ES256'], pairwiseSalt: 'a-salt-for-pairwise-subjects' },
  clientIdMetadataDocuments: {
    enabled: true,
    allowClientIdUrl: () => false,
    allowedAddresses: ['127.0.0.1/32'],
    lookup: async (host) => (host === '${DOCUMENT_HOST}' ? [{ address: '127.0.0.1', family: 4 }] : []),
    ca: readFileSync(${JSON.stringify(join(dir, 'ca.pem'))}, 'utf8'),
  },
};
`,
    );
    plain = join(dir, 'plain-options.js');
    writeFileSync(plain, "exports.oauthOptions = { issuer: 'https://auth.example', scopes: { profile: 'Read your profile' } };\n");
    const migrated = await runBareCli(['clients', 'list', '--migrate', '--json'], { DATABASE_URL: url });
    assert.equal(migrated.code, 0, migrated.stderr);
  });
  after(async () => {
    await docs.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const create = (config: string, ...args: string[]): Promise<CliRun> =>
    runBareCli(['clients', 'create', '--name', 'CustomApp', '--config', config, '--json', ...args], { DATABASE_URL: url });

  it('OpenID Connect Registration §2, §5, RP-Initiated Logout §3.1: clients create stores the OpenID Connect metadata, and clients show lists it', async () => {
    const sector = docs.url('/sector.json');
    const run = await create(
      openid,
      ...['--redirect-uri', WEB, '--redirect-uri', LOGIN],
      ...[
        '--post-logout-redirect-uri',
        'https://customapp.example/bye',
        '--post-logout-redirect-uri',
        'https://login.customapp.example/bye',
      ],
      ...['--subject-type', 'pairwise', '--sector-identifier-uri', sector, '--id-token-signed-response-alg', 'ES256'],
    );
    assert.equal(run.code, 0, run.stderr);
    const { client_id } = JSON.parse(run.stdout) as { client_id: string };
    const shown = JSON.parse((await runBareCli(['clients', 'show', client_id, '--json'], { DATABASE_URL: url })).stdout);
    assert.deepEqual(shown.post_logout_redirect_uris, ['https://customapp.example/bye', 'https://login.customapp.example/bye']);
    assert.equal(shown.subject_type, 'pairwise');
    assert.equal(shown.sector_identifier_uri, sector);
    assert.equal(shown.id_token_signed_response_alg, 'ES256');
    const text = await runBareCli(['clients', 'show', client_id], { DATABASE_URL: url });
    assert.match(text.stdout, /post-logout URIs: https:\/\/customapp\.example\/bye, https:\/\/login\.customapp\.example\/bye/);
  });

  const refused: [string, string, string[], RegExp][] = [
    ['an unsigned ID token algorithm', 'openid', ['--id-token-signed-response-alg', 'none'], /"none" is refused/],
    ['a shared-secret ID token algorithm', 'openid', ['--id-token-signed-response-alg', 'HS256'], /never a shared secret/],
    [
      'a pairwise client on two hosts without a sector identifier (OpenID Connect Core §8.1)',
      'openid',
      ['--redirect-uri', LOGIN, '--subject-type', 'pairwise'],
      /needs a sector_identifier_uri/,
    ],
    [
      'a sector document missing a redirect URI (OpenID Connect Registration §5)',
      'openid',
      ['--redirect-uri', LOGIN, '--subject-type', 'pairwise', '--sector-identifier-uri', '/partial.json'],
      /does not list the redirect URI "https:\/\/login\.customapp\.example\/cb"/,
    ],
    [
      'an http post-logout redirect URI',
      'openid',
      ['--post-logout-redirect-uri', 'http://customapp.example/bye'],
      /post-logout redirect URI/,
    ],
    [
      'OpenID Connect metadata when the server has OpenID Connect off',
      'plain',
      ['--post-logout-redirect-uri', 'https://customapp.example/bye'],
      /post_logout_redirect_uris: OpenID Connect is not enabled on this server/,
    ],
  ];
  for (const [what, config, args, reason] of refused) {
    it(`refuses ${what} with exit code 2, storing nothing`, async () => {
      const before = (await runBareCli(['clients', 'list', '--json'], { DATABASE_URL: url })).stdout;
      const withSector = args.map((arg) => (arg.startsWith('/') ? docs.url(arg) : arg));
      const run = await create(config === 'openid' ? openid : plain, '--redirect-uri', WEB, ...withSector);
      assert.equal(run.code, 2, run.stdout);
      assert.match(run.stderr, reason);
      assert.equal((await runBareCli(['clients', 'list', '--json'], { DATABASE_URL: url })).stdout, before);
    });
  }
});

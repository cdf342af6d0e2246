import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ClientStore, TokenStore } from 'nest-oauth2-provider';
import request from 'supertest';
import { createOAuthTestApp, type OAuthTestApp } from './fixtures/oauth-app.fixture';
import { runBareCli } from './support/run-cli';

/** `nest-oauth2 registration-tokens …` on the database a running server uses, with nothing but DATABASE_URL. */
function cli(t: OAuthTestApp, args: string[]) {
  return runBareCli(['registration-tokens', ...args], { DATABASE_URL: t.db!.url, NEST_OAUTH2_CONFIG: undefined });
}

function register(t: OAuthTestApp, token?: string) {
  const req = request(t.server).post('/oauth2/register').set('Content-Type', 'application/json');
  if (token) req.set('Authorization', `Bearer ${token}`);
  return req.send({ client_name: 'Deployed app', redirect_uris: ['https://app.example/cb'] });
}

describe('nest-oauth2 registration-tokens (RFC 7591 §3 initial access tokens)', () => {
  let t: OAuthTestApp;
  before(async () => {
    t = await createOAuthTestApp({ options: { registration: { enabled: true, initialAccessToken: 'required' } } });
    // The CLI stamps tokens with the real time.
    t.clock.set(new Date());
  });
  after(() => t.close());

  it('create prints the token once and stores only its hash; the server then accepts it for registration', async () => {
    const run = await cli(t, ['create', '--expires-in', '3600', '--json']);
    assert.equal(run.code, 0, run.stderr);
    const created = JSON.parse(run.stdout) as { id: string; initial_access_token: string; expires_at: number };
    assert.match(created.initial_access_token, /^[A-Za-z0-9_-]{43}$/);
    assert.ok(Math.abs(created.expires_at - (Date.now() / 1000 + 3600)) < 60);
    const row = await t.app.get(TokenStore).findByHash(createHash('sha256').update(created.initial_access_token).digest('hex'));
    assert.equal(row?.kind, 'initial_access');
    assert.equal(row?.id, created.id);

    assert.equal((await register(t)).status, 401);
    const res = await register(t, created.initial_access_token);
    assert.equal(res.status, 201, res.text);

    const list = JSON.parse((await cli(t, ['list', '--json'])).stdout) as { id: string; state: string }[];
    assert.deepEqual(
      list.map((row) => [row.id, row.state]),
      [[created.id, 'active']],
    );
    assert.ok(!(await cli(t, ['list'])).stdout.includes(created.initial_access_token), 'never printed again');

    const revoked = await cli(t, ['revoke', created.id, '--json']);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.equal((await register(t, created.initial_access_token)).status, 401);
    assert.equal((JSON.parse((await cli(t, ['list', '--json'])).stdout) as { state: string }[])[0].state, 'revoked');
    assert.equal((await t.app.get(ClientStore).list()).length, 1, 'the client it registered stays');
  });

  it('refuses a bad --expires-in or an unknown id with exit code 2, writing nothing', async () => {
    for (const value of ['0', '-5', 'soon', '31536001']) {
      const run = await cli(t, ['create', `--expires-in=${value}`]);
      assert.equal(run.code, 2, `${value}: ${run.stderr}`);
      assert.match(run.stderr, /^error: --expires-in/);
    }
    const unknown = await cli(t, ['revoke', 'no-such-token']);
    assert.equal(unknown.code, 2);
    assert.equal((JSON.parse((await cli(t, ['list', '--json'])).stdout) as unknown[]).length, 1);
  });

  it('prints the token and how to use it without --json', async () => {
    const run = await cli(t, ['create']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Initial access token \S+, valid until \d{4}-/);
    assert.match(run.stdout, /Authorization: Bearer <token>/);
  });
});

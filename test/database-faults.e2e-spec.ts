import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import type { Response } from 'supertest';
import { hashSecret } from './support/library-internals';
import { eventually } from './support/eventually';
import { postgresForSuite } from './support/postgres-server';
import { approveCode, logIn, postToken, readMe, SHIFT_AUTH, SHIFT_REVOKE } from './support/shift-browser';
import { startShiftCluster, type ShiftCluster } from './support/shift-cluster';
import { TcpProxy } from './support/tcp-proxy';

const REDIRECT = 'https://customapp.example/oauth/redirect';

/** RFC 6749 §4.1.2.1 temporarily_unavailable as JSON, with Retry-After and no-store, never a 500. */
function assertUnavailable(res: Response): void {
  assert.equal(res.status, 503, `${res.status} ${res.text}`);
  assert.equal(res.body.error, 'temporarily_unavailable');
  assert.ok(Number(res.headers['retry-after']) > 0, 'Retry-After');
  assert.doesNotMatch(res.text, /\bat .*\.js:\d+|QueryFailedError|ECONNREFUSED|Connection terminated/, 'no internals in the body');
}

/** Polls `probe` until it answers `status` (the pool reconnects on its own), at most 10 s. */
function answers(probe: () => Promise<Response>, status: number): Promise<Response> {
  return eventually(probe, (res) => res.status === status);
}

/**
 * Two processes of the sample's SHIFT (`npm run start:shift`) reach PostgreSQL through a TCP proxy the
 * test cuts and restores; the test's own connection goes straight to the server.
 */
describe('database faults', async () => {
  const pg = await postgresForSuite();
  describe('PostgreSQL cut between the SHIFT instances and the server', { skip: pg.skip }, () => {
    const url = pg.url!;
    let proxy: TcpProxy;
    let cluster: ShiftCluster;
    let urls: string[];
    let client: { id: string; secret: string };
    /** nate's browser session at SHIFT. */
    let nate: string;
    const server = new URL(url);
    before(async () => {
      proxy = await TcpProxy.start({ host: server.hostname, port: Number(server.port || 5432) });
      cluster = await startShiftCluster(url, [{}, {}], (url) => proxy.route(url));
      urls = cluster.instances.map((p) => p.url);
      nate = await logIn(urls[0], 'nate');
      client = await cluster.register({
        name: 'CustomApp',
        redirectUris: [REDIRECT],
        scopes: ['profile', 'offline_access'],
        grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
      });
    });
    after(async () => {
      for (const instance of cluster?.instances ?? []) assert.ok(instance.alive(), `a SHIFT process exited:\n${instance.stderr()}`);
      await cluster?.close();
      await proxy?.close();
      if (proxy) console.log(`database faults injected: ${proxy.stats.cuts} cuts over ${proxy.stats.connections} proxied connections`);
    });

    const issuePair = async () => {
      const { code, verifier } = await approveCode(urls[0], urls[1], nate, { id: client.id, redirectUri: REDIRECT });
      const form = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier };
      const res = await postToken(urls[0], client, form);
      assert.equal(res.status, 200, res.text);
      return { form, access: res.body.access_token as string, refresh: res.body.refresh_token as string };
    };
    const rowsOfGrant = async (
      token: string,
    ): Promise<{ kind: string; revoked_at: unknown; rotated_at: unknown; parent_id: string | null }[]> =>
      cluster.data.query(
        'SELECT kind, revoked_at, rotated_at, parent_id FROM oauth_tokens WHERE grant_id = (SELECT grant_id FROM oauth_tokens WHERE token_hash = $1)',
        [hashSecret(token)],
      );

    it('answers 503 temporarily_unavailable with Retry-After, never 500, while the database is cut, and serves again after (RFC 6749 §5.2)', async () => {
      const { access, refresh } = await issuePair();
      for (const instance of urls) assert.equal((await readMe(instance, access)).status, 200);

      await proxy.cut(); // pooled idle connections die too: a process without a pool error handler would exit here
      for (const instance of urls) {
        assertUnavailable(await postToken(instance, client, { grant_type: 'client_credentials', scope: 'profile' }));
        assertUnavailable(await postToken(instance, client, { grant_type: 'refresh_token', refresh_token: refresh }));
        assertUnavailable(await postToken(instance, client, { grant_type: 'authorization_code', code: 'x', redirect_uri: REDIRECT }));
        const guarded = await readMe(instance, access);
        assertUnavailable(guarded);
        const revoke = await request(instance)
          .post(SHIFT_REVOKE)
          .type('form')
          .send({ token: access, client_id: client.id, client_secret: client.secret });
        assertUnavailable(revoke);
        const authorize = await request(instance)
          .get(SHIFT_AUTH)
          .query({ response_type: 'code', client_id: client.id, redirect_uri: REDIRECT, scope: 'profile', state: 's' })
          .set('Cookie', nate);
        // The user's SHIFT session cannot be read either: a "try again" page, not a 500.
        assert.equal(authorize.status, 503, `authorize answered ${authorize.status}`);
        assert.ok(Number(authorize.headers['retry-after']) > 0, 'Retry-After');
        assert.doesNotMatch(authorize.text, /\bat .*\.js:\d+|ECONNREFUSED/);
      }
      // Every proxied socket is closed, and each process answered once more after that, so its pool has
      // seen its connections die (an unhandled pool error would have ended the process by then).
      assert.equal(
        await eventually(
          async () => proxy.openSockets,
          (n) => n === 0,
        ),
        0,
        'the cut closed every proxied socket',
      );
      for (const instance of urls) assertUnavailable(await readMe(instance, access));
      for (const instance of cluster.instances)
        assert.ok(instance.alive(), `a SHIFT process exited during the outage:\n${instance.stderr()}`);

      await proxy.restore();
      for (const instance of urls) {
        assert.equal((await answers(() => readMe(instance, access), 200)).status, 200, 'the same process serves the API again');
        const res = await answers(() => postToken(instance, client, { grant_type: 'client_credentials', scope: 'profile' }), 200);
        assert.equal(res.status, 200, res.text);
      }
      const refreshed = await postToken(urls[1], client, { grant_type: 'refresh_token', refresh_token: refresh });
      assert.equal(refreshed.status, 200, 'a token presented during the outage was not used up');
      for (const instance of cluster.instances) assert.ok(instance.alive(), instance.stderr());
    });

    it('rolls a rotation back whole when the connection drops between its UPDATE and INSERT (RFC 9700 §4.14.2)', async () => {
      const { refresh } = await issuePair();
      const cut = proxy.cutOnStatement('INSERT INTO "oauth_tokens"');
      assertUnavailable(await postToken(urls[1], client, { grant_type: 'refresh_token', refresh_token: refresh }));
      await cut;
      const rows = await rowsOfGrant(refresh);
      assert.equal(rows.length, 2, 'no token of the new pair was stored');
      assert.ok(
        rows.every((r) => !r.rotated_at && !r.revoked_at),
        'the used refresh token is not marked rotated',
      );
      const retry = await answers(() => postToken(urls[1], client, { grant_type: 'refresh_token', refresh_token: refresh }), 200);
      assert.equal(retry.status, 200, `the client's retry succeeds: ${retry.text}`);
    });

    it('stores no token of a pair when the connection drops while issuing it, and the code stays spent (RFC 6749 §4.1.2)', async () => {
      const { code, verifier } = await approveCode(urls[0], urls[1], nate, { id: client.id, redirectUri: REDIRECT });
      const form = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier };
      const cut = proxy.cutOnStatement('INSERT INTO "oauth_tokens"');
      assertUnavailable(await postToken(urls[0], client, form));
      await cut;
      const [{ grant_id: grantId }] = await cluster.data.query('SELECT grant_id FROM oauth_authorization_codes WHERE code_hash = $1', [
        hashSecret(code),
      ]);
      const [{ n }] = await cluster.data.query('SELECT COUNT(*) AS n FROM oauth_tokens WHERE grant_id = $1', [grantId]);
      assert.equal(Number(n), 0, 'neither the access nor the refresh token was stored');
      // The code was consumed before the cut (single use is decided first): the client starts over, nothing leaks.
      const replay = await answers(() => postToken(urls[0], client, form), 400);
      assert.equal(replay.body.error, 'invalid_grant');
    });

    it('revokes a whole family or none of it when the connection drops mid-revocation (RFC 6749 §4.1.2)', async () => {
      const { form, refresh } = await issuePair();
      const rotated = await postToken(urls[1], client, { grant_type: 'refresh_token', refresh_token: refresh });
      assert.equal(rotated.status, 200);
      const cut = proxy.cutOnStatement('UPDATE "oauth_tokens" SET "revoked_at"');
      assertUnavailable(await postToken(urls[0], client, form)); // a code replay revokes the family
      await cut;
      const before = await rowsOfGrant(refresh);
      assert.equal(before.length, 4);
      assert.ok(
        before.every((r) => !r.revoked_at),
        'no token of the family was revoked',
      );
      const replay = await answers(() => postToken(urls[0], client, form), 400);
      assert.equal(replay.body.error, 'invalid_grant');
      assert.ok(
        (await rowsOfGrant(refresh)).every((r) => r.revoked_at),
        'the next replay revokes all of it',
      );
      for (const instance of cluster.instances) assert.ok(instance.alive(), instance.stderr());
    });
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { hashSecret } from './support/library-internals';
import { postgresForSuite } from './support/postgres-server';
import { approveCode, logIn, postToken, readMe } from './support/shift-browser';
import { startShiftCluster, type ShiftCluster } from './support/shift-cluster';

const REDIRECT = 'https://customapp.example/oauth/redirect';

interface TokenRow {
  id: string;
  token_hash: string;
  kind: 'access' | 'refresh';
  parent_id: string | null;
  revoked_at: unknown;
  rotated_at: unknown;
}

/**
 * The sample's SHIFT, each instance its own process as `npm run start:shift` runs it, with SHIFT's
 * own settings (its rate limits included) on one PostgreSQL database. Codes come the way a user gets
 * them: a login through SHIFT's form, then Allow on its consent page, each on either instance.
 */
describe('races across SHIFT instances', async () => {
  const pg = await postgresForSuite();
  describe('on one PostgreSQL database', { skip: pg.skip }, () => {
    const url = pg.url!;
    let cluster: ShiftCluster;
    /** Two instances with the default grace period, two with REFRESH_TOKEN_GRACE_PERIOD=0. */
    let pair: [string, string];
    let strict: [string, string];
    /** nate's browser session, from one login on the first instance. */
    let nate: string;
    before(async () => {
      cluster = await startShiftCluster(url, [{}, {}, { REFRESH_TOKEN_GRACE_PERIOD: '0' }, { REFRESH_TOKEN_GRACE_PERIOD: '0' }]);
      const urls = cluster.instances.map((p) => p.url);
      pair = [urls[0], urls[1]];
      strict = [urls[2], urls[3]];
      nate = await logIn(pair[0], 'nate');
    });
    after(async () => {
      for (const instance of cluster?.instances ?? []) assert.ok(instance.alive(), `a SHIFT process exited:\n${instance.stderr()}`);
      await cluster?.close();
      console.log(`races across SHIFT instances: ${races.length} races, launching ${races.join(' + ')} requests or flows at once`);
    });

    const tokensOfGrant = (grantId: string): Promise<TokenRow[]> =>
      cluster.data.query('SELECT id, token_hash, kind, parent_id, revoked_at, rotated_at FROM oauth_tokens WHERE grant_id = $1', [grantId]);
    const grantOf = async (token: string): Promise<string> =>
      (await cluster.data.query('SELECT grant_id FROM oauth_tokens WHERE token_hash = $1', [hashSecret(token)]))[0].grant_id;
    /** Races run and what each launched at once, for the summary line. */
    const races: number[] = [];
    /** Sends every request of `count`, alternating instances, all at once. */
    const fire = (instances: [string, string], count: number, send: (instance: string) => Promise<request.Response>) => {
      races.push(count);
      return Promise.all(Array.from({ length: count }, (_, i) => send(instances[i % 2])));
    };

    it('starts four instances at once on an empty database: each migration ran once, the demo users exist once', async () => {
      const migrations: { name: string; n: string }[] = await cluster.data.query(
        'SELECT name, COUNT(*) AS n FROM migrations GROUP BY name',
      );
      assert.ok(migrations.length >= 2, 'the library’s and the sample’s migrations');
      for (const m of migrations) assert.equal(Number(m.n), 1, `${m.name} recorded once`);
      const users: { username: string }[] = await cluster.data.query('SELECT username FROM shift_users ORDER BY username');
      assert.deepEqual(
        users.map((u) => u.username),
        ['ada', 'nate'],
      );
      for (const url of [...pair, ...strict]) {
        const home = await request(url).get('/').set('Cookie', nate);
        assert.equal(home.status, 200, 'one login serves on every instance');
        assert.match(home.text, /Nate/);
      }
    });

    it("redeems a code once among 50 parallel requests on both instances, then revokes the winner's tokens (RFC 6749 §4.1.2)", async () => {
      const client = await cluster.register({ name: 'CustomApp', redirectUris: [REDIRECT], scopes: ['profile', 'offline_access'] });
      const { code, verifier } = await approveCode(pair[0], pair[1], nate, { id: client.id, redirectUri: REDIRECT });
      const form = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier };
      const responses = await fire(pair, 50, (instance) => postToken(instance, client, form));

      // The winner is refused too when a replay was recorded before it re-checked its code (RFC 9700 §4.2.4).
      const winners = responses.filter((r) => r.status === 200);
      assert.ok(winners.length <= 1, responses.map((r) => r.status).join(' '));
      for (const r of responses.filter((r) => r.status !== 200)) {
        assert.equal(r.status, 400, r.text);
        assert.equal(r.body.error, 'invalid_grant');
      }
      const [{ grant_id }] = await cluster.data.query('SELECT grant_id FROM oauth_authorization_codes WHERE code_hash = $1', [
        hashSecret(code),
      ]);
      const rows = await tokensOfGrant(grant_id);
      assert.equal(rows.length, 2, 'one access and one refresh token, no more');
      for (const row of rows) assert.ok(row.revoked_at, `the winner's ${row.kind} token was left live`);
      for (const winner of winners) {
        for (const instance of pair) assert.equal((await readMe(instance, winner.body.access_token)).status, 401);
        const refresh = await postToken(pair[0], client, { grant_type: 'refresh_token', refresh_token: winner.body.refresh_token });
        assert.equal(refresh.body.error, 'invalid_grant');
      }
    });

    it('rotates a refresh token once among 50 parallel uses with grace 0, then the family ends revoked (RFC 9700 §4.14.2)', async () => {
      const client = await cluster.register({ name: 'Strict', redirectUris: [REDIRECT], scopes: ['profile', 'offline_access'] });
      const { code, verifier } = await approveCode(strict[0], strict[1], nate, { id: client.id, redirectUri: REDIRECT });
      const issued = await postToken(strict[0], client, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
      });
      assert.equal(issued.status, 200, issued.text);
      const form = { grant_type: 'refresh_token', refresh_token: issued.body.refresh_token };
      const responses = await fire(strict, 50, (instance) => postToken(instance, client, form));

      const winners = responses.filter((r) => r.status === 200);
      assert.equal(winners.length, 1, responses.map((r) => r.status).join(' '));
      for (const r of responses.filter((r) => r.status !== 200)) assert.equal(r.body.error, 'invalid_grant', r.text);
      const rows = await tokensOfGrant(await grantOf(issued.body.access_token));
      assert.equal(rows.length, 4, 'the first pair and the one rotation');
      for (const row of rows) assert.ok(row.revoked_at, `${row.kind} ${row.id} left live`);
      for (const instance of strict) assert.equal((await readMe(instance, winners[0].body.access_token)).status, 401);
    });

    it('answers 50 parallel uses within the grace period with one identical pair, the only live one (RFC 9700 §4.14.2)', async () => {
      const client = await cluster.register({ name: 'Tabs', redirectUris: [REDIRECT], scopes: ['profile', 'offline_access'] });
      const { code, verifier } = await approveCode(pair[0], pair[1], nate, { id: client.id, redirectUri: REDIRECT });
      const issued = await postToken(pair[0], client, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
      });
      const form = { grant_type: 'refresh_token', refresh_token: issued.body.refresh_token };
      const responses = await fire(pair, 50, (instance) => postToken(instance, client, form));

      // Every use is the same client within the grace period: one rotates, every other one is a retry
      // answered with that rotation's pair, on whichever instance it lands (they share the secret).
      for (const r of responses) assert.equal(r.status, 200, r.text);
      const [first] = responses;
      for (const r of responses) {
        assert.equal(r.body.access_token, first.body.access_token, 'one access token for all');
        assert.equal(r.body.refresh_token, first.body.refresh_token, 'one refresh token for all');
        assert.equal(r.body.scope, first.body.scope);
      }
      const grantId = await grantOf(issued.body.access_token);
      const rows = await tokensOfGrant(grantId);
      const original = rows.find((r) => r.token_hash === hashSecret(issued.body.refresh_token))!;
      assert.ok(original.rotated_at && !original.revoked_at, 'the used token is rotated once, not revoked');
      assert.equal(rows.length, 4, 'the first pair and the one rotation, no second branch');
      const live = rows.filter((r) => !r.revoked_at && !r.rotated_at && r.parent_id === original.id);
      assert.deepEqual(
        live.map((r) => [r.kind, r.token_hash]).sort(),
        [
          ['access', hashSecret(first.body.access_token)],
          ['refresh', hashSecret(first.body.refresh_token)],
        ],
        'exactly one live pair, the one every response carried',
      );
      for (const instance of pair) assert.equal((await readMe(instance, first.body.access_token)).status, 200);
      const next = await postToken(pair[1], client, { grant_type: 'refresh_token', refresh_token: first.body.refresh_token });
      assert.equal(next.status, 200, 'the live refresh token still works');
    });

    it('serves 200 mixed flows from 20 clients at once with only the expected answers, losing and duplicating no row', async () => {
      const clients = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          cluster.register({
            name: `App ${i}`,
            redirectUris: [REDIRECT],
            scopes: ['profile', 'offline_access'],
            grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
          }),
        ),
      );
      // SHIFT's API serves a user's profile, so the guarded reads use a token of nate's, issued to a
      // client of its own: the counts below cover the twenty clients only.
      const readerApp = await cluster.register({ name: 'Reader', redirectUris: [REDIRECT], scopes: ['profile'] });
      const grant = await approveCode(pair[0], pair[1], nate, { id: readerApp.id, redirectUri: REDIRECT }, 'profile');
      const form = { grant_type: 'authorization_code', code: grant.code, redirect_uri: REDIRECT, code_verifier: grant.verifier };
      const reader = (await postToken(pair[0], readerApp, form)).body.access_token as string;
      // Both demo users, each logged in once on another instance. A code flow goes to one of the ten
      // clients i % 20 with i % 4 < 2, as user floor(i / 20) % 2: each (user, client) pair is approved
      // five times at the same moment.
      const sessions = [nate, await logIn(pair[1], 'ada')];
      const userOf = (i: number) => Math.floor(i / 20) % 2;
      const logs = () => cluster.instances.map((p) => p.stderr()).join('\n');
      const issued: { access: string; refresh?: string }[] = [];
      const statuses: number[] = [];
      const check = (r: request.Response, status = 200) => {
        statuses.push(r.status);
        if (r.status !== status) assert.fail(`${r.status} ${r.text}\n${logs()}`);
        if (r.body.access_token) issued.push({ access: r.body.access_token, refresh: r.body.refresh_token });
        return r;
      };
      let codeFlows = 0;
      const flow = async (i: number) => {
        const client = clients[i % 20];
        const [a, b] = i % 3 ? pair : [pair[1], pair[0]];
        switch (i % 4) {
          case 0:
          case 1: {
            // The user may be consenting to this client in other flows at the same moment.
            codeFlows++;
            const { code, verifier } = await approveCode(a, b, sessions[userOf(i)], { id: client.id, redirectUri: REDIRECT });
            const r = check(
              await postToken(b, client, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier }),
            );
            if (i % 4 === 1) check(await postToken(a, client, { grant_type: 'refresh_token', refresh_token: r.body.refresh_token }));
            return;
          }
          case 2:
            check(await postToken(a, client, { grant_type: 'client_credentials', scope: 'profile' }));
            return;
          default:
            check(await readMe(a, reader));
        }
      };
      races.push(200);
      await Promise.all(
        Array.from({ length: 200 }, (_, i) => flow(i).catch((error: Error) => assert.fail(`flow ${i}: ${error.message}\n${logs()}`))),
      );

      assert.deepEqual(new Set(statuses), new Set([200]));
      const rows: { kind: string; n: string; hashes: string }[] = await cluster.data.query(
        'SELECT kind, COUNT(*) AS n, COUNT(DISTINCT token_hash) AS hashes FROM oauth_tokens WHERE client_id = ANY($1) GROUP BY kind',
        [clients.map((c) => c.id)],
      );
      const count = (kind: string) => rows.find((r) => r.kind === kind) ?? { n: '0', hashes: '0' };
      assert.equal(Number(count('access').n), issued.length, 'one access row per access token sent');
      assert.equal(Number(count('refresh').n), issued.filter((t) => t.refresh).length, 'one refresh row per refresh token sent');
      for (const kind of ['access', 'refresh']) assert.equal(count(kind).hashes, count(kind).n, `no duplicate ${kind} hash`);
      const stored = new Set(
        (await cluster.data.query('SELECT token_hash FROM oauth_tokens WHERE client_id = ANY($1)', [clients.map((c) => c.id)])).map(
          (r: { token_hash: string }) => r.token_hash,
        ),
      );
      for (const t of issued)
        assert.ok(stored.has(hashSecret(t.access)) && (!t.refresh || stored.has(hashSecret(t.refresh))), 'a sent token is stored');
      const [codes] = await cluster.data.query(
        'SELECT COUNT(*) AS n, COUNT(consumed_at) AS consumed FROM oauth_authorization_codes WHERE client_id = ANY($1)',
        [clients.map((c) => c.id)],
      );
      assert.equal(Number(codes.n), codeFlows, 'one code row per code flow');
      assert.equal(Number(codes.consumed), codeFlows, 'every code consumed once');
      const [consents] = await cluster.data.query('SELECT COUNT(*) AS n FROM oauth_consents WHERE client_id = ANY($1)', [
        clients.map((c) => c.id),
      ]);
      const pairs = new Set(
        Array.from({ length: 200 }, (_, i) => i)
          .filter((i) => i % 4 < 2)
          .map((i) => `${userOf(i)}/${i % 20}`),
      );
      assert.equal(Number(consents.n), pairs.size, 'one consent per user and client, even when approved several times at once');
    });
  });
});

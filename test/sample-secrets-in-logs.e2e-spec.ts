import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { getRepositoryToken } from '@nestjs/typeorm';
import Database from 'better-sqlite3';
import type { Repository } from 'typeorm';
import { CUSTOMAPP_DATA_SOURCE } from '../apps/sample/src/customapp/customapp.config';
import { CustomAppSettings } from '../apps/sample/src/customapp/storage/customapp-settings.service';
import { CustomAppConnection, CustomAppSetting } from '../apps/sample/src/customapp/storage/customapp.entities';
import { CustomAppSession, ShiftSession, type SessionRow } from '../apps/sample/src/database/session.entities';
import { LogCapture } from './support/log-capture';
import { runCli } from './support/run-cli';
import { readForm } from './support/sample-harness';
import { logInWithShift, RecordingBrowser, startTestSample, type Hop, type TestSample } from './support/sample-story';

/** Form fields and cookies that hold a credential, by what they are. */
const SECRET_FIELDS: Record<string, string> = { _csrf: 'CSRF token', csrf_token: 'consent CSRF token', password: 'password' };
const SECRET_COOKIES: Record<string, string> = { shift_sid: 'SHIFT session cookie', customapp_sid: 'CustomApp session cookie' };

describe('the sample logs no secret during the whole story (issue 7, RFC 6819 §5.1.4.1, RFC 9700 §4.14)', () => {
  const logs = new LogCapture();
  let t: TestSample;
  /** Every credential the story handled: value → what it is. */
  const secrets = new Map<string, string>();
  const remember = (what: string, value: string | null | undefined) => {
    assert.ok(value, `the story produced no ${what}`);
    if (!secrets.has(value)) secrets.set(value, what);
    return value;
  };

  before(async () => {
    logs.start();
    // Every Nest log level of both apps, from the first line of start-up (where CustomApp's secret is made).
    t = await startTestSample({ accessTokenTtl: 1 }, logs);
  });
  after(async () => {
    logs.stop();
    await t?.close();
  });

  const customAppRepo = <T extends object>(entity: new () => T) =>
    t.sample.customApp.get<Repository<T>>(getRepositoryToken(entity, CUSTOMAPP_DATA_SOURCE));
  const shiftRepo = <T extends object>(entity: new () => T) => t.sample.shift.get<Repository<T>>(getRepositoryToken(entity));

  /** CustomApp's tokens as it holds them now: decrypted from its table. */
  async function rememberStoredTokens(): Promise<void> {
    const cipher = await t.sample.customApp.get(CustomAppSettings).tokenCipher();
    const rows = await customAppRepo(CustomAppConnection).find();
    assert.ok(rows.length, 'CustomApp holds a connection');
    for (const row of rows) {
      remember('access token', cipher.decrypt(row.accessToken, `${row.id}:access`));
      if (row.refreshToken) remember('refresh token', cipher.decrypt(row.refreshToken, `${row.id}:refresh`));
    }
  }

  /** The PKCE verifiers and CSRF tokens in the sessions both apps keep, and the session ids themselves. */
  async function rememberSessions(): Promise<void> {
    for (const [app, rows] of [
      ['CustomApp', await customAppRepo(CustomAppSession).find()],
      ['SHIFT', await shiftRepo(ShiftSession).find()],
    ] as [string, SessionRow[]][]) {
      for (const row of rows) {
        remember(`${app} session id`, row.sid);
        const data = JSON.parse(row.data) as { csrf?: string; pending?: { codeVerifier: string; state: string } };
        if (data.csrf) remember(`${app} CSRF token`, data.csrf);
        if (data.pending) {
          remember('PKCE verifier', data.pending.codeVerifier);
          remember('state (CustomApp’s CSRF defence for the callback)', data.pending.state);
        }
      }
    }
  }

  /** Credentials in what crossed the wire: form fields, hidden inputs, cookies, codes in URLs. */
  function rememberTraffic(hops: Hop[]): void {
    for (const hop of hops) {
      for (const [name, values] of Object.entries(hop.form ?? {})) {
        for (const value of [values].flat()) if (SECRET_FIELDS[name]) remember(SECRET_FIELDS[name], value);
      }
      if (hop.status === 200 && /<form/.test(hop.text)) {
        for (const match of hop.text.matchAll(/<form[^>]*>/g)) {
          const { fields } = readForm(hop.text.slice(match.index), /<form[^>]*>/);
          for (const [name, value] of Object.entries(fields)) if (SECRET_FIELDS[name]) remember(SECRET_FIELDS[name], value);
        }
      }
      for (const cookie of hop.setCookies) {
        const [pair] = cookie.split(';');
        const name = pair.slice(0, pair.indexOf('='));
        const value = pair.slice(pair.indexOf('=') + 1);
        if (!value) continue;
        if (SECRET_COOKIES[name]) {
          remember(SECRET_COOKIES[name], value);
          // express-session signs the id: `s:<id>.<signature>`, URL-encoded.
          const signed = decodeURIComponent(value);
          remember(`${SECRET_COOKIES[name]} (its session id)`, signed.slice(2, signed.lastIndexOf('.')));
        } else if (name === 'oauth_consent') remember('consent cookie', value);
      }
      for (const url of [hop.url, hop.headers.get('location')]) {
        if (!url || !/^https?:/.test(url)) continue;
        const params = new URL(url).searchParams;
        if (params.get('code')) remember('authorization code', params.get('code'));
      }
    }
  }

  it('CustomApp “Log in with SHIFT”, a wrong password, consent, callback, /v1/users/me, refreshes, errors and Disconnect', async () => {
    const browser = new RecordingBrowser();
    const wrongPassword = `shift-demo-${randomBytes(8).toString('hex')}`;
    const credentials = (await t.sample.customApp.get(CustomAppSettings).credentials())!;
    remember('client secret', credentials.clientSecret);
    const key = await customAppRepo(CustomAppSetting).findOneBy({ key: 'encryption_key' });
    remember('CustomApp encryption key', key?.value);

    assert.equal((await browser.request(`${t.customApp}/`)).status, 200);
    // The first authorization, after a wrong password: answered with a state that is not ours.
    const first = await logInWithShift(browser, t, { wrongPassword });
    assert.ok(first.consentPage, 'SHIFT asked for consent');
    await rememberSessions();
    const forged = new URL(first.callback);
    forged.searchParams.set('state', 'forged');
    assert.equal((await browser.request(forged.toString())).status, 400);

    // The second connects: code exchange and GET /v1/users/me, server to server.
    const second = await logInWithShift(browser, t);
    await rememberSessions();
    assert.equal((await browser.request(second.callback)).status, 303);
    await rememberStoredTokens();
    // Access tokens last 1 s: each profile page refreshes first (RFC 6749 §6), rotating the refresh token.
    for (let i = 0; i < 2; i++) {
      const profile = await browser.request(`${t.customApp}/`);
      assert.equal(profile.status, 200);
      assert.match(profile.text, /Nate/);
      await rememberStoredTokens();
    }
    const [connection] = await customAppRepo(CustomAppConnection).find();
    assert.ok(connection.refreshCount >= 2, `CustomApp refreshed (${connection.refreshCount} times)`);

    // The first code, presented with this browser's next state: SHIFT refuses it (PKCE), CustomApp logs why.
    const start = await browser.request(`${t.customApp}/oauth/start`);
    await rememberSessions();
    const injected = new URL(`${t.customApp}/oauth/redirect`);
    injected.search = new URLSearchParams({
      code: new URL(first.callback).searchParams.get('code')!,
      state: new URL(start.headers.get('location')!).searchParams.get('state')!,
      iss: t.shift,
    }).toString();
    assert.equal((await browser.request(injected.toString())).status, 502);

    // Disconnect: CustomApp revokes its refresh and access tokens at SHIFT (RFC 7009).
    const profile = await browser.request(`${t.customApp}/`);
    await rememberStoredTokens();
    const disconnect = readForm(profile.text, /<form method="post" action="\/disconnect"/);
    assert.equal((await browser.request(`${t.customApp}/disconnect`, { form: disconnect.fields })).status, 303);
    assert.equal(await customAppRepo(CustomAppConnection).count(), 0, 'CustomApp forgot the tokens');

    // At SHIFT's token endpoint directly: a wrong client secret, and a refresh token already rotated and revoked.
    const token = (secret: string, body: Record<string, string>) =>
      fetch(`${t.shift}/v1/oauth2/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${credentials.clientId}:${secret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams(body),
      });
    const wrongSecret = remember('wrong client secret', randomBytes(32).toString('base64url'));
    const oldRefresh = [...secrets].find(([, what]) => what === 'refresh token')![0];
    assert.equal((await token(wrongSecret, { grant_type: 'refresh_token', refresh_token: oldRefresh })).status, 401);
    assert.equal((await token(credentials.clientSecret, { grant_type: 'refresh_token', refresh_token: oldRefresh })).status, 400);

    // SHIFT's own pages, and logging out.
    const apps = await browser.request(`${t.shift}/account/apps`);
    assert.equal(apps.status, 200);
    const logout = readForm(apps.text, /<form method="post" action="\/logout"/);
    assert.equal((await browser.request(`${t.shift}/logout`, { form: logout.fields })).status, 303);

    remember('password', 'shift-demo');
    remember('wrong password', wrongPassword);
    rememberTraffic(browser.hops);
    await rememberSessions();

    const output = logs.output;
    assert.ok(
      output.some((line) => line.startsWith('[nest:log]') && /Mapped \{\/v1\/oauth2\/token, POST\}/.test(line)),
      'Nest’s log level was captured (the capture works)',
    );
    assert.ok(
      output.some((line) => /refreshed the SHIFT access token/.test(line)),
      'CustomApp’s refresh was logged',
    );
    assert.ok(
      output.some((line) => line.startsWith('[nest:warn]') && /SHIFT refused a token request: invalid_grant/.test(line)),
      'the refused code was logged as a warning',
    );
    for (const [value, what] of secrets) {
      const leak = output.find((line) => line.includes(value));
      assert.equal(leak, undefined, `${what} appears in the logs: ${leak?.slice(0, 300)}`);
    }
    const kinds = new Set(secrets.values());
    for (const what of [
      'client secret',
      'authorization code',
      'access token',
      'refresh token',
      'PKCE verifier',
      'SHIFT session cookie',
      'CustomApp session cookie',
      'CSRF token',
      'consent CSRF token',
      'password',
      'wrong password',
    ]) {
      assert.ok(kinds.has(what), `the story handled a ${what}`);
    }
    assert.ok(secrets.size >= 30, `checked ${secrets.size} secrets`);
  });
});

describe('the admin CLI prints a client secret only where it is shown, once (issue 7)', () => {
  let dir: string;
  let url: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'oauth-cli-secret-'));
    url = `sqlite:${join(dir, 'admin.sqlite')}`;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a create that fails after generating the secret prints one line, with no secret and no hash', async () => {
    const created = await runCli(['clients', 'create', '--name', 'Planner', '--redirect-uri', 'https://planner.example/cb', '--json'], url);
    assert.equal(created.code, 0, created.stderr);
    const { client_secret: secret } = JSON.parse(created.stdout) as { client_secret: string };
    assert.equal(created.stdout.split(secret).length, 2, 'the secret is printed exactly once');
    assert.equal(created.stderr, '');

    // The table the registration writes to refuses every new row: the secret exists in memory, the write fails.
    const db = new Database(join(dir, 'admin.sqlite'));
    db.exec("CREATE TRIGGER refuse_clients BEFORE INSERT ON oauth_clients BEGIN SELECT RAISE(ABORT, 'no new clients'); END");
    db.close();
    const failed = await runCli(['clients', 'create', '--name', 'Reports', '--redirect-uri', 'https://reports.example/cb', '--json'], url);
    assert.equal(failed.code, 1);
    assert.equal(failed.stdout, '');
    assert.match(failed.stderr, /^error: .+\n$/);
    assert.doesNotMatch(failed.stderr, /[A-Za-z0-9_-]{43}/, 'no value shaped like a client secret');
    assert.doesNotMatch(failed.stderr, /[0-9a-f]{64}/, 'no SHA-256 hash of one');
    assert.equal(failed.stderr.includes(secret), false);
  });
});

import assert from 'node:assert/strict';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { startSample, type RunningSample } from '../apps/sample/src/sample';
import { CookieClient, filesAt, freePort, readForm } from './support/sample-harness';
import { startShift, type ShiftProcess } from './support/shift-process';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/** A login attempt in a fresh browser, optionally through a proxy that adds `X-Forwarded-For`. */
async function attempt(shift: string, username: string, password: string, forwardedFor?: string) {
  const browser = new CookieClient();
  const headers: Record<string, string> = forwardedFor ? { 'x-forwarded-for': forwardedFor } : {};
  const { fields } = readForm((await browser.request(`${shift}/login`, { headers })).text, /<form method="post" action="\/login"/);
  const res = await browser.request(`${shift}/login`, { form: { ...fields, username, password }, headers });
  return { status: res.status, browser };
}

/** express-session's cookie value for session id `sid`: `s:` + the id + its HMAC-SHA256 under the secret. */
function signedCookie(sid: string, secret: string): string {
  const mac = createHmac('sha256', secret).update(sid).digest('base64').replace(/=+$/, '');
  return encodeURIComponent(`s:${sid}.${mac}`);
}

/** The session id inside a `shift_sid` cookie value. */
function sessionId(cookie: string): string {
  const value = decodeURIComponent(cookie);
  assert.ok(value.startsWith('s:'), value);
  return value.slice(2, value.lastIndexOf('.'));
}

describe('sample SHIFT login: one username, hashed session ids, no trusted proxy by default', () => {
  const secret = randomBytes(32).toString('hex');
  let db: TestDatabase;
  let sample: RunningSample;
  let shift: string;
  let savedSecret: string | undefined;

  before(async () => {
    savedSecret = process.env.SESSION_SECRET;
    process.env.SESSION_SECRET = secret;
    db = await createTestDatabase();
    const [shiftPort, customAppPort] = [await freePort(), await freePort()];
    shift = `http://localhost:${shiftPort}`;
    sample = await startSample(
      {
        shiftPort,
        customAppPort,
        ...(await filesAt()),
        issuer: shift,
        customAppUrl: `http://localhost:${customAppPort}`,
        accessTokenTtl: 3600,
        host: 'localhost',
        loginRateLimit: { perUser: 3, perIp: 12 },
      },
      db.url,
      false,
    );
  });
  after(async () => {
    await sample?.close();
    await db?.drop();
    if (savedSecret === undefined) delete process.env.SESSION_SECRET;
    else process.env.SESSION_SECRET = savedSecret;
  });

  it('normalises the username once (NFKC, trim, lower case) for the lookup and the per-user login limit', async () => {
    assert.equal((await attempt(shift, ' ＡＤＡ ', 'shift-demo')).status, 303, 'the full-width, padded name is ada');
    assert.equal((await attempt(shift, 'ada', 'wrong-1')).status, 401);
    assert.equal((await attempt(shift, 'Ada', 'wrong-2')).status, 401);
    // ada's budget of 3 is spent: no spelling of the name opens a fresh one.
    for (const variant of [' ada', 'ada\t', 'ａｄａ', 'ADA']) {
      assert.equal((await attempt(shift, variant, 'shift-demo')).status, 429, JSON.stringify(variant));
    }
    assert.equal((await attempt(shift, 'nate', 'shift-demo')).status, 303, 'another user still logs in');
  });

  it('stores only a hash of each session id: a session row copied from a dump is no login', async () => {
    const { status, browser } = await attempt(shift, 'nate', 'shift-demo');
    assert.equal(status, 303);
    const sid = sessionId(browser.cookies.get('shift_sid')!);
    const rows: { sid: string }[] = await sample.shift.get(DataSource).query('SELECT sid FROM shift_sessions');
    const stored = rows.map((r) => r.sid);
    assert.ok(!stored.includes(sid), 'the id a browser holds is not in the table');
    assert.ok(stored.includes(createHash('sha256').update(sid).digest('hex')), 'its SHA-256 is');
    assert.equal((await browser.request(`${shift}/account/apps`)).status, 200, 'the real cookie works');

    // Even with SESSION_SECRET, a stolen row cannot be turned into a cookie that logs in.
    for (const row of stored) {
      const forged = new CookieClient();
      forged.cookies.set('shift_sid', signedCookie(row, secret));
      assert.equal((await forged.request(`${shift}/account/apps`)).status, 302, 'sent to the login page');
    }
  });

  // Last: it spends the per-IP budget of 127.0.0.1.
  it('ignores X-Forwarded-For without TRUST_PROXY: every spoofed address counts against the peer’s login budget', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 13; i++) {
      statuses.push((await attempt(shift, `nobody-${i}`, 'guess', `203.0.113.${i + 1}`)).status);
    }
    assert.equal(statuses.at(-1), 429, `a proxy header the server does not trust changes nothing (${statuses.join(' ')})`);
  });
});

describe('sample SHIFT behind a trusted proxy (TRUST_PROXY)', () => {
  let db: TestDatabase;
  let shift: ShiftProcess;

  before(async () => {
    db = await createTestDatabase();
    shift = await startShift({
      DATABASE_URL: db.url,
      TRUST_PROXY: '1',
      LOGIN_RATE_LIMIT: '100,3',
      SESSION_SECRET: randomBytes(32).toString('hex'),
    });
  });
  after(async () => {
    await shift?.stop();
    await db?.drop();
  });

  it('counts the login limit per address the trusted hop reports, and a client cannot choose it by prepending addresses', async () => {
    for (let i = 0; i < 3; i++) {
      // The client sent its own X-Forwarded-For; the one trusted hop appended the address it saw.
      assert.equal((await attempt(shift.url, 'nobody', 'guess', `198.51.100.${i}, 203.0.113.7`)).status, 401);
    }
    assert.equal((await attempt(shift.url, 'nobody', 'guess', '198.51.100.99, 203.0.113.7')).status, 429);
    assert.equal(
      (await attempt(shift.url, 'nobody', 'guess', '203.0.113.8')).status,
      401,
      'another client behind the proxy has its own budget',
    );
  });
});

import assert from 'node:assert/strict';
import type { LoggerService } from '@nestjs/common';
import { startSample, type RunningSample } from '../../apps/sample/src/sample';
import type { SampleConfig } from '../../apps/sample/src/sample-config';
import { CookieClient, filesAt, freePort, readForm } from './sample-harness';
import { createTestDatabase, type TestDatabase } from './test-database';

/** The sample on free loopback ports and a fresh test database. */
export interface TestSample {
  sample: RunningSample;
  /** SHIFT's base URL. */
  shift: string;
  /** CustomApp's base URL. */
  customApp: string;
  /** The DATABASE_URL of the sample's database, for the admin CLI (`runCli`). */
  databaseUrl: string;
  close(): Promise<void>;
}

/** Starts SHIFT and CustomApp as `npm start` does, with `overrides` on top of the test settings. */
export async function startTestSample(overrides: Partial<SampleConfig> = {}, logger: LoggerService | false = false): Promise<TestSample> {
  const db: TestDatabase = await createTestDatabase();
  const [shiftPort, customAppPort] = [await freePort(), await freePort()];
  const shift = `http://localhost:${shiftPort}`;
  const customApp = `http://localhost:${customAppPort}`;
  try {
    const sample = await startSample(
      {
        shiftPort,
        customAppPort,
        ...(await filesAt()),
        issuer: shift,
        customAppUrl: customApp,
        accessTokenTtl: 3600,
        host: 'localhost',
        loginRateLimit: { perUser: 30, perIp: 1000 },
        ...overrides,
      },
      db.url,
      logger,
    );
    return {
      sample,
      shift,
      customApp,
      databaseUrl: db.url,
      close: async () => {
        await sample.close();
        await db.drop();
      },
    };
  } catch (err) {
    await db.drop();
    throw err;
  }
}

/** One request of a `RecordingBrowser` and its answer. */
export interface Hop {
  method: string;
  url: string;
  form?: Record<string, string | string[]>;
  status: number;
  headers: Headers;
  text: string;
  setCookies: string[];
}

/** A `CookieClient` that keeps every request and answer, to search them afterwards. */
export class RecordingBrowser extends CookieClient {
  readonly hops: Hop[] = [];

  override async request(
    url: string,
    init: { method?: string; form?: Record<string, string | string[]>; headers?: Record<string, string> } = {},
  ) {
    const res = await super.request(url, init);
    this.hops.push({ method: init.method ?? (init.form ? 'POST' : 'GET'), url, form: init.form, ...res });
    return res;
  }
}

/** What `logInWithShift` went through. */
export interface AuthorizationHops {
  /** SHIFT's login page, when the browser was not logged in yet. */
  loginPage?: Awaited<ReturnType<CookieClient['request']>>;
  /** The answer to a wrong password, when one was tried first. */
  failedLogin?: Awaited<ReturnType<CookieClient['request']>>;
  /** SHIFT's consent page, when it was shown. */
  consentPage?: Awaited<ReturnType<CookieClient['request']>>;
  /** Where SHIFT sends the browser back: CustomApp's callback with a code or an error (not yet followed). */
  callback: string;
}

/**
 * "Log in with SHIFT" in CustomApp, as a person clicks through it: CustomApp's start, SHIFT's login
 * form when the browser is not logged in (after `wrongPassword`, if given), and the consent page
 * when SHIFT shows it, answered with `decision`.
 */
export async function logInWithShift(
  browser: CookieClient,
  t: TestSample,
  options: { password?: string; wrongPassword?: string; decision?: 'allow' | 'deny' } = {},
): Promise<AuthorizationHops> {
  const hops: Partial<AuthorizationHops> = {};
  const start = await browser.request(`${t.customApp}/oauth/start`);
  assert.equal(start.status, 303, 'CustomApp sends the browser to SHIFT');
  let res = await browser.request(start.headers.get('location')!);
  if (res.status === 302 && res.headers.get('location')!.startsWith('/login?')) {
    const loginUrl = new URL(res.headers.get('location')!, t.shift).toString();
    hops.loginPage = await browser.request(loginUrl);
    let page = hops.loginPage;
    if (options.wrongPassword !== undefined) {
      const { fields } = readForm(page.text, /<form method="post" action="\/login"/);
      hops.failedLogin = await browser.request(`${t.shift}/login`, {
        form: { ...fields, username: 'nate', password: options.wrongPassword },
      });
      assert.equal(hops.failedLogin.status, 401, 'a wrong password is refused');
      page = hops.failedLogin;
    }
    const { fields } = readForm(page.text, /<form method="post" action="\/login"/);
    const login = await browser.request(`${t.shift}/login`, {
      form: { ...fields, username: 'nate', password: options.password ?? 'shift-demo' },
    });
    assert.equal(login.status, 303, 'the demo user logs in');
    res = await browser.request(new URL(login.headers.get('location')!, t.shift).toString());
  }
  if (res.status === 200) {
    hops.consentPage = res;
    const form = readForm(res.text, /<form method="post"[^>]*class="actions"/);
    res = await browser.request(new URL(form.action, t.shift).toString(), {
      form: { ...form.fields, decision: options.decision ?? 'allow' },
    });
  }
  assert.equal(res.status, 302, `SHIFT redirects back to CustomApp: ${res.status} ${res.text.slice(0, 200)}`);
  return { ...hops, callback: res.headers.get('location')! };
}

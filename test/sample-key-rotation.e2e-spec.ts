import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { getRepositoryToken } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { SigningKeyStore, type SigningKey } from 'nest-oauth2-provider';
import { CUSTOMAPP_DATA_SOURCE } from '../apps/sample/src/customapp/customapp.config';
import { CustomAppSettings } from '../apps/sample/src/customapp/storage/customapp-settings.service';
import { CustomAppConnection } from '../apps/sample/src/customapp/storage/customapp.entities';
import { validateSampleEnv } from '../apps/sample/src/sample-config';
import { eventually } from './support/eventually';
import { runCli, type CliRun } from './support/run-cli';
import { CookieClient } from './support/sample-harness';
import { logInWithShift, startTestSample, type TestSample } from './support/sample-story';

/**
 * The rotation the README walks through, on the running sample: CustomApp stays connected while
 * the operator runs `npm run oauth -- keys rotate`. The knobs make it take seconds rather than
 * minutes: a next key is published JWKS_MAX_AGE + KEY_REFRESH_INTERVAL = 10 s before it may sign, and
 * a retired key stays published KEY_REFRESH_INTERVAL + FILES_TOKEN_TTL + CLOCK_TOLERANCE = 16 s (ID_TOKEN_TTL,
 * the other JWT SHIFT signs, is no longer than FILES_TOKEN_TTL, so it does not lengthen the hold). Both
 * stay well above the few seconds a CLI run takes on a loaded machine: a rotate run must finish while
 * the token CustomApp got before it still lives, and the run after it must start while the key it
 * published is still too young to sign. SHIFT gets the knobs through the sample's settings, the CLI (a
 * child process) through the environment, as an operator's shell would.
 */
const KNOBS = {
  JWKS_MAX_AGE: '9',
  KEY_REFRESH_INTERVAL: '1',
  CLOCK_TOLERANCE: '0',
  FILES_TOKEN_TTL: '15',
  ID_TOKEN_TTL: '15',
  OAUTH_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
};
const PUBLISH_AHEAD_MS = 10_000;
/**
 * The algorithm of SHIFT Files' JWT access tokens, whose keys this test rotates. SHIFT also keeps RS256
 * keys for its ID tokens (OpenID Connect); the CLI rotates them alongside, by the same rules.
 */
const FILES_ALG = 'ES256';
const RETIRED_HOLD_MS = 16_000;

/** The JOSE header of a compact JWS (RFC 7515 §7.1). */
function headerOf(jwt: string): { alg?: string; kid?: string; typ?: string } {
  return JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString('utf8')) as { kid?: string };
}

describe('the sample across a signing key rotation: keys rotate while CustomApp stays connected (issue 16, RFC 9068 §4, RFC 7517 §5)', () => {
  let t: TestSample;
  let env: Record<string, string>;
  const browser = new CookieClient();
  /** K1 signs when CustomApp connects; K2 is the published next key that replaces it. */
  let k1: string;
  let k2: string;
  /** The SHIFT Files token CustomApp held when the key rotated, signed by K1. */
  let oldToken: string;
  let refreshesBeforeRotation: number;

  before(async () => {
    const { jwksMaxAge, keyRefreshInterval, clockTolerance, filesTokenTtl, keyEncryptionKey } = validateSampleEnv(KNOBS).sample;
    t = await startTestSample({ jwksMaxAge, keyRefreshInterval, clockTolerance, filesTokenTtl, keyEncryptionKey });
    env = { ...KNOBS, OAUTH_ISSUER: t.shift, FILES_URL: t.sample.config.filesUrl, ACCESS_TOKEN_TTL: '3600' };
  });
  after(async () => {
    await t?.close();
  });

  const cli = (...args: string[]): Promise<CliRun> => runCli(args, t.databaseUrl, env);
  const allStoredKeys = () => t.sample.shift.get(SigningKeyStore).list();
  const storedKeys = async () => (await allStoredKeys()).filter((k) => k.alg === FILES_ALG);
  const jwksKids = async () => {
    const res = await fetch(`${t.shift}/v1/oauth2/jwks`);
    assert.equal(res.status, 200);
    const keys = ((await res.json()) as { keys: { kid: string; alg: string }[] }).keys;
    return keys
      .filter((k) => k.alg === FILES_ALG)
      .map((k) => k.kid)
      .sort();
  };
  const filesGet = (token: string) => fetch(`${t.sample.config.filesUrl}/v1/files`, { headers: { authorization: `Bearer ${token}` } });

  /** CustomApp's profile page as the user sees it, and the SHIFT Files token CustomApp holds after rendering it. */
  async function customAppPage() {
    const page = await browser.request(`${t.customApp}/`);
    assert.equal(page.status, 200, page.text.slice(0, 300));
    const repo = t.sample.customApp.get<Repository<CustomAppConnection>>(getRepositoryToken(CustomAppConnection, CUSTOMAPP_DATA_SOURCE));
    const [row] = await repo.find();
    assert.ok(row?.filesAccessToken, 'CustomApp holds a SHIFT Files token');
    const cipher = await t.sample.customApp.get(CustomAppSettings).tokenCipher();
    return {
      showsFiles: page.text.includes('Your files in SHIFT Files') && page.text.includes('Spring rota.xlsx'),
      refreshes: Number(/data-testid="refresh-count">(\d+)</.exec(page.text)?.[1]),
      filesToken: cipher.decrypt(row.filesAccessToken, `${row.id}:files`),
    };
  }

  it('keys list shows the key that signs and the next one, both in SHIFT’s JWK Set before the next one signs (RFC 7517 §5)', async () => {
    // SHIFT makes its first keys at its first key maintenance run, one KEY_REFRESH_INTERVAL after start.
    const keys = await eventually(storedKeys, (list) => list.some((k) => k.state === 'next'));
    const list = await cli('keys', 'list', '--json');
    assert.equal(list.code, 0, list.stderr);
    const everyKey = JSON.parse(list.stdout) as { kid: string; alg: string; state: SigningKey['state'] }[];
    assert.deepEqual(
      everyKey.filter((k) => k.alg === 'RS256').map((k) => k.state),
      ['next', 'active'],
      'SHIFT keeps an RS256 pair for its ID tokens beside the SHIFT Files keys',
    );
    const listed = everyKey.filter((k) => k.alg === FILES_ALG);
    k1 = listed.find((k) => k.state === 'active')!.kid;
    k2 = listed.find((k) => k.state === 'next')!.kid;
    assert.deepEqual(listed.map((k) => k.state).sort(), ['active', 'next']);
    assert.deepEqual(await jwksKids(), [k1, k2].sort(), 'the next key is published before it signs');
    const res = await fetch(`${t.shift}/v1/oauth2/jwks`);
    assert.match(res.headers.get('cache-control') ?? '', /max-age=9\b/, 'JWKS_MAX_AGE sets the JWK Set’s max-age');

    // Connect once the next key may sign, so the token CustomApp gets is fresh when the key rotates.
    const next = keys.find((k) => k.kid === k2)!;
    await delay(Math.max(0, next.createdAt.getTime() + PUBLISH_AHEAD_MS - Date.now()));
    const connect = await logInWithShift(browser, t);
    assert.equal((await browser.request(connect.callback)).status, 303, 'CustomApp is connected');
    const page = await customAppPage();
    assert.ok(page.showsFiles, 'CustomApp shows the files SHIFT Files gave it');
    oldToken = page.filesToken;
    refreshesBeforeRotation = page.refreshes;
    assert.deepEqual(
      { typ: headerOf(oldToken).typ, kid: headerOf(oldToken).kid },
      { typ: 'at+jwt', kid: k1 },
      'a JWT access token signed by the active key',
    );
  });

  it('keys rotate: the next key signs, the old one retires for its tokens’ lifetime, and the old token still verifies at SHIFT Files', async () => {
    const rotate = await cli('keys', 'rotate', '--json');
    assert.equal(rotate.code, 0, `${rotate.stdout}${rotate.stderr}`);
    const steps = JSON.parse(rotate.stdout) as { alg: string; activated: string; retired: { kid: string }[]; published: string }[];
    assert.deepEqual(steps.map((s) => s.alg).sort(), ['ES256', 'RS256'], 'one rotation per algorithm SHIFT signs with');
    const step = steps.find((s) => s.alg === FILES_ALG);
    assert.equal(step!.activated, k2);
    assert.deepEqual(
      step!.retired.map((r) => r.kid),
      [k1],
    );
    const k3 = step!.published;
    // At once, while the key it just published is younger than JWKS_MAX_AGE + KEY_REFRESH_INTERVAL.
    const tooEarly = cli('keys', 'rotate');
    const retired = (await storedKeys()).find((k) => k.kid === k1)!;
    assert.equal(retired.state, 'retired');
    assert.equal(
      retired.expiresAt!.getTime() - retired.retiredAt!.getTime(),
      RETIRED_HOLD_MS,
      'the CLI holds the retired key as long as SHIFT would: KEY_REFRESH_INTERVAL + FILES_TOKEN_TTL + CLOCK_TOLERANCE',
    );

    assert.equal((await filesGet(oldToken)).status, 200, 'a token signed before the rotation still verifies');
    const page = await customAppPage();
    assert.ok(page.showsFiles, 'CustomApp still shows the files, without reconnecting');
    assert.equal(page.filesToken, oldToken, 'with the token it already held');
    assert.equal(page.refreshes, refreshesBeforeRotation);
    // SHIFT re-reads its keys every KEY_REFRESH_INTERVAL; the retired key stays published while its tokens may live.
    const kids = await eventually(jwksKids, (list) => list.includes(k3));
    assert.deepEqual(kids, [k1, k2, k3].sort());

    const early = await tooEarly;
    assert.equal(early.code, 3, 'exit 3: the next key has not been published long enough to sign');
    assert.match(early.stdout, new RegExp(`not rotated: the next key ${k3} can sign only from `));
    // storedKeys() holds the SHIFT Files keys only: the ID-token keys rotate by the same rules.
    const states = Object.fromEntries((await storedKeys()).map((k) => [k.kid, k.state]));
    assert.deepEqual(states, { [k1]: 'retired', [k2]: 'active', [k3]: 'next' }, 'a rotation run too early changes nothing');
  });

  it('CustomApp’s next SHIFT Files token carries the new kid and is accepted (RFC 9068 §4)', async () => {
    // CustomApp asks for a new token when the one it holds expires (FILES_TOKEN_TTL).
    const page = await eventually(customAppPage, (p) => p.filesToken !== oldToken, { timeoutMs: 30_000, intervalMs: 250 });
    assert.notEqual(page.filesToken, oldToken, 'CustomApp refreshed its SHIFT Files token');
    assert.ok(page.showsFiles);
    assert.equal(headerOf(page.filesToken).kid, k2);
    assert.equal((await filesGet(page.filesToken)).status, 200);
  });

  it('after the hold the retired key leaves the JWK Set and its tokens are refused, while CustomApp stays connected (RFC 6750 §3.1)', async () => {
    const kids = await eventually(jwksKids, (list) => !list.includes(k1), { timeoutMs: 30_000, intervalMs: 250 });
    assert.equal(kids.includes(k1), false, 'the retired key is no longer published');
    assert.ok(kids.includes(k2));
    // The next key maintenance run deletes it from the store.
    const keys = await eventually(storedKeys, (list) => !list.some((k) => k.kid === k1));
    assert.equal(
      keys.some((k) => k.kid === k1),
      false,
    );
    const list = await cli('keys', 'list', '--json');
    assert.equal(list.code, 0, list.stderr);
    assert.deepEqual((JSON.parse(list.stdout) as { kid: string }[]).map((k) => k.kid).includes(k1), false);

    const refused = await filesGet(oldToken);
    assert.equal(refused.status, 401);
    assert.match(refused.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    const page = await customAppPage();
    assert.ok(page.showsFiles, 'CustomApp is still connected and shows the files');
    assert.equal(headerOf(page.filesToken).kid, k2);
  });
});

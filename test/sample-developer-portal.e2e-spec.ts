import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { ClientRegistry } from 'nest-oauth2-provider';
import { CUSTOMAPP_CONFIG } from '../apps/sample/src/customapp/customapp.config';
import { CustomAppSettings } from '../apps/sample/src/customapp/storage/customapp-settings.service';
import { provisionCustomApp } from '../apps/sample/src/provision-customapp';
import { DEMO_USERS } from '../apps/sample/src/shift/users/demo-data';
import { CookieClient, readForm } from './support/sample-harness';
import { approveCode, logIn, postToken, readMe, SHIFT_REVOKE } from './support/shift-browser';
import { logInWithShift, startTestSample, type TestSample } from './support/sample-story';

const NATE = DEMO_USERS.find((u) => u.username === 'nate')!;
const ADA = DEMO_USERS.find((u) => u.username === 'ada')!;
/** Registrations a user may attempt per hour in these tests. */
const LIMIT = 8;

/** A browser signed in to SHIFT as a demo user. */
async function signedIn(t: TestSample, username: 'nate' | 'ada'): Promise<CookieClient> {
  const browser = new CookieClient();
  const page = await browser.request(`${t.shift}/login`);
  const { fields } = readForm(page.text, /<form method="post" action="\/login"/);
  const password = DEMO_USERS.find((u) => u.username === username)!.password;
  const res = await browser.request(`${t.shift}/login`, { form: { ...fields, username, password } });
  assert.equal(res.status, 303, `${username} logs in`);
  return browser;
}

/** The hidden fields (CSRF and one-time tokens) of the form posting to `action` on `path`. */
async function formOn(browser: CookieClient, url: string, action: string): Promise<Record<string, string>> {
  const page = await browser.request(url);
  assert.equal(page.status, 200, `${url}: ${page.status}`);
  return readForm(page.text, new RegExp(`<form method="post" action="${action.replace(/[/?]/g, '\\$&')}"`)).fields;
}

/** What "Register an app" posts for a confidential web app, with `overrides` on top. */
function appFields(overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    name: 'Rota Planner',
    client_uri: 'https://rota.example/',
    logo_uri: 'https://rota.example/logo.png',
    description: 'Plans rotas from SHIFT teams.',
    redirect_uris: 'https://rota.example/callback\nhttp://127.0.0.1:8080/callback',
    kind: 'confidential',
    grant_types: ['authorization_code', 'refresh_token'],
    ...overrides,
  };
}

/** Registers an app through the portal's form; resolves the secret page's answer. */
async function register(browser: CookieClient, t: TestSample, overrides: Record<string, string | string[]> = {}) {
  const hidden = await formOn(browser, `${t.shift}/developer/apps/new`, '/developer/apps');
  return browser.request(`${t.shift}/developer/apps`, { form: { ...hidden, ...appFields(overrides) } });
}

/** The client id and secret the secret page shows. */
function credentialsOn(html: string): { id: string; secret?: string } {
  const id = /data-testid="client-id">([^<]+)</.exec(html)?.[1];
  assert.ok(id, 'the page shows the client id');
  return { id, secret: /data-testid="client-secret">([^<]+)</.exec(html)?.[1] };
}

/** RFC 7009 §2.1–2.2: revoking an unknown token answers 200 to an authenticated client, 401 to anyone else. */
async function secretWorks(t: TestSample, id: string, secret: string): Promise<boolean> {
  const res = await request(t.shift).post(SHIFT_REVOKE).type('form').auth(id, secret).send({ token: 'no-such-token' });
  assert.ok([200, 401].includes(res.status), `revocation answered ${res.status}`);
  return res.status === 200;
}

describe('SHIFT developer portal: Your apps', () => {
  let t: TestSample;
  let registry: ClientRegistry;

  before(async () => {
    t = await startTestSample({ appRegistrationRateLimit: LIMIT });
    registry = t.sample.shift.get(ClientRegistry);
  });
  after(async () => t?.close());

  it('sends a visitor who is not signed in to the login page, and back', async () => {
    const res = await new CookieClient().request(`${t.shift}/developer/apps`);
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('location'), `/login?return_to=${encodeURIComponent('/developer/apps')}`);
  });

  it('registers a confidential app owned by the user, shows its secret once (no-store), and stores only its hash (RFC 6819 §5.1.4.1.3)', async () => {
    const nate = await signedIn(t, 'nate');
    const res = await register(nate, t);
    assert.equal(res.status, 200, res.text.slice(0, 400));
    assert.match(res.headers.get('cache-control') ?? '', /no-store/);
    const { id, secret } = credentialsOn(res.text);
    assert.ok(secret && secret.length >= 43, 'a secret of at least 256 bits');
    assert.match(res.text, /Copy the secret now/);

    const client = (await registry.get(id, { owner: NATE.id }))!;
    assert.equal(client.name, 'Rota Planner');
    assert.equal(client.registration, 'developer');
    assert.equal(client.clientUri, 'https://rota.example/');
    assert.equal(client.logoUri, 'https://rota.example/logo.png');
    assert.equal(client.description, 'Plans rotas from SHIFT teams.');
    assert.deepEqual(client.redirectUris, ['https://rota.example/callback', 'http://127.0.0.1:8080/callback']);
    assert.deepEqual(client.grantTypes, ['authorization_code', 'refresh_token']);
    assert.equal(client.secretHash, createHash('sha256').update(secret).digest('hex'));
    assert.ok(await secretWorks(t, id, secret));

    // The list and the app's page name it, never the secret again.
    const list = await nate.request(`${t.shift}/developer/apps`);
    assert.match(list.text, /Rota Planner/);
    assert.match(list.text, new RegExp(id));
    const page = await nate.request(`${t.shift}/developer/apps/${id}`);
    assert.equal(page.status, 200);
    for (const text of [list.text, page.text]) assert.ok(!text.includes(secret), 'the secret is shown once only');
  });

  it('a second post of the same form (a reload) registers nothing and shows no secret', async () => {
    const nate = await signedIn(t, 'nate');
    const hidden = await formOn(nate, `${t.shift}/developer/apps/new`, '/developer/apps');
    const before = (await registry.listByOwner(NATE.id)).length;
    const first = await nate.request(`${t.shift}/developer/apps`, { form: { ...hidden, ...appFields({ name: 'Once' }) } });
    assert.equal(first.status, 200);
    const again = await nate.request(`${t.shift}/developer/apps`, { form: { ...hidden, ...appFields({ name: 'Once' }) } });
    assert.equal(again.status, 303);
    assert.equal(again.headers.get('location'), '/developer/apps');
    assert.doesNotMatch(again.text, /client-secret/);
    assert.equal((await registry.listByOwner(NATE.id)).length, before + 1);
  });

  it('refuses bad input with every problem listed, keeps what was typed, and stores nothing', async () => {
    const nate = await signedIn(t, 'nate');
    const before = (await registry.listByOwner(NATE.id)).length;
    const res = await register(nate, t, {
      name: '  ',
      logo_uri: 'http://rota.example/logo.png',
      redirect_uris: 'http://rota.example/callback',
      description: 'Kept as typed',
      grant_types: ['authorization_code', 'password'],
    });
    assert.equal(res.status, 400);
    assert.match(res.text, /The app was not registered/);
    assert.match(res.text, /name: is required/);
    assert.match(res.text, /logo URI &quot;http:\/\/rota.example\/logo.png&quot; must be an https URL/);
    assert.match(res.text, /grant type &quot;password&quot; is not supported/);
    assert.match(res.text, /redirect/i);
    assert.match(res.text, />Kept as typed<\/textarea>/);
    assert.doesNotMatch(res.text, /client-secret/);
    assert.equal((await registry.listByOwner(NATE.id)).length, before);

    const none = await register(nate, t, { grant_types: [] });
    assert.equal(none.status, 400);
    assert.match(none.text, /grant types: pick at least one/);
    assert.equal((await registry.listByOwner(NATE.id)).length, before);
  });

  it('registers a public app without a secret', async () => {
    const ada = await signedIn(t, 'ada');
    const res = await register(ada, t, { name: 'Ada’s CLI', kind: 'public', redirect_uris: 'http://127.0.0.1/callback' });
    assert.equal(res.status, 200);
    const { id, secret } = credentialsOn(res.text);
    assert.equal(secret, undefined);
    assert.match(res.text, /A public app has no secret/);
    assert.equal((await registry.get(id))!.secretHash, null);
  });

  it('renders an app named with markup as text, never as markup', async () => {
    const ada = await signedIn(t, 'ada');
    const name = '<script>alert(1)</script><img src=x>';
    const res = await register(ada, t, { name, description: '"><b>bold</b>' });
    assert.equal(res.status, 200);
    const { id } = credentialsOn(res.text);
    for (const url of [`${t.shift}/developer/apps`, `${t.shift}/developer/apps/${id}`]) {
      const page = await ada.request(url);
      assert.ok(!page.text.includes('<script>alert(1)'), `${url} escapes the name`);
      assert.ok(!page.text.includes('<img src=x>'), `${url} escapes the name`);
      assert.ok(page.text.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), `${url} shows the name as text`);
    }
    assert.ok(!res.text.includes('<script>alert(1)'));
  });

  it('refuses a form posted without the session’s CSRF token (403), and stores nothing', async () => {
    const nate = await signedIn(t, 'nate');
    const hidden = await formOn(nate, `${t.shift}/developer/apps/new`, '/developer/apps');
    const before = (await registry.listByOwner(NATE.id)).length;
    const res = await nate.request(`${t.shift}/developer/apps`, { form: { _once: hidden._once, ...appFields({ name: 'Forged' }) } });
    assert.equal(res.status, 403);
    assert.match(res.text, /This form has expired/);
    const wrong = await nate.request(`${t.shift}/developer/apps`, { form: { ...hidden, _csrf: 'x'.repeat(43), ...appFields() } });
    assert.equal(wrong.status, 403);
    assert.equal((await registry.listByOwner(NATE.id)).length, before);

    const [app] = await registry.listByOwner(NATE.id);
    for (const action of ['', '/rotate-secret', '/delete']) {
      const forged = await nate.request(`${t.shift}/developer/apps/${app.id}${action}`, { form: { name: 'Forged', overlap: '0' } });
      assert.equal(forged.status, 403, `POST ${action || 'edit'} without the token`);
    }
    assert.equal((await registry.get(app.id))!.name, app.name);
    assert.equal((await registry.get(app.id))!.secretHash, app.secretHash);
  });

  it('answers another user’s app as an unknown one (404) on every page and form, and changes nothing', async () => {
    const [app] = await registry.listByOwner(NATE.id);
    const ada = await signedIn(t, 'ada');
    const page = await ada.request(`${t.shift}/developer/apps/${app.id}`);
    assert.equal(page.status, 404);
    assert.doesNotMatch(page.text, /Rota Planner/);
    assert.equal((await ada.request(`${t.shift}/developer/apps/no-such-app`)).status, 404);
    const hidden = await formOn(ada, `${t.shift}/developer/apps/new`, '/developer/apps');
    for (const action of ['', '/rotate-secret', '/delete']) {
      const res = await ada.request(`${t.shift}/developer/apps/${app.id}${action}`, {
        form: { ...hidden, ...appFields({ name: 'Taken over' }), overlap: '0' },
      });
      assert.equal(res.status, 404, `POST ${action || 'edit'}`);
    }
    const list = await ada.request(`${t.shift}/developer/apps`);
    assert.ok(!list.text.includes(app.id), 'Ada’s list does not show Nate’s app');
    assert.deepEqual(await registry.get(app.id), app);
  });

  it('edits an app: the changes are saved, a bad change is refused whole', async () => {
    const nate = await signedIn(t, 'nate');
    const [app] = await registry.listByOwner(NATE.id);
    const hidden = await formOn(nate, `${t.shift}/developer/apps/${app.id}`, `/developer/apps/${app.id}`);
    const saved = await nate.request(`${t.shift}/developer/apps/${app.id}`, {
      form: { ...hidden, ...appFields({ name: 'Rota Planner 2', description: '' }) },
    });
    assert.equal(saved.status, 303);
    const edited = (await registry.get(app.id))!;
    assert.equal(edited.name, 'Rota Planner 2');
    assert.equal(edited.description, undefined);
    assert.equal(edited.secretHash, app.secretHash, 'an edit keeps the secret');

    const refused = await nate.request(`${t.shift}/developer/apps/${app.id}`, {
      form: { ...hidden, ...appFields({ name: 'Renamed', client_uri: 'javascript:alert(1)' }) },
    });
    assert.equal(refused.status, 400);
    assert.match(refused.text, /Nothing was changed/);
    assert.match(refused.text, /client URI/);
    assert.equal((await registry.get(app.id))!.name, 'Rota Planner 2');
  });

  it('RFC 6819 §5.2.3.1: rotating with no overlap stops the old secret at once; with an overlap both work until it ends', async () => {
    const nate = await signedIn(t, 'nate');
    const created = credentialsOn((await register(nate, t, { name: 'Rotating' })).text);
    const path = `/developer/apps/${created.id}`;

    let hidden = await formOn(nate, `${t.shift}${path}`, `${path}/rotate-secret`);
    const now = await nate.request(`${t.shift}${path}/rotate-secret`, { form: { ...hidden, overlap: '0' } });
    assert.equal(now.status, 200);
    assert.match(now.headers.get('cache-control') ?? '', /no-store/);
    assert.match(now.text, /The old secret no longer works/);
    const second = credentialsOn(now.text).secret!;
    assert.ok(!(await secretWorks(t, created.id, created.secret!)), 'the old secret stopped');
    assert.ok(await secretWorks(t, created.id, second));
    // A reload of that answer rotates nothing more.
    const reload = await nate.request(`${t.shift}${path}/rotate-secret`, { form: { ...hidden, overlap: '0' } });
    assert.equal(reload.status, 303);
    assert.ok(await secretWorks(t, created.id, second));

    hidden = await formOn(nate, `${t.shift}${path}`, `${path}/rotate-secret`);
    const overlapped = await nate.request(`${t.shift}${path}/rotate-secret`, { form: { ...hidden, overlap: '3600' } });
    assert.equal(overlapped.status, 200);
    assert.match(overlapped.text, /The old secret keeps working for 1 hour/);
    const third = credentialsOn(overlapped.text).secret!;
    assert.ok(await secretWorks(t, created.id, second), 'the old secret works during the overlap');
    assert.ok(await secretWorks(t, created.id, third));
    assert.match((await nate.request(`${t.shift}${path}`)).text, /Old secret<\/dt><dd>Works until/);

    hidden = await formOn(nate, `${t.shift}${path}`, `${path}/rotate-secret`);
    const odd = await nate.request(`${t.shift}${path}/rotate-secret`, { form: { ...hidden, overlap: '99999999' } });
    assert.equal(odd.status, 400);
    assert.ok(await secretWorks(t, created.id, third), 'a refused rotation changes nothing');
  });

  it('deleting an app ends its secret and every token it holds (RFC 6750 §3.1 invalid_token, RFC 6749 §5.2 invalid_client)', async () => {
    const nate = await signedIn(t, 'nate');
    const redirectUri = 'https://rota.example/callback';
    const created = credentialsOn((await register(nate, t, { name: 'Doomed' })).text);
    const session = await logIn(t.shift, 'nate');
    const { code, verifier } = await approveCode(t.shift, t.shift, session, { id: created.id, redirectUri });
    const tokens = await postToken(
      t.shift,
      { id: created.id, secret: created.secret! },
      {
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        code_verifier: verifier,
      },
    ).expect(200);
    await readMe(t.shift, tokens.body.access_token).expect(200);

    const path = `/developer/apps/${created.id}`;
    const hidden = await formOn(nate, `${t.shift}${path}`, `${path}/delete`);
    const res = await nate.request(`${t.shift}${path}/delete`, { form: hidden });
    assert.equal(res.status, 303);
    const list = await nate.request(`${t.shift}/developer/apps`);
    assert.match(list.text, /Doomed is deleted/);
    assert.equal(await registry.get(created.id), undefined);
    await readMe(t.shift, tokens.body.access_token).expect(401);
    const refresh = await postToken(
      t.shift,
      { id: created.id, secret: created.secret! },
      {
        grant_type: 'refresh_token',
        refresh_token: tokens.body.refresh_token,
      },
    );
    assert.equal(refresh.status, 401);
    assert.equal(refresh.body.error, 'invalid_client');
    assert.equal((await nate.request(`${t.shift}${path}`)).status, 404);
  });

  it('limits registrations per user per hour: past the limit a 429 page with Retry-After, the form kept, nothing stored', async () => {
    // Every attempt counts, valid or not; Nate's attempts do not count against Ada.
    const ada = await signedIn(t, 'ada');
    let res = await register(ada, t, { name: 'One more' });
    for (let i = 0; i < LIMIT && res.status === 200; i++) res = await register(ada, t, { name: 'One more' });
    assert.equal(res.status, 429);
    assert.ok(Number(res.headers.get('retry-after')) > 0);
    assert.match(res.text, /You have registered many apps lately/);
    assert.match(res.text, /value="One more"/);
    assert.equal((await registry.listByOwner(ADA.id)).length, LIMIT, 'Ada’s attempts were all valid: LIMIT apps, and no more');
    assert.equal((await register(await signedIn(t, 'nate'), t, { name: 'Nate is not limited by Ada' })).status, 200);
  });
});

describe('CustomApp uses an app registered in SHIFT’s portal', () => {
  let t: TestSample;

  before(async () => {
    t = await startTestSample();
  });
  after(async () => t?.close());

  it('shows its redirect URI, refuses a pair SHIFT does not accept, keeps one it does, and signs in with it', async () => {
    const settings = new CookieClient();
    const page = await settings.request(`${t.customApp}/settings`);
    assert.equal(page.status, 200);
    assert.match(page.text, new RegExp(`data-testid="redirect-uri">${t.customApp}/oauth/redirect<`));

    const nate = await signedIn(t, 'nate');
    const created = credentialsOn(
      (
        await register(nate, t, {
          name: 'My CustomApp',
          redirect_uris: `${t.customApp}/oauth/redirect`,
          client_uri: 'https://customapp.example/',
          logo_uri: 'https://cdn.customapp.example/logo.png?v="2"',
        })
      ).text,
    );
    const { fields } = readForm(page.text, /<form method="post" action="\/settings"/);
    const wrong = await settings.request(`${t.customApp}/settings`, {
      form: { ...fields, client_id: created.id, client_secret: 'not-it' },
    });
    assert.equal(wrong.status, 400);
    assert.match(wrong.text, /SHIFT does not accept this client ID and secret/);
    assert.ok(!wrong.text.includes('not-it'), 'a secret is never echoed');
    const forged = await settings.request(`${t.customApp}/settings`, { form: { client_id: created.id, client_secret: created.secret! } });
    assert.equal(forged.status, 403);

    const saved = await settings.request(`${t.customApp}/settings`, {
      form: { ...fields, client_id: created.id, client_secret: created.secret! },
    });
    assert.equal(saved.status, 303);
    const after = await settings.request(`${t.customApp}/settings`);
    assert.match(after.text, new RegExp(`data-testid="current-client-id">${created.id}<`));
    assert.ok(!after.text.includes(created.secret!), 'the settings page never shows the secret');

    // The next start leaves a pasted registration alone: no rotation, no new redirect URI.
    const before = await t.sample.shift.get(ClientRegistry).get(created.id);
    const customApp = t.sample.customApp;
    assert.equal(await provisionCustomApp(t.sample.shift, customApp.get(CustomAppSettings), customApp.get(CUSTOMAPP_CONFIG)), 'settings');
    assert.deepEqual(await t.sample.shift.get(ClientRegistry).get(created.id), before);

    const browser = new CookieClient();
    const hops = await logInWithShift(browser, t);
    const consent = hops.consentPage!.text;
    assert.match(consent, /My CustomApp<\/span> wants to use your SHIFT account/);
    assert.match(consent, /Registered by an outside developer. SHIFT has not reviewed it./);
    assert.match(consent, /Home page: <a href="https:\/\/customapp.example\/" rel="noopener noreferrer">customapp.example<\/a>/);
    // The logo shows, escaped, and the page's CSP admits images from its origin and no other.
    assert.match(consent, /<img class="app-logo" src="https:\/\/cdn.customapp.example\/logo.png\?v&#x3D;&quot;2&quot;" alt=""/);
    assert.match(String(hops.consentPage!.headers.get('content-security-policy')), /img-src 'self' https:\/\/cdn.customapp.example;/);
    assert.match(consent, new RegExp(`SHIFT sends you on to <strong>${new URL(t.customApp).host}</strong>`));
    assert.ok(hops.callback.startsWith(`${t.customApp}/oauth/redirect?`));
    const connected = await browser.request(hops.callback);
    assert.equal(connected.status, 303);
    const profile = await browser.request(`${t.customApp}/`);
    assert.match(profile.text, /Nate Rivera/);
  });

  it('the operator’s own CustomApp reads as reviewed by SHIFT on the consent page', async () => {
    const other = await startTestSample();
    try {
      const hops = await logInWithShift(new CookieClient(), other);
      assert.match(hops.consentPage!.text, /Registered by SHIFT: an app SHIFT has reviewed./);
      assert.doesNotMatch(hops.consentPage!.text, /outside developer/);
    } finally {
      await other.close();
    }
  });
});

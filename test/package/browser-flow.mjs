// The authorization code flow against the guide's app, as a client and a user would run it: the
// client builds the request with PKCE (oauth4webapi), Chromium follows it to the app's login page
// and the consent page, the client exchanges the code and calls the BearerGuard-protected route.
import { existsSync } from 'node:fs';
import * as oauth from 'oauth4webapi';
import { chromium } from 'playwright-core';
import { check } from './support.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function browserFlow({ issuer, client: credentials, redirectUri, user }) {
  if (!existsSync(CHROMIUM)) {
    // CI installs Chromium first, so there a missing one is a failure, never a quiet skip.
    if (process.env.CI) return check(false, `Chromium at ${CHROMIUM} for the guide's browser flow`);
    return console.log(`SKIPPED the guide's browser flow: no Chromium at ${CHROMIUM} (set CHROMIUM_PATH)`);
  }
  const issuerUrl = new URL(issuer);
  // Plain http is this test's loopback address only; the client library insists on https otherwise.
  const insecure = { [oauth.allowInsecureRequests]: true };
  const as = await oauth.processDiscoveryResponse(issuerUrl, await oauth.discoveryRequest(issuerUrl, { ...insecure, algorithm: 'oauth2' }));
  const client = { client_id: credentials.client_id };
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const authorize = new URL(as.authorization_endpoint);
  authorize.search = new URLSearchParams({
    response_type: 'code',
    client_id: client.client_id,
    redirect_uri: redirectUri,
    scope: 'profile',
    state,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  }).toString();

  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    // Login CSRF: a page on another site posting a login form must not log its visitor in.
    const elsewhere = await browser.newContext();
    const attacker = await elsewhere.newPage();
    const loginUrl = new URL('/login', issuer).href;
    await attacker.route('http://attacker.test/**', (route) =>
      route.fulfill({
        status: 200,
        contentType: 'text/html',
        body: `<form method="post" action="${loginUrl}"><input name="username" value="${user.username}"><input name="password" value="${user.password}"><input name="return_to" value="/"></form><script>document.forms[0].submit()</script>`,
      }),
    );
    const posted = attacker.waitForResponse((r) => r.url() === loginUrl && r.request().method() === 'POST');
    await attacker.goto('http://attacker.test/');
    check((await posted).status() === 403, 'a login form posted from another site is refused (login CSRF)');
    await attacker.goto(authorize.href);
    check(new URL(attacker.url()).pathname === '/login', 'so that browser is still signed out: the authorization request asks for a login');
    await elsewhere.close();

    const page = await browser.newPage();
    // The client's redirect URI is not served here: the browser's arrival there is the result.
    let callback;
    await page.route(`${redirectUri}**`, (route) => {
      callback = new URL(route.request().url());
      return route.fulfill({ status: 200, contentType: 'text/plain', body: 'back at the client' });
    });
    await page.goto(authorize.href);
    check(
      new URL(page.url()).pathname === '/login',
      `an authorization request without a session lands on the app's login page (${page.url()})`,
    );
    await page.fill('input[name="username"]', user.username);
    await page.fill('input[name="password"]', `${user.password}!`);
    await page.click('button[type="submit"]');
    await page.getByRole('alert').waitFor();
    check(new URL(page.url()).pathname === '/login', 'a wrong password keeps the user on the login page, with the request to return to');
    await page.fill('input[name="username"]', user.username);
    await page.fill('input[name="password"]', user.password);
    await page.click('button[type="submit"]');
    const allow = page.locator('button[name="decision"][value="allow"]');
    await allow.waitFor();
    check(true, 'after login the built-in consent page asks for approval');
    await allow.click();
    await page.getByText('back at the client').waitFor();
    check(callback?.href.startsWith(redirectUri), `Allow redirects to the client's redirect URI with a code`);

    const params = oauth.validateAuthResponse(as, client, callback, state);
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.ClientSecretBasic(credentials.client_secret),
      params,
      redirectUri,
      verifier,
      insecure,
    );
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, response);
    check(
      tokens.token_type.toLowerCase() === 'bearer' && tokens.access_token.length > 0,
      'the code is exchanged for an access token (PKCE S256)',
    );

    const me = await fetch(new URL('/v1/users/me', issuer), { headers: { authorization: `Bearer ${tokens.access_token}` } });
    const body = await me.json();
    check(
      me.status === 200 && body.id === 'u1' && body.name === 'Ada Lovelace',
      `GET /v1/users/me with the token: ${me.status} ${JSON.stringify(body)}`,
    );
    const anonymous = await fetch(new URL('/v1/users/me', issuer));
    check(anonymous.status === 401, `GET /v1/users/me without a token: ${anonymous.status}`);
  } finally {
    await browser.close();
  }
}

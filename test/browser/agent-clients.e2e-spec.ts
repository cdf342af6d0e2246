import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as oauth from 'oauth4webapi';
import type { Browser, BrowserContext } from 'playwright-core';
import { json, type DocumentServer } from '../../libs/oauth2/src/core/client-metadata/document-server.spec-helper';
import { startAgentWorld, type AgentWorld, type LoopbackRedirect, type SampleProcess } from './support/sample-process';

const ROOT = join(__dirname, '..', '..', '..');
const SHOTS = join(ROOT, 'test', 'browser', 'screenshots');
const insecure = { [oauth.allowInsecureRequests]: true } as const;

/**
 * Apps no operator registered, through the sample in Chromium: an agent that registers itself at
 * SHIFT (RFC 7591, with oauth4webapi as the client) and one known only by the https URL of its Client
 * ID Metadata Document each send Nate through SHIFT's login and consent, and get a token for SHIFT's
 * user API, named as the resource (their default is SHIFT's MCP server), with oauth4webapi. The
 * agent's redirect is a loopback server of this test (RFC 8252 §7.3); its metadata document is
 * served over HTTPS on 127.0.0.1 by a CA this test makes, which SHIFT trusts through `CLIENT_ID_METADATA_CA_FILE` and reaches through `CLIENT_ID_METADATA_ALLOWED_ADDRESSES`.
 */
for (const platform of ['express', 'fastify'] as const) {
  describe(`agent clients in Chromium on ${platform === 'express' ? 'Express' : 'Fastify'}: dynamic registration and Client ID Metadata Documents`, () => {
    agentFlows(platform);
  });
}

function agentFlows(platform: 'express' | 'fastify'): void {
  let world: AgentWorld;
  let sample: SampleProcess;
  let browser: Browser;
  let context: BrowserContext;
  let docs: DocumentServer;
  let redirect: LoopbackRedirect;
  let shift: string;
  let callbackUri: string;
  let as: oauth.AuthorizationServer;

  before(async () => {
    world = await startAgentWorld({ HTTP_ADAPTER: platform });
    ({ sample, docs, redirect, browser } = world);
    callbackUri = redirect.uri;
    shift = sample.shift;
    const issuer = new URL(shift);
    as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }));
  });

  after(() => world?.close());

  /**
   * Nate's browser on the authorization request of `clientId`: SHIFT's login, then its consent page
   * (whose text is resolved), Allow, and the loopback redirect; then oauth4webapi exchanges the code
   * (a public client: PKCE, no secret) and calls SHIFT's API with the token.
   */
  async function signInWith(clientId: string, shot: string): Promise<{ consent: string; profile: Record<string, unknown> }> {
    context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
    const page = await context.newPage();
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const url = new URL(as.authorization_endpoint!);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: callbackUri,
      scope: 'profile offline_access',
      // Agents get SHIFT's MCP server by default; this one asks for SHIFT's user API by name (RFC 8707 §2).
      resource: `${shift}/v1/`,
      state,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    }).toString();
    await page.goto(url.href);
    await page.fill('input[name="username"]', 'nate');
    await page.fill('input[name="password"]', 'shift-demo');
    await page.click('button[type="submit"]');
    await page.getByRole('button', { name: 'Allow' }).waitFor();
    const consent = await page.locator('main').innerText();
    await page.screenshot({ path: join(platform === 'express' ? SHOTS : join(SHOTS, platform), `${shot}.png`), fullPage: true });
    const arrived = redirect.next();
    await page.getByRole('button', { name: 'Allow' }).click();
    const callback = await arrived;
    await page.getByText('Signed in. You can close this window.').waitFor();
    await context.close();

    const client: oauth.Client = { client_id: clientId };
    const params = oauth.validateAuthResponse(as, client, callback, state);
    const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, callbackUri, verifier, insecure);
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, response);
    assert.equal(tokens.token_type, 'bearer');
    assert.ok(tokens.refresh_token, 'offline_access gives a refresh token');
    const me = await fetch(`${shift}/v1/users/me`, { headers: { Authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(me.status, 200);
    return { consent, profile: (await me.json()) as Record<string, unknown> };
  }

  it('RFC 7591 §3: an agent registers itself, and Nate signs in to it through SHIFT; the consent page says nobody reviewed it', async () => {
    const response = await oauth.dynamicClientRegistrationRequest(
      as,
      { client_name: 'Desk Agent', redirect_uris: [callbackUri], token_endpoint_auth_method: 'none', scope: 'profile offline_access' },
      insecure,
    );
    const registered = await oauth.processDynamicClientRegistrationResponse(response);
    assert.equal(registered.client_secret, undefined, 'a public client gets no secret');
    const { consent, profile } = await signInWith(registered.client_id, `shift-consent-dynamic-${platform}`);
    assert.match(consent, /Desk Agent wants to use your SHIFT account/);
    assert.match(consent, /Registered itself automatically\. Nobody at SHIFT has reviewed it\./);
    assert.match(consent, new RegExp(`SHIFT sends you on to ${new URL(callbackUri).host.replace(/\./g, '\\.')}`));
    assert.match(JSON.stringify(profile), /Nate/);
  });

  it('Client ID Metadata Document: an agent known by its URL signs Nate in; the consent page names its host and warns of loopback', async () => {
    const clientId = `https://127.0.0.1:${docs.port}/agents/desk.json`;
    docs.route(
      '/agents/desk.json',
      json({
        client_id: clientId,
        client_name: 'Desk Agent by URL',
        redirect_uris: [callbackUri],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
        scope: 'profile offline_access',
      }),
    );
    const { consent, profile } = await signInWith(clientId, `shift-consent-url-${platform}`);
    assert.match(consent, /Desk Agent by URL wants to use your SHIFT account/);
    assert.match(consent, new RegExp(`Identified by its web address: 127\\.0\\.0\\.1:${docs.port}`));
    assert.match(consent, /Known only by its web address\. Nobody at SHIFT has reviewed it\./);
    assert.match(consent, /Only continue if you just started this yourself\./);
    assert.match(JSON.stringify(profile), /Nate/);
    assert.equal(docs.hits.get('/agents/desk.json'), 1, 'fetched once: the authorize and token requests share the stored copy');
    assert.doesNotMatch(sample.output, /access_token=|refresh_token=|code_verifier=/, 'no token in the logs');
  });
}

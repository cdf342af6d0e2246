import type { AddressInfo } from 'node:net';
import { Injectable } from '@nestjs/common';
import type { OAuthRequest } from 'nest-oauth2-provider';
import { createOAuthTestApp, type OAuthTestApp } from '../../fixtures/oauth-app.fixture';
import { TestInteraction } from '../../fixtures/test-interaction';
import { pkcePair } from '../../support/sample-harness';

/** The client the pages are shown for; nothing listens at its redirect URI (see CHROMIUM_ARGS). */
export const CALLBACK = 'https://customapp.example/callback';

/** The test interaction with a way to switch account, so the consent page shows "Not you?". */
@Injectable()
export class SwitchingInteraction extends TestInteraction {
  override switchAccountUrl(returnTo: string, _req: OAuthRequest): string {
    return `/logout?return_to=${encodeURIComponent(returnTo)}`;
  }
}

export interface PagesHost {
  t: OAuthTestApp;
  /** The server's origin, e.g. `http://127.0.0.1:4100`. */
  origin: string;
  clientId: string;
  clientSecret: string;
  verifier: string;
  /** The authorization request that shows the consent page to a signed-in user. */
  consentUrl: string;
  /** An authorization request for an unknown client: the error page. */
  errorUrl: string;
}

/**
 * A host as a user would write it with the built-in pages left as they are: memory stores, two
 * configured APIs so the page names them, a confidential client, listening on a free port.
 */
export async function startPagesHost(): Promise<PagesHost> {
  const t = await createOAuthTestApp({
    storage: 'memory',
    options: {
      pages: { productName: 'SHIFT' },
      resources: {
        'https://api.shift.example/': { name: 'SHIFT API', scopes: ['profile', 'email', 'teams:read'] },
      },
      defaultResource: 'https://api.shift.example/',
    },
    extras: { interaction: SwitchingInteraction },
  });
  await t.app.listen(0, '127.0.0.1');
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  const client = await t.register({
    name: 'CustomApp',
    redirectUris: [CALLBACK],
    clientUri: 'https://customapp.example/',
    scopes: ['profile', 'email', 'teams:read'],
  });
  const { verifier, challenge } = pkcePair();
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: client.client.id,
    redirect_uri: CALLBACK,
    scope: 'profile email teams:read',
    state: 'xyz',
    // Shown every time, however often the flow ran before (RFC 6749 §10.2 lets a remembered approval skip it).
    prompt: 'consent',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  return {
    t,
    origin,
    clientId: client.client.id,
    clientSecret: client.clientSecret!,
    verifier,
    consentUrl: `${origin}/oauth2/auth?${query}`,
    errorUrl: `${origin}/oauth2/auth?response_type=code&client_id=unknown-client&redirect_uri=${encodeURIComponent(CALLBACK)}`,
  };
}

/** Chromium's flags; the client's host points at a closed local port, so a redirect there fails at once, offline. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--host-resolver-rules=MAP customapp.example 127.0.0.1:9',
];

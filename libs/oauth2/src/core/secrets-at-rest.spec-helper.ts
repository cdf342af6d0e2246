import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { OAuthResponse } from './oauth-response';
import { makeCore, oauthRequest, tokenPost, type CoreStores } from './core-test.spec-helper';
import { s256Challenge } from './protocol/pkce';
import { hashSecret } from './protocol/credentials';

const REDIRECT = 'https://app.example/cb';
const VERIFIER = 'v'.repeat(50);

/** Real stores for the core, and everything they hold as text. */
export interface StoredCore {
  stores: CoreStores;
  dump(): Promise<string>;
  close(): Promise<void>;
}

function location(res: OAuthResponse): URL {
  assert.equal(res.status, 302, JSON.stringify(res.body));
  return new URL(res.headers.Location as string, 'https://as.example');
}

function hidden(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/name="([^"]*)" value="([^"]*)"/g))
    out[m[1]] = m[2].replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)));
  return out;
}

/**
 * The core keeps only the SHA-256 of every secret it issues: it registers a client, runs the
 * authorization code flow with consent, exchanges the code and rotates the refresh token over real
 * stores, and after each step no raw client secret, code or token is anywhere in what they hold —
 * while each one's hash is, so the dump is the real storage and not an empty one.
 */
export function describeSecretsAtRest(name: string, open: () => Promise<StoredCore>): void {
  describe(`${name}: the core stores secrets only as their SHA-256`, () => {
    let stored: StoredCore;
    before(async () => (stored = await open()));
    after(async () => stored?.close());

    const assertHashedOnly = async (raw: Record<string, string>) => {
      const dump = await stored.dump();
      for (const [what, value] of Object.entries(raw)) {
        assert.ok(!dump.includes(value), `the raw ${what} is stored`);
        assert.ok(dump.includes(hashSecret(value)), `the ${what}'s SHA-256 is stored`);
      }
    };

    it('stores the client secret, the code and the tokens only as their SHA-256 (RFC 6819 §5.1.4.1.3, RFC 6749 §10.3)', async () => {
      const { server, registry } = makeCore({}, undefined, stored.stores);
      const { client, clientSecret } = await registry.register({ name: 'App', redirectUris: [REDIRECT] });
      const secret = clientSecret!;
      await assertHashedOnly({ 'client secret': secret });

      const query = {
        response_type: 'code',
        client_id: client.id,
        scope: 'profile offline_access',
        state: 's',
        code_challenge: s256Challenge(VERIFIER),
        code_challenge_method: 'S256',
      };
      const page = await server.handleAuthorizationRequest(oauthRequest({ query, headers: { 'x-user': 'u1' } }));
      assert.equal(page.status, 200);
      const cookie = String(page.headers['Set-Cookie']).split(';')[0].split('=')[1];
      const decision = await server.handleConsentDecision(
        oauthRequest({
          method: 'POST',
          url: '/oauth2/auth',
          headers: { 'x-user': 'u1' },
          cookies: { oauth_consent: cookie },
          body: { ...hidden(page.body as string), decision: 'allow' },
        }),
      );
      const code = location(decision).searchParams.get('code')!;
      await assertHashedOnly({ 'client secret': secret, code });

      const issued = await server.handleTokenRequest(
        tokenPost({ grant_type: 'authorization_code', code, code_verifier: VERIFIER }, { id: client.id, secret }),
      );
      assert.equal(issued.status, 200, JSON.stringify(issued.body));
      const first = issued.body as { access_token: string; refresh_token: string };
      assert.ok(first.refresh_token, 'a refresh token');

      const rotated = await server.handleTokenRequest(
        tokenPost({ grant_type: 'refresh_token', refresh_token: first.refresh_token }, { id: client.id, secret }),
      );
      assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
      const second = rotated.body as { access_token: string; refresh_token: string };
      await assertHashedOnly({
        'client secret': secret,
        code,
        'access token': first.access_token,
        'refresh token': first.refresh_token,
        'rotated access token': second.access_token,
        'rotated refresh token': second.refresh_token,
      });
    });
  });
}

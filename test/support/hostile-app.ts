import { Body, Controller, Post } from '@nestjs/common';
import { ConsentStore, type OAuthModuleOptions } from 'nest-oauth2-provider';
import { DataSource } from 'typeorm';
import { createOAuthTestApp, type OAuthTestApp } from '../fixtures/oauth-app.fixture';
import { ProfileApiController } from '../fixtures/protected-api';
import { mintPair } from './mint-token';
import { assertBearerRouteInvariants, assertNoNewRows, assertResponseInvariants, type RedirectPolicy } from './hostile-invariants';
import { RawHttpClient, type RawRequest, type RawResponse } from './raw-http';

/** Registered redirect URIs of the confidential client; the public client has `PUBLIC_REDIRECT`. */
export const CONFIDENTIAL_REDIRECTS = ['https://customapp.example/oauth/redirect', 'http://127.0.0.1:8400/cb?tenant=a'];
export const PUBLIC_REDIRECT = 'https://spa.example/callback';
/** The user who already approved both clients, so a valid authorization request goes straight to a code. */
export const CONSENTED_USER = 'alice';

/** The test host app every hostile-input spec attacks, with the credentials a well-behaved client would hold. */
export interface HostileApp {
  t: OAuthTestApp;
  http: RawHttpClient;
  confidential: { id: string; secret: string };
  publicId: string;
  /** A live access token (scope profile) and refresh token of the confidential client. */
  accessToken: string;
  refreshToken: string;
  /** Every redirect URI registered on the server. */
  registeredRedirects: string[];
  /** Rows in each oauth_* table. */
  rowCounts(): Promise<Record<string, number>>;
  /**
   * Sends one hostile request and checks every invariant (see `assertResponseInvariants`) plus "no
   * new row after a refused request". `hostRoute` relaxes only the OAuth error shape: a body the
   * host's parser refuses on an unguarded route of its own is answered by the host, not by us.
   * `bearerRoute` adds the RFC 6750 §3 challenge of a `BearerGuard`-protected route to the checks.
   */
  attack(req: RawRequest, options?: { hostRoute?: boolean; bearerRoute?: boolean }): Promise<RawResponse>;
  /** Requests sent through `attack` so far. */
  readonly tried: number;
  /** `tried`, and how the answers spread over status codes (to see the generators reach past the first checks). */
  summary(): string;
  close(): Promise<void>;
}

/** An unguarded host route that reads a body: the host's own error handling stays in charge there. */
@Controller('host')
export class HostFormController {
  @Post('form')
  form(@Body() body: unknown) {
    return body;
  }
}

const TABLES = ['oauth_clients', 'oauth_authorization_codes', 'oauth_tokens', 'oauth_consents'];

/**
 * A host app on TypeORM (the database of DATABASE_URL) with a confidential client, a public client,
 * a BearerGuard-protected route (`/api/me`, scope profile), a consenting user and a live token pair.
 */
export async function createHostileApp(options: Partial<OAuthModuleOptions> = {}): Promise<HostileApp> {
  const t = await createOAuthTestApp({
    controllers: [ProfileApiController, HostFormController],
    options: { offlineAccessScope: false, ...options },
  });
  const conf = await t.register({
    name: 'CustomApp',
    redirectUris: CONFIDENTIAL_REDIRECTS,
    scopes: ['profile', 'email', 'offline_access'],
    grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
    canIntrospect: true,
  });
  const pub = await t.register({ name: 'SPA', redirectUris: [PUBLIC_REDIRECT], public: true, scopes: ['profile'] });
  const consents = t.app.get(ConsentStore);
  await consents.grant(CONSENTED_USER, conf.client.id, ['profile', 'email', 'offline_access'], t.clock.now());
  await consents.grant(CONSENTED_USER, pub.client.id, ['profile'], t.clock.now());
  const pair = await mintPair(t, { clientId: conf.client.id, userId: CONSENTED_USER, scopes: ['profile'] });
  const http = await RawHttpClient.listen(t.server);
  const dataSource = t.app.get(DataSource);
  const rowCounts = async () => {
    const select = TABLES.map((table) => `(SELECT COUNT(*) FROM ${table}) AS ${table}`).join(', ');
    const [row] = await dataSource.query(`SELECT ${select}`);
    return Object.fromEntries(TABLES.map((table) => [table, Number(row[table])]));
  };
  const policy: RedirectPolicy = { registered: [...CONFIDENTIAL_REDIRECTS, PUBLIC_REDIRECT], localPrefixes: ['/login?'] };
  let tried = 0;
  const statuses = new Map<number, number>();
  return {
    t,
    http,
    confidential: { id: conf.client.id, secret: conf.clientSecret! },
    publicId: pub.client.id,
    accessToken: pair.access.value,
    refreshToken: pair.refresh.value,
    registeredRedirects: [...CONFIDENTIAL_REDIRECTS, PUBLIC_REDIRECT],
    rowCounts,
    get tried() {
      return tried;
    },
    summary: () =>
      `${tried} requests tried (${[...statuses.entries()]
        .sort(([a], [b]) => a - b)
        .map(([status, n]) => `${status}: ${n}`)
        .join(', ')})`,
    attack: async (req, options = {}) => {
      tried++;
      const what = `${req.method} ${req.path.slice(0, 200)}${req.path.length > 200 ? '…' : ''}`;
      const before = await rowCounts();
      const res = await http.send(req);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      assertResponseInvariants(res, policy, what, { oauthShape: !options.hostRoute });
      if (options.bearerRoute) assertBearerRouteInvariants(res, what);
      assertNoNewRows(before, await rowCounts(), res, what);
      return res;
    },
    close: async () => {
      http.close();
      await t.close();
    },
  };
}

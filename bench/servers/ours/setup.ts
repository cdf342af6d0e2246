import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Body, Controller, HttpCode, Post, type INestApplication } from '@nestjs/common';
import { ClientRegistry, Clock, CodeStore, OAuthPurgeService, TokenStore, type OAuthToken } from 'nest-oauth2-provider';
// Library internals the bench drives directly (not part of the public API).
import { hashSecret } from '../../../libs/oauth2/src/core/protocol/credentials';
import { OAUTH_PURGE_BATCH_SIZE } from '../../../libs/oauth2/src/oauth-purge.service';
import type { BenchFixtures, MintedCode } from '../../harness/fixtures';

export const REDIRECT_URI = 'http://127.0.0.1/callback';
const value = () => randomBytes(32).toString('base64url');

/** What the seeded tokens are for. */
export interface SeedOptions {
  /** The resource (RFC 8707) the API is; the seeded tokens carry it as their audience. */
  audience?: string;
  /** The resource issues JWT access tokens: the bearer pool is then JWTs issued by the token endpoint. */
  jwt?: boolean;
}

/**
 * Sets the bench up through the library's own API, as a host's seed script would: clients through
 * `ClientRegistry`, access tokens through `TokenStore.save` (JWTs through the token endpoint, since
 * they are never stored). The raw token values go to the harness.
 */
export async function seedFixtures(
  app: INestApplication,
  prefix: string,
  seed: SeedOptions = {},
  tokenRows = 1000,
): Promise<BenchFixtures> {
  const registry = app.get(ClientRegistry);
  const tokens = app.get(TokenStore);
  const clock = app.get(Clock);
  const cc = await registry.register({ id: 'bench-cc', name: 'Bench service', grantTypes: ['client_credentials'], scopes: ['profile'] });
  const web = await registry.register({
    id: 'bench-web',
    name: 'Bench web app',
    grantTypes: ['authorization_code', 'refresh_token'],
    redirectUris: [REDIRECT_URI],
    scopes: ['profile'],
  });
  const rs = await registry.register({
    id: 'bench-rs',
    name: 'Bench API',
    grantTypes: ['client_credentials'],
    scopes: ['profile'],
    canIntrospect: true,
  });

  const bearerTokens: string[] = [];
  const now = clock.now();
  for (let i = 0; i < tokenRows; i++) {
    const raw = value();
    await tokens.save([accessToken(raw, now, undefined, seed.audience)]);
    if (i < 100 && !seed.jwt) bearerTokens.push(raw);
  }
  if (seed.jwt) {
    const { port } = app.getHttpServer().address() as AddressInfo;
    for (let i = 0; i < 100; i++)
      bearerTokens.push(await clientCredentials(`http://127.0.0.1:${port}/${prefix}/token`, cc.client.id, cc.clientSecret!));
  }
  return {
    getPath: '/api/me',
    tokenPath: `/${prefix}/token`,
    introspectPath: `/${prefix}/introspect`,
    ccClient: { id: cc.client.id, secret: cc.clientSecret! },
    codeClient: { id: web.client.id, secret: web.clientSecret!, redirectUri: REDIRECT_URI },
    introspectClient: { id: rs.client.id, secret: rs.clientSecret! },
    bearerTokens,
    mintCodesPath: '/bench/codes',
    accessTokenFormat: seed.jwt ? 'jwt' : 'opaque',
  };
}

/** One access token from the token endpoint (`client_credentials`, scope `profile`). */
async function clientCredentials(url: string, id: string, secret: string): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'profile' }).toString(),
  });
  const body = (await response.json()) as { access_token?: string };
  if (!response.ok || !body.access_token) throw new Error(`seeding a JWT failed: ${response.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

/** An access token of user `user-1` for `bench-web`, scope `profile`, valid for an hour, for `audience` if given. */
export function accessToken(raw: string, now: Date, expiresAt = new Date(now.getTime() + 3600_000), audience?: string): OAuthToken {
  return {
    id: randomBytes(16).toString('hex'),
    tokenHash: hashSecret(raw),
    kind: 'access',
    clientId: 'bench-web',
    userId: 'user-1',
    scopes: ['profile'],
    resources: audience === undefined ? [] : [audience],
    grantId: randomBytes(16).toString('hex'),
    parentId: null,
    createdAt: now,
    grantCreatedAt: now,
    expiresAt,
    revokedAt: null,
    rotatedAt: null,
  };
}

/** Setup only, never measured: mints authorization codes (PKCE S256) through `CodeStore.save`. */
@Controller('bench')
export class MintCodesController {
  constructor(
    private readonly codes: CodeStore,
    private readonly clock: Clock,
  ) {}

  @Post('codes')
  @HttpCode(200)
  async mint(@Body() body: { count?: number }): Promise<MintedCode[]> {
    const count = Math.min(Number(body?.count) || 1, 10_000);
    const minted: MintedCode[] = [];
    const now = this.clock.now();
    for (let i = 0; i < count; i++) {
      const code = value();
      const verifier = value();
      await this.codes.save({
        codeHash: hashSecret(code),
        clientId: 'bench-web',
        userId: 'user-1',
        redirectUri: REDIRECT_URI,
        scopes: ['profile'],
        resources: [],
        codeChallenge: createHash('sha256').update(verifier).digest('base64url'),
        codeChallengeMethod: 'S256',
        grantId: randomBytes(16).toString('hex'),
        createdAt: now,
        expiresAt: new Date(now.getTime() + 600_000),
        consumedAt: null,
        replayedAt: null,
      });
      minted.push({ code, verifier });
    }
    return minted;
  }
}

/**
 * Setup only: runs the library's own batched purge (`OAuthPurgeService.run`, what the
 * `purgeInterval` timer calls) on demand, so the growth scenario can load the API while it works.
 */
@Controller('bench')
export class PurgeController {
  constructor(
    private readonly purger: OAuthPurgeService,
    private readonly tokens: TokenStore,
  ) {}

  @Post('purge')
  @HttpCode(200)
  async purge(@Body() body: { batchSize?: number }): Promise<{ deleted: number; batches: number; ms: number }> {
    const batchSize = Math.min(Number(body?.batchSize) || OAUTH_PURGE_BATCH_SIZE, 100_000);
    // The service sizes its batches itself; count them as they reach the store.
    let batches = 0;
    const purgeExpired = this.tokens.purgeExpired.bind(this.tokens);
    this.tokens.purgeExpired = (now, size) => (batches++, purgeExpired(now, size));
    const started = performance.now();
    try {
      const { tokens } = await this.purger.run(batchSize);
      return { deleted: tokens, batches, ms: Math.round(performance.now() - started) };
    } finally {
      delete (this.tokens as Partial<TokenStore>).purgeExpired;
    }
  }
}

// The dynamic registration guide's snippets, compiled with the rest of the project (strict) and
// checked against the guide by test/docs-snippets.e2e-spec.ts.
import { Injectable, Module } from '@nestjs/common';
import { createInitialAccessToken, OAuthModule, TokenStore, type Clock } from 'nest-oauth2-provider';

// #region options
@Module({
  imports: [
    OAuthModule.forRoot({
      issuer: 'https://shift.example',
      scopes: { profile: 'See your name', 'files:read': 'See your files', offline_access: 'Stay connected' },
      registration: {
        enabled: true,
        initialAccessToken: 'none', // open registration, as MCP clients expect
        scopes: ['profile', 'files:read', 'offline_access'], // what a client may register
        defaultScope: ['profile'], // what it gets when it names none
        reusePublicClients: true, // an identical public re-registration gets its earlier client back
        rateLimit: { perIp: { limit: 10, ttl: 3600 }, global: { limit: 500, ttl: 3600 } },
        unusedClientTtl: 24 * 3600, // never used: deleted after a day
        idleClientTtl: 90 * 24 * 3600, // used, then idle: deleted after 90 days
      },
    }),
  ],
})
export class AppModule {}
// #endregion options

// #region admin-token
/** An admin page's "new registration token" button: the token is shown once, only its hash is stored. */
@Injectable()
export class RegistrationTokens {
  constructor(
    private readonly tokens: TokenStore,
    private readonly clock: Clock,
  ) {}

  async create(): Promise<{ token: string; expiresAt: Date }> {
    const { token, expiresAt } = await createInitialAccessToken(this.tokens, this.clock, 7 * 24 * 3600);
    return { token, expiresAt };
  }
}
// #endregion admin-token

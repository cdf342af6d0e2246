// The snippets of docs/guide/protect-an-api.md, compiled with the rest of the project (strict) and
// checked against the page by test/docs-snippets.e2e-spec.ts.
import { Controller, Get, Module, Param, Post, Session } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { BearerGuard, ClientRegistry, ConnectedApps, OAuthModule, SkipBearer } from 'nest-oauth2-provider';

declare const options: { issuer: string; scopes: Record<string, string> };

// #region global-guard
@Module({ providers: [{ provide: APP_GUARD, useClass: BearerGuard }] })
export class AppModule {}

@Controller()
export class HealthController {
  @Get('health')
  @SkipBearer() // open: no token needed
  health() {
    return 'ok';
  }
}
// #endregion global-guard

// #region bearer-cache
OAuthModule.forRoot({ ...options, bearer: { cache: { maxEntries: 10_000, ttl: 30 } } });
// #endregion bearer-cache

export async function registerReportsApi(registry: ClientRegistry) {
  // #region introspecting-client
  await registry.register({ name: 'Reports API', grantTypes: ['client_credentials'], canIntrospect: true });
  // #endregion introspecting-client
}

// #region connected-apps
@Controller('account/apps')
export class AccountAppsController {
  constructor(private readonly apps: ConnectedApps) {}

  @Get()
  list(@Session() session: { userId: string }) {
    // [{ clientId, clientName, scopes, firstUsedAt, lastUsedAt }], most recently used first
    return this.apps.listForUser(session.userId);
  }

  @Post(':clientId/revoke') // protect it against CSRF like any other form of yours
  disconnect(@Session() session: { userId: string }, @Param('clientId') clientId: string) {
    return this.apps.revoke(session.userId, clientId);
  }
}
// #endregion connected-apps

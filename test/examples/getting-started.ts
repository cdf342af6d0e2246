// The code of README.md's and docs/guide/getting-started.md's "Use it in your app", region by region
// (test/docs-snippets.e2e-spec.ts checks that the pages show these lines verbatim). The build compiles
// this file in strict mode, so the snippets stay correct as the library's API changes. What a host app
// would have elsewhere (its users, migrations, session fields) is declared first.
import type { INestApplicationContext } from '@nestjs/common';
import { Column, Entity, PrimaryColumn, type MigrationInterface } from 'typeorm';
import { ClientRegistry } from 'nest-oauth2-provider';

// What the snippets take from the host app around them.
@Entity('users')
class User {
  @PrimaryColumn() id!: string;
  @Column() displayName!: string;
}

declare const appMigrations: (new () => MigrationInterface)[];
declare const issuer: string;
declare const scopes: Record<string, string>;
declare const options: { issuer: string; scopes: Record<string, string> };
const REDIS = Symbol('REDIS');

@Injectable()
class UsersService {
  profile(id: string) {
    return { id };
  }
}

@Module({ providers: [UsersService], exports: [UsersService] })
class UsersModule {}

declare module 'express-session' {
  interface SessionData {
    userId?: string;
    displayName?: string;
  }
}

// #region interaction
import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { OAuthInteraction, type OAuthRequest, type OAuthUser } from 'nest-oauth2-provider';

@Injectable()
export class AppInteraction extends OAuthInteraction {
  currentUser(req: OAuthRequest): OAuthUser | undefined {
    const session = (req.raw as Request).session; // your session, read from the framework's request
    return session.userId ? { id: session.userId, name: session.displayName } : undefined;
  }

  loginUrl(returnTo: string): string {
    return `/login?return_to=${encodeURIComponent(returnTo)}`; // only ever redirect to a local path
  }

  // Optional: render the consent page with your own templates (escape every string, post every
  // entry of view.fields back unchanged). Return undefined to use the built-in page.
  // renderConsent(view: ConsentView) { return this.views.render('consent', view); }
}
// #endregion interaction

// #region app-module
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OAuthModule } from 'nest-oauth2-provider';
import { OAUTH_ENTITIES, OAUTH_MIGRATIONS } from 'nest-oauth2-provider/typeorm';

@Module({
  imports: [
    TypeOrmModule.forRoot({
      type: 'postgres',
      url: process.env.DATABASE_URL,
      entities: [...OAUTH_ENTITIES, User],
      migrations: [...OAUTH_MIGRATIONS, ...appMigrations],
      migrationsRun: true,
    }),
    OAuthModule.forRoot({
      issuer: 'https://auth.example.com',
      prefix: 'v1/oauth2', // → /v1/oauth2/auth, /token, /revoke, /introspect
      scopes: { profile: 'Read your profile', offline_access: 'Stay connected when you are away' },
      interaction: AppInteraction,
      secret: process.env.OAUTH_SECRET, // same value on every instance
    }),
  ],
})
export class AppModule {}
// #endregion app-module

// #region for-root-async
import { ConfigModule, ConfigService } from '@nestjs/config';

export const oauthFromConfig = OAuthModule.forRootAsync({
  prefix: 'v1/oauth2',
  interaction: AppInteraction,
  imports: [ConfigModule],
  inject: [ConfigService],
  useFactory: (config: ConfigService) => ({
    issuer: config.getOrThrow<string>('OAUTH_ISSUER'),
    scopes: { profile: 'Read your profile' },
  }),
});
// #endregion for-root-async

// #region auth-module
@Module({
  imports: [UsersModule, OAuthModule.forRoot({ issuer, scopes, interaction: AppInteraction })],
  providers: [AppInteraction], // AppInteraction may inject UsersService from UsersModule
})
export class AuthModule {}
// #endregion auth-module

export async function registerCustomApp(app: INestApplicationContext) {
  // #region register-client
  const { client, clientSecret } = await app.get(ClientRegistry).register({
    name: 'CustomApp',
    redirectUris: ['https://customapp.com/oauth/redirect'],
    scopes: ['profile', 'offline_access'],
    // applicationType: 'native' for an app on the user's device (the default for `public: true`)
  }); // the secret is returned once and stored only as its SHA-256
  // #endregion register-client
  return { clientId: client.id, clientSecret };
}

// #region guarded-controller
import { Controller, Get, UseGuards } from '@nestjs/common';
import { BearerGuard, OAuthAuthorization, Scopes, type ResourceAuthorization } from 'nest-oauth2-provider';

@Controller('v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('me')
  @UseGuards(BearerGuard)
  @Scopes('profile')
  me(@OAuthAuthorization() auth: ResourceAuthorization) {
    return this.users.profile(auth.userId!);
  }
}
// #endregion guarded-controller

// #region swap-store
import { Inject } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RedisTokenStore } from './redis-token.store';

@Injectable()
export class AppRedisTokenStore extends RedisTokenStore {
  constructor(@Inject(REDIS) redis: Redis) {
    super(redis, 'oauth:');
  }
}

OAuthModule.forRoot({ ...options, stores: { tokens: AppRedisTokenStore } });
// #endregion swap-store

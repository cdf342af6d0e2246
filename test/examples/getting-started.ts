// The smaller snippets of docs/guide/getting-started.md and README.md, region by region
// (test/docs-snippets.e2e-spec.ts checks that the pages show these lines verbatim); the app the
// guide builds step by step is getting-started-app/. The build compiles this file in strict mode,
// so the snippets stay correct as the library's API changes. What they take from the host app
// around them is declared first.
import type { INestApplicationContext } from '@nestjs/common';
import { Injectable, Module } from '@nestjs/common';
import { ClientRegistry, OAuthModule } from 'nest-oauth2-provider';
import { AppInteraction } from './getting-started-app/src/app.interaction';

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

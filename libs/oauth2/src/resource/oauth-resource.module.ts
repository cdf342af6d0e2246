import { Inject, Module, type MiddlewareConsumer, type NestModule, type OnModuleInit } from '@nestjs/common';
import { ApplicationConfig, HttpAdapterHost, ModulesContainer } from '@nestjs/core';
import { ResourceServer } from '../core/resource-server';
import { PlatformSetup } from '../http/platform-setup';
import { RESOLVED_OAUTH_RESOURCE_OPTIONS } from './oauth-resource.constants';
import { OAuthResourceConfigurableModuleClass } from './oauth-resource.module-definition';
import type { ResolvedOAuthResourceOptions } from './oauth-resource-options';

/**
 * Makes the host app a resource server of an authorization server on another host: `BearerGuard`,
 * `@Scopes()` and `@OAuthAuthorization()` work as with `OAuthModule`. A JWT access token (RFC 9068)
 * is verified locally against the authorization server's JWK Set, with no request per call; any other
 * token is introspected (RFC 7662) at the authorization server found from its metadata (RFC 8414).
 * The app serves its protected resource metadata (RFC 9728). No database and no TypeORM.
 *
 * Like `OAuthModule`, it answers a body the platform cannot parse on a guarded route with the
 * guard's challenge, relying on the same Nest init order (see the header of `oauth.module.ts`).
 * @publicApi
 * @example
 * OAuthResourceModule.forRoot({
 *   issuer: 'https://shift.example',
 *   resource: 'https://files.shift.example/',
 *   scopes: ['files:read'],
 *   // only for opaque tokens; without it, only JWT access tokens are accepted
 *   introspection: { clientId: process.env.INTROSPECTION_CLIENT_ID, clientSecret: process.env.INTROSPECTION_CLIENT_SECRET },
 * })
 */
@Module({})
export class OAuthResourceModule extends OAuthResourceConfigurableModuleClass implements NestModule, OnModuleInit {
  private readonly platform: PlatformSetup;

  constructor(
    adapterHost: HttpAdapterHost,
    modules: ModulesContainer,
    appConfig: ApplicationConfig,
    resources: ResourceServer,
    @Inject(RESOLVED_OAUTH_RESOURCE_OPTIONS) options: ResolvedOAuthResourceOptions,
  ) {
    super();
    // No endpoints of its own but the well-known documents, which take no body.
    this.platform = new PlatformSetup({ adapterHost, modules, appConfig, resources, realm: options.realm, endpoints: () => () => false });
  }

  configure(consumer: MiddlewareConsumer): void {
    this.platform.configure(consumer);
  }

  onModuleInit(): void {
    this.platform.finish();
  }
}

import { Inject, Module, RequestMethod, type MiddlewareConsumer, type NestModule, type OnModuleInit } from '@nestjs/common';
import { ApplicationConfig, HttpAdapterHost, ModulesContainer } from '@nestjs/core';
import { ResourceServer } from '../core/resource-server';
import { BearerRoutes, markBearerRoutes } from '../http/bearer-routes';
import { installBodyErrorHandling } from '../http/body-errors';
import { WELL_KNOWN_ROUTE, WellKnownMiddleware } from '../http/well-known.middleware';
import { RESOLVED_OAUTH_RESOURCE_OPTIONS } from './oauth-resource.constants';
import { OAuthResourceConfigurableModuleClass } from './oauth-resource.module-definition';
import type { ResolvedOAuthResourceOptions } from './oauth-resource-options';

/**
 * Makes the host app a resource server of an authorization server on another host: `BearerGuard`,
 * `@Scopes()` and `@OAuthAuthorization()` work as with `OAuthModule`, validating tokens by
 * introspection (RFC 7662) at the authorization server found from its metadata (RFC 8414), and the
 * app serves its protected resource metadata (RFC 9728). No database and no TypeORM.
 *
 * Like `OAuthModule`, it answers a body the platform cannot parse on a guarded route with the
 * guard's challenge, relying on the same Nest init order (see the header of `oauth.module.ts`).
 * @publicApi
 * @example
 * OAuthResourceModule.forRoot({
 *   issuer: 'https://shift.example',
 *   resource: 'https://files.shift.example/',
 *   introspection: { clientId: process.env.INTROSPECTION_CLIENT_ID, clientSecret: process.env.INTROSPECTION_CLIENT_SECRET },
 *   scopes: ['files:read'],
 * })
 */
@Module({})
export class OAuthResourceModule extends OAuthResourceConfigurableModuleClass implements NestModule, OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly modules: ModulesContainer,
    private readonly appConfig: ApplicationConfig,
    private readonly resources: ResourceServer,
    @Inject(RESOLVED_OAUTH_RESOURCE_OPTIONS) private readonly options: ResolvedOAuthResourceOptions,
  ) {
    super();
  }

  configure(consumer: MiddlewareConsumer): void {
    markBearerRoutes(this.modules);
    this.installBodyErrorHandling('before-routes');
    consumer.apply(WellKnownMiddleware).forRoutes({ path: WELL_KNOWN_ROUTE, method: RequestMethod.GET });
  }

  onModuleInit(): void {
    this.installBodyErrorHandling('after-routes');
  }

  private installBodyErrorHandling(phase: 'before-routes' | 'after-routes'): void {
    const adapter = this.adapterHost.httpAdapter;
    if (!adapter) return; // an application context without HTTP
    installBodyErrorHandling(
      adapter,
      () => false, // no endpoints of its own but the well-known documents, which take no body
      this.options.realm,
      phase,
      new BearerRoutes(this.appConfig),
      (resource) => this.resources.challengeFor(resource),
    );
  }
}

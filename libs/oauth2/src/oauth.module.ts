/**
 * Design note on the one place this file reaches past Nest's documented API (checked on Express and
 * Fastify by `http/nest-internals.spec.ts`, which fails by name on an upgrade that changes it):
 * `configure()` and `onModuleInit()` install platform-wide body-error handling (an Express error
 * middleware, a Fastify `onRoute` hook; see `http/body-errors.ts`). They rely on Nest calling
 * `configure()` before it registers the routes and `onModuleInit()` after them but before its own
 * error handler. A Nest release that reorders application init breaks it; the symptom is a platform
 * error body instead of `invalid_request` on a malformed request.
 */
import { Inject, Module, RequestMethod, type MiddlewareConsumer, type NestModule, type OnModuleInit } from '@nestjs/common';
import { ApplicationConfig, HttpAdapterHost, ModulesContainer } from '@nestjs/core';
import { ResourceServer } from './core/resource-server';
import { BearerRoutes, markBearerRoutes } from './http/bearer-routes';
import { endpointPaths, installBodyErrorHandling } from './http/body-errors';
import { PREFIXED_CONTROLLERS, ROOT_CONTROLLERS } from './http/oauth.controllers';
import { WELL_KNOWN_ROUTE, WellKnownMiddleware } from './http/well-known.middleware';
import { OAUTH_MODULE_EXTRAS, RESOLVED_OAUTH_OPTIONS } from './oauth.constants';
import { ConfigurableModuleClass } from './oauth.module-definition';
import type { OAuthModuleExtras } from './oauth-module-options.interface';
import { OAUTH_DEFAULTS, type ResolvedOAuthOptions } from './oauth-options';

/**
 * Makes the host app an OAuth 2.0 authorization server and resource server.
 * @publicApi
 * @example
 * OAuthModule.forRoot({ issuer: 'https://shift.com', prefix: 'v1/oauth2', scopes: { profile: 'Read your profile' }, interaction: ShiftInteraction })
 */
@Module({})
export class OAuthModule extends ConfigurableModuleClass implements NestModule, OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(OAUTH_MODULE_EXTRAS) private readonly extras: OAuthModuleExtras,
    @Inject(RESOLVED_OAUTH_OPTIONS) private readonly options: ResolvedOAuthOptions,
    private readonly modules: ModulesContainer,
    private readonly appConfig: ApplicationConfig,
    private readonly resources: ResourceServer,
  ) {
    super();
  }

  /**
   * Requests the platform refuses before a controller runs still answer in the OAuth shape on our
   * endpoints, and with a bearer challenge on the host's routes `BearerGuard` protects. Runs before
   * Nest registers the routes, so the marks reach the handlers it registers. Also serves the
   * path-inserted well-known documents (RFC 8414 §3.1, RFC 9728 §3.1).
   */
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
    const endpoints = endpointPaths(this.extras.prefix ?? OAUTH_DEFAULTS.prefix, PREFIXED_CONTROLLERS, ROOT_CONTROLLERS);
    installBodyErrorHandling(adapter, endpoints, this.options.realm, phase, new BearerRoutes(this.appConfig), (resource) =>
      this.resources.challengeFor(resource),
    );
  }
}

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
import { appendedConfigurationPath } from './core/openid/discovery';
import { WellKnownMiddleware } from './http/well-known.middleware';
import { endpointPaths } from './http/body-errors';
import { PREFIXED_CONTROLLERS, ROOT_CONTROLLERS } from './http/oauth.controllers';
import { PlatformSetup } from './http/platform-setup';
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
  private readonly platform: PlatformSetup;
  private readonly openIdConfigurationPath: string | undefined;

  constructor(
    adapterHost: HttpAdapterHost,
    @Inject(OAUTH_MODULE_EXTRAS) extras: OAuthModuleExtras,
    @Inject(RESOLVED_OAUTH_OPTIONS) options: ResolvedOAuthOptions,
    modules: ModulesContainer,
    appConfig: ApplicationConfig,
    resources: ResourceServer,
  ) {
    super();
    this.openIdConfigurationPath = appendedConfigurationPath(options);
    const prefix = extras.prefix ?? OAUTH_DEFAULTS.prefix;
    this.platform = new PlatformSetup({
      adapterHost,
      modules,
      appConfig,
      resources,
      realm: options.realm,
      configuredResources: Object.keys(options.resources).length > 0 ? Object.keys(options.resources) : undefined,
      endpoints: () => endpointPaths(prefix, PREFIXED_CONTROLLERS, ROOT_CONTROLLERS),
    });
  }

  configure(consumer: MiddlewareConsumer): void {
    this.platform.configure(consumer);
    // OpenID Connect Discovery §4.1 appends the well-known name to an issuer's path: a route outside `.well-known/`.
    const appended = this.openIdConfigurationPath;
    if (appended) consumer.apply(WellKnownMiddleware).forRoutes({ path: appended.slice(1), method: RequestMethod.GET });
  }

  onModuleInit(): void {
    this.platform.finish();
  }
}

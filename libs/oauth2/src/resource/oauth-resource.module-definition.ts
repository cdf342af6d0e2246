import { ConfigurableModuleBuilder, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { Clock, SystemClock } from '../core/clock';
import { BearerGuard } from '../http/bearer.guard';
import { WellKnownMiddleware } from '../http/well-known.middleware';
import { RESOLVED_OAUTH_RESOURCE_OPTIONS } from './oauth-resource.constants';
import { OAuthResourceExceptionFilter } from './oauth-resource-exception.filter';
import { resolveOAuthResourceOptions } from './oauth-resource-options';
import type { OAuthResourceModuleExtras, OAuthResourceModuleOptions } from './oauth-resource-options.interface';
import { OAUTH_RESOURCE_PROVIDERS } from './oauth-resource.providers';

const EXTRAS: OAuthResourceModuleExtras = { isGlobal: true };

export const { ConfigurableModuleClass: OAuthResourceConfigurableModuleClass, MODULE_OPTIONS_TOKEN: OAUTH_RESOURCE_MODULE_OPTIONS } =
  new ConfigurableModuleBuilder<OAuthResourceModuleOptions>({ moduleName: 'OAuthResource' })
    .setClassMethodName('forRoot')
    .setFactoryMethodName('createOAuthResourceOptions')
    .setExtras<OAuthResourceModuleExtras>(EXTRAS, (definition, extras) => withResourceProviders(definition, extras))
    .build();

/** Everything `BearerGuard` needs, verifying JWTs from the JWK Set and introspecting the rest, plus the RFC 9728 document. */
function withResourceProviders(definition: DynamicModule, extras: OAuthResourceModuleExtras): DynamicModule {
  return {
    ...definition,
    global: extras.isGlobal ?? true,
    providers: [
      ...(definition.providers ?? []),
      {
        provide: RESOLVED_OAUTH_RESOURCE_OPTIONS,
        useFactory: resolveOAuthResourceOptions,
        inject: [OAUTH_RESOURCE_MODULE_OPTIONS],
      },
      { provide: Clock, useClass: SystemClock },
      ...OAUTH_RESOURCE_PROVIDERS,
      BearerGuard,
      WellKnownMiddleware,
      { provide: APP_FILTER, useClass: OAuthResourceExceptionFilter },
    ],
    exports: [
      ...(definition.exports ?? []),
      BearerGuard,
      Clock,
      ...OAUTH_RESOURCE_PROVIDERS.map((p) => (typeof p === 'function' ? p : p.provide)),
    ],
  };
}

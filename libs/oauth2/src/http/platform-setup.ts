import { RequestMethod, type MiddlewareConsumer } from '@nestjs/common';
import type { ApplicationConfig, HttpAdapterHost, ModulesContainer } from '@nestjs/core';
import type { ResourceServer } from '../core/resource-server';
import { assertDeclaredResourcesConfigured, BearerRoutes, markBearerRoutes } from './bearer-routes';
import { installBodyErrorHandling } from './body-errors';
import { WELL_KNOWN_ROUTE, WellKnownMiddleware } from './well-known.middleware';

/** What `PlatformSetup` needs from the module that owns it. */
export interface PlatformSetupDeps {
  adapterHost: HttpAdapterHost;
  modules: ModulesContainer;
  appConfig: ApplicationConfig;
  resources: ResourceServer;
  realm: string;
  /** The resources a route's `@Resource()` may name; undefined when routes may name any (or none is configured). */
  configuredResources?: readonly string[];
  /** Which request paths are the module's own OAuth endpoints (answered in the RFC 6749 §5.2 shape). */
  endpoints: () => (path: string) => boolean;
}

/**
 * What `OAuthModule` and `OAuthResourceModule` both do to the HTTP platform: requests it refuses
 * before a controller runs (a body it cannot parse) still answer in the OAuth shape on the module's
 * endpoints and with the guard's challenge on the routes `BearerGuard` protects, and the
 * path-inserted well-known documents are served (RFC 8414 §3.1, RFC 9728 §3.1). `configure` runs
 * before Nest registers the routes, so the marks reach the handlers it registers; `finish` after them
 * (see the design note of `oauth.module.ts`).
 */
export class PlatformSetup {
  constructor(private readonly deps: PlatformSetupDeps) {}

  configure(consumer: MiddlewareConsumer): void {
    assertDeclaredResourcesConfigured(markBearerRoutes(this.deps.modules), this.deps.configuredResources);
    this.installBodyErrorHandling('before-routes');
    consumer.apply(WellKnownMiddleware).forRoutes({ path: WELL_KNOWN_ROUTE, method: RequestMethod.GET });
  }

  finish(): void {
    this.installBodyErrorHandling('after-routes');
  }

  private installBodyErrorHandling(phase: 'before-routes' | 'after-routes'): void {
    const adapter = this.deps.adapterHost.httpAdapter;
    if (!adapter) return; // an application context without HTTP
    installBodyErrorHandling(adapter, this.deps.endpoints(), this.deps.realm, phase, new BearerRoutes(this.deps.appConfig), (resource) =>
      this.deps.resources.challengeFor(resource),
    );
  }
}

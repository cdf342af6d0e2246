import type { Type } from '@nestjs/common';
import { GUARDS_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, type ApplicationConfig, type ModulesContainer } from '@nestjs/core';
import { OAUTH_RESOURCE_METADATA, OAUTH_SKIP_BEARER_METADATA } from '../oauth.constants';
import { BearerGuard } from './bearer.guard';

/**
 * Which of the host's routes `BearerGuard` protects, known to the platform before the guard runs.
 *
 * Express's body parsers and Fastify's content-type parsers fail before routing reaches a
 * controller, so on a guarded route a body the platform cannot parse would be answered in the
 * platform's shape, without the RFC 6750 §3 challenge. To answer it as the guard would, the module
 * marks every route handler at start-up (before the routes are registered) with whether a
 * `BearerGuard` sits on it or its controller, and whether it is `@SkipBearer()`:
 *
 * - as metadata on the handler method, which Nest copies onto the handler it registers with the
 *   platform (Express keeps that function in its router, where `expressRouteHandlers` finds it);
 * - as a key of the Fastify route config (`@RouteConfig()` metadata, which Nest passes to
 *   `fastify.route()`), because Nest wraps the handler of a route with parameters.
 *
 * Both lean on how Nest registers routes; the hostile-input suites fail loudly if that changes.
 */
export const OAUTH_BEARER_ROUTE = 'oauth:bearer-route';

/** The metadata key of `@RouteConfig()` in `@nestjs/platform-fastify`, an optional peer. */
const FASTIFY_ROUTE_CONFIG_METADATA = '__fastify_route_config__';

/** What a route handler carries under `OAUTH_BEARER_ROUTE`. */
export interface BearerRouteMark {
  /** `@UseGuards(BearerGuard)` on the handler or its controller. */
  guarded: boolean;
  /** `@SkipBearer()`: a global `BearerGuard` lets it through. */
  isPublic: boolean;
  /** `@Resource()` on the handler or its controller (the handler's wins), if any. */
  resource?: string;
}

/** A route's `@Resource()`, with the route named as the host wrote it (`Controller.method`). */
export interface DeclaredResource {
  route: string;
  resource: string;
}

/** Marks every controller route of the application (see the file header); returns the `@Resource()`s met. */
export function markBearerRoutes(modules: ModulesContainer): DeclaredResource[] {
  const declared: DeclaredResource[] = [];
  const scanner = new MetadataScanner();
  for (const module of modules.values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | undefined;
      if (typeof controller !== 'function' || !controller.prototype) continue;
      for (const name of scanner.getAllMethodNames(controller.prototype)) {
        const handler: unknown = controller.prototype[name];
        if (typeof handler !== 'function' || !Reflect.hasMetadata(PATH_METADATA, handler)) continue;
        const guards: unknown[] = [
          ...(Reflect.getMetadata(GUARDS_METADATA, controller) ?? []),
          ...(Reflect.getMetadata(GUARDS_METADATA, handler) ?? []),
        ];
        const isPublic: unknown =
          Reflect.getMetadata(OAUTH_SKIP_BEARER_METADATA, handler) ?? Reflect.getMetadata(OAUTH_SKIP_BEARER_METADATA, controller);
        const resource: unknown =
          Reflect.getMetadata(OAUTH_RESOURCE_METADATA, handler) ?? Reflect.getMetadata(OAUTH_RESOURCE_METADATA, controller);
        const mark: BearerRouteMark = {
          guarded: guards.some(isBearerGuard),
          isPublic: Boolean(isPublic),
          ...(typeof resource === 'string' ? { resource } : {}),
        };
        if (mark.resource !== undefined) declared.push({ route: `${controller.name}.${name}`, resource: mark.resource });
        Reflect.defineMetadata(OAUTH_BEARER_ROUTE, mark, handler);
        const config: unknown = Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler);
        Reflect.defineMetadata(FASTIFY_ROUTE_CONFIG_METADATA, { ...(config as object), [OAUTH_BEARER_ROUTE]: mark }, handler);
      }
    }
  }
  return declared;
}

/**
 * Fails the start when a route's `@Resource()` names none of the configured resources: a typo, or a
 * URI not in its canonical form, would otherwise refuse every token on that route with 401 and no
 * clue why. `configured` undefined means no resources, where `@Resource()` is ignored by design.
 */
export function assertDeclaredResourcesConfigured(declared: readonly DeclaredResource[], configured: readonly string[] | undefined): void {
  if (!configured) return;
  const unknown = declared.filter((d) => !configured.includes(d.resource));
  if (!unknown.length) return;
  throw new Error(
    `@Resource() names a resource that is not configured: ${unknown.map((d) => `"${d.resource}" on ${d.route}`).join(', ')}. ` +
      `Configured resources (canonical form): ${configured.map((r) => `"${r}"`).join(', ')}.`,
  );
}

/** Decides, from a route's mark and the app's global guards, whether `BearerGuard` protects it. */
export class BearerRoutes {
  constructor(private readonly config: ApplicationConfig) {}

  /** True when `mark` (from a handler or a Fastify route config) belongs to a route `BearerGuard` protects. */
  protects(mark: unknown): boolean {
    if (!isMark(mark)) return false;
    // As BearerGuard does: @SkipBearer() lets a route through even under @UseGuards(BearerGuard).
    if (mark.isPublic) return false;
    if (mark.guarded) return true;
    // Read when needed, not at start-up: a host may add its global guard late (app.useGlobalGuards).
    const global = [...this.config.getGlobalGuards(), ...this.config.getGlobalRequestGuards().map((wrapper) => wrapper.metatype)];
    return global.some(isBearerGuard);
  }

  /** The `@Resource()` of a route's mark, if any. */
  static resourceOf(mark: unknown): string | undefined {
    return isMark(mark) ? mark.resource : undefined;
  }

  /** The mark of a handler Nest registered, if any. */
  static markOf(handler: unknown): unknown {
    return typeof handler === 'function' ? Reflect.getMetadata(OAUTH_BEARER_ROUTE, handler) : undefined;
  }
}

/**
 * The handlers of the first Express route that `method` and `path` reach, as Express's router
 * would pick it (Express 5 `router`: layers with `match()` and a `route`), or none.
 */
export function expressRouteHandlers(app: any, method: string, path: string): unknown[] {
  const stack: unknown = (app?.router ?? app?._router)?.stack;
  if (!Array.isArray(stack)) return [];
  for (const layer of stack) {
    if (!layer?.route || typeof layer.match !== 'function') continue;
    let matches: boolean;
    try {
      matches = Boolean(layer.match(path));
    } catch {
      matches = true; // a path parameter it cannot decode: the route was still the one asked for
    }
    const handlesMethod = layer.route._handlesMethod;
    if (!matches || (typeof handlesMethod === 'function' && !handlesMethod.call(layer.route, method))) continue;
    return Array.isArray(layer.route.stack) ? layer.route.stack.map((l: { handle?: unknown }) => l?.handle) : [];
  }
  return [];
}

function isBearerGuard(guard: unknown): boolean {
  return guard === BearerGuard || guard instanceof BearerGuard || (typeof guard === 'function' && guard.prototype instanceof BearerGuard);
}

function isMark(value: unknown): value is BearerRouteMark {
  return typeof value === 'object' && value !== null && typeof (value as BearerRouteMark).guarded === 'boolean';
}

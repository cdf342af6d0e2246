import { Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { asOAuthError } from '../core/error-response';
import { InvalidRequestError, OAuthError } from '../core/oauth.errors';
import { ResourceServer } from '../core/resource-server';
import { OAUTH_RESOURCE_METADATA, OAUTH_SKIP_BEARER_METADATA, OAUTH_SCOPES_METADATA } from '../oauth.constants';
import { readBearerRequest } from './http-bridge';
import { OAUTH_AUTHORIZATION_KEY } from './oauth-authorization.decorator';

/**
 * Protects a route with a bearer access token (RFC 6750) and the `@Scopes()` it lists; use it per
 * route with `@UseGuards(BearerGuard)` or for the whole app as `APP_GUARD` with `@SkipBearer()` opt-outs.
 * When the route's resource is known (`@Resource()`, else the module's `resource`), the token's
 * audience must be that resource (RFC 8707).
 * Failures are thrown as OAuth errors carrying their `WWW-Authenticate` challenge.
 * @publicApi
 * @example
 * @Get('me') @UseGuards(BearerGuard) @Scopes('profile')
 * me(@OAuthAuthorization() auth: ResourceAuthorization) {}
 */
@Injectable()
export class BearerGuard implements CanActivate {
  private readonly logger = new Logger('OAuth');
  /** `@SkipBearer()`, `@Scopes()` and `@Resource()` of each route, read once: handler → controller class → metadata. */
  private readonly routes = new WeakMap<object, WeakMap<object, RouteMetadata>>();

  constructor(
    private readonly resources: ResourceServer,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const route = this.metadataOf(context.getHandler(), context.getClass());
    if (route.isPublic) return true;
    const request = context.switchToHttp().getRequest();
    try {
      const authorization = await this.resources.authenticate(
        await this.readRequest(request, route.resource),
        route.resource,
        route.scopes,
      );
      this.resources.assertScopes(authorization, route.scopes, route.resource);
      request[OAUTH_AUTHORIZATION_KEY] = authorization;
      return true;
    } catch (error) {
      if (error instanceof OAuthError) throw error;
      // A store failure on a host route: 503 temporarily_unavailable (or 500 server_error) in the
      // OAuth shape rather than the host's default error body; the cause is logged, never sent.
      const oauth = asOAuthError(error);
      this.logger.error(`${oauth.code} while validating a bearer token: ${error instanceof Error ? error.message : String(error)}`);
      throw oauth;
    }
  }

  /** The request's credentials; a body Fastify left unread that cannot be read is refused with the challenge. */
  private async readRequest(request: unknown, resource: string | undefined) {
    try {
      return await readBearerRequest(request);
    } catch (error) {
      if (error instanceof InvalidRequestError && !error.headers['WWW-Authenticate'])
        throw this.resources.malformedRequest(error.description ?? '', error.status, resource);
      throw error;
    }
  }

  // Decorator metadata is fixed once the app is built, and reading it twice per request showed in profiles.
  private metadataOf(handler: object, controller: object): RouteMetadata {
    let byController = this.routes.get(handler);
    if (!byController) this.routes.set(handler, (byController = new WeakMap()));
    let route = byController.get(controller);
    if (!route) {
      const targets = [handler, controller] as Parameters<Reflector['getAllAndOverride']>[1];
      route = {
        isPublic: Boolean(this.reflector.getAllAndOverride<boolean>(OAUTH_SKIP_BEARER_METADATA, targets)),
        scopes: this.reflector.getAllAndOverride<string[]>(OAUTH_SCOPES_METADATA, targets) ?? [],
        resource: this.resources.resourceFor(this.reflector.getAllAndOverride<string | undefined>(OAUTH_RESOURCE_METADATA, targets)),
      };
      byController.set(controller, route);
    }
    return route;
  }
}

interface RouteMetadata {
  isPublic: boolean;
  scopes: readonly string[];
  /** The audience the route accepts, if any. */
  resource: string | undefined;
}

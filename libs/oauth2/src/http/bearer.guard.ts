import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ResourceServer } from '../core/resource-server';
import { OAUTH_PUBLIC_METADATA, OAUTH_SCOPES_METADATA } from '../oauth.constants';
import { toOAuthRequest } from './http-bridge';
import { OAUTH_AUTHORIZATION_KEY } from './oauth-authorization.decorator';

/**
 * Protects a route with a bearer access token (RFC 6750) and the `@Scopes()` it lists; use it per
 * route with `@UseGuards(BearerGuard)` or for the whole app as `APP_GUARD` with `@Public()` opt-outs.
 * Failures are thrown as OAuth errors carrying their `WWW-Authenticate` challenge.
 * @publicApi
 * @example
 * @Get('me') @UseGuards(BearerGuard) @Scopes('profile')
 * me(@OAuthAuthorization() auth: ResourceAuthorization) {}
 */
@Injectable()
export class BearerGuard implements CanActivate {
  constructor(
    private readonly resources: ResourceServer,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(OAUTH_PUBLIC_METADATA, targets)) return true;
    const request = context.switchToHttp().getRequest();
    const authorization = await this.resources.authenticate(toOAuthRequest(request));
    this.resources.assertScopes(authorization, this.reflector.getAllAndOverride<string[]>(OAUTH_SCOPES_METADATA, targets) ?? []);
    request[OAUTH_AUTHORIZATION_KEY] = authorization;
    return true;
  }
}

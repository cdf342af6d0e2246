import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { ResourceAuthorization } from '../core/resource-authorization';

/** The request property `BearerGuard` stores the caller's `ResourceAuthorization` in. */
export const OAUTH_AUTHORIZATION_KEY = 'oauth';

/** The authorization `BearerGuard` attached to this request, or undefined on a `@SkipBearer()` route. */
export function authorizationOf(request: any): ResourceAuthorization | undefined {
  return request?.[OAUTH_AUTHORIZATION_KEY];
}

/**
 * Injects the validated caller (client, user, scopes, expiry, token id) into a guarded handler.
 * @publicApi
 * @example
 * @Get('me') @UseGuards(BearerGuard) @Scopes('profile')
 * me(@OAuthAuthorization() auth: ResourceAuthorization) { return this.users.find(auth.userId); }
 */
export const OAuthAuthorization = createParamDecorator((_data: unknown, ctx: ExecutionContext) =>
  authorizationOf(ctx.switchToHttp().getRequest()),
);

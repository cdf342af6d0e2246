import type { ArgumentsHost } from '@nestjs/common';
import { InsufficientScopeError, type OAuthError } from '../core/oauth.errors';
import type { ResourceServer } from '../core/resource-server';
import type { ResourceAuthorization } from '../core/resource-authorization';
import { OAUTH_AUTHORIZATION_KEY } from './oauth-authorization.decorator';

/**
 * The error a filter writes: an `InsufficientScopeError` a guarded handler threw without a challenge
 * gets the one `BearerGuard` would send (so a host writes `throw new InsufficientScopeError([...])`
 * and clients still learn the scopes and the metadata URL); any other error as it is.
 */
export function withScopeChallenge(exception: OAuthError, host: ArgumentsHost, resources: ResourceServer): OAuthError {
  if (!(exception instanceof InsufficientScopeError) || exception.headers['WWW-Authenticate']) return exception;
  const request = host.switchToHttp().getRequest<Record<string, unknown> | undefined>();
  return resources.scopeChallenge(exception, request?.[OAUTH_AUTHORIZATION_KEY] as ResourceAuthorization | undefined);
}

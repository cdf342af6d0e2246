import { Catch, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { toErrorResponse } from '../core/error-response';
import { OAuthError } from '../core/oauth.errors';
import { ResourceServer } from '../core/resource-server';
import { writeOAuthResponse } from '../http/http-bridge';
import { withScopeChallenge } from '../http/scope-challenge';
import { RESOLVED_OAUTH_RESOURCE_OPTIONS } from './oauth-resource.constants';
import type { ResolvedOAuthResourceOptions } from './oauth-resource-options';

/** Writes the `OAuthError`s `BearerGuard` throws as their RFC 6750 responses, with their challenges. */
@Catch(OAuthError)
export class OAuthResourceExceptionFilter implements ExceptionFilter {
  constructor(
    @Inject(RESOLVED_OAUTH_RESOURCE_OPTIONS) private readonly options: ResolvedOAuthResourceOptions,
    private readonly resources: ResourceServer,
  ) {}

  catch(exception: OAuthError, host: ArgumentsHost): void {
    const error = withScopeChallenge(exception, host, this.resources);
    writeOAuthResponse(host.switchToHttp().getResponse(), toErrorResponse(error, this.options.realm));
  }
}

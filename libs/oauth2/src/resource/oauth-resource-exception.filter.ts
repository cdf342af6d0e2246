import { Catch, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { toErrorResponse } from '../core/error-response';
import { OAuthError } from '../core/oauth.errors';
import { writeOAuthResponse } from '../http/http-bridge';
import { RESOLVED_OAUTH_RESOURCE_OPTIONS } from './oauth-resource.constants';
import type { ResolvedOAuthResourceOptions } from './oauth-resource-options';

/** Writes the `OAuthError`s `BearerGuard` throws as their RFC 6750 responses, with their challenges. */
@Catch(OAuthError)
export class OAuthResourceExceptionFilter implements ExceptionFilter {
  constructor(@Inject(RESOLVED_OAUTH_RESOURCE_OPTIONS) private readonly options: ResolvedOAuthResourceOptions) {}

  catch(exception: OAuthError, host: ArgumentsHost): void {
    writeOAuthResponse(host.switchToHttp().getResponse(), toErrorResponse(exception, this.options.realm));
  }
}

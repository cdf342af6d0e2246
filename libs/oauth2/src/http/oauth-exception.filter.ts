import { Catch, Inject, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { asOAuthError, toErrorResponse } from '../core/error-response';
import { OAuthError } from '../core/oauth.errors';
import { RESOLVED_OAUTH_OPTIONS } from '../oauth.constants';
import type { ResolvedOAuthOptions } from '../oauth-options';
import { ResourceServer } from '../core/resource-server';
import { bodyError } from './body-errors';
import { writeOAuthResponse } from './http-bridge';
import { withScopeChallenge } from './scope-challenge';

/**
 * Writes every `OAuthError` as its RFC response, wherever it is thrown — our endpoints and
 * `BearerGuard` on the host's controllers alike (registered globally with `APP_FILTER`).
 */
@Catch(OAuthError)
export class OAuthExceptionFilter implements ExceptionFilter {
  constructor(
    @Inject(RESOLVED_OAUTH_OPTIONS) private readonly options: ResolvedOAuthOptions,
    private readonly resources: ResourceServer,
  ) {}

  catch(exception: OAuthError, host: ArgumentsHost): void {
    const error = withScopeChallenge(exception, host, this.resources);
    writeOAuthResponse(host.switchToHttp().getResponse(), toErrorResponse(error, this.options.realm));
  }
}

/**
 * On the module's own endpoints, also turns unexpected errors into `server_error` (or
 * `temporarily_unavailable` when the database is unreachable): never Nest's default body, never a
 * stack trace. The cause is logged; it never carries a credential because only hashes reach queries.
 */
@Catch()
export class OAuthEndpointExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('OAuth');

  constructor(@Inject(RESOLVED_OAUTH_OPTIONS) private readonly options: ResolvedOAuthOptions) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const error = bodyError(exception) ?? asOAuthError(exception);
    if (error.status >= 500) this.logger.error(`${error.code}: ${describeCause(error.cause ?? exception)}`);
    writeOAuthResponse(host.switchToHttp().getResponse(), toErrorResponse(error, this.options.realm));
  }
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`;
  return String(cause);
}

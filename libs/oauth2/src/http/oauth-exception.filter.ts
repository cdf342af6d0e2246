import { Catch, Inject, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { asOAuthError, toErrorResponse } from '../core/error-response';
import { InvalidRequestError, OAuthError } from '../core/oauth.errors';
import { RESOLVED_OAUTH_OPTIONS } from '../oauth.constants';
import type { ResolvedOAuthOptions } from '../oauth-options';
import { writeOAuthResponse } from './http-bridge';

/**
 * Writes every `OAuthError` as its RFC response, wherever it is thrown — our endpoints and
 * `BearerGuard` on the host's controllers alike (registered globally with `APP_FILTER`).
 */
@Catch(OAuthError)
export class OAuthExceptionFilter implements ExceptionFilter {
  constructor(@Inject(RESOLVED_OAUTH_OPTIONS) private readonly options: ResolvedOAuthOptions) {}

  catch(exception: OAuthError, host: ArgumentsHost): void {
    writeOAuthResponse(host.switchToHttp().getResponse(), toErrorResponse(exception, this.options.realm));
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
    const error = bodyParserError(exception) ?? asOAuthError(exception);
    if (error.status >= 500) this.logger.error(`${error.code}: ${describeCause(error.cause ?? exception)}`);
    writeOAuthResponse(host.switchToHttp().getResponse(), toErrorResponse(error, this.options.realm));
  }
}

/**
 * Body-parser failures (malformed or oversized bodies, unsupported charset or encoding, an undecodable
 * path) are the client's fault: `invalid_request`, with their own 4xx status.
 */
export function bodyParserError(exception: unknown): OAuthError | undefined {
  if (exception instanceof OAuthError) return undefined;
  const e = exception as { status?: number; statusCode?: number; type?: string; getStatus?: () => number };
  const status = typeof e?.getStatus === 'function' ? e.getStatus() : (e?.status ?? e?.statusCode);
  if (typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  const description =
    status === 413
      ? 'The request body is too large'
      : status === 415
        ? 'The request body has an unsupported charset or content encoding'
        : 'The request could not be parsed';
  return new InvalidRequestError(description, { status, cause: exception });
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`;
  return String(cause);
}

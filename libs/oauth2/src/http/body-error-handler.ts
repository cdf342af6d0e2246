import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { toErrorResponse } from '../core/error-response';
import { RESOLVED_OAUTH_OPTIONS } from '../oauth.constants';
import type { ResolvedOAuthOptions } from '../oauth-options';
import { writeOAuthResponse } from './http-bridge';
import { bodyParserError } from './oauth-exception.filter';

const ENDPOINTS = ['auth', 'token', 'revoke', 'introspect'];
const METADATA_PATH = '/.well-known/oauth-authorization-server';

/**
 * On Express, the app-wide body parser runs before routing, so a body that is too large (413), not
 * parseable, or in an unknown charset never reaches our controllers' filter: Nest would answer it in
 * its own `{ statusCode, message }` shape. This error middleware, registered once the routes are in
 * place and before Nest's own error handler, answers those failures on the module's endpoints only
 * with an OAuth `invalid_request` (RFC 6749 §5.2), keeping the parser's status. Other paths, and
 * 5xx errors, go on to the host's handling unchanged.
 */
@Injectable()
export class OAuthBodyErrorHandler implements OnModuleInit {
  constructor(
    @Inject(RESOLVED_OAUTH_OPTIONS) private readonly options: ResolvedOAuthOptions,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    const adapter = this.adapterHost?.httpAdapter;
    if (!adapter || adapter.getType() !== 'express') return;
    const endpoints = ENDPOINTS.map((name) => `/${this.options.prefix}/${name}`.replace(/^\/+/, '/'));
    // A host's global prefix (app.setGlobalPrefix) only adds a leading segment: match on the path's end.
    const isOurs = (path: string) =>
      endpoints.some((endpoint) => path === endpoint || path.endsWith(endpoint)) || path.includes(METADATA_PATH);
    adapter.getInstance().use((error: unknown, req: any, res: any, next: (error: unknown) => void) => {
      const oauth = isOurs(String(req.path ?? '')) && !res.headersSent ? bodyParserError(error) : undefined;
      if (!oauth) return next(error);
      writeOAuthResponse(res, toErrorResponse(oauth, this.options.realm));
    });
  }
}
